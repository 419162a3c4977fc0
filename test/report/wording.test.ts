// What the report says, item by item: n/a for the spread of one seed, the verdict said once, '1 state',
// identical lines drawn as one named by both, a flat accuracy plot with a real axis, and the errors of a
// sweep's cells in the grid's terms (train.lr, not --lr).
import { describe, expect, it } from '@jest/globals';
import { AUTOMATON_FORMAT, AUTOMATON_VERSION } from '../../src/automata/json.js';
import { lineChartSvg } from '../../src/plot.js';
import { mergeIdentical, reportHtml, verdictLine } from '../../src/report/html.js';
import { stdText, sweepTable } from '../../src/report/table.js';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { inGridTerms } from '../../src/sweep/grid-hints.js';
import type { CellResult } from '../../src/sweep/types.js';
import { tinyGrid } from '../sweep/grids.js';
import { madeResult } from './cells.js';

const [neg1, neg2, pos1] = expandGrid(parseGrid(tinyGrid([1, 2]), 'grid'));

/** The tick labels of an SVG chart's axes (Vega writes each as a <text> element holding a number). */
const numbers = (svg: string) => [...svg.matchAll(/<text[^>]*>(-?[0-9.]+)<\/text>/g)].map((m) => m[1]);

describe('the report says', () => {
  it("'n/a' for the spread of one seed, a figure for two", () => {
    const [two, one] = sweepTable([madeResult(neg1, 0.5), madeResult(neg2, 0.7), madeResult(pos1, 0.6)]).rows;
    expect([one.seeds, one.std, stdText(one)]).toEqual([1, null, 'n/a']);
    expect(stdText(two)).toBe('0.141');
  });

  it('the verdict once', () => {
    expect(verdictLine('refuted', 'refuted at fp32: wrong on 0101 (length 4): model 1, task 0')).toBe('refuted at fp32: wrong on 0101 (length 4): model 1, task 0');
    expect(verdictLine('unknown', 'not asked: the task is not regular')).toBe('unknown: not asked: the task is not regular');
  });

  it("'1 state' of a one-state automaton, the verdict once in the cells table, and a verdict column in the main table", async () => {
    const one: CellResult = {
      ...madeResult(neg1, 0.5),
      extract: {
        format: 'fixed<2,4>',
        status: 'extracted',
        states: 1,
        explored: 1,
        equal: false,
        text: '1 state (1 explored)',
        automaton: { format: AUTOMATON_FORMAT, version: AUTOMATON_VERSION, alphabet: ['0', '1'], classes: ['reject', 'accept'], initial: 0, states: [{ class: 'reject', next: [0, 0] }] },
      },
      verdict: { verdict: 'refuted', format: 'fp32', counterexample: null, text: 'refuted at fp32: wrong on 1' },
    };
    const results = [one];
    const html = await reportHtml({ dir: 'd', name: 'n', results, seconds: new Map(), corrupt: [] }, sweepTable(results));
    expect(html).toContain(': 1 state at fixed&lt;2,4&gt;</summary>');
    expect(html).not.toMatch(/\b1 states\b/);
    expect(html).toContain('>refuted at fp32: wrong on 1</td>');
    expect(html).not.toContain('refuted: refuted');
    expect(html).toContain('all lengths: proved / refuted / unknown');
    expect(html).toContain('>0 / 1 / 0</td>');
  });

  it('identical lines as one line named by both, others apart', () => {
    const flat = [[10, 0.5], [20, 0.5]] as const;
    const merged = mergeIdentical([
      { name: 'lrnn-neg', points: flat },
      { name: 'lrnn-pos', points: [[10, 0.5], [20, 0.5]] },
      { name: 'rnn-tanh', points: [[10, 1], [20, 0.5]] },
    ]);
    expect(merged.map((s) => s.name)).toEqual(['lrnn-neg = lrnn-pos', 'rnn-tanh']);
  });

  it('a flat line gets an axis with several ticks, none printed to 6 digits', async () => {
    const chart = { title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[10, 0.5625], [20, 0.5625]] as [number, number][] }] };
    for (const c of [chart, { ...chart, yDomain: [0, 1] as const }]) {
      const ticks = numbers(await lineChartSvg(c));
      expect(ticks).not.toContain('0.562500');
      expect(ticks.every((t) => t.replace(/^-?\d*\.?/, '').length <= 3)).toBe(true);
      expect(new Set(ticks).size).toBeGreaterThanOrEqual(4); // x ticks and at least two y ticks
    }
  });

  it("a cell's error in the grid's terms: fields, not flags (flags with no grid field kept)", () => {
    expect(inGridTerms('training: non-finite loss or gradient (NaN) at step 3; kept the last good checkpoint (step 2); lower --lr or --clip and retrain', 'train')).toBe(
      'training: non-finite loss or gradient (NaN) at step 3; kept the last good checkpoint (step 2); lower train.lr or train.clip and retrain',
    );
    expect(inGridTerms('activations 3 GiB (--micro-batch/--batch 64 x length 40 x --layers 2); lower --width, --state, --mlp or --max-len', 'train')).toBe(
      'activations 3 GiB (train.batch 64 x length 40 x model.layers 2); lower model.width, model.state, model.mlp or model.maxLen',
    );
    expect(inGridTerms('bad --format here, --min-len 3', 'extract')).toBe('bad extract.format here, --min-len 3');
  });
});
