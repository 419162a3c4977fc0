// A results folder that holds the cells of two grids (a second grid swept into the same --out): the report
// shows every cell by default, and with --grid only that grid's cells, in its order, named by it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweep } from '../../src/report/load.js';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { ResultStore } from '../../src/sweep/store.js';
import { runCli } from '../cli/run-cli.js';
import { tinyGrid } from '../sweep/grids.js';
import { madeResult } from './cells.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-report-grids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gridA = { ...tinyGrid([1, 2]), name: 'grid A' };
const gridB = { ...tinyGrid([1]), tasks: ['modarith'], name: 'grid B' };
const fileA = join(dir, 'a.json');
const fileB = join(dir, 'b.json');
const fileC = join(dir, 'c.json');
writeFileSync(fileA, JSON.stringify(gridA));
writeFileSync(fileB, JSON.stringify(gridB));
// Grid C has one cell of A (parity, lrnn-neg, seed 1) and one cell that was never run (seed 9).
writeFileSync(fileC, JSON.stringify({ ...tinyGrid([1, 9]), families: ['lrnn-neg'], name: 'grid C' }));
const store = new ResultStore(dir);
store.prepare();
for (const grid of [gridA, gridB])
  for (const cell of expandGrid(parseGrid(grid, 'grid'))) store.write({ result: madeResult(cell, 0.75), checkpoint: null, seconds: {} }, false);
// As the sweep leaves it: the latest run's grid, B, though A's cells are in the folder too.
writeFileSync(join(dir, 'grid.json'), JSON.stringify(gridB));

type Rows = { rows: { task: string; family: string; seeds: number }[] };
const rowsOf = (stdout: string) => (JSON.parse(stdout) as Rows).rows.map((r) => `${r.task} ${r.family} ${r.seeds}`);

describe('eigenstate report --grid', () => {
  it('without --grid shows every cell in DIR, of both grids', async () => {
    const r = await runCli('report', dir, '--json');
    expect(r.code).toBe(0);
    expect(rowsOf(r.stdout).sort()).toEqual(['modarith lrnn-neg 1', 'modarith lrnn-pos 1', 'parity lrnn-neg 2', 'parity lrnn-pos 2']);
  });

  it("with --grid shows only that grid's cells, in its order, under its name", async () => {
    const a = await runCli('report', dir, '--json', '--grid', fileA);
    expect(a.code).toBe(0);
    expect(rowsOf(a.stdout)).toEqual(['parity lrnn-neg 2', 'parity lrnn-pos 2']);
    expect(a.stderr).toBe('');
    const b = await runCli('report', dir, '--markdown', '--grid', fileB);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('modarith');
    expect(b.stdout).not.toContain('parity');
    const data = loadSweep(dir, fileA);
    expect(data.name).toBe('grid A');
    expect(data.results).toHaveLength(4);
    expect(data.missing).toBe(0);
  });

  it('says on stderr how many cells of the grid have no result yet, and refuses a grid with none', async () => {
    const c = await runCli('report', dir, '--json', '--grid', fileC);
    expect(c.code).toBe(0);
    expect(rowsOf(c.stdout)).toEqual(['parity lrnn-neg 1']);
    expect(c.stderr).toBe(`report: 1 cell of ${fileC} without a result in ${dir} yet\n`);
    const none = join(dir, 'none.json');
    writeFileSync(none, JSON.stringify({ ...tinyGrid([5]), name: 'none' }));
    const n = await runCli('report', dir, '--json', '--grid', none);
    expect(n.code).toBe(2);
    expect(n.stderr).toBe(`eigenstate: ${dir}: no result of any of the 2 cells of ${none}\n`);
    const bad = await runCli('report', dir, '--json', '--grid', join(dir, 'missing.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
