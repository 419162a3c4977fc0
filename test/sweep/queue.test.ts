// The queue end to end: a real redis-server (Debian's package; .ci/run installs it) started here on
// 127.0.0.1 at a free port, `sweep --queue` and two `worker`s of the built CLI; one worker is killed with
// SIGKILL in the middle of a cell, BullMQ's stalled-job check hands that cell to the other, and every cell
// is completed exactly once. Skipped, visibly, where redis-server is not installed.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEvent } from '../../src/sweep/store.js';
import type { CellResult } from '../../src/sweep/types.js';
import { gridFolder, tinyGrid } from './grids.js';
import { type Child, freePort, hasRedis, startCli, startRedis, waitFor } from './processes.js';

const children: Child[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  folders.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

(hasRedis ? describe : describe.skip)(`sweep --queue with two workers on a real redis-server${hasRedis ? '' : ' (skipped: redis-server not installed)'}`, () => {
  it('a worker SIGKILLed mid-cell loses nothing: its cell goes to the other worker, every cell completes once', async () => {
    const { dir, file } = gridFolder(tinyGrid([1, 2, 3]), 'eigenstate-queue-');
    folders.push(dir);
    const { redis, url } = await startRedis(dir);
    children.push(redis);
    const out = join(dir, 'runs');
    // The doomed worker is ready before any cell is queued, so it surely takes one; the other joins at once.
    const doomed = startCli(['worker', '--queue', url, '--jobs', '1', '--lock-ms', '2000']);
    children.push(doomed);
    await waitFor('worker A ready', () => doomed.err().includes('ready'), 30_000);
    const sweep = startCli(['sweep', file, '--out', out, '--queue', url]);
    children.push(sweep);
    const survivor = startCli(['worker', '--queue', url, '--jobs', '1', '--lock-ms', '2000']);
    children.push(survivor);
    await waitFor('worker A to start a cell', () => /start [0-9a-f]{16}/.test(doomed.err()), 60_000);
    const victim = /start ([0-9a-f]{16})/.exec(doomed.err())![1];
    doomed.proc.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    expect(await sweep.exited).toBe(0);
    survivor.proc.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);

    // The victim's cell never finished on A, and was run to the end by B.
    expect(doomed.err()).not.toContain(`done ${victim}`);
    expect(survivor.err()).toContain(`start ${victim}`);
    expect(survivor.err()).toContain(`done ${victim}`);
    // Every cell completed exactly once: one "done" per cell in the worker logs and in the sweep's journal.
    const finishedByWorkers = [...(doomed.err() + survivor.err()).matchAll(/done ([0-9a-f]{16})/g)].map((m) => m[1]);
    expect(finishedByWorkers).toHaveLength(6);
    expect(new Set(finishedByWorkers).size).toBe(6);
    const events = readFileSync(join(out, 'journal.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalEvent);
    const done = events.filter((e) => e.event === 'done').map((e) => e.id);
    // The sweep saw every start, the victim's twice (once on each worker).
    const starts = events.filter((e) => e.event === 'start').map((e) => e.id);
    expect(starts.filter((id) => id === victim)).toHaveLength(2);
    expect(new Set(starts).size).toBe(6);
    expect(done.sort()).toEqual([...finishedByWorkers].sort());
    const files = readdirSync(join(out, 'cells')).filter((n) => /^[0-9a-f]{16}\.json$/.test(n));
    expect(files.sort()).toEqual(done.map((id) => `${id}.json`).sort());
    for (const f of files) expect((JSON.parse(readFileSync(join(out, 'cells', f), 'utf8')) as CellResult).status).toBe('done');
  }, 150_000);

  it('worker --exit-when-drained waits on a fresh empty queue, exits 0 on its own after its cells, and at once on a finished queue', async () => {
    const { dir, file } = gridFolder(tinyGrid([1]), 'eigenstate-queue-');
    folders.push(dir);
    const { redis, url } = await startRedis(dir);
    children.push(redis);
    const args = ['worker', '--queue', url, '--jobs', '1', '--exit-when-drained'];
    // A fresh empty queue: the sweep may still be queuing its cells, so the worker stays.
    const early = startCli(args);
    children.push(early);
    await waitFor('the early worker ready', () => early.err().includes('ready'), 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(early.proc.exitCode).toBeNull();
    const sweep = startCli(['sweep', file, '--out', join(dir, 'runs'), '--queue', url]);
    children.push(sweep);
    expect(await sweep.exited).toBe(0);
    // Its cells done, the early worker stops by itself once the queue is empty.
    await waitFor('the early worker to exit', () => early.proc.exitCode !== null || early.proc.signalCode !== null, 10_000);
    expect(await early.exited).toBe(0);
    expect(early.err().match(/done [0-9a-f]{16}/g)).toHaveLength(2);
    // A worker started on the finished queue has nothing to wait for: it exits 0 within seconds, running nothing.
    const late = startCli(args);
    children.push(late);
    await waitFor('the late worker to exit', () => late.proc.exitCode !== null || late.proc.signalCode !== null, 15_000);
    expect(await late.exited).toBe(0);
    expect(late.err()).toContain('ready');
    expect(late.err()).not.toMatch(/start [0-9a-f]{16}/);
  }, 120_000);
});

describe('sweep and worker --queue, bad or unreachable Redis', () => {
  it('is one line naming --queue, exit 2, at once (no endless reconnecting)', async () => {
    const port = await freePort(); // nothing listens there
    const { dir, file } = gridFolder(tinyGrid([1]), 'eigenstate-queue-');
    folders.push(dir);
    for (const args of [
      ['sweep', file, '--out', join(dir, 'runs'), '--queue', `redis://127.0.0.1:${port}`],
      ['worker', '--queue', `redis://127.0.0.1:${port}`, '--jobs', '1'],
      ['sweep', file, '--out', join(dir, 'runs'), '--queue', 'http://127.0.0.1'],
    ]) {
      const c = startCli(args);
      children.push(c);
      expect(await c.exited).toBe(2);
      expect(c.err().split('\n').filter((l) => l.startsWith('eigenstate:'))).toEqual([expect.stringMatching(/^eigenstate: --queue[ :]/)]);
    }
  }, 60_000);
});
