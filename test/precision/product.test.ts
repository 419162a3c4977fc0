import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { DenseLrnn, denseRowCode, householderMatrix } from '../../src/precision/dense.js';
import { fixedFormat } from '../../src/precision/fixed.js';
import { permDiagMatrix, ProductLrnn, ProductLrnnMachine } from '../../src/precision/product.js';
import { Rng } from '../../src/random.js';

describe('product LRNN executor', () => {
  it('is the dense executor for one factor without relu (random matrices and words)', () => {
    const format = fixedFormat(2, 5);
    const rng = new Rng(3);
    for (let t = 0; t < 30; t++) {
      const code = (): number => rng.int(format.codeMin, format.codeMax);
      const A = [0, 1].map(() => [[code(), code()], [code(), code()]]);
      const b = [0, 1].map(() => [code(), code()]);
      const dense = new DenseLrnn({ format: format.name, dim: 2, alphabet: ['0', '1'], A, b });
      const product = new ProductLrnn({ format: format.name, dim: 2, alphabet: ['0', '1'], factors: A.map((m) => [m]), b, relu: false });
      const word = Array.from({ length: 10 }, () => rng.int(0, 1));
      expect(product.run(word)).toEqual(dense.run(word));
    }
  });

  it('rounds after each factor and adds b only with the last one', () => {
    const format = fixedFormat(2, 2); // ulp 1/4
    const half = [[2]]; // 0.5
    const net = new ProductLrnn({ format: format.name, dim: 1, alphabet: ['1'], factors: [[half, half]], b: [[1]], relu: false });
    // h = 0.25 (code 1): round(0.5·0.25) = round(0.125) = 0 (tie to even), then round(0.5·0 + 0.25) = 0.25.
    expect(net.step([1], 0)).toEqual([1]);
    // Rounding once at the end would give round(0.25·0.25 + 0.25) = round(0.3125) = 0.25 as well; at h = 3
    // (0.75): per factor round(0.375) = 0.5 (code 2, tie to even), round(0.25 + 0.25) = 0.5; once: round(0.4375) = 0.5.
    expect(net.step([3], 0)).toEqual([denseRowCode(format, [2], [denseRowCode(format, [2], [3], 0)], 1)]);
  });

  it('applies relu after the step, exactly on codes', () => {
    const format = fixedFormat(2, 4);
    const net = new ProductLrnnMachine({ format: format.name, dim: 1, alphabet: ['1'], factors: [[[[-16]]]], b: [[16]], relu: true, readout: { w: [16], c: -8 } });
    // h' = relu(1 − h): 0 → 1 → 0 → 1: parity with one unit.
    expect([0, 1, 2, 3].map((n) => net.run(new Array<number>(n).fill(0)))).toEqual([[0], [16], [0], [16]]);
    expect([1, 2].map((n) => net.classify(net.run(new Array<number>(n).fill(0))))).toEqual([1, 0]);
  });

  it('two reflections at fixed<3,4> compose to a 3-cycle of the coordinates', () => {
    const format = fixedFormat(3, 4);
    // k = (e_i − e_j)·0.75 (‖k‖² = 1.125, inside verify's key tolerance 3·2^−4) and β = 1.75: β·k_i·k_j =
    // 0.984 rounds to 1, so each stored factor is exactly the transposition of i and j.
    const swap01 = householderMatrix(format, 28, [12, -12, 0]);
    const swap12 = householderMatrix(format, 28, [0, 12, -12]);
    expect(swap01).toEqual([[0, 16, 0], [16, 0, 0], [0, 0, 16]]);
    const net = new ProductLrnn({ format: format.name, dim: 3, alphabet: ['1'], factors: [[swap01, swap12]], b: [[0, 0, 0]], relu: false });
    const start = [16, 0, 0];
    const orbit = [start, net.step(start, 0), net.step(net.step(start, 0), 0), net.step(net.step(net.step(start, 0), 0), 0)];
    expect(orbit[3]).toEqual(start);
    expect(new Set(orbit.slice(0, 3).map((h) => h.join(','))).size).toBe(3);
  });

  it('builds P·diag(d) and refuses what is not a permutation', () => {
    expect(permDiagMatrix([1, 2, 0], [5, 6, 7])).toEqual([[0, 6, 0], [0, 0, 7], [5, 0, 0]]);
    expect(() => permDiagMatrix([1, 1, 0], [5, 6, 7])).toThrow(InputError);
    expect(() => new ProductLrnn({ format: 'fixed<2,4>', dim: 1, alphabet: ['1'], factors: [[]], b: [[0]], relu: false })).toThrow(InputError);
  });
});
