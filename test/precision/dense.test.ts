import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { DiagonalLrnn } from '../../src/precision/diagonal.js';
import { DenseLrnn, DenseLrnnMachine, denseRowCode, householderEntryCode, householderMatrix, rotationMatrix } from '../../src/precision/dense.js';
import { fixedFormat } from '../../src/precision/fixed.js';
import type { RoundingMode } from '../../src/precision/format.js';
import { Rng } from '../../src/random.js';

const MODES: readonly RoundingMode[] = ['half-even', 'floor', 'half-up'];

describe('dense LRNN executor', () => {
  it.each(MODES)('is the diagonal executor when A is diagonal (%s, random words)', (mode) => {
    const format = fixedFormat(2, 5, mode);
    const rng = new Rng(7);
    for (let t = 0; t < 50; t++) {
      const code = (): number => rng.int(format.codeMin, format.codeMax);
      const a = [0, 1].map(() => [code(), code()]);
      const b = [0, 1].map(() => [code(), code()]);
      const diag = new DiagonalLrnn({ format: format.name, dim: 2, alphabet: ['0', '1'], a, b });
      const A = a.map(([x, y]) => [[x, 0], [0, y]]);
      const dense = new DenseLrnn({ format: format.name, dim: 2, alphabet: ['0', '1'], A, b });
      const word = Array.from({ length: 12 }, () => rng.int(0, 1));
      expect(dense.run(word)).toEqual(diag.run(word));
    }
  });

  it('rounds the exact row sum once (not each product)', () => {
    const format = fixedFormat(2, 2); // ulp 1/4
    // 0.25·0.5 + 0.25·0.5 = 0.25 exactly; rounding each product first would give 0 + 0 (ties to even).
    expect(denseRowCode(format, [1, 1], [2, 2], 0)).toBe(1);
    // saturation: 1.75·1.75 + 1.75·1.75 > max
    expect(denseRowCode(format, [7, 7], [7, 7], 0)).toBe(format.codeMax);
  });

  it('stores exact Householder reflections and their products permute coordinates (fixed<3,4>)', () => {
    const format = fixedFormat(3, 4);
    const one = 16;
    // β = 2, k = e_1: I − 2 e_1 e_1ᵀ = diag(−1, 1, 1), exact.
    expect(householderMatrix(format, 2 * one, [one, 0, 0])).toEqual([[-one, 0, 0], [0, one, 0], [0, 0, one]]);
    // β = 0: the identity whatever k is.
    expect(householderMatrix(format, 0, [11, 11, 0])).toEqual([[one, 0, 0], [0, one, 0], [0, 0, one]]);
    // k = (1, −1, 0)/√2 rounded to codes (11/16 each): the reflection is close to the swap of e_1, e_2.
    const swap = householderMatrix(format, 2 * one, [11, -11, 0]);
    expect(swap[0][1]).toBe(householderEntryCode(format, 32, 11, -11, false));
    expect(swap[0][1]).toBe(15); // 2·121/256 = 0.9453 → 15/16
  });

  it('runs 2×2 rotation blocks: a quarter turn returns after four steps', () => {
    const format = fixedFormat(3, 4);
    const A = rotationMatrix([0], [16]); // p = cos 90°, q = sin 90°
    expect(A).toEqual([[0, -16], [16, 0]]);
    const net = new DenseLrnn({ format: format.name, dim: 2, alphabet: ['1'], A: [A], b: [[0, 0]] });
    let h: readonly number[] = [16, 0];
    const seen: string[] = [];
    for (let t = 0; t < 4; t++) {
      h = net.step(h, 0);
      seen.push(net.key(h));
    }
    expect(seen).toEqual(['0,16', '-16,0', '0,-16', '16,0']);
  });

  it('classifies with the linear readout and rejects malformed parameters', () => {
    const format = fixedFormat(2, 4);
    const params = { format: format.name, dim: 1, alphabet: ['1'], A: [[[-16]]], b: [[16]], readout: { w: [16], c: -8 } };
    const m = new DenseLrnnMachine(params);
    expect([0, 1, 2, 3].map((n) => m.classify(m.run(new Array<number>(n).fill(0))))).toEqual([0, 1, 0, 1]);
    expect(() => new DenseLrnn({ ...params, A: [[[999]]] })).toThrow(InputError);
    expect(() => new DenseLrnn({ ...params, A: [[[1, 2]]] })).toThrow("dense LRNN: A['1'][0]: expected 1 codes");
    expect(() => new DenseLrnnMachine({ ...params, readout: undefined })).toThrow(InputError);
    expect(() => new DenseLrnn({ ...params, format: 'fp16' })).toThrow(InputError);
  });
});
