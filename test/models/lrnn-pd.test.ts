import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../src/errors.js';
import { initWeights } from '../../src/models/init.js';
import { buildNetwork } from '../../src/models/network.js';
import type { Weights } from '../../src/models/params.js';
import { permTable } from '../../src/models/perm-table.js';
import { AdamW } from '../../src/models/train/adamw.js';
import { trainStep } from '../../src/models/train/step.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = familyConfig('lrnn-pd', { vocab: 3, classes: 3, width: 6, state: 5, output: 'every' });
const words = [0, 1, 2, 2, 1, 0, 1, 1, 2, 0, 0, 2];

function logitsOf(weights: Weights, family: 'lrnn-pd' | 'lrnn-neg'): number[] {
  const net = buildNetwork({ ...config, family }, weights);
  const out = tf.tidy(() => Array.from(net.logits(tf.tensor2d(words, [2, 6], 'int32')).dataSync()));
  net.dispose();
  return out;
}

describe('lrnn-pd permutation tables', () => {
  it('refuses a row that is not a permutation, naming the row and the entry', () => {
    expect(() => permTable('w', { shape: [2, 3], data: Float32Array.from([0, 1, 2, 0, 0, 2]) })).toThrow(InputError);
    expect(() => permTable('w', { shape: [2, 3], data: Float32Array.from([0, 1, 2, 0, 0, 2]) })).toThrow(/w: row 1 is not a permutation of 0..2 \(entry 1 = 0\)/);
    expect(() => permTable('w', { shape: [1, 3], data: Float32Array.from([0, 1.5, 2]) })).toThrow(/row 0/);
    expect(permTable('w', { shape: [1, 3], data: Float32Array.from([2, 0, 1]) }).perm).toEqual(Int32Array.from([2, 0, 1]));
  });

  it('is the lrnn-neg network where the selection always picks the identity row 0', () => {
    const w = initWeights(config, new Rng(5));
    w['l0.mix.wp'].data.fill(0);
    w['l0.mix.cp'].data.set([1, 0, 0]);
    const neg: Weights = Object.fromEntries(Object.entries(w).filter(([name]) => !/mix\.(perm|wp|cp)$/.test(name)));
    const pd = logitsOf(w, 'lrnn-pd');
    logitsOf(neg, 'lrnn-neg').forEach((v, i) => expect(pd[i]).toBeCloseTo(v, 5));
    // Another selection changes the function (the permutations act).
    w['l0.mix.cp'].data.set([0, 1, 0]);
    expect(logitsOf(w, 'lrnn-pd')).not.toEqual(pd);
  });

  it('trains the selection through the straight-through gradient and never changes the table', () => {
    const w = initWeights(config, new Rng(6));
    const net = buildNetwork(config, w);
    const opt = new AdamW(net.variables, { weightDecay: 0.01, clip: 1 });
    const batch = { size: 2, length: 6, tokens: Int32Array.from(words), labels: Int32Array.from(words, (s) => (s + 1) % 3) };
    trainStep(net, opt, batch, 0.05);
    const after = net.weights();
    expect(Array.from(after['l0.mix.perm'].data)).toEqual(Array.from(w['l0.mix.perm'].data));
    expect(Array.from(after['l0.mix.wp'].data)).not.toEqual(Array.from(w['l0.mix.wp'].data));
    expect(Array.from(after['l0.mix.wb'].data)).not.toEqual(Array.from(w['l0.mix.wb'].data));
    opt.dispose();
    net.dispose();
  });
});
