import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { canonicalJson, cellId } from '../../src/sweep/hash.js';
import { tinyGrid } from './grids.js';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('grid files', () => {
  it('names the field at fault in one line', () => {
    expect(message(() => parseGrid({ ...tinyGrid(), train: { steps: -1 } }, 'g.json'))).toMatch(/^g\.json: train\.steps: .*\(got -1\)$/);
    expect(message(() => parseGrid({ ...tinyGrid(), families: ['lrnn-neg', 'mamba'] }, 'g.json'))).toMatch(/^g\.json: families\[1\]: /);
    expect(message(() => parseGrid({ ...tinyGrid(), tasks: ['parity', 'nosuch'] }, 'g.json'))).toMatch(/^g\.json: tasks\[1\]: .*nosuch/);
    expect(message(() => parseGrid({ ...tinyGrid(), quantize: { formats: ['fixed<2'] } }, 'g.json'))).toMatch(/^g\.json: quantize\.formats\[0\]: /);
    expect(message(() => parseGrid({ ...tinyGrid(), eval: { lengths: '9:3' } }, 'g.json'))).toMatch(/^g\.json: eval\.lengths: MIN is above MAX/);
    expect(message(() => parseGrid({ ...tinyGrid(), extra: 1 }, 'g.json'))).toMatch(/^g\.json: \(top level\): /);
    expect(message(() => parseGrid({ ...tinyGrid(), seeds: [1, 1] }, 'g.json'))).toMatch(/^g\.json: seeds: /);
  });

  it('expands tasks x families x sizes x seeds in grid order, with overrides applied by family and task', () => {
    const grid = parseGrid(
      {
        ...tinyGrid([1, 2]),
        tasks: ['parity', 'mod:m=3'],
        sizes: [{ width: 4 }, { width: 8, state: 8 }],
        overrides: [{ families: ['lrnn-pos'], tasks: ['mod:m=3'], train: { lr: 0.05 } }],
      },
      'g.json',
    );
    const cells = expandGrid(grid);
    expect(cells).toHaveLength(2 * 2 * 2 * 2);
    expect(cells.map((c) => `${c.task} ${c.family} ${c.model.width} ${c.seed}`).slice(0, 5)).toEqual([
      'parity lrnn-neg 4 1',
      'parity lrnn-neg 4 2',
      'parity lrnn-neg 8 1',
      'parity lrnn-neg 8 2',
      'parity lrnn-pos 4 1',
    ]);
    const lrs = cells.map((c) => `${c.task} ${c.family} ${c.train.lr}`);
    expect(lrs.filter((s) => s.endsWith(' 0.05'))).toEqual(Array(4).fill('mod:m=3 lrnn-pos 0.05'));
    expect(new Set(cells.map(cellId)).size).toBe(cells.length);
  });

  it('cell ids depend on the configuration, not on key order; any change gives a new id', () => {
    const [cell] = expandGrid(parseGrid(tinyGrid([7]), 'g.json'));
    fc.assert(
      fc.property(fc.shuffledSubarray(Object.keys(cell), { minLength: Object.keys(cell).length }), (keys) => {
        const shuffled = Object.fromEntries(keys.map((k) => [k, cell[k as keyof typeof cell]])) as unknown as typeof cell;
        expect(cellId(shuffled)).toBe(cellId(cell));
      }),
      { numRuns: 30 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 10_000 }), (seed) => {
        expect(cellId({ ...cell, seed })).not.toBe(cellId(cell));
      }),
      { numRuns: 30 },
    );
    expect(() => canonicalJson({ x: NaN })).toThrow();
  });

  it('fills the verdict stage defaults and names a bad field', () => {
    const grid = parseGrid({ ...tinyGrid([1]), verdict: {} }, 'g.json');
    expect(grid.verdict).toEqual({ format: 'fp32', budget: 30 });
    expect(() => parseGrid({ ...tinyGrid([1]), verdict: { budget: -1 } }, 'g.json')).toThrow(/g\.json: verdict\.budget/);
  });
});
