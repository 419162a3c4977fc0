import { describe, expect, it } from '@jest/globals';
import { DenseLrnn, householderMatrix, rotationMatrix } from '../../../src/precision/dense.js';
import { DiagonalLrnn } from '../../../src/precision/diagonal.js';
import { fixedFormat } from '../../../src/precision/fixed.js';
import { ProductLrnn } from '../../../src/precision/product.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import { parseModelClass } from '../../../src/verify/classes.js';
import type { ClassWitness, DenseWitness, ProductWitness } from '../../../src/verify/z3/encode.js';
import { isDenseWitness, isProductWitness } from '../../../src/verify/z3/encode.js';
import { neutralSymbols, withIdentity } from '../../../src/verify/reduce/neutral.js';
import { GENEROUS_MS } from '../budget.js';

const format = fixedFormat(2, 4);
const base = { format: format.name, dim: 2, alphabet: ['0', '1'] };

function run(w: ClassWitness, word: number[]): readonly number[] {
  if (isDenseWitness(w)) return new DenseLrnn(w).run(word);
  if (isProductWitness(w)) return new ProductLrnn(w).run(word);
  return new DiagonalLrnn(w).run(word);
}

describe('neutral symbols', () => {
  it('parity and mod m ignore 0; tomita3 ignores no symbol', () => {
    expect(neutralSymbols(parseTask('parity'), 1)).toEqual([0]);
    expect(neutralSymbols(parseTask('mod:m=3'), 1)).toEqual([0]);
    expect(neutralSymbols(parseTask('tomita3'), 1)).toEqual([]);
  });

  it('withIdentity makes symbol 0 the exact identity for every class shape it can hold, and refuses relu', () => {
    const beta = [9, 20];
    const k = [[16, 0], [11, 12]];
    const rotation: DenseWitness = { ...base, A: [rotationMatrix([5], [7]), rotationMatrix([-10], [9])], b: [[3, -2], [1, 4]], generators: { kind: 'rotation', p: [[5], [-10]], q: [[7], [9]] } };
    const householder: DenseWitness = { ...base, A: [householderMatrix(format, beta[0], k[0]), householderMatrix(format, beta[1], k[1])], b: [[3, 0], [-5, 2]], generators: { kind: 'householder', beta, k } };
    const product: ProductWitness = {
      ...base,
      factors: [[householderMatrix(format, 9, [16, 0])], [householderMatrix(format, 25, [11, 12])]],
      b: [[2, 2], [-3, 1]],
      relu: false,
      product: { kind: 'deltaproduct', beta: [[9], [25]], k: [[[16, 0]], [[11, 12]]] },
    };
    const witnesses: ClassWitness[] = [{ ...base, a: [[12, 7], [-9, 14]], b: [[1, -3], [4, 2]] }, rotation, householder, product];
    for (const w of witnesses) {
      const id = withIdentity(w, [0], format)!;
      expect(run(id, [0, 0, 0])).toEqual([0, 0]);
      // Symbol 1 is untouched, and 0s anywhere change nothing.
      expect(run(id, [1, 0, 1, 0, 0, 1])).toEqual(run(w, [1, 1, 1]));
    }
    const relu: ProductWitness = { ...product, relu: true, product: { kind: 'relu' } };
    expect(withIdentity(relu, [0], format)).toBeUndefined();
    // fixed<1,4> has no code for 1.0.
    expect(withIdentity(witnesses[0], [0], fixedFormat(1, 4))).toBeUndefined();
  });
});

describe('all-words queries decided on the unary sub-instance', () => {
  const query = { task: parseTask('parity'), modelClass: parseModelClass('lrnn-pos'), dim: 2, format: 'fixed<2,4>', words: 'all' as const, readout: 'linear' as const, timeoutMs: GENEROUS_MS };

  it('lrnn-pos parity, d = 2, fixed<2,4>: sat on all 255 words up to length 7, unsat at 9 (1^0..1^9 is unsat)', async () => {
    const sat = await verifyBounded({ ...query, maxLen: 7 });
    expect(sat.verdict).toBe('sat');
    expect(sat.bounds).toMatchObject({ words: 'all', wordCount: 255, unarySubInstance: true });
    const w = sat.witness as { a: number[][]; b: number[][] };
    expect([w.a[0], w.b[0]]).toEqual([[16, 16], [0, 0]]);
    const unsat = await verifyBounded({ ...query, maxLen: 9 });
    expect(unsat.verdict).toBe('unsat');
    expect(unsat.bounds).toMatchObject({ words: 'all', wordCount: 1023, unarySubInstance: true });
  });

  it('strategy full keeps the one query on every word', async () => {
    const r = await verifyBounded({ ...query, maxLen: 2, strategy: 'full', engine: 'z3' });
    expect(r.bounds.unarySubInstance).toBeUndefined();
    expect(r.bounds.subsetWords).toBe(7);
  });
});
