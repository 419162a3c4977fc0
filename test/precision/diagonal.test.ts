import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { fixedFormat } from '../../src/precision/fixed.js';
import type { RoundingMode } from '../../src/precision/format.js';
import { DiagonalLrnnMachine, diagonalStepCode } from '../../src/precision/diagonal.js';
import { classifyWord } from '../../src/machine.js';
import { Rng } from '../../src/random.js';

const MODES: readonly RoundingMode[] = ['half-even', 'floor', 'half-up'];

function allWords(maxLen: number): number[][] {
  const out: number[][] = [[]];
  for (let i = 0; i < out.length; i++) if (out[i].length < maxLen) out.push([...out[i], 0], [...out[i], 1]);
  return out;
}

describe('DiagonalLrnnMachine', () => {
  it('a = -1, b = 1 on symbol 1 computes parity at fixed<2,6> on every word up to length 12', () => {
    const one = 2 ** 6;
    const m = new DiagonalLrnnMachine({
      format: 'fixed<2,6>', dim: 1, alphabet: ['0', '1'],
      a: [[one], [-one]], b: [[0], [one]], readout: { w: [one], c: -one / 2 },
    });
    const words = allWords(12);
    expect(words.length).toBe(8191);
    for (const word of words) expect(classifyWord(m, word)).toBe(word.filter((x) => x === 1).length % 2);
    expect(m.key(m.run([1, 0, 1, 1]))).toBe('64');
  });

  it('rejects parameters that are not codes of the format', () => {
    const bad = { format: 'fixed<2,6>', dim: 1, alphabet: ['0', '1'], a: [[0], [200]], b: [[0], [0]], readout: { w: [1], c: 0 } };
    expect(() => new DiagonalLrnnMachine(bad)).toThrow(InputError);
    expect(() => new DiagonalLrnnMachine({ ...bad, a: [[0], [0]], format: 'fp16' })).toThrow(/fixed/);
  });
});

describe('diagonalStepCode', () => {
  it.each(MODES)('agrees with the format\'s roundDyadic on random codes (%s)', (mode) => {
    const rng = new Rng(6);
    for (const [i, f] of [[2, 6], [2, 3], [3, 5], [1, 0], [4, 20]] as const) {
      const format = fixedFormat(i, f, mode);
      for (let t = 0; t < 2000; t++) {
        const [a, h, b] = [0, 0, 0].map(() => rng.int(format.codeMin, format.codeMax));
        const exact = BigInt(a) * BigInt(h) + (BigInt(b) << BigInt(f));
        expect(diagonalStepCode(format, a, h, b)).toBe(format.roundDyadic(exact, -2 * f));
      }
    }
  });

  it('breaks ties by the mode: 0.5·(1/64) + 0 at fixed<2,6>', () => {
    // a = 0.5 (code 32), h = 1 ulp (code 1): exact value half an ulp.
    expect(diagonalStepCode(fixedFormat(2, 6, 'half-even'), 32, 1, 0)).toBe(0);
    expect(diagonalStepCode(fixedFormat(2, 6, 'half-up'), 32, 1, 0)).toBe(1);
    expect(diagonalStepCode(fixedFormat(2, 6, 'half-up'), 32, -1, 0)).toBe(0);
    expect(diagonalStepCode(fixedFormat(2, 6, 'floor'), 32, -1, 0)).toBe(-1);
    expect(diagonalStepCode(fixedFormat(2, 6, 'half-even'), 32, 3, 0)).toBe(2);
    expect(diagonalStepCode(fixedFormat(2, 6), 127, 127, 127)).toBe(127); // saturates
  });
});
