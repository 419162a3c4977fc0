import { describe, expect, it } from '@jest/globals';
import { DenseLrnn, householderMatrix, rotationMatrix } from '../../../src/precision/dense.js';
import { DiagonalLrnn } from '../../../src/precision/diagonal.js';
import { fixedFormat } from '../../../src/precision/fixed.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import { parseModelClass } from '../../../src/verify/classes.js';
import type { ClassWitness, DenseWitness } from '../../../src/verify/z3/encode.js';
import { isDenseWitness } from '../../../src/verify/z3/encode.js';
import { padWitness } from '../../../src/verify/reduce/pad.js';
import { GENEROUS_MS } from '../budget.js';

const format = fixedFormat(2, 4);
const base = { format: format.name, dim: 2, alphabet: ['0', '1'] };
const run = (w: ClassWitness, word: number[]): readonly number[] => (isDenseWitness(w) ? new DenseLrnn(w) : new DiagonalLrnn(w as never)).run(word);

describe('padWitness', () => {
  it('appends coordinates that stay 0 and are not read, for diagonal, rotation and Householder witnesses', () => {
    const rotation: DenseWitness = { ...base, A: [rotationMatrix([5], [7]), rotationMatrix([-10], [9])], b: [[3, -2], [1, 4]], generators: { kind: 'rotation', p: [[5], [-10]], q: [[7], [9]] } };
    const householder: DenseWitness = { ...base, A: [householderMatrix(format, 9, [16, 0]), householderMatrix(format, 20, [11, 12])], b: [[3, 0], [-5, 2]], generators: { kind: 'householder', beta: [9, 20], k: [[16, 0], [11, 12]] } };
    const diagonal: ClassWitness = { ...base, a: [[12, 7], [-9, 14]], b: [[1, -3], [4, 2]], readout: { w: [3, -4], c: 1 } };
    for (const w of [diagonal, rotation, householder]) {
      const padded = padWitness(w, 4, format)!;
      expect(padded.dim).toBe(4);
      for (const word of [[1, 1, 0], [0, 1, 1, 1, 0, 1]]) expect(run(padded, word)).toEqual([...run(w, word), 0, 0]);
    }
    expect((padWitness(diagonal, 4, format) as { readout: { w: number[] } }).readout.w).toEqual([3, -4, 0, 0]);
    expect(padWitness(rotation, 3, format)).toBeUndefined(); // blocks need an even dim
  });

  it('verify at dim 4 takes a dim-2 enumeration witness (lrnn-pos parity, fixed<2,4>, 1^0..1^8) and replays it', async () => {
    const r = await verifyBounded({ task: parseTask('parity'), modelClass: parseModelClass('lrnn-pos'), dim: 4, format: 'fixed<2,4>', maxLen: 8, words: 'unary', readout: 'linear', timeoutMs: GENEROUS_MS });
    expect(r.verdict).toBe('sat');
    expect(r.bounds).toMatchObject({ dim: 4, paddedFrom: 2, engine: 'enumerate' });
    expect((r.witness as { a: number[][] }).a[1].slice(2)).toEqual([0, 0]);
  });
});
