import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { sweepTable, tableMarkdown } from '../../src/report/table.js';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import type { VerdictRecord } from '../../src/sweep/types.js';
import { tinyGrid } from '../sweep/grids.js';
import { madeResult } from './cells.js';

const golden = (name: string) => readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8');

const cells = expandGrid(parseGrid({ ...tinyGrid([1, 2, 3]), tasks: ['parity', 'modarith'] }, 'grid'));

describe('the sweep table', () => {
  it('gives mean, sample std, min..max, best seed and P3-scaled accuracy per task x family (golden)', () => {
    const accuracy: Record<string, number[]> = {
      'parity lrnn-neg': [1, 1, 0.5],
      'parity lrnn-pos': [0.5, 0.52, 0.48],
      'modarith lrnn-neg': [0.9, 0.7, 0.8],
      'modarith lrnn-pos': [0.3, 0.25, 0.2],
    };
    // All-lengths verdicts on parity; modarith lrnn-pos keeps only seed 1 (its spread is n/a, not 0).
    const verdicts: Record<string, VerdictRecord['verdict'][]> = { 'parity lrnn-neg': ['proved', 'proved', 'refuted'], 'parity lrnn-pos': ['unknown', 'unknown', 'unknown'] };
    const results = cells
      .filter((c) => !(c.task === 'modarith' && c.family === 'lrnn-pos' && c.seed > 1))
      .map((c) => {
        const r = madeResult(c, accuracy[`${c.task} ${c.family}`][c.seed - 1]);
        const v = verdicts[`${c.task} ${c.family}`]?.[c.seed - 1];
        return v === undefined ? r : { ...r, verdict: { verdict: v, format: 'fp32', counterexample: null, text: `${v} at fp32` } };
      });
    const table = sweepTable(results);
    expect(table.rows.map((r) => r.verdict)).toEqual([
      { proved: 2, refuted: 1, unknown: 0 },
      { proved: 0, refuted: 0, unknown: 3 },
      { proved: 0, refuted: 0, unknown: 0 },
      { proved: 0, refuted: 0, unknown: 0 },
    ]);
    expect([table.rows[3].seeds, table.rows[3].std]).toEqual([1, null]);
    expect(table.rows.map((r) => `${r.task} ${r.family}`)).toEqual(Object.keys(accuracy));
    const neg = table.rows[0];
    expect(neg.mean).toBeCloseTo(2.5 / 3, 12);
    expect(neg.std).toBeCloseTo(Math.sqrt(((1 / 6) ** 2 * 2 + (1 / 3) ** 2) / 2), 12);
    expect([neg.min, neg.max, neg.bestSeed]).toEqual([0.5, 1, 1]);
    expect(neg.scaledBest).toBe(1); // chance is 1/2 on parity
    // modarith has 6 classes (values 0..4 and invalid), but its sampler draws only the 5 values: chance 1/5.
    expect(table.rows[2].scaledBest).toBeCloseTo((0.9 - 1 / 5) / (4 / 5), 12);
    expect(tableMarkdown(table)).toBe(golden('sweep-table.md').trimEnd());
  });

  it('keeps DeltaNet cells with and without a short convolution in rows of their own (grid sizes)', () => {
    const grid = { ...tinyGrid([1]), tasks: ['parity'], families: ['deltanet-neg'], model: { width: 4, state: 4, layers: 1, heads: 2 }, sizes: [{}, { conv: 4 }] };
    const results = expandGrid(parseGrid(grid, 'grid')).map((c, i) => madeResult(c, [0.6, 0.9][i]));
    expect(sweepTable(results).rows.map((r) => [r.size, r.max])).toEqual([
      ['w4 s4 l1 h2', 0.6],
      ['w4 s4 l1 h2 conv4', 0.9],
    ]);
  });

  it('scores output every by whole-sequence accuracy, chance 0 (P3 Figure 4)', () => {
    const grid = { ...tinyGrid([1, 2]), tasks: ['s5-swaps'], families: ['lrnn-neg'], model: { width: 4, state: 4, layers: 1, output: 'every' } };
    const every = expandGrid(parseGrid(grid, 'grid'));
    const results = every.map((c, i) => {
      const r = madeResult(c, 0.9);
      return { ...r, eval: { ...r.eval!, sequenceAccuracy: [0.25, 0.5][i] } };
    });
    const [row] = sweepTable(results).rows;
    expect([row.mean, row.max, row.bestSeed, row.scaledBest]).toEqual([0.375, 0.5, 2, 0.5]);
  });

  it('laws: min <= mean <= max, std >= 0, the best seed scores the max, whatever the accuracies', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: cells.length, maxLength: cells.length }), (accs) => {
        for (const r of sweepTable(cells.map((c, i) => madeResult(c, accs[i]))).rows) {
          expect(r.min!).toBeLessThanOrEqual(r.mean! + 1e-12);
          expect(r.mean!).toBeLessThanOrEqual(r.max! + 1e-12);
          expect(r.std!).toBeGreaterThanOrEqual(0);
          const best = cells.findIndex((c) => c.task === r.task && c.family === r.family && c.seed === r.bestSeed);
          expect(accs[best]).toBe(r.max);
        }
      }),
      { numRuns: 50 },
    );
  });
});
