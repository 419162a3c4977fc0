import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Dfa } from '../../src/automata/dfa.js';
import { equivalent, separatingWord, separatingWordFrom } from '../../src/automata/equivalence.js';
import { minimise } from '../../src/automata/minimise.js';
import { randomDfa } from '../../src/automata/random.js';
import { AlphabetMismatchError, InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';

const BIN = ['0', '1'];

function smallDfa(maxStates: number, alphabet: readonly string[]): fc.Arbitrary<Dfa> {
  const k = alphabet.length;
  return fc.integer({ min: 1, max: maxStates }).chain((n) =>
    fc
      .record({
        table: fc.array(fc.nat(n - 1), { minLength: n * k, maxLength: n * k }),
        labels: fc.array(fc.nat(1), { minLength: n, maxLength: n }),
        initial: fc.nat(n - 1),
      })
      .map(({ table, labels, initial }) => new Dfa({ alphabet, table, labels, initial })),
  );
}

/** Every word over k symbols of exactly the given length. */
function* wordsOfLength(k: number, length: number): Generator<number[]> {
  if (length === 0) {
    yield [];
    return;
  }
  for (const w of wordsOfLength(k, length - 1)) for (let a = 0; a < k; a++) yield [...w, a];
}

/** The length of a shortest separating word by brute force, looking no further than maxLength. */
function bruteForceDistance(a: Dfa, b: Dfa, maxLength: number): number | null {
  for (let length = 0; length <= maxLength; length++)
    for (const w of wordsOfLength(a.nSymbols, length)) if (a.evaluate(w) !== b.evaluate(w)) return length;
  return null;
}

describe('separatingWord', () => {
  it('finds a shortest word separating two hand-made languages', () => {
    const parity = Dfa.binary(BIN, [0, 1, 1, 0], [1]); // odd number of 1s
    const endsIn1 = Dfa.binary(BIN, [0, 1, 0, 1], [1]);
    expect(separatingWord(parity, endsIn1)).toEqual([1, 0]); // 10: odd parity, but ends in 0
    expect(separatingWord(parity, parity)).toBeNull();
    const all = Dfa.binary(BIN, [0, 0], [0]);
    const none = Dfa.binary(BIN, [0, 0], []);
    expect(separatingWord(all, none)).toEqual([]);
  });

  it('returns words that separate and are shortest (brute force), or null only for equivalent DFAs', () => {
    fc.assert(
      fc.property(smallDfa(5, BIN), smallDfa(5, BIN), (a, b) => {
        const w = separatingWord(a, b);
        const brute = bruteForceDistance(a, b, 9);
        if (w === null) {
          expect(brute).toBeNull();
          expect(equivalent(a, b)).toBe(true);
        } else {
          expect(a.evaluate(w)).not.toBe(b.evaluate(w));
          // Shortest separating words of DFAs with ≤ 5 states each are shorter than 25 = 5·5.
          if (w.length <= 9) expect(brute).toBe(w.length);
          else expect(brute).toBeNull();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('separates three-symbol multi-class machines too', () => {
    const classes = ['x', 'y', 'z'];
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.integer({ min: 1, max: 6 }), (s1, s2, n) => {
        const a = randomDfa(new Rng(s1), n, 3, { classes });
        const b = randomDfa(new Rng(s2), n, 3, { classes });
        const w = separatingWord(a, b);
        if (w === null) expect(bruteForceDistance(a, b, 5)).toBeNull();
        else {
          expect(a.evaluate(w)).not.toBe(b.evaluate(w));
          if (w.length <= 5) expect(bruteForceDistance(a, b, 5)).toBe(w.length);
        }
      }),
    );
  });

  it('finds language equivalence between a DFA and its minimisation', () => {
    for (const [n, k] of [
      [3000, 2],
      [1000, 5],
    ]) {
      const a = randomDfa(new Rng(n), n, k);
      expect(equivalent(a, minimise(a))).toBe(true);
      expect(equivalent(a, randomDfa(new Rng(n + 1), n, k))).toBe(false);
    }
  });

  it('names what differs when two automata cannot be compared', () => {
    const a = Dfa.binary(BIN, [0, 0], [0]);
    const b = Dfa.binary(['0', '2'], [0, 0], [0]);
    expect(() => separatingWord(a, b)).toThrow(AlphabetMismatchError);
    expect(() => separatingWord(a, b)).toThrow(/alphabets differ: \[0, 1\] vs \[0, 2\]/);
    const c = new Dfa({ alphabet: BIN, classes: ['even', 'odd'], table: [0, 0], labels: [0] });
    expect(() => equivalent(a, c)).toThrow(/class lists differ: \[reject, accept\] vs \[even, odd\]/);
  });
});

describe('separatingWordFrom', () => {
  it('separates two states of one DFA, or says they are equivalent', () => {
    // States 0 and 2 are both "even parity"; 1 is odd.
    const dfa = Dfa.binary(BIN, [2, 1, 1, 0, 0, 1], [1]);
    expect(separatingWordFrom(dfa, 0, 2)).toBeNull();
    expect(separatingWordFrom(dfa, 0, 1)).toEqual([]);
    expect(() => separatingWordFrom(dfa, 0, 3)).toThrow(InputError);
  });
});
