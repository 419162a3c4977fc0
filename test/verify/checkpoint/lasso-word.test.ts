import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InputError } from '../../../src/errors.js';
import { lassoLength, parseLasso, printLasso } from '../../../src/verify/checkpoint/lasso-word.js';
import { primitiveWords } from '../../../src/verify/checkpoint/lasso-search.js';

describe('lasso notation u(v)^k', () => {
  it('prints and parses back (one-character and longer symbols)', () => {
    for (const alphabet of [['0', '1'], ['a', 'b', 'c'], ['push', 'pop']]) {
      const word = fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { maxLength: 5 });
      fc.assert(
        fc.property(word, word.filter((w) => w.length > 0), fc.integer({ min: 0, max: 10 ** 9 }), (prefix, loop, power) => {
          const l = { prefix, loop, power };
          expect(parseLasso(alphabet, printLasso(alphabet, l))).toEqual(l);
        }),
      );
    }
  });

  it('reads the documented examples', () => {
    expect(parseLasso(['0', '1'], '1(0)^1000')).toEqual({ prefix: [1], loop: [0], power: 1000 });
    expect(parseLasso(['0', '1'], '(1001)^64')).toEqual({ prefix: [], loop: [1, 0, 0, 1], power: 64 });
    expect(parseLasso(['0', '1'], '0110')).toEqual({ prefix: [0, 1, 1, 0], loop: [], power: 1 });
    expect(lassoLength(parseLasso(['0', '1'], '1(0)^108562939'))).toBe(108562940);
  });

  it('names the part at fault', () => {
    expect(() => parseLasso(['0', '1'], '1(2)^3')).toThrow(InputError);
    expect(() => parseLasso(['0', '1'], '1(0)^x')).toThrow(/u\(v\)\^k/);
    expect(() => parseLasso(['0', '1'], '1()^3')).toThrow(/empty/);
  });

  it('enumerates exactly the primitive words (Möbius count: 2, 1, 2, 3, 6 of lengths 1..5 over 2 symbols)', () => {
    const words = primitiveWords(2, 5);
    const byLength = [1, 2, 3, 4, 5].map((n) => words.filter((w) => w.length === n).length);
    expect(byLength).toEqual([2, 2, 6, 12, 30]);
  });

  it('stops at a cap, shortest words first (S5 has 120 symbols: 1.7 million loops of length <= 3)', () => {
    const words = primitiveWords(120, 3, 500);
    expect(words.length).toBe(500);
    expect(words.slice(0, 120).every((w) => w.length === 1)).toBe(true);
    expect(words[499]).toEqual([3, 23]); // 3 × 119 length-2 words start with 0, 1, 2; [3, 3] is not primitive
  });
});
