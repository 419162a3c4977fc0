// Data-parallel training over worker threads (`train --threads N`). tfjs's WebAssembly backend runs one
// thread, so a step uses one core; here the batch's rows are cut into N contiguous shards, this thread
// computes shard 0 and N − 1 worker threads (thread-worker.ts, each with its own backend and copy of the
// network) compute the others, and the shard gradients are summed in a fixed order (0, 1, ..., N − 1),
// weighted by their share of the rows, in float64. So a run is deterministic for a given seed and N, and
// runs with different N agree to float rounding (the batch mean is the same sum, grouped differently).
//
// The step stays synchronous, as the trainer is: weights, words and gradients travel through
// SharedArrayBuffers, and the threads hand over with Atomics.wait / Atomics.notify. A worker reports its
// own failure in shared memory (its message included), because this thread, blocked in Atomics.wait,
// cannot receive events; a worker that dies without reporting is noticed by a wait cap.
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EigenstateError, InputError } from '../../errors.js';
import type { ModelConfig } from '../config.js';
import type { Network } from '../network.js';
import type { ScanMode } from '../scan.js';
import { paramShapes, sizeOf } from '../params.js';
import type { Batch } from './batches.js';
import { defaultScan } from './defaults.js';
import { type BatchGradients, batchGradients, type GradientSource, rows } from './step.js';

/** Int32 slots of one worker's control block. */
export const CONTROL = { seq: 0, done: 1, status: 2, start: 3, end: 4, length: 5, micro: 6, labelsPerRow: 7 } as const;
/** Slots per worker in the control array. */
export const CONTROL_SLOTS = 8;
/** Bytes of a worker's error message buffer. */
export const MESSAGE_BYTES = 1024;
/** Most threads a run may ask for. */
export const MAX_THREADS = 64;
/** The longest a step waits for one worker before declaring it dead (ms). */
const WORKER_WAIT_MS = 30 * 60 * 1000;

/** What a worker thread is started with (structured-cloned; the buffers are shared, not copied). */
export interface ThreadWorkerData {
  config: ModelConfig;
  backend: string;
  scan: ScanMode;
  /** Weight names in buffer order, with their shapes. */
  layout: [string, number[]][];
  control: SharedArrayBuffer;
  /** This worker's slot (1 .. N − 1; 0 is the main thread). */
  index: number;
  weights: SharedArrayBuffer;
  tokens: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  results: SharedArrayBuffer;
  message: SharedArrayBuffer;
}

/** A worker failed or vanished; the run cannot go on. */
export class ThreadError extends EigenstateError {
  override readonly exitCode = 3;
}

/** Throws InputError unless threads is an integer in [1, MAX_THREADS]. */
export function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)
    throw new InputError(`--threads: expected an integer in [1, ${MAX_THREADS}] (got ${threads})`);
}

/** The default thread count: the machine's cores, but at least 16 rows of the batch per thread. */
export function defaultThreads(batch: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(batch / 16), MAX_THREADS));
}

/** Rows [start, end) of shard k of n over a batch of `size` rows. */
export function shardRows(size: number, n: number, k: number): [number, number] {
  return [Math.floor((size * k) / n), Math.floor((size * (k + 1)) / n)];
}

/** The largest divisor of rows that is at most `micro` (the shard's micro-batch). */
export function shardMicroBatch(rowCount: number, micro: number): number {
  for (let m = Math.min(micro, rowCount); m > 1; m--) if (rowCount % m === 0) return m;
  return 1;
}

/** The worker module: the built thread-worker.js beside this file, or from source the tsx loader entry. */
function workerUrl(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './tsx-thread-worker.mjs' : './thread-worker.js', import.meta.url);
}

/** N − 1 worker threads and the shared memory of one training run; a GradientSource for trainStep. */
export class ThreadGang implements GradientSource {
  private seq = 0;
  private closed = false;

  private constructor(
    readonly threads: number,
    private readonly workers: Worker[],
    private readonly layout: [string, number[]][],
    private readonly control: Int32Array,
    private readonly weights: Float32Array,
    private readonly tokens: Int32Array,
    private readonly labels: Int32Array,
    private readonly grads: Float32Array[],
    private readonly results: Float64Array[],
    private readonly messages: Uint8Array[],
  ) {}

  /**
   * Starts threads − 1 workers for a network of this config on the named backend ('wasm', 'cpu', ...) and scan, for
   * batches of at most `capacity` rows × `maxLen` symbols (labels too, for output 'every'). Resolves when
   * every worker has built its network.
   */
  static async start(threads: number, config: ModelConfig, backend: string, capacity: number, maxLen: number, scan: ScanMode = defaultScan(backend)): Promise<ThreadGang> {
    checkThreads(threads);
    const layout = paramShapes(config).map(([name, shape]) => [name, [...shape]] as [string, number[]]);
    const total = layout.reduce((n, [, shape]) => n + sizeOf(shape), 0);
    const shared = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
    const control = shared(4 * CONTROL_SLOTS * threads);
    const weights = shared(4 * total);
    const tokens = shared(4 * capacity * maxLen);
    const labels = shared(4 * capacity * maxLen);
    const grads: SharedArrayBuffer[] = [];
    const results: SharedArrayBuffer[] = [];
    const messages: SharedArrayBuffer[] = [];
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      grads.push(shared(4 * total));
      results.push(shared(16));
      messages.push(shared(MESSAGE_BYTES));
      const data: ThreadWorkerData = {
        config, backend, scan, layout, control, index, weights, tokens, labels,
        grads: grads[index - 1], results: results[index - 1], message: messages[index - 1],
      };
      const worker = new Worker(workerUrl(), { workerData: data });
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', (m: unknown) => (m === 'ready' ? resolve() : reject(new ThreadError(`training thread ${index}: ${String(m)}`))));
          worker.once('error', (e: Error) => reject(new ThreadError(`training thread ${index} failed to start: ${e.message}`)));
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new ThreadGang(
      threads, workers, layout, new Int32Array(control), new Float32Array(weights), new Int32Array(tokens), new Int32Array(labels),
      grads.map((b) => new Float32Array(b)), results.map((b) => new Float64Array(b)), messages.map((b) => new Uint8Array(b)),
    );
  }

  /** The batch-mean gradients, shards summed in thread order; the caller disposes them. */
  gradients(net: Network, batch: Batch, microBatch: number): BatchGradients {
    if (this.closed) throw new ThreadError('training threads: used after close()');
    const n = this.threads;
    // weights out, in layout order
    let offset = 0;
    for (const [name, shape] of this.layout) {
      this.weights.set(net.variables[name].dataSync() as Float32Array, offset);
      offset += sizeOf(shape);
    }
    if (batch.tokens.length > this.tokens.length || batch.labels.length > this.labels.length)
      throw new InputError(`training threads: a batch of ${batch.size} x ${batch.length} is larger than the ${this.tokens.length} symbols they were started for`);
    this.tokens.set(batch.tokens);
    this.labels.set(batch.labels);
    const labelsPerRow = batch.labels.length / batch.size;
    this.seq += 1;
    for (let k = 1; k < n; k++) {
      const [start, end] = shardRows(batch.size, n, k);
      const base = k * CONTROL_SLOTS;
      this.control[base + CONTROL.start] = start;
      this.control[base + CONTROL.end] = end;
      this.control[base + CONTROL.length] = batch.length;
      this.control[base + CONTROL.micro] = shardMicroBatch(end - start, microBatch);
      this.control[base + CONTROL.labelsPerRow] = labelsPerRow;
      Atomics.store(this.control, base + CONTROL.seq, this.seq);
      Atomics.notify(this.control, base + CONTROL.seq);
    }
    // shard 0 here, meanwhile
    const [, end0] = shardRows(batch.size, n, 0);
    const own = batchGradients(net, rows(batch, 0, end0), shardMicroBatch(end0, microBatch));
    const sums = new Map<string, Float64Array>();
    let loss = 0;
    let accuracy = 0;
    const share0 = end0 / batch.size;
    for (const [name, shape] of this.layout) {
      const g = own.grads[name];
      const acc = new Float64Array(sizeOf(shape));
      if (g !== undefined) {
        const data = g.dataSync();
        for (let i = 0; i < acc.length; i++) acc[i] = share0 * data[i];
      }
      sums.set(name, acc);
    }
    tf.dispose(Object.values(own.grads));
    loss += share0 * own.loss;
    accuracy += share0 * own.accuracy;
    for (let k = 1; k < n; k++) {
      this.waitFor(k);
      const [start, end] = shardRows(batch.size, n, k);
      const share = (end - start) / batch.size;
      const grads = this.grads[k - 1];
      let off = 0;
      for (const [name, shape] of this.layout) {
        const acc = sums.get(name)!;
        for (let i = 0; i < acc.length; i++) acc[i] += share * grads[off + i];
        off += sizeOf(shape);
      }
      loss += share * this.results[k - 1][0];
      accuracy += share * this.results[k - 1][1];
    }
    const out: Record<string, tf.Tensor> = {};
    for (const [name, shape] of this.layout) out[name] = tf.tensor(Float32Array.from(sums.get(name)!), shape);
    return { grads: out, loss, accuracy };
  }

  /** Blocks until worker k has finished the current step; throws its error, or ThreadError past the wait cap. */
  private waitFor(k: number): void {
    const base = k * CONTROL_SLOTS;
    const deadline = Date.now() + WORKER_WAIT_MS;
    for (;;) {
      const done = Atomics.load(this.control, base + CONTROL.done);
      if (done === this.seq) break;
      if (Date.now() > deadline) throw new ThreadError(`training thread ${k}: no answer within ${WORKER_WAIT_MS / 60000} minutes (it died?)`);
      Atomics.wait(this.control, base + CONTROL.done, done, 1000);
    }
    if (this.control[base + CONTROL.status] !== 0) {
      const bytes = this.messages[k - 1];
      const end = bytes.indexOf(0);
      const text = new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
      throw new ThreadError(`training thread ${k}: ${text}`);
    }
  }

  /** Stops the workers (each finishes its loop) and waits for them to exit. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (let k = 1; k < this.threads; k++) {
      Atomics.store(this.control, k * CONTROL_SLOTS + CONTROL.seq, -1);
      Atomics.notify(this.control, k * CONTROL_SLOTS + CONTROL.seq);
    }
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => (w.threadId === -1 ? resolve() : w.once('exit', () => resolve())))));
  }
}
