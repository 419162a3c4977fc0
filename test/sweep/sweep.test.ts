// The sweep end to end through the built CLI in child processes (the pool's threads load the built
// worker): byte-identical results at --jobs 1 and 2, a failing cell recorded without stopping the others,
// and a sweep killed with SIGKILL mid-run finishing on rerun with every cell done exactly once.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEvent } from '../../src/sweep/store.js';
import type { CellResult } from '../../src/sweep/types.js';
import { gridFolder, tinyGrid } from './grids.js';
import { runCliProcess, startCli, waitFor } from './processes.js';

const folders: string[] = [];
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Result file name -> bytes. */
function results(dir: string): Map<string, string> {
  const cells = join(dir, 'cells');
  return new Map(
    readdirSync(cells)
      .filter((n) => /^[0-9a-f]{16}\.json$/.test(n))
      .map((n) => [n, readFileSync(join(cells, n), 'utf8')]),
  );
}

function journal(dir: string): JournalEvent[] {
  const file = join(dir, 'journal.ndjson');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as JournalEvent];
      } catch {
        return [];
      }
    });
}

describe('eigenstate sweep', () => {
  it('--jobs 2 writes byte-identical results to --jobs 1; a failing cell is recorded and the others finish', async () => {
    // equality:n=2 has only words of length 5, so its eval stage (lengths 10-20) fails, deterministically.
    const grid = { ...tinyGrid([1]), tasks: ['parity', 'equality:n=2'], overrides: [{ tasks: ['equality:n=2'], train: { lengths: '5' } }] };
    const { dir, file } = gridFolder(grid);
    folders.push(dir);
    const one = await runCliProcess(['sweep', file, '--out', join(dir, 'j1'), '--jobs', '1']);
    const two = await runCliProcess(['sweep', file, '--out', join(dir, 'j2'), '--jobs', '2']);
    expect(one.stderr).toContain('sweep: 4 cells to run');
    expect([one.code, two.code]).toEqual([1, 1]); // not every cell succeeded
    const a = results(join(dir, 'j1'));
    const b = results(join(dir, 'j2'));
    expect(a.size).toBe(4);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, text] of a) expect(b.get(name)).toBe(text);
    const parsed = [...a.values()].map((t) => JSON.parse(t) as CellResult);
    const failed = parsed.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.config.task)).toEqual(['equality:n=2', 'equality:n=2']);
    for (const r of failed) {
      expect(r.error).toEqual({ stage: 'eval', message: expect.stringContaining('outside the requested lengths [10, 14]') });
      expect(r.train?.steps).toBe(4); // the stage before it kept its record
    }
    for (const r of parsed.filter((x) => x.status === 'done')) {
      expect(r.eval?.buckets).toHaveLength(2);
      expect(r.quantize?.formats.map((f) => f.format)).toEqual(['fixed<2,6>']);
      expect(['extracted', 'cap']).toContain(r.extract?.status);
    }
    // A rerun finds everything finished and runs nothing.
    const again = await runCliProcess(['sweep', file, '--out', join(dir, 'j1'), '--jobs', '1', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ cells: 4, skipped: 4, done: 0, failed: 0 });
  }, 120_000);

  it('SIGKILL mid-run, rerun: every cell is done exactly once and every file is whole', async () => {
    const { dir, file } = gridFolder(tinyGrid([1, 2, 3]));
    folders.push(dir);
    const out = join(dir, 'runs');
    const first = startCli(['sweep', file, '--out', out, '--jobs', '1']);
    // Kill once at least one cell is finished and the next one is running.
    await waitFor(
      'a finished cell and a running one',
      () => {
        const events = journal(out);
        return events.some((e) => e.event === 'done') && events.at(-1)?.event === 'start';
      },
      60_000,
    );
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const before = journal(out);
    const doneBefore = new Set(before.filter((e) => e.event === 'done').map((e) => e.id));
    expect(doneBefore.size).toBeGreaterThan(0);
    expect(doneBefore.size).toBeLessThan(6);
    // Every file left behind is a whole result.
    for (const [, text] of results(out)) expect((JSON.parse(text) as CellResult).status).toBe('done');

    const second = await runCliProcess(['sweep', file, '--out', out, '--jobs', '2']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`sweep: ${6 - doneBefore.size} cells to run, ${doneBefore.size} already finished`);
    const after = journal(out).slice(before.length);
    // Finished cells were not started again; every cell was finished exactly once over both runs.
    expect(after.filter((e) => e.event === 'start' && doneBefore.has(e.id))).toEqual([]);
    const done = journal(out).filter((e) => e.event === 'done').map((e) => e.id);
    expect(done).toHaveLength(6);
    expect(new Set(done).size).toBe(6);
    const files = results(out);
    expect(files.size).toBe(6);
    for (const [, text] of files) expect((JSON.parse(text) as CellResult).status).toBe('done');
    expect(readdirSync(join(out, 'cells')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(out, 'sweep.lock'))).toBe(false);
  }, 120_000);

  it('a bad grid is one line naming the field, exit 2', async () => {
    const { dir, file } = gridFolder({ ...tinyGrid(), train: { steps: 'many' } });
    folders.push(dir);
    const r = await runCliProcess(['sweep', file, '--out', join(dir, 'runs')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/grid\.json: train\.steps: .*"many"/)]);
  });
});
