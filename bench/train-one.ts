// Child entry of bench/train.ts: times ONE measurement and prints one JSON line on stdout. It runs in its own
// process because a wasm heap exhausted by one measurement (lstm at (256, 256, 128)) aborts the backend for
// good, and every later measurement in the same process would fail with it.
//   tsx bench/train-one.ts train <family> <B,T,W> [M] [N]  ms per training step (forward, backward, AdamW), the
//                                                      gradients accumulated over B/M micro-batches of M rows
//                                                      (M = 'auto': the trainer's memory guard picks it), on N
//                                                      data-parallel threads (default 1)
//   tsx bench/train-one.ts scan <parallel|sequential> <B,T,W>   lrnn-pos forward + backward
//   tsx bench/train-one.ts bare <parallel|sequential> <B,T,W>   the recurrence alone, forward + backward
// Output: {"ms": number, "cpuMs": number, "backend": string, "tfjs": string} with exit 0, or {"error": string, "heapBytes": number | null}
// (the wasm heap's size when it failed) with exit 1.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/models/backend.js';
import type { ModelConfig } from '../src/models/config.js';
import type { ModelFamily } from '../src/models/family.js';
import { MODEL_FAMILIES } from '../src/models/family.js';
import { initWeights } from '../src/models/init.js';
import type { Network } from '../src/models/network.js';
import { buildNetwork } from '../src/models/network.js';
import { AdamW } from '../src/models/train/adamw.js';
import type { Batch } from '../src/models/train/batches.js';
import { defaultScan } from '../src/models/train/defaults.js';
import { chooseMicroBatch } from '../src/models/train/memory.js';
import { trainStep } from '../src/models/train/step.js';
import { ThreadGang } from '../src/models/train/threads.js';
import type { ScanMode } from '../src/models/scan.js';
import { linearScan } from '../src/models/scan.js';
import { Rng } from '../src/random.js';
import { runsFor, type Size, warmUpsFor } from './train-size.js';

const SEED = 7;


function benchConfig(family: ModelFamily, s: Size): ModelConfig {
  const transformer = family === 'transformer';
  const deltanet = family === 'deltanet-pos' || family === 'deltanet-neg';
  return {
    family,
    vocab: 2,
    classes: 2,
    width: s.width,
    state: s.width,
    layers: 1,
    mlp: s.width,
    norm: 'rms',
    output: 'last',
    heads: transformer || deltanet ? 4 : 1,
    positions: transformer ? 'learned' : 'none',
    maxLen: transformer ? s.length : 0,
  };
}

/** Median wall time and median CPU time (user + system, every thread of the process) in ms of `runs` calls of
 *  f, after `warmUps` discarded calls. CPU time is what a loaded machine disturbs least. */
function medianMs(runs: number, f: () => void, warmUps = 1): { ms: number; cpuMs: number } {
  for (let w = 0; w < warmUps; w++) f();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const used = process.cpuUsage();
    f();
    const d = process.cpuUsage(used);
    times.push(performance.now() - start);
    cpu.push((d.user + d.system) / 1000);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { ms: median(times), cpuMs: median(cpu) };
}

function batchOf(rng: Rng, s: Size): { tokens: tf.Tensor2D; labels: tf.Tensor2D } {
  const tokens = tf.tensor2d(Array.from({ length: s.batch * s.length }, () => rng.int(0, 1)), [s.batch, s.length], 'int32');
  const classes = tf.tensor1d(Array.from({ length: s.batch }, () => rng.int(0, 1)), 'int32');
  const labels = tf.oneHot(classes, 2, 1, 0, 'float32') as tf.Tensor2D;
  classes.dispose();
  return { tokens, labels };
}

function crossEntropy(net: Network, tokens: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  const logits = net.logits(tokens);
  return tf.mean(tf.sub(tf.logSumExp(logits, -1), tf.sum(tf.mul(logits, labels), -1)));
}

/** ms per training step (forward, backward, AdamW update) through the trainer's own step, its gradients
 *  accumulated over micro-batches of `microBatch` rows (the whole batch: no accumulation). */
async function stepMs(family: ModelFamily, s: Size, micro: number | 'auto', threads: number): Promise<{ ms: number; cpuMs: number; microBatch: number }> {
  const config = benchConfig(family, s);
  const microBatch = micro === 'auto' ? chooseMicroBatch(config, s.batch, s.length, 'wasm') : micro;
  const rng = new Rng(SEED);
  // BENCH_SCAN_MODE=parallel times the recurrences as tfjs graphs (default: the trainer's, the fused kernels)
  const scan = parseMode(process.env.BENCH_SCAN_MODE ?? defaultScan('wasm'));
  const net = buildNetwork(config, initWeights(config, rng), { scan });
  const batch: Batch = {
    size: s.batch,
    length: s.length,
    tokens: Int32Array.from({ length: s.batch * s.length }, () => rng.int(0, 1)),
    labels: Int32Array.from({ length: s.batch }, () => rng.int(0, 1)),
  };
  const opt = new AdamW(net.variables, { weightDecay: 0, clip: 0 });
  const gang = threads > 1 ? await ThreadGang.start(threads, config, 'wasm', s.batch, s.length, scan) : undefined;
  try {
    // trainStep reads the loss and gradient norm back, so the backend has finished when it returns.
    return { ...medianMs(runsFor(s), () => void trainStep(net, opt, batch, 1e-3, microBatch, gang), warmUpsFor(s)), microBatch };
  } finally {
    await gang?.close();
  }
}

/** ms of forward + backward (no update) of lrnn-pos with the given scan. */
function scanMs(s: Size, mode: ScanMode): { ms: number; cpuMs: number } {
  const config = benchConfig('lrnn-pos', s);
  const rng = new Rng(SEED);
  const net = buildNetwork(config, initWeights(config, rng), { scan: mode });
  const { tokens, labels } = batchOf(rng, s);
  return medianMs(runsFor(s), () => {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(net, tokens, labels));
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  });
}

/** ms of forward + backward of the recurrence alone (h = scan(a, b), loss = Σ h·c). */
function bareScanMs(s: Size, mode: ScanMode): { ms: number; cpuMs: number } {
  const a = tf.randomUniform([s.batch, s.length, s.width], 0, 1, 'float32', SEED) as tf.Tensor3D;
  const b = tf.randomUniform([s.batch, s.length, s.width], -1, 1, 'float32', SEED + 1) as tf.Tensor3D;
  const c = tf.randomUniform([s.batch, s.length, s.width], -1, 1, 'float32', SEED + 2) as tf.Tensor3D;
  const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(linearScan(x as tf.Tensor3D, y as tf.Tensor3D, mode), c)));
  return medianMs(runsFor(s), () => {
    tf.tidy(() => {
      for (const g of grads([a, b])) g.dataSync();
    });
  });
}

/** Parses "B,T,W"; throws naming the argument otherwise. */
export function parseSize(text: string): Size {
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || !parts.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`bench/train-one: size '${text}' should be B,T,W (positive integers)`);
  }
  return { batch: parts[0], length: parts[1], width: parts[2] };
}

const parseMode = (text: string): ScanMode => {
  if (text === 'parallel' || text === 'sequential' || text === 'fused') return text;
  throw new Error(`bench/train-one: scan mode '${text}' should be parallel, sequential or fused`);
};

async function main(args: readonly string[]): Promise<number> {
  const [kind, which, sizeText, microText, threadsText] = args;
  // Through selectBackend, not a bare setBackend: it patches the wasm kernels (OneHot, UnsortedSegmentSum).
  const backend = await selectBackend('wasm');
  const size = parseSize(sizeText ?? '');
  let timing: { ms: number; cpuMs: number };
  let extra = {};
  if (kind === 'train') {
    const family = MODEL_FAMILIES.find((f) => f === which);
    if (family === undefined) throw new Error(`bench/train-one: unknown family '${which}'`);
    const micro = microText === 'auto' ? 'auto' : microText === undefined ? size.batch : Number(microText);
    if (micro !== 'auto' && (!Number.isInteger(micro) || micro < 1 || size.batch % micro !== 0)) {
      throw new Error(`bench/train-one: micro-batch '${microText}' should be 'auto' or a positive integer dividing ${size.batch}`);
    }
    const threads = threadsText === undefined ? 1 : Number(threadsText);
    const step = await stepMs(family, size, micro, threads);
    timing = step;
    extra = { microBatch: step.microBatch, threads };
  } else if (kind === 'scan') {
    timing = scanMs(size, parseMode(which ?? ''));
  } else if (kind === 'bare') {
    timing = bareScanMs(size, parseMode(which ?? ''));
  } else {
    throw new Error(`bench/train-one: unknown measurement '${kind}' (train, scan or bare)`);
  }
  process.stdout.write(`${JSON.stringify({ ms: timing.ms, cpuMs: timing.cpuMs, backend: backend.name, tfjs: tf.version.tfjs, ...extra })}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  // The wasm build has no assertions, so a failed heap growth surfaces as a bare "Aborted()"; the heap's
  // size at that moment (up to 4 GiB) is what tells exhaustion apart from other aborts.
  let heapBytes: number | null = null;
  try {
    heapBytes = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length ?? null;
  } catch {
    heapBytes = null;
  }
  process.stdout.write(`${JSON.stringify({ error: message.split('\n')[0], heapBytes })}\n`);
  process.exitCode = 1;
}
