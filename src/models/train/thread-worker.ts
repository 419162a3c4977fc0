// One data-parallel training thread (threads.ts): selects its backend, builds the network once, then for
// every step copies the main thread's weights in, computes the mean-loss gradients of its shard of the
// batch (micro-batched as the main thread asks) and writes them, with the shard's loss and accuracy, into
// shared memory. It is an entry point, so it may pick the backend; the library code it calls never does.
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { parseBackendChoice, selectBackend } from '../backend.js';
import { initWeights } from '../init.js';
import { buildNetwork } from '../network.js';
import { sizeOf } from '../params.js';
import { Rng } from '../../random.js';
import { batchGradients } from './step.js';
import { CONTROL, CONTROL_SLOTS, MESSAGE_BYTES, type ThreadWorkerData } from './threads.js';

const data = workerData as ThreadWorkerData;
const control = new Int32Array(data.control);
const weights = new Float32Array(data.weights);
const tokens = new Int32Array(data.tokens);
const labels = new Int32Array(data.labels);
const grads = new Float32Array(data.grads);
const results = new Float64Array(data.results);
const message = new Uint8Array(data.message);
const base = data.index * CONTROL_SLOTS;

try {
  await selectBackend(parseBackendChoice(data.backend));
} catch (error) {
  parentPort?.postMessage(`cannot select backend ${data.backend}: ${error instanceof Error ? error.message : String(error)}`);
  throw error;
}
// the initial weights are overwritten before every step; any seed will do
const net = buildNetwork(data.config, initWeights(data.config, new Rng(0)), { scan: data.scan });
parentPort?.postMessage('ready');

/** One step: weights in, this shard's gradients out. */
function step(): void {
  let offset = 0;
  for (const [name, shape] of data.layout) {
    const size = sizeOf(shape);
    const v = net.variables[name];
    tf.tidy(() => v.assign(tf.tensor(weights.slice(offset, offset + size), shape)));
    offset += size;
  }
  const start = control[base + CONTROL.start];
  const end = control[base + CONTROL.end];
  const length = control[base + CONTROL.length];
  const perRow = control[base + CONTROL.labelsPerRow];
  const shard = {
    size: end - start,
    length,
    tokens: tokens.slice(start * length, end * length),
    labels: labels.slice(start * perRow, end * perRow),
  };
  const out = batchGradients(net, shard, control[base + CONTROL.micro]);
  try {
    offset = 0;
    for (const [name, shape] of data.layout) {
      const g = out.grads[name];
      if (g === undefined) grads.fill(0, offset, offset + sizeOf(shape));
      else grads.set(g.dataSync() as Float32Array, offset);
      offset += sizeOf(shape);
    }
  } finally {
    tf.dispose(Object.values(out.grads));
  }
  results[0] = out.loss;
  results[1] = out.accuracy;
}

let seen = 0;
for (;;) {
  Atomics.wait(control, base + CONTROL.seq, seen);
  const seq = Atomics.load(control, base + CONTROL.seq);
  if (seq === seen) continue;
  if (seq < 0) break;
  seen = seq;
  try {
    step();
    control[base + CONTROL.status] = 0;
  } catch (error) {
    const text = new TextEncoder().encode((error instanceof Error ? error.message : String(error)).split('\n')[0]).slice(0, MESSAGE_BYTES - 1);
    message.fill(0);
    message.set(text);
    control[base + CONTROL.status] = 1;
  }
  Atomics.store(control, base + CONTROL.done, seq);
  Atomics.notify(control, base + CONTROL.done);
}
net.dispose();
