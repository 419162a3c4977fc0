import { describe, expect, it } from '@jest/globals';
import { lengthHasWords, nearestUsableLength } from '../../src/models/train/batches.js';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { runCell } from '../../src/sweep/run-cell.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { tinyGrid } from './grids.js';

describe('one cell in process', () => {
  it('modular arithmetic (words at odd lengths only) trains, evaluates and quantizes on the lengths that have words', () => {
    const modarith = parseTask('modarith');
    expect([7, 8, 9].map((t) => lengthHasWords(modarith, t))).toEqual([true, false, true]);
    expect(nearestUsableLength(modarith, 8, { min: 3, max: 40 })).toBe(7);
    expect(() => nearestUsableLength(modarith, 8, { min: 8, max: 8 })).toThrow(/no words at any length in \[8, 8\]/);
    const [cell] = expandGrid(parseGrid({ ...tinyGrid([1]), tasks: ['modarith'], families: ['lrnn-neg'] }, 'grid'));
    const { result, checkpoint } = runCell(cell, { backend: 'cpu' });
    expect(result.error).toBeNull();
    expect(result.status).toBe('done');
    expect(result.quantize!.lengths.every((t) => t % 2 === 1)).toBe(true);
    expect(result.eval!.buckets).toHaveLength(2);
    expect(checkpoint).toContain('"eigenstate/checkpoint"');
  });

  it('the verdict stage gives the checkpoint an all-lengths verdict, with a replayable counterexample when refuted', () => {
    const [cell] = expandGrid(parseGrid({ ...tinyGrid([2]), families: ['lrnn-pos'], verdict: { format: 'fp32', budget: 20 } }, 'grid'));
    const { result } = runCell(cell, { backend: 'cpu' });
    expect(result.error).toBeNull();
    const v = result.verdict!;
    expect(['proved', 'refuted', 'unknown']).toContain(v.verdict);
    expect(v.format).toBe('fp32');
    if (v.verdict === 'refuted') expect(v.counterexample!.length).toBeGreaterThan(0);
    expect(v.text).toMatch(new RegExp(`^${v.verdict} at fp32`));
  });

  it('the same cell twice gives the same result (training, eval, quantize and extract are seeded)', () => {
    const [cell] = expandGrid(parseGrid(tinyGrid([3]), 'grid'));
    expect(JSON.stringify(runCell(cell, { backend: 'cpu' }).result)).toBe(JSON.stringify(runCell(cell, { backend: 'cpu' }).result));
  });
});
