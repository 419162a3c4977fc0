import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultStore } from '../../src/sweep/store.js';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { cellId } from '../../src/sweep/hash.js';
import { planSweep } from '../../src/sweep/sweep.js';
import { madeResult } from '../report/cells.js';
import { tinyGrid } from './grids.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the results store', () => {
  it('removes temporary files a killed run left, and treats an unreadable result as unfinished', () => {
    dir = mkdtempSync(join(tmpdir(), 'eigenstate-store-'));
    const store = new ResultStore(join(dir, 'runs'));
    store.prepare();
    writeFileSync(join(store.cellsDir, '.0123456789abcdef.json.999.1.tmp'), '{"half');
    writeFileSync(store.resultFile('0123456789abcdef'), '{"half');
    store.prepare();
    expect(readdirSync(store.cellsDir)).toEqual(['0123456789abcdef.json']);
    expect(store.read('0123456789abcdef')).toBeNull();
    const [cell] = expandGrid(parseGrid(tinyGrid([1]), 'grid'));
    const outcome = { result: madeResult(cell, 0.75), checkpoint: null, seconds: {} };
    store.write(outcome, false);
    expect(store.read(outcome.result.id)).toEqual(outcome.result);
    expect(() => store.write(outcome, false)).toThrow(/file exists/);
  });

  it('a corrupt result of a grid cell: the plan names it and runs the cell again, replacing the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'eigenstate-store-'));
    const store = new ResultStore(dir);
    store.prepare();
    const grid = parseGrid(tinyGrid([1]), 'grid');
    const [bad, good] = expandGrid(grid);
    const badId = cellId(bad);
    writeFileSync(store.resultFile(badId), '{"format": "eigen');
    store.write({ result: madeResult(good, 0.5), checkpoint: null, seconds: {} }, false);
    const plan = planSweep(grid, store, false);
    expect(plan.todo.map((c) => c.id)).toEqual([badId]);
    expect(plan.redo).toEqual(new Set([badId]));
    expect(plan.corrupt).toEqual([{ file: store.resultFile(badId), problem: expect.stringMatching(/^not JSON \(/) }]);
    // Redone, its result replaces the corrupt file (before: 'file exists', and the sweep stopped).
    store.write({ result: madeResult(bad, 0.75), checkpoint: null, seconds: {} }, plan.redo.has(badId));
    expect(store.read(badId)?.eval?.accuracy).toBe(0.75);
  });

  it('one writer at a time: a live sweep\'s lock is refused, a dead one\'s is taken over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'eigenstate-store-'));
    const store = new ResultStore(dir);
    store.prepare();
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'sweep.lock'), `${sleeper.pid}\n`);
      expect(() => store.lock()).toThrow(new RegExp(`another sweep \\(pid ${sleeper.pid}\\)`));
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.on('exit', r));
    }
    const release = store.lock();
    expect(existsSync(join(dir, 'sweep.lock'))).toBe(true);
    release();
    expect(existsSync(join(dir, 'sweep.lock'))).toBe(false);
  });
});
