// Training-step figures for every model family (forward + backward + Adam update) and the diagonal LRNN's
// parallel prefix scan against its sequential recurrence, on the tfjs wasm backend.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelConfig } from '../src/models/config.js';
import type { ModelFamily } from '../src/models/family.js';
import { MODEL_FAMILIES } from '../src/models/family.js';
import { initWeights } from '../src/models/init.js';
import type { Network } from '../src/models/network.js';
import { buildNetwork } from '../src/models/network.js';
import type { ScanMode } from '../src/models/scan.js';
import { linearScan } from '../src/models/scan.js';
import { Rng } from '../src/random.js';

const SEED = 7;

interface Size {
  batch: number;
  length: number;
  width: number;
}

const SIZES: readonly Size[] = [
  { batch: 64, length: 64, width: 64 },
  { batch: 256, length: 256, width: 128 },
];

/** Runs per measurement: a median of 5 after a discarded warm-up at the small size; at the large size one
 *  step takes tens of seconds to minutes on this machine, so one step is timed, warm-up included. */
const runsFor = (s: Size): number => (s.length <= 64 ? 5 : 1);

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

/** Median wall time in ms of `runs` calls of f, after one warm-up call (kernel setup, JIT) when runs > 1. */
function medianMs(runs: number, f: () => void): number {
  if (runs > 1) f();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

function batchOf(rng: Rng, s: Size): { tokens: tf.Tensor2D; labels: tf.Tensor2D } {
  const tokens = tf.tensor2d(Array.from({ length: s.batch * s.length }, () => rng.int(0, 1)), [s.batch, s.length], 'int32');
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: s.batch }, () => rng.int(0, 1)), 'int32'), 2) as tf.Tensor2D;
  return { tokens, labels };
}

function crossEntropy(net: Network, tokens: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  const logits = net.logits(tokens);
  return tf.mean(tf.sub(tf.logSumExp(logits, -1), tf.sum(tf.mul(logits, labels), -1)));
}

/** ms per training step (forward, backward, Adam update), median. */
function stepMs(family: ModelFamily, s: Size): number {
  const config = benchConfig(family, s);
  const rng = new Rng(SEED);
  const net = buildNetwork(config, initWeights(config, rng));
  const { tokens, labels } = batchOf(rng, s);
  const adam = tf.train.adam(1e-3);
  const vars = Object.values(net.variables);
  const ms = medianMs(runsFor(s), () => {
    tf.tidy(() => {
      const loss = adam.minimize(() => crossEntropy(net, tokens, labels), true, vars);
      loss?.dataSync(); // wait for the backend
    });
  });
  adam.dispose();
  tokens.dispose();
  labels.dispose();
  net.dispose();
  return ms;
}

/** ms of forward + backward (no update) of lrnn-pos with the given scan, median. */
function scanMs(s: Size, mode: ScanMode): number {
  const config = benchConfig('lrnn-pos', s);
  const rng = new Rng(SEED);
  const net = buildNetwork(config, initWeights(config, rng), { scan: mode });
  const { tokens, labels } = batchOf(rng, s);
  const ms = medianMs(runsFor(s), () => {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(net, tokens, labels));
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  });
  tokens.dispose();
  labels.dispose();
  net.dispose();
  return ms;
}

/** ms of forward + backward of the recurrence alone (h = scan(a, b), loss = Σ h·c), median. */
function bareScanMs(s: Size, mode: ScanMode): number {
  const a = tf.randomUniform([s.batch, s.length, s.width], 0, 1, 'float32', SEED) as tf.Tensor3D;
  const b = tf.randomUniform([s.batch, s.length, s.width], -1, 1, 'float32', SEED + 1) as tf.Tensor3D;
  const c = tf.randomUniform([s.batch, s.length, s.width], -1, 1, 'float32', SEED + 2) as tf.Tensor3D;
  const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(linearScan(x as tf.Tensor3D, y as tf.Tensor3D, mode), c)));
  const ms = medianMs(runsFor(s), () => {
    tf.tidy(() => {
      for (const g of grads([a, b])) g.dataSync();
    });
  });
  tf.dispose([a, b, c]);
  return ms;
}

/** Family and size pairs that abort the wasm backend (heap exhausted), which no later measurement survives. */
const TOO_BIG: readonly string[] = ['lstm (256, 256, 128)'];

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** f's result, or the first line of what it threw (a run out of wasm heap is reported, not fatal). */
function attempt(what: string, f: () => number): number | string {
  try {
    const ms = f();
    process.stderr.write(`${what}: ${ms.toFixed(0)} ms\n`);
    return ms;
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    process.stderr.write(`${what}: failed: ${message}\n`);
    return `failed: ${message}`;
  }
}

const cell = (v: number | string): string => (typeof v === 'number' ? v.toFixed(0) : v);

const label = (s: Size): string => `(${s.batch}, ${s.length}, ${s.width})`;

/** Prints ms per training step per family and size, then parallel scan against sequential recurrence. */
export async function benchTrain(): Promise<void> {
  await tf.setBackend('wasm');
  // BENCH_TRAIN_FAMILIES=a,b limits the family rows (empty: scan rows only).
  const wanted = process.env.BENCH_TRAIN_FAMILIES?.split(',') ?? MODEL_FAMILIES;
  const families = MODEL_FAMILIES.filter((f) => wanted.includes(f));
  // BENCH_TRAIN_SCAN=0 skips the scan tables; BENCH_TRAIN_LARGE=0 times the family rows at the small size only.
  const scanSizes: readonly Size[] = process.env.BENCH_TRAIN_SCAN === '0' ? [] : [SIZES[0], { batch: 64, length: 256, width: 64 }, SIZES[1]];
  const sizes = process.env.BENCH_TRAIN_LARGE === '0' ? SIZES.slice(0, 1) : SIZES;
  // The scan comparison first: it is the claim under test, and the slow family rows come after.
  const scanRows = scanSizes.map((s) => {
    const parallel = attempt(`scan parallel ${label(s)}`, () => scanMs(s, 'parallel'));
    const sequential = attempt(`scan sequential ${label(s)}`, () => scanMs(s, 'sequential'));
    const ratio = typeof parallel === 'number' && typeof sequential === 'number' ? `${(sequential / parallel).toFixed(1)}x` : '–';
    return [label(s), cell(parallel), cell(sequential), ratio];
  });
  if (scanRows.length > 0) printTable(['lrnn-pos (B, T, width)', 'parallel scan ms', 'sequential ms', 'speed-up'], scanRows);

  const bareRows = scanSizes.map((s) => {
    const parallel = attempt(`bare scan parallel ${label(s)}`, () => bareScanMs(s, 'parallel'));
    const sequential = attempt(`bare scan sequential ${label(s)}`, () => bareScanMs(s, 'sequential'));
    const ratio = typeof parallel === 'number' && typeof sequential === 'number' ? `${(sequential / parallel).toFixed(1)}x` : '–';
    return [label(s), cell(parallel), cell(sequential), ratio];
  });
  if (bareRows.length > 0) {
    console.log('');
    printTable(['recurrence alone (B, T, n)', 'parallel scan ms', 'sequential ms', 'speed-up'], bareRows);
  }

  if (families.length > 0) {
    const stepRows = families.map((family) => [
      family,
      ...sizes.map((s) =>
        TOO_BIG.includes(`${family} ${label(s)}`)
          ? 'not run: exhausts the wasm heap'
          : cell(attempt(`train ${family} ${label(s)}`, () => stepMs(family, s))),
      ),
    ]);
    console.log('');
    printTable(['family', ...sizes.map((s) => `ms/step ${label(s)}`)], stepRows);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nOne layer, state = width, MLP of width, RMS norm, 4 heads (transformer, deltanet), output at the last position, ` +
      `Adam; median of ${runsFor(SIZES[0])} steps after a discarded warm-up step at length 64; ` +
      `at length 256 a single step, warm-up included (too slow here for more). Scan rows: forward + backward of lrnn-pos only.\n` +
      `tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, ${cpu}, Node ${process.version}.`,
  );
}
