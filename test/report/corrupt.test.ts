// Corrupt result files in a sweep folder: `report` names each one in one line (file and what is wrong),
// leaves it out, still reports the readable cells, and exits 2 (bad input); a folder where no result
// can be read is one error line and exit 2, never "0 cells" and exit 0.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { resultText, ResultStore } from '../../src/sweep/store.js';
import { runCli } from '../cli/run-cli.js';
import { tinyGrid } from '../sweep/grids.js';
import { madeResult } from './cells.js';

const folders: string[] = [];
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A results folder with the given good cells and corrupt files (name -> text). */
function folder(good: number, corrupt: Record<string, string>): { dir: string; store: ResultStore } {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-report-corrupt-'));
  folders.push(dir);
  const store = new ResultStore(dir);
  store.prepare();
  for (const cell of expandGrid(parseGrid(tinyGrid([1, 2]), 'grid')).slice(0, good)) store.write({ result: madeResult(cell, 0.75), checkpoint: null, seconds: {} }, false);
  for (const [name, text] of Object.entries(corrupt)) writeFileSync(join(store.cellsDir, name), text);
  return { dir, store };
}

const [cell] = expandGrid(parseGrid(tinyGrid([1]), 'grid'));
const good = madeResult(cell, 0.5);
const corruptFiles = {
  '00000000000000a1.json': '{"format": "eigenstate/sweep-cell", "vers', // cut short by a full disk
  '00000000000000a2.json': JSON.stringify({ ...good, id: '00000000000000a2', format: 'something-else' }),
  '00000000000000a3.json': JSON.stringify({ ...good, id: '00000000000000a3', config: { ...good.config, task: 7 } }),
  '00000000000000a4.json': resultText({ ...good, id: '00000000000000a5' }),
};

describe('report DIR with corrupt cells/*.json', () => {
  it('names each corrupt file in one line, reports the 2 readable cells, exits 2', async () => {
    const { dir, store } = folder(2, corruptFiles);
    const r = await runCli('report', dir, '--markdown');
    expect(r.code).toBe(2);
    const f = (n: string) => join(store.cellsDir, n);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^report: ${f('00000000000000a1.json')}: not JSON \\(.+\\) \\(left out\\)$`)),
      `report: ${f('00000000000000a2.json')}: format: "something-else" (expected 'eigenstate/sweep-cell') (left out)`,
      `report: ${f('00000000000000a3.json')}: config.task: 7 (expected a string) (left out)`,
      `report: ${f('00000000000000a4.json')}: id: "00000000000000a5" (expected '00000000000000a4', the file's name) (left out)`,
    ]);
    // The two good cells (seeds 1 and 2 of lrnn-neg) are still in the table.
    expect(r.stdout).toContain('| parity | lrnn-neg | w4 s4 l1 | 2/2 |');
  });

  it('says so in the HTML page too, and --json still prints the readable cells', async () => {
    const { dir } = folder(1, { '00000000000000b1.json': 'not json at all' });
    const page = join(dir, 'report.html');
    const r = await runCli('report', dir, '--out', page);
    expect(r.code).toBe(2);
    expect(readFileSync(page, 'utf8')).toContain('1 result file could not be read and is left out of this page');
    const j = await runCli('report', dir, '--json');
    expect(j.code).toBe(2);
    expect((JSON.parse(j.stdout) as { cells: number }).cells).toBe(1);
  });

  it('a folder where nothing can be read: the files named, then one error line, exit 2, no page', async () => {
    const { dir, store } = folder(0, { '00000000000000c1.json': '' });
    const page = join(dir, 'report.html');
    const r = await runCli('report', dir, '--out', page);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^report: ${join(store.cellsDir, '00000000000000c1.json')}: not JSON \\(.+\\) \\(left out\\)$`)),
      `eigenstate: ${dir}: none of its 1 result file could be read (each named above)`,
    ]);
    expect(existsSync(page)).toBe(false);
  });

  it('a clean folder is unchanged: exit 0, nothing on stderr', async () => {
    const { dir } = folder(2, {});
    const r = await runCli('report', dir, '--markdown');
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});
