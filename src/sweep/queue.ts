// Cells across machines on a BullMQ queue in Redis. The sweep adds one job per unfinished cell (job id
// = "cell-" + the cell's hash, so adding it again is a no-op and a cell is never queued twice) and waits
// for each; `eigenstate worker` processes jobs with the same local pool as `sweep --jobs`, so its event
// loop stays free to renew job locks. A worker killed mid-cell stops renewing its lock, and BullMQ's
// stalled-job check (run by every other worker) puts the job back in the queue for another worker.
// Results come back through Redis (the job's return value: the result, the checkpoint, the times) and
// the sweep writes the files, so workers need no shared folder. Completed jobs are kept, so a sweep that
// died meanwhile collects them when rerun. Redis itself may die: the clients reconnect, their errors
// become a few lines (problems.ts), and the sweep looks its jobs up again, so a job lost with Redis's
// memory is queued again (a bounded number of times) rather than waited on forever.
import { hostname } from 'node:os';
import { type ConnectionOptions, type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError } from '../errors.js';
import { LocalPool } from './pool.js';
import { ProblemLog } from './problems.js';
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

/** Checks once that Redis answers at the --queue URL (InputError, one line, if not), before anything is made for the sweep. */
export async function probeQueue(url: string): Promise<void> {
  await probe(url, parseRedisUrl(url));
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

/** Connection options whose clients retry as ioredis does (delays up to 2 s) until `stop()`, then end. */
function stoppableConnection(url: string): { connection: ConnectionOptions; stop: () => void } {
  let stopped = false;
  const connection: ConnectionOptions = { ...parseRedisUrl(url), retryStrategy: (times: number) => (stopped ? null : Math.min(times * 50, 2000)) };
  return { connection, stop: () => void (stopped = true) };
}

/** What settleClients needs of a Redis client. */
interface Settling {
  status: string;
  once(event: 'end' | 'ready', listener: () => void): unknown;
}

/**
 * Waits until none of the clients is between tries. BullMQ's close would wait for ever on a client that
 * is reconnecting to a Redis that is down (its disconnect cancels the retry, then waits for an 'end' that
 * never comes); with retries stopped, such a client ends at its next try (within the retry delay and the
 * connect timeout), or finds Redis back.
 */
async function settleClients(backends: readonly { client: Promise<Settling>; blockingClient?: Promise<Settling> }[]): Promise<void> {
  const clients = await Promise.allSettled(backends.flatMap((b) => [b.client, ...(b.blockingClient ? [b.blockingClient] : [])]));
  await Promise.all(
    clients.map((c) =>
      c.status === 'rejected' || ['end', 'ready', 'wait'].includes(c.value.status)
        ? undefined
        : new Promise<void>((resolve) => {
            c.value.once('end', resolve);
            c.value.once('ready', resolve);
          }),
    ),
  );
}

/** How the sweep watches its jobs (defaults in DEFAULT_WATCH). */
export interface WatchOptions {
  /** How often every job still awaited is looked up, to catch one Redis lost or whose end event was missed. */
  checkMs: number;
  /** How often a lost job is queued again before its cell is given up as failed. */
  maxRequeues: number;
  /** How long Redis may stay unreachable before the sweep gives up the cells it still awaits (they are redone by a rerun). */
  patienceMs: number;
  /** One line per connection problem goes here (rate-limited by ProblemLog). */
  log: (line: string) => void;
}

/** 5 s between checks, 3 requeues per cell, 5 minutes of patience; lines to stderr. */
export const DEFAULT_WATCH: WatchOptions = {
  checkMs: 5000,
  maxRequeues: 3,
  patienceMs: 300_000,
  log: (line) => process.stderr.write(`sweep: ${line}\n`),
};

/** A cell the sweep awaits: settled once, by its job's end event, by a check, or by giving up. */
interface Awaited {
  key: string;
  cell: CellConfig;
  onStart: (by: string) => void;
  /** Set once the job is on the queue (checks skip it before: a job being added is not lost). */
  queued: boolean;
  requeues: number;
  resolve: (outcome: CellOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * The sweep's side: puts cells on the queue and waits for their outcomes. It never waits on Redis alone:
 * every checkMs, and whenever a connection comes back, it looks up each job it awaits, so a job that Redis
 * lost (restarted empty, flushed) is queued again (at most maxRequeues times, then the cell fails) and a
 * job that ended while its event was missed is collected; Redis unreachable for patienceMs fails the cells.
 */
export class QueueRunner implements CellRunner {
  readonly capacity = Number.POSITIVE_INFINITY;
  private readonly awaited = new Map<string, Awaited>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  private constructor(
    private readonly url: string,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly retryFailed: boolean,
    private readonly watch: WatchOptions,
    private readonly problems: ProblemLog,
    private readonly stopRetrying: () => void,
  ) {}

  /** Connects to the queue; InputError when Redis cannot be reached within the connect timeout. */
  static async connect(url: string, retryFailed: boolean, watch: Partial<WatchOptions> = {}): Promise<QueueRunner> {
    const options = { ...DEFAULT_WATCH, ...watch };
    const { connection, stop } = stoppableConnection(url);
    await probe(url, connection);
    const queue = new Queue(QUEUE_NAME, { connection });
    // Read events from a moment ago rather than from "now" ('$'): the first read is issued a little after
    // the connection is ready, and a job taken in between would otherwise never report its start.
    const events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: `${Date.now() - 1000}-0` });
    // Without listeners BullMQ prints every failed reconnection as a stack dump; these fold them into lines.
    const problems = new ProblemLog(options.log, `Redis at ${url}`);
    queue.on('error', (error: Error) => problems.error(error));
    events.on('error', (error: Error) => problems.error(error));
    try {
      await withTimeout(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), 10_000, `--queue ${url}: Redis did not answer`);
    } catch (error) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw error instanceof InputError ? error : new InputError(`--queue ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const runner = new QueueRunner(url, queue, events, retryFailed, options, problems, stop);
    events.on('active', ({ jobId: id }) => runner.awaited.get(id)?.onStart('queue'));
    events.on('completed', ({ jobId: id, returnvalue }) => runner.settle(id, returnvalue as unknown as CellOutcome));
    events.on('failed', ({ jobId: id, failedReason }) => runner.settle(id, new Error(failedReason)));
    for (const client of [queue.getBackend(), events.getBackend()]) {
      client.on('close', () => problems.closed());
      // Back after an outage: Redis may have come back empty, so look at once.
      client.on('ready', () => problems.ready() && runner.check());
    }
    runner.timer = setInterval(() => runner.check(), options.checkMs);
    return runner;
  }

  run(cell: CellConfig, id: string, onStart: (by: string) => void): Promise<CellOutcome> {
    const key = jobId(id);
    return new Promise<CellOutcome>((resolve, reject) => {
      const a: Awaited = { key, cell, onStart, queued: false, requeues: 0, resolve, reject };
      this.awaited.set(key, a);
      this.enqueue(a).then(
        () => {
          a.queued = true;
          this.check([a]); // it may have ended before this sweep listened (a rerun collecting it)
        },
        (error: unknown) => this.settle(key, error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  /** Adds the cell's job; with retryFailed, a job that failed (or whose cell failed) is run afresh. */
  private async enqueue(a: Awaited): Promise<void> {
    const options = { jobId: a.key, removeOnComplete: false, removeOnFail: false, attempts: 1 };
    const job: Job = await this.queue.add('cell', a.cell, options);
    if (!this.retryFailed) return;
    const state = await job.getState();
    if (state === 'failed') await job.retry();
    else if (state === 'completed' && (job.returnvalue as CellOutcome | null)?.result.status === 'failed') {
      // A stage failure is a completed job whose result says failed: run it afresh.
      await job.remove();
      await this.queue.add('cell', a.cell, options);
    }
  }

  /** Ends the wait on a job with its outcome or an error (once; later calls are ignored). */
  private settle(key: string, outcome: CellOutcome | Error): void {
    const a = this.awaited.get(key);
    if (a === undefined) return;
    this.awaited.delete(key);
    if (outcome instanceof Error) a.reject(outcome);
    else a.resolve(outcome);
  }

  /** Looks up the awaited jobs (all by default): collects ended ones, queues lost ones again, gives up after patienceMs down. */
  private check(only?: Awaited[]): void {
    if (this.problems.down) {
      if (this.problems.downFor() >= this.watch.patienceMs) {
        const why = `Redis at ${this.url} unreachable for ${Math.round(this.problems.downFor() / 1000)} s: gave up waiting (a rerun of the sweep collects or redoes the cell)`;
        for (const key of [...this.awaited.keys()]) this.settle(key, new Error(why));
      }
      return; // commands would only wait for the connection
    }
    if (only === undefined && this.checking) return;
    if (only === undefined) this.checking = true;
    void this.lookUp(only ?? [...this.awaited.values()])
      .catch((error: unknown) => this.problems.error(error))
      .finally(() => {
        if (only === undefined) this.checking = false;
      });
  }

  private async lookUp(list: Awaited[]): Promise<void> {
    const queued = list.filter((a) => a.queued && this.awaited.get(a.key) === a);
    const states = await Promise.all(queued.map((a) => this.queue.getJobState(a.key)));
    for (const [i, a] of queued.entries()) {
      if (this.awaited.get(a.key) !== a) continue; // settled meanwhile
      const state = states[i];
      if (state === 'completed' || state === 'failed') {
        const job = await this.queue.getJob(a.key);
        if (job === undefined) continue; // lost in between: the next check sees it
        this.settle(a.key, state === 'completed' ? (job.returnvalue as CellOutcome) : new Error(job.failedReason));
      } else if (state === 'unknown') {
        const id = a.key.replace(/^cell-/, '');
        if (a.requeues >= this.watch.maxRequeues) {
          this.settle(a.key, new Error(`the queue lost the job ${a.requeues + 1} times (Redis restarted empty or was flushed); gave up`));
          continue;
        }
        a.requeues++;
        this.watch.log(`cell ${id} is no longer on the queue (Redis restarted empty or was flushed): queued again (${a.requeues} of at most ${this.watch.maxRequeues})`);
        await this.queue.add('cell', a.cell, { jobId: a.key, removeOnComplete: false, removeOnFail: false, attempts: 1 });
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const key of [...this.awaited.keys()]) this.settle(key, new Error('the sweep closed its queue connection'));
    this.stopRetrying();
    await settleClients([this.events.getBackend(), this.queue.getBackend()]);
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
  const { connection, stop } = stoppableConnection(url);
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
  // Without a listener BullMQ prints each failed reconnection as a stack dump: fold them into lines.
  const problems = new ProblemLog(log, `Redis at ${url}`);
  worker.on('error', (error) => problems.error(error));
  worker.getBackend().on('close', () => problems.closed());
  worker.getBackend().on('ready', () => void problems.ready());
  let resolveDrained: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => (resolveDrained = resolve));
  // 'drained' fires on an empty queue, at start too. The worker stops only on a sweep that is over (cells
  // seen, none left to take): never on a fresh empty queue, whose sweep may still be queuing its cells,
  // nor on a Redis that came back empty, whose sweep is about to queue its lost cells again.
  worker.on('drained', () => {
    void sweepOver(connection).then(
      (over) => over && resolveDrained(),
      (error: unknown) => problems.error(error),
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
      // Redis down: no cell in hand can be handed back anyway, so stop retrying first (see settleClients).
      if (problems.down) {
        stop();
        await settleClients([worker.getBackend()]);
      }
      await worker.close(); // waits for the cells in hand
      await pool.close();
    },
  };
}

/** Whether the queue has had cells and holds none left to take: a sweep that is over, or whose last cells run elsewhere. */
async function sweepOver(connection: ConnectionOptions): Promise<boolean> {
  const queue = new Queue(QUEUE_NAME, { connection });
  queue.on('error', () => undefined); // the worker's own clients report the connection's problems
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
