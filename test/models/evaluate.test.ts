import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/models/backend.js';
import { evaluateBuckets } from '../../src/models/evaluate.js';
import { initWeights } from '../../src/models/init.js';
import { buildNetwork } from '../../src/models/network.js';
import { prefixLabels } from '../../src/models/train/batches.js';
import { configForTask } from '../../src/models/train/model-config.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('whole-sequence accuracy (output every)', () => {
  test('is the share of words right at every position, recomputed word by word', () => {
    const task = parseTask('parity');
    const config = configForTask(task, 'lrnn-neg', { width: 8, state: 8, layers: 1, mlp: 0, norm: 'rms', heads: 1, output: 'every' });
    const net = buildNetwork(config, initWeights(config, new Rng(3)));
    const options = { lengths: { min: 1, max: 3 }, buckets: 1, samplesPerBucket: 40 };
    const result = evaluateBuckets(net, task, { ...options, rng: new Rng(9) });
    const rng = new Rng(9);
    let right = 0;
    for (let i = 0; i < options.samplesPerBucket; i++) {
      const { word } = task.sample(rng, options.lengths);
      const predicted = tf.tidy(() => tf.argMax(net.logits(tf.tensor2d([[...word], [...word]], [2, word.length], 'int32')), -1).arraySync() as number[][])[0];
      if (prefixLabels(task, word).every((c, t) => c === predicted[t])) right++;
    }
    expect(result.sequenceAccuracy).toBeCloseTo(right / options.samplesPerBucket, 12);
    expect(right).toBeGreaterThan(0); // the comparison is not 0 = 0
    expect(result.buckets[0].sequenceAccuracy).toBe(result.sequenceAccuracy);
    expect(result.sequenceAccuracy!).toBeLessThanOrEqual(result.accuracy);
    net.dispose();
  });

  test('is absent for output last', () => {
    const task = parseTask('parity');
    const config = configForTask(task, 'lrnn-neg', { width: 4, state: 4, layers: 1, mlp: 0, norm: 'rms', heads: 1, output: 'last' });
    const net = buildNetwork(config, initWeights(config, new Rng(3)));
    const result = evaluateBuckets(net, task, { lengths: { min: 1, max: 4 }, buckets: 2, samplesPerBucket: 8, rng: new Rng(1) });
    expect(result.sequenceAccuracy).toBeUndefined();
    net.dispose();
  });
});
