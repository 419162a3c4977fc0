// Redis dying under a queued sweep, with a real redis-server started here (Debian's package; .ci/run
// installs it). End to end: the worker is frozen (SIGSTOP) in the middle of its first cell, so that cell
// is surely running when Redis is SIGKILLed; Redis is restarted empty on the same port only after the
// sweep has said it lost the connection; the sweep must find its jobs gone, queue them again and finish,
// with a few one-line notes instead of stack dumps. In process: a job lost more often than the bound fails
// its cell, and a Redis that never comes back fails the cells after the patience and closes without
// hanging. Nothing here is decided by a race against the clock: every wait is for an event or a state,
// polled with a generous cap. Skipped, visibly, where redis-server is not installed.
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { cellId } from '../../src/sweep/hash.js';
import { jobId, QUEUE_NAME, QueueRunner } from '../../src/sweep/queue.js';
import type { JournalEvent } from '../../src/sweep/store.js';
import type { CellResult } from '../../src/sweep/types.js';
import { gridFolder, tinyGrid } from './grids.js';
import { type Child, hasRedis, startCli, startRedis, waitFor, waitForAsync } from './processes.js';

const children: Child[] = [];
const folders: string[] = [];
const clients: Redis[] = [];
const runners: QueueRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
  for (const c of children) {
    if (c.proc.signalCode === 'SIGSTOP') c.proc.kill('SIGCONT');
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  }
  await Promise.all(children.map((c) => c.exited));
  clients.forEach((c) => c.disconnect());
  folders.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const alive = (c: Child) => c.proc.exitCode === null && c.proc.signalCode === null;

/** Kills a redis-server and waits for it to be gone. */
async function killRedis(redis: Child): Promise<void> {
  redis.proc.kill('SIGKILL');
  await redis.exited;
}

(hasRedis ? describe : describe.skip)(`a queued sweep whose Redis dies${hasRedis ? '' : ' (skipped: redis-server not installed)'}`, () => {
  it('Redis SIGKILLed mid-cell and restarted empty: the sweep queues its lost cells again, finishes with every cell done, in one-line notes', async () => {
    const { dir, file } = gridFolder(tinyGrid([1, 2, 3]), 'eigenstate-queue-lost-');
    folders.push(dir);
    const first = await startRedis(dir);
    children.push(first.redis);
    const out = join(dir, 'runs');
    const worker = startCli(['worker', '--queue', first.url, '--jobs', '1']);
    children.push(worker);
    await waitFor('the worker ready', () => worker.err().includes('ready'), 60_000);
    const sweep = startCli(['sweep', file, '--out', out, '--queue', first.url]);
    children.push(sweep);
    await waitFor('the worker to start a cell', () => /start [0-9a-f]{16}/.test(worker.err()), 60_000);
    // Frozen, the worker cannot finish the cell: it is running, as far as Redis knows, when Redis dies.
    worker.proc.kill('SIGSTOP');
    const victim = /start ([0-9a-f]{16})/.exec(worker.err())![1];
    await killRedis(first.redis);
    await waitFor('the sweep to notice', () => sweep.err().includes('connection lost'), 60_000);
    const second = await startRedis(dir, first.port);
    children.push(second.redis);
    worker.proc.kill('SIGCONT');

    expect(await sweep.exited).toBe(0);
    const err = sweep.err();
    // Notes, not dumps: no stack frame, no error object printed, every line about Redis is one line.
    expect(err).not.toMatch(/^\s+at /m);
    expect(err).not.toMatch(/errno|syscall|^Error/m);
    const notes = err.split('\n').filter((l) => l.includes('Redis at'));
    // The first error, at most a few other kinds of error, and the line saying it is back (before: 16 dumps).
    expect(notes.length).toBeGreaterThanOrEqual(2);
    expect(notes.length).toBeLessThanOrEqual(6);
    expect(notes.every((l) => l.startsWith(`sweep: Redis at ${first.url}: `))).toBe(true);
    expect(notes.at(-1)).toMatch(/connected again after [0-9.]+ s/);
    // Redis came back empty: the running cell and the waiting ones were all lost and queued again, once each.
    const requeued = [...err.matchAll(/cell ([0-9a-f]{16}) is no longer on the queue .*queued again \(1 of at most 3\)/g)].map((m) => m[1]);
    expect(requeued).toContain(victim);
    expect(new Set(requeued).size).toBe(requeued.length);
    expect(err).toMatch(/6\/6 done/);
    expect(sweep.out()).toContain('6 cells: 0 already finished, 6 done now, 0 failed now');

    // Each cell written once, done, with its result file.
    const events = readFileSync(join(out, 'journal.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalEvent);
    const done = events.filter((e) => e.event === 'done').map((e) => e.id);
    expect(done).toHaveLength(6);
    expect(new Set(done).size).toBe(6);
    expect(events.filter((e) => e.event === 'failed')).toEqual([]);
    const files = readdirSync(join(out, 'cells')).filter((n) => /^[0-9a-f]{16}\.json$/.test(n));
    expect(files.sort()).toEqual(done.map((id) => `${id}.json`).sort());
    for (const f of files) expect((JSON.parse(readFileSync(join(out, 'cells', f), 'utf8')) as CellResult).status).toBe('done');

    // The worker went on after Redis came back and ran the victim's cell again to the end.
    expect(alive(worker)).toBe(true);
    expect(worker.err().match(new RegExp(`start ${victim}`, 'g'))).toHaveLength(2);
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.err()).not.toMatch(/^\s+at /m);
    await killRedis(second.redis);
  }, 240_000);

  const [cell] = expandGrid(parseGrid(tinyGrid([1]), 'grid'));
  const key = jobId(cellId(cell));

  /** A real redis-server in a fresh folder, a client to tamper with it, and a runner on it that logs to `lines`. */
  async function queueOnFreshRedis(limits: { maxRequeues?: number; patienceMs?: number }) {
    const { dir } = gridFolder({}, 'eigenstate-queue-lost-');
    folders.push(dir);
    const { redis, url, port } = await startRedis(dir);
    children.push(redis);
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    clients.push(client);
    const lines: string[] = [];
    const runner = await QueueRunner.connect(url, false, { checkMs: 100, ...limits, log: (l) => lines.push(l) });
    runners.push(runner);
    return { redis, url, client, lines, runner };
  }

  it('a job lost more often than the bound fails its cell (no worker; Redis flushed each time the job is back)', async () => {
    const { redis, client, lines, runner } = await queueOnFreshRedis({ maxRequeues: 3 });
    let settled: Error | 'resolved' | null = null;
    const outcome = runner.run(cell, cellId(cell), () => undefined).then(
      () => (settled = 'resolved'),
      (error: Error) => (settled = error),
    );
    for (let lost = 1; lost <= 4; lost++) {
      await waitForAsync(`the job on the queue (time ${lost})`, async () => (await client.exists(`bull:${QUEUE_NAME}:${key}`)) === 1, 30_000);
      await client.flushall();
      if (lost < 4) await waitFor(`requeue ${lost}`, () => lines.some((l) => l.includes(`queued again (${lost} of at most 3)`)), 30_000);
    }
    await outcome;
    expect(settled).toBeInstanceOf(Error);
    expect((settled as unknown as Error).message).toBe('the queue lost the job 4 times (Redis restarted empty or was flushed); gave up');
    expect(lines.filter((l) => l.includes('queued again'))).toHaveLength(3);
    await runner.close();
    client.disconnect();
    await killRedis(redis);
  }, 90_000);

  it('a Redis that never comes back fails the awaited cells after the patience, in one line, and close() returns', async () => {
    const { redis, url, client, lines, runner } = await queueOnFreshRedis({ patienceMs: 1000 });
    const outcome = runner.run(cell, cellId(cell), () => undefined).then(
      () => null,
      (error: Error) => error,
    );
    await waitForAsync('the job on the queue', async () => (await client.exists(`bull:${QUEUE_NAME}:${key}`)) === 1, 30_000);
    client.disconnect();
    await killRedis(redis);
    const error = await outcome;
    expect(error?.message).toMatch(new RegExp(`^Redis at ${url} unreachable for [0-9]+ s: gave up waiting`));
    expect(lines[0]).toMatch(new RegExp(`^Redis at ${url}: .*\\(connection lost; retrying\\)$`));
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    await runner.close();
  }, 90_000);
});
