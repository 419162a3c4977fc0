import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../src/errors.js';
import { selectBackend } from '../../src/models/backend.js';
import type { Checkpoint } from '../../src/models/checkpoint.js';
import { checkWeights } from '../../src/models/checkpoint.js';
import type { ModelFamily } from '../../src/models/family.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { initWeights } from '../../src/models/init.js';
import { AdamW } from '../../src/models/train/adamw.js';
import { prefixLabels, sampleBatch, spreadLengths, trainingBatch } from '../../src/models/train/batches.js';
import { configForTask } from '../../src/models/train/model-config.js';
import { learningRate } from '../../src/models/train/schedule.js';
import { NonFiniteLossError, train, type TrainOptions } from '../../src/models/train/trainer.js';
import { trainStep } from '../../src/models/train/step.js';
import { buildNetwork } from '../../src/models/network.js';
import { lengthBuckets } from '../../src/models/evaluate.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const parity = parseTask('parity');

function tinyOptions(family: ModelFamily, overrides: Partial<TrainOptions> = {}): TrainOptions {
  const task = overrides.task ?? parity;
  const config = configForTask(task, family, {
    width: 4,
    state: 4,
    layers: 1,
    mlp: family === 'transformer' ? 4 : 0,
    norm: 'rms',
    heads: 1,
    output: 'last',
  });
  return {
    task,
    config,
    seed: 5,
    steps: 3,
    batch: 4,
    trainLengths: { min: 2, max: 5 },
    lr: 0.01,
    weightDecay: 0.01,
    warmup: 1,
    clip: 1,
    targetAccuracy: 2,
    evalEvery: 2,
    backend: tf.getBackend(),
    validationSize: 4,
    ...overrides,
  };
}

const bytes = (ckpt: Checkpoint): number[] => Object.values(ckpt.weights).flatMap((w) => Array.from(new Uint8Array(w.data.buffer)));

describe('learning-rate schedule', () => {
  const s = { lr: 1, warmup: 10, steps: 111, floor: 0.1 };
  test('warms up linearly to the peak, then decays by a cosine to the floor', () => {
    expect(learningRate(s, 1)).toBeCloseTo(0.1);
    expect(learningRate(s, 5)).toBeCloseTo(0.5);
    expect(learningRate(s, 10)).toBeCloseTo(1);
    expect(learningRate(s, 11)).toBeCloseTo(1);
    expect(learningRate(s, 61)).toBeCloseTo(0.55); // halfway: floor + (1 - floor)/2
    expect(learningRate(s, 111)).toBeCloseTo(0.1);
    for (let t = 11; t <= 111; t++) expect(learningRate(s, t)).toBeLessThanOrEqual(learningRate(s, t - 1));
  });
  test('no warm-up starts at the peak', () => {
    expect(learningRate({ lr: 0.5, warmup: 0, steps: 10 }, 1)).toBe(0.5);
    expect(learningRate({ lr: 0.5, warmup: 0, steps: 10 }, 10)).toBeCloseTo(0.05);
  });
});

describe('AdamW', () => {
  test('minimises a quadratic', () => {
    const target = tf.tensor1d([3, -2, 0.5]);
    const w = { w: tf.variable(tf.zeros([3])) };
    const opt = new AdamW(w, { weightDecay: 0, clip: 0 });
    for (let i = 0; i < 300; i++) {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(w.w, target))) as tf.Scalar, [w.w]);
      opt.step({ w: grads[w.w.name] }, 0.05);
      tf.dispose(Object.values(grads));
    }
    const got = Array.from(w.w.dataSync());
    [3, -2, 0.5].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 2));
    opt.dispose();
    w.w.dispose();
    target.dispose();
  });

  test('weight decay is decoupled: with zero gradient a matrix shrinks by exactly (1 - lr·λ), a bias not at all', () => {
    const vars = { m: tf.variable(tf.ones([2, 2])), b: tf.variable(tf.ones([2])) };
    const opt = new AdamW(vars, { weightDecay: 0.5, clip: 0 });
    const zeros = { m: tf.zeros([2, 2]), b: tf.zeros([2]) };
    opt.step(zeros, 0.1);
    opt.step(zeros, 0.1);
    expect(Array.from(vars.m.dataSync())).toEqual(Array(4).fill(Math.fround(Math.fround(0.95) * 0.95)));
    expect(Array.from(vars.b.dataSync())).toEqual([1, 1]);
    opt.dispose();
    tf.dispose([vars.m, vars.b, zeros.m, zeros.b]);
  });

  test('reports the gradient norm before clipping and skips a non-finite update', () => {
    const vars = { w: tf.variable(tf.tensor1d([1, 2])) };
    const opt = new AdamW(vars, { weightDecay: 0, clip: 1 });
    const g = tf.tensor1d([3, 4]);
    expect(opt.step({ w: g }, 0.1).gradNorm).toBeCloseTo(5);
    const before = Array.from(vars.w.dataSync());
    const bad = tf.tensor1d([NaN, 1]);
    expect(opt.step({ w: bad }, 0.1).gradNorm).toBeNaN();
    expect(Array.from(vars.w.dataSync())).toEqual(before);
    expect(opt.iterations).toBe(1);
    opt.dispose();
    tf.dispose([vars.w, g, bad]);
  });

  test('clipping bounds the step of plain gradient scaling: a clipped huge gradient moves Adam like a small one', () => {
    const run = (scale: number): number[] => {
      const vars = { w: tf.variable(tf.zeros([2])) };
      const opt = new AdamW(vars, { weightDecay: 0, clip: 1 });
      const g1 = tf.tensor1d([0.3 * scale, 0.4 * scale]);
      const g2 = tf.tensor1d([0.4, -0.3]);
      opt.step({ w: g1 }, 0.1);
      opt.step({ w: g2 }, 0.1);
      const out = Array.from(vars.w.dataSync());
      opt.dispose();
      tf.dispose([vars.w, g1, g2]);
      return out;
    };
    // A gradient of norm 5000 clipped to 1 leaves the same moments as a gradient of norm 1 (up to rounding).
    const clipped = run(10000);
    const unit = run(2);
    clipped.forEach((v, i) => expect(v).toBeCloseTo(unit[i], 5));
  });
});

describe('batches', () => {
  test('one length per batch, labels are the task labels, classes roughly balanced', () => {
    const rng = new Rng(1);
    const b = sampleBatch(parity, rng, 7, 200, 'last');
    expect(b.tokens.length).toBe(1400);
    let ones = 0;
    for (let i = 0; i < b.size; i++) {
      const word = Array.from(b.tokens.subarray(i * 7, i * 7 + 7));
      expect(b.labels[i]).toBe(parity.label(word));
      ones += b.labels[i];
    }
    expect(ones).toBeGreaterThan(70);
    expect(ones).toBeLessThan(130);
  });

  test("'every' labels each prefix", () => {
    const b = sampleBatch(parity, new Rng(2), 6, 3, 'every');
    expect(b.labels.length).toBe(18);
    for (let i = 0; i < 3; i++) {
      const word = Array.from(b.tokens.subarray(i * 6, i * 6 + 6));
      expect(Array.from(b.labels.subarray(i * 6, i * 6 + 6))).toEqual(word.map((_, t) => parity.label(word.slice(0, t + 1))));
    }
    const anbn = parseTask('anbn');
    expect(prefixLabels(anbn, [0, 1])).toEqual([anbn.label([0]), anbn.label([0, 1])]);
  });

  test('training batch lengths cover the range; spread lengths include both ends', () => {
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(trainingBatch(parity, rng, { min: 3, max: 6 }, 1, 'last').length);
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(spreadLengths({ min: 3, max: 40 }, 8)).toEqual([3, 8, 14, 19, 24, 29, 35, 40]);
    expect(spreadLengths({ min: 5, max: 7 }, 8)).toEqual([5, 6, 7]);
    expect(lengthBuckets({ min: 40, max: 256 }, 8).map((b) => [b.min, b.max])).toEqual([
      [40, 66], [67, 93], [94, 120], [121, 147], [148, 174], [175, 201], [202, 228], [229, 256],
    ]);
    expect(() => sampleBatch(parity, rng, 0, 1, 'last')).toThrow(InputError);
  });
});

describe('trainer', () => {
  test.each(MODEL_FAMILIES)('%s: a few steps give a valid checkpoint with its training record', (family) => {
    const options = tinyOptions(family);
    const saved: Checkpoint[] = [];
    const { checkpoint, validation } = train({ ...options, onCheckpoint: (c) => saved.push(c) });
    checkWeights(checkpoint.config, checkpoint.weights, family);
    expect(saved.map((c) => c.training?.steps)).toEqual([2, 3]);
    expect(checkpoint.training).toMatchObject({ seed: 5, steps: 3, batch: 4, stopped: 'steps', backend: 'wasm' });
    expect(checkpoint.training?.history.map((h) => h.step)).toEqual([2, 3]);
    expect(checkpoint.task).toEqual({ name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] });
    expect(checkpoint.origin).toBe('trained');
    expect(validation).toBeGreaterThanOrEqual(0);
    // Training moved the weights away from the seeded initialisation.
    const init = initWeights(options.config, new Rng(options.seed).fork());
    expect(Array.from(checkpoint.weights['out.w'].data)).not.toEqual(Array.from(init['out.w'].data));
  });

  test('same seed, same weights; another seed, other weights', () => {
    const a = train(tinyOptions('lrnn-neg', { steps: 4 })).checkpoint;
    const b = train(tinyOptions('lrnn-neg', { steps: 4 })).checkpoint;
    const c = train(tinyOptions('lrnn-neg', { steps: 4, seed: 6 })).checkpoint;
    expect(bytes(a)).toEqual(bytes(b));
    expect(bytes(a)).not.toEqual(bytes(c));
  });

  test('stops early at the target accuracy', () => {
    const { checkpoint } = train(tinyOptions('lrnn-pos', { steps: 50, evalEvery: 1, targetAccuracy: 0 }));
    expect(checkpoint.training?.steps).toBe(1);
    expect(checkpoint.training?.stopped).toBe('target');
  });

  test('a non-finite loss stops at once and hands back the last good checkpoint', () => {
    const saved: Checkpoint[] = [];
    let error: unknown;
    try {
      train(tinyOptions('lrnn-neg', { steps: 20, evalEvery: 1, lr: 1e38, clip: 0, warmup: 0, label: 'out.json', onCheckpoint: (c) => saved.push(c) }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).exitCode).toBe(4);
    const e = error as NonFiniteLossError;
    expect(e.message).toMatch(/^out\.json: non-finite loss or gradient \(.*\) at step \d+; kept the last good checkpoint \(step \d+\)/);
    const last = saved[saved.length - 1];
    expect(last.training?.stopped).toBe('non-finite');
    expect(last.training?.steps).toBe(e.lastGoodStep);
    expect(e.step).toBe((e.lastGoodStep ?? 0) + 1);
    checkWeights(last.config, last.weights, 'last good');
  });

  test('refuses bad options and a config that does not fit the task', () => {
    expect(() => train(tinyOptions('lrnn-neg', { steps: 0 }))).toThrow(/--steps: expected a positive integer \(got 0\)/);
    expect(() => train(tinyOptions('lrnn-neg', { trainLengths: { min: 0, max: 4 } }))).toThrow(/--train-len/);
    expect(() => train({ ...tinyOptions('lrnn-neg'), task: parseTask('s3') })).toThrow(/config has vocab 2/);
    expect(() => configForTask(parity, 'lrnn-complex', { width: 4, state: 3, layers: 1, mlp: 0, norm: 'rms', heads: 1, output: 'last' })).toThrow(
      /options: config\.state: lrnn-complex needs an even state size/,
    );
  });

  test('leaks no tensors', () => {
    train(tinyOptions('deltanet-neg'));
    const before = tf.memory().numTensors;
    train(tinyOptions('deltanet-neg'));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('gradient accumulation', () => {
  /** One step from the seeded initial weights on a fixed batch of 8 words, in micro-batches of `micro` rows. */
  function stepOnce(family: ModelFamily, output: 'last' | 'every', micro: number): { weights: Record<string, number[]>; loss: number; gradNorm: number } {
    const options = tinyOptions(family);
    const config = { ...options.config, output };
    const batch = sampleBatch(parity, new Rng(11), 5, 8, output);
    const net = buildNetwork(config, initWeights(config, new Rng(3)));
    const opt = new AdamW(net.variables, { weightDecay: 0.01, clip: 1 });
    try {
      const { loss, gradNorm } = trainStep(net, opt, batch, 0.01, micro);
      const weights = Object.fromEntries(Object.entries(net.weights()).map(([n, w]) => [n, Array.from(w.data)]));
      return { weights, loss, gradNorm };
    } finally {
      opt.dispose();
      net.dispose();
    }
  }

  const cases: [ModelFamily, 'last' | 'every'][] = MODEL_FAMILIES.flatMap((f) => [[f, 'last'], [f, 'every']] as [ModelFamily, 'last' | 'every'][]);
  test.each(cases)(
    '%s (%s): micro-batches of half the batch give the full-batch step',
    (family, output) => {
      const full = stepOnce(family, output, 8);
      const half = stepOnce(family, output, 4);
      expect(half.loss).toBeCloseTo(full.loss, 5);
      expect(Math.abs(half.gradNorm - full.gradNorm)).toBeLessThan(1e-5 * Math.max(1, full.gradNorm));
      for (const [name, w] of Object.entries(full.weights)) {
        const diff = Math.max(...w.map((x, i) => Math.abs(x - half.weights[name][i])));
        expect([name, diff < 1e-5]).toEqual([name, true]);
      }
      // The step moved the weights, so agreement is not agreement on doing nothing.
      const init = initWeights({ ...tinyOptions(family).config, output }, new Rng(3));
      expect(full.weights['out.w']).not.toEqual(Array.from(init['out.w'].data));
    },
  );

  test('train() with microBatch = batch / 2 ends at the full-batch weights; bad micro-batches are refused', () => {
    const a = train(tinyOptions('lstm', { steps: 2 })).checkpoint;
    const b = train(tinyOptions('lstm', { steps: 2, microBatch: 2 })).checkpoint;
    for (const [name, w] of Object.entries(a.weights)) {
      const diff = Math.max(...Array.from(w.data).map((x, i) => Math.abs(x - b.weights[name].data[i])));
      expect([name, diff < 1e-5]).toEqual([name, true]);
    }
    expect(() => train(tinyOptions('lstm', { microBatch: 3 }))).toThrow(/^--micro-batch: expected a positive integer dividing --batch 4 \(got 3\)$/);
    expect(() => train(tinyOptions('lstm', { microBatch: 0 }))).toThrow(/--micro-batch/);
    expect(() => train(tinyOptions('lstm', { microBatch: 8 }))).toThrow(/--micro-batch/);
  });

  test('leaks no tensors', () => {
    stepOnce('transformer', 'every', 2);
    const before = tf.memory().numTensors;
    stepOnce('transformer', 'every', 2);
    stepOnce('deltanet-neg', 'last', 4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
