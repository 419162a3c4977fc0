// Cells across machines on a BullMQ queue in Redis. The sweep adds one job per unfinished cell (job id
// = "cell-" + the cell's hash, so adding it again is a no-op and a cell is never queued twice) and waits
// for each; `eigenstate worker` processes jobs with the same local pool as `sweep --jobs`, so its event
// loop stays free to renew job locks. A worker killed mid-cell stops renewing its lock, and BullMQ's
// stalled-job check (run by every other worker) puts the job back in the queue for another worker.
// Results come back through Redis (the job's return value: the result, the checkpoint, the times) and
// the sweep writes the files, so workers need no shared folder. Completed jobs are kept, so a sweep that
// died meanwhile collects them when rerun.
import { hostname } from 'node:os';
import { type ConnectionOptions, type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError } from '../errors.js';
import { LocalPool } from './pool.js';
import type { CellRunner } from './runner.js';
import type { CellConfig, CellOutcome } from './types.js';

/** The BullMQ queue every sweep and worker use (one Redis database per experiment if they must be apart). */
export const QUEUE_NAME = 'eigenstate-cells';

/** Lock settings of a worker: a killed worker's cell is taken again about lockMs after it died. */
export interface LockOptions {
  /** How long a job's lock lasts without renewal (BullMQ lockDuration). */
  lockMs: number;
  /** How often the stalled-job check runs (BullMQ stalledInterval). */
  stalledMs: number;
}

/** BullMQ's defaults (30 s). */
export const DEFAULT_LOCK: LockOptions = { lockMs: 30_000, stalledMs: 30_000 };

/** Parses redis://[:password@]host[:port][/db]; InputError naming --queue otherwise. */
export function parseRedisUrl(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--queue: '${url}' is not a URL (expected redis://HOST:PORT)`);
  }
  if (u.protocol !== 'redis:') throw new InputError(`--queue: '${url}': expected a redis:// URL`);
  if (u.hostname === '') throw new InputError(`--queue: '${url}': no host`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InputError(`--queue: '${url}': database '${u.pathname.slice(1)}' is not a number`);
  return {
    host: u.hostname,
    port: u.port === '' ? 6379 : Number(u.port),
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    // BullMQ's blocking commands need this; a Redis that is down is reported rather than waited on forever.
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
  };
}

/**
 * Checks once that Redis answers, giving up at the first failed connection: BullMQ's clients retry
 * forever (right for a worker whose Redis restarts, wrong for a mistyped URL), so this comes first.
 */
async function probe(url: string, connection: ConnectionOptions): Promise<void> {
  const client = new Redis({ ...(connection as Record<string, unknown>), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  let cause: Error | null = null;
  client.on('error', (error: Error) => (cause ??= error)); // the socket's own error says more than connect's
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const why = cause ?? (error instanceof Error ? error : new Error(String(error)));
    throw new InputError(`--queue ${url}: cannot reach Redis (${why.message})`);
  } finally {
    client.disconnect();
  }
}

/** The job id of a cell. */
export function jobId(id: string): string {
  return `cell-${id}`;
}

/** The sweep's side: puts cells on the queue and waits for their outcomes. */
export class QueueRunner implements CellRunner {
  readonly capacity = Number.POSITIVE_INFINITY;
  private readonly starts = new Map<string, (by: string) => void>();

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly retryFailed: boolean,
  ) {}

  /** Connects to the queue; InputError when Redis cannot be reached within the connect timeout. */
  static async connect(url: string, retryFailed: boolean): Promise<QueueRunner> {
    const connection = parseRedisUrl(url);
    await probe(url, connection);
    const queue = new Queue(QUEUE_NAME, { connection });
    // Read events from a moment ago rather than from "now" ('$'): the first read is issued a little after
    // the connection is ready, and a job taken in between would otherwise never report its start.
    const events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: `${Date.now() - 1000}-0` });
    try {
      await withTimeout(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), 10_000, `--queue ${url}: Redis did not answer`);
    } catch (error) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw error instanceof InputError ? error : new InputError(`--queue ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const runner = new QueueRunner(queue, events, retryFailed);
    events.on('active', ({ jobId: id }) => runner.starts.get(id)?.('queue'));
    return runner;
  }

  async run(cell: CellConfig, id: string, onStart: (by: string) => void): Promise<CellOutcome> {
    const key = jobId(id);
    this.starts.set(key, onStart);
    try {
      const options = { jobId: key, removeOnComplete: false, removeOnFail: false, attempts: 1 };
      let job: Job = await this.queue.add('cell', cell, options);
      const state = await job.getState();
      if (this.retryFailed && state === 'failed') {
        await job.retry();
        job = (await this.queue.getJob(key)) ?? job;
      } else if (this.retryFailed && state === 'completed' && (job.returnvalue as CellOutcome | null)?.result.status === 'failed') {
        // A stage failure is a completed job whose result says failed: run it afresh.
        await job.remove();
        job = await this.queue.add('cell', cell, options);
      }
      return (await job.waitUntilFinished(this.events)) as CellOutcome;
    } finally {
      this.starts.delete(key);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}

/** A running queue worker: close() finishes the cells in hand and disconnects. */
export interface QueueWorker {
  readonly name: string;
  close(): Promise<void>;
  /** Resolves the first time the queue is empty after this worker finished a cell, or at start on a sweep that is over. */
  drained: Promise<void>;
}

/** Starts a worker taking cells from the queue with `jobs` threads; `log` gets one line per event. */
export async function startQueueWorker(
  url: string,
  jobs: number,
  lock: LockOptions,
  log: (line: string) => void,
): Promise<QueueWorker> {
  const connection = parseRedisUrl(url);
  await probe(url, connection);
  const pool = new LocalPool(jobs);
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job<CellConfig>) => {
      const id = String(job.id).replace(/^cell-/, '');
      log(`start ${id} ${job.data.task} ${job.data.family} seed ${job.data.seed}`);
      const outcome = await pool.run(job.data, id, () => undefined);
      log(`${outcome.result.status} ${id}`);
      return outcome;
    },
    {
      connection,
      concurrency: jobs,
      name,
      lockDuration: lock.lockMs,
      stalledInterval: lock.stalledMs,
      // A job whose worker died twice is still worth a third try; after that it is recorded as failed.
      maxStalledCount: 2,
      autorun: false,
    },
  );
  worker.on('error', (error) => log(`error: ${error.message}`));
  let resolveDrained: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => (resolveDrained = resolve));
  let finished = 0;
  worker.on('completed', () => void finished++);
  // 'drained' also fires on an empty queue at start. A worker that has done something stops on it; one that
  // has not stops only on a sweep that is over (cells seen, none left to take), never on a fresh empty
  // queue, whose sweep may still be queuing its cells.
  worker.on('drained', () => {
    if (finished > 0) resolveDrained();
    else
      void sweepOver(connection).then(
        (over) => over && resolveDrained(),
        (error: unknown) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
      );
  });
  try {
    await withTimeout(worker.waitUntilReady(), 10_000, `--queue ${url}: Redis did not answer`);
  } catch (error) {
    await Promise.allSettled([worker.close(true), pool.close()]);
    throw error instanceof InputError ? error : new InputError(`--queue ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  void worker.run();
  return {
    name,
    drained,
    close: async () => {
      await worker.close();
      await pool.close();
    },
  };
}

/** Whether the queue has had cells and holds none left to take: a sweep that is over, or whose last cells run elsewhere. */
async function sweepOver(connection: ConnectionOptions): Promise<boolean> {
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    const c = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed');
    const left = c.waiting + c.delayed + c.prioritized + c['waiting-children'];
    return left === 0 && c.active + c.completed + c.failed > 0;
  } finally {
    await queue.close();
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new InputError(message)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
