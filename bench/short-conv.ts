// What DeltaNet's short convolution costs (config.conv, src/models/short-conv.ts): one forward + backward
// pass of deltanet-neg at the `cpu` preset's shape (width 32, 2 layers, MLP 128, 4 heads; 32 words of
// length 40) on the tfjs wasm backend, fused recurrence, with conv 0 and conv 4; and the exact executor's
// steps per second at fp32 on the same shape, medians of alternating rounds. Prints one table; about a minute.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/models/backend.js';
import type { ModelConfig } from '../src/models/config.js';
import { initWeights } from '../src/models/init.js';
import { buildNetwork } from '../src/models/network.js';
import { RecurrentNetworkExec } from '../src/precision/exec/network.js';
import { parseFormat } from '../src/precision/parse.js';
import { Rng } from '../src/random.js';

const BATCH = 32;
const LENGTH = 40;
const PASSES = 5;
const EXEC_STEPS = 10_000;
/** Alternating rounds per config; the table gives the medians. */
const ROUNDS = 3;

function configOf(conv: number): ModelConfig {
  const base: ModelConfig = { family: 'deltanet-neg', vocab: 2, classes: 2, width: 32, state: 32, layers: 2, mlp: 128, norm: 'rms', output: 'last', heads: 4, positions: 'none', maxLen: 0 };
  return conv > 0 ? { ...base, conv } : base;
}

/** Median ms of one forward + backward pass (gradients of every weight) over PASSES, after one warm-up. */
function passMs(config: ModelConfig): number {
  const net = buildNetwork(config, initWeights(config, new Rng(1)), { scan: 'fused' });
  const rng = new Rng(2);
  const tokens = tf.tensor2d(Array.from({ length: BATCH * LENGTH }, () => rng.int(0, 1)), [BATCH, LENGTH], 'int32');
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, () => rng.int(0, 1)), 'int32'), 2);
  const times: number[] = [];
  for (let i = 0; i <= PASSES; i++) {
    const started = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, net.logits(tokens)) as tf.Scalar, Object.values(net.variables));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    if (i > 0) times.push(performance.now() - started);
  }
  tf.dispose([tokens, labels]);
  net.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Exact executor steps per second at fp32 on a random word (first layer bound per symbol, as by default). */
function execStepsPerSecond(config: ModelConfig): number {
  const exec = new RecurrentNetworkExec(config, initWeights(config, new Rng(1)), parseFormat('fp32'));
  const rng = new Rng(3);
  let a = new Float64Array(exec.stateSize);
  let b = new Float64Array(exec.stateSize);
  const started = performance.now();
  for (let i = 0; i < EXEC_STEPS; i++) {
    exec.step(rng.int(0, 1), a, b);
    [a, b] = [b, a];
  }
  return EXEC_STEPS / ((performance.now() - started) / 1000);
}

/** Prints the table. */
export async function benchShortConv(): Promise<void> {
  await selectBackend('wasm');
  // rounds alternate the two configs, so that a change in the machine's load falls on both alike
  const convs = [0, 4];
  const passes: number[][] = convs.map(() => []);
  const rates: number[][] = convs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    convs.forEach((conv, i) => {
      passes[i].push(passMs(configOf(conv)));
      rates[i].push(execStepsPerSecond(configOf(conv)));
    });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = convs.map((conv, i) => {
    const config = configOf(conv);
    const exec = new RecurrentNetworkExec(config, initWeights(config, new Rng(1)), parseFormat('fp32'));
    return [`${conv}`, median(passes[i]).toFixed(0), median(rates[i]).toFixed(0), `${exec.stateSize}`];
  });
  console.log(`deltanet-neg, width 32, 2 layers, MLP 128, 4 heads; ${BATCH} words of length ${LENGTH}; tfjs ${tf.version.tfjs} ${tf.getBackend()}, load ${loadavg()[0].toFixed(1)}\n`);
  console.log('| conv | ms per forward + backward (fused delta rule) | exact fp32 steps/s | stored values per state |');
  console.log('|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
