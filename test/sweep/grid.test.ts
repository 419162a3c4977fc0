import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { expandGrid, parseGrid, readGrid } from '../../src/sweep/grid.js';
import { canonicalJson, cellId } from '../../src/sweep/hash.js';
import { tinyGrid } from './grids.js';
import { inputErrorMessage } from '../input-error.js';

const message = inputErrorMessage;

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

  it('a preset fills the cells between the defaults and the grid: its model, recipe and seeds, per family and task', () => {
    const grid = parseGrid(
      { tasks: ['parity', 's5-swaps'], families: ['lrnn-neg', 'deltanet-neg'], preset: 'cpu', train: { steps: 1000 }, overrides: [{ tasks: ['parity'], train: { weightDecay: 0 } }] },
      'g.json',
    );
    const cells = expandGrid(grid);
    expect(cells).toHaveLength(2 * 2 * 3);
    expect([...new Set(cells.map((c) => c.seed))]).toEqual([1, 2, 3]);
    const at = (task: string, family: string) => cells.find((c) => c.task === task && c.family === family && c.seed === 1)!;
    expect(at('parity', 'lrnn-neg').model).toMatchObject({ width: 32, state: 32, layers: 2, mlp: 128, heads: 1, output: 'last' });
    expect(at('parity', 'deltanet-neg').model.heads).toBe(4);
    expect(at('parity', 'deltanet-neg').train).toEqual({ steps: 1000, batch: 32, lr: 1e-3, weightDecay: 0, warmup: 100, clip: 1, targetAcc: 0.999, evalEvery: 100, lengths: { min: 3, max: 40 } });
    expect(at('s5-swaps', 'deltanet-neg').model.output).toBe('every');
    expect(at('s5-swaps', 'deltanet-neg').train).toMatchObject({ weightDecay: 0.1, lengths: { min: 32, max: 32 } });
    expect(message(() => parseGrid({ tasks: ['parity'], families: ['lstm'] }, 'g.json'))).toBe('g.json: seeds: required unless the grid names a preset');
    expect(message(() => parseGrid({ ...tinyGrid(), preset: 'paper' }, 'g.json'))).toMatch(/^g\.json: preset: /);
  });

  it("the example grids parse: p3-table's smoke grid (63 cells, lrnn-pd included), its cpu-preset grid and its S5 grid (54 cells each)", () => {
    for (const [name, count] of [['grid.json', 63], ['cpu.grid.json', 54], ['s5.grid.json', 54]] as const) {
      const cells = expandGrid(readGrid(fileURLToPath(new URL(`../../examples/p3-table/${name}`, import.meta.url))));
      expect([name, cells.length]).toEqual([name, count]);
    }
    const s5 = expandGrid(readGrid(fileURLToPath(new URL('../../examples/p3-table/s5.grid.json', import.meta.url))));
    expect(new Set(s5.map((c) => `${c.model.layers} ${c.model.output} ${c.train.lengths.min}:${c.train.lengths.max}`))).toEqual(new Set(['1 every 32:32', '2 every 32:32']));
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

  it("a curriculum comes from the preset's arithmetic recipe or the grid, as text or object; null turns it off; cells without one keep their ids", () => {
    const base = { tasks: ['parity', 'modarith'], families: ['deltanet-neg'], preset: 'cpu', seeds: [1] };
    const cells = expandGrid(parseGrid(base, 'g.json'));
    const parityCell = cells.find((c) => c.task === 'parity')!;
    expect(parityCell.train).not.toHaveProperty('curriculum');
    expect(cells.find((c) => c.task === 'modarith')!.train).toMatchObject({ batch: 128, lr: 3e-3, steps: 12_000, curriculum: { start: 7, grow: 4, threshold: 0.9 } });
    // the parity cell is the one a grid without curricula gives (same id as before the curriculum existed)
    expect(cellId(parityCell)).toBe(cellId(expandGrid(parseGrid({ ...base, tasks: ['parity'] }, 'g.json'))[0]));
    const off = expandGrid(parseGrid({ ...base, overrides: [{ tasks: ['modarith'], train: { curriculum: null } }] }, 'g.json'));
    expect(off.find((c) => c.task === 'modarith')!.train).not.toHaveProperty('curriculum');
    const text = expandGrid(parseGrid({ ...base, train: { curriculum: '5:2@0.8' } }, 'g.json'));
    expect(text.map((c) => c.train.curriculum)).toEqual([{ start: 5, grow: 2, threshold: 0.8 }, { start: 5, grow: 2, threshold: 0.8 }]);
    const object = expandGrid(parseGrid({ ...base, train: { curriculum: { start: 5, grow: 2, threshold: 0.8 } } }, 'g.json'));
    expect(object.map(cellId)).toEqual(text.map(cellId));
    expect(message(() => parseGrid({ ...base, train: { curriculum: '5:2' } }, 'g.json'))).toMatch(/^g\.json: train\.curriculum: expected START:GROW@THRESHOLD/);
    expect(message(() => parseGrid({ ...base, train: { curriculum: { start: 5, grow: 0, threshold: 0.8 } } }, 'g.json'))).toMatch(/^g\.json: train\.curriculum/);
    expect(message(() => parseGrid({ ...base, train: { curriculum: '40:2@0.8' } }, 'g.json'))).toMatch(/^g\.json: parity\/deltanet-neg: train\.curriculum 40:2@0\.8: START must lie in \[3, 39\]/);
  });

  it('fills the verdict stage defaults and names a bad field', () => {
    const grid = parseGrid({ ...tinyGrid([1]), verdict: {} }, 'g.json');
    expect(grid.verdict).toEqual({ format: 'fp32', budget: 30 });
    expect(() => parseGrid({ ...tinyGrid([1]), verdict: { budget: -1 } }, 'g.json')).toThrow(/g\.json: verdict\.budget/);
  });
});
