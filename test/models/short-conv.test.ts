import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { checkpointFromJson, checkpointToJsonText } from '../../src/models/checkpoint.js';
import type { ModelConfig } from '../../src/models/config.js';
import { initWeights } from '../../src/models/init.js';
import { buildNetwork } from '../../src/models/network.js';
import { paramShapes } from '../../src/models/params.js';
import { shortConvSilu } from '../../src/models/short-conv.js';
import { configForTask } from '../../src/models/train/model-config.js';
import { presetSettings } from '../../src/models/train/presets.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { Rng } from '../../src/random.js';

const conv4: ModelConfig = { family: 'deltanet-neg', vocab: 3, classes: 2, width: 6, state: 6, layers: 2, mlp: 4, norm: 'rms', output: 'every', heads: 2, positions: 'none', maxLen: 0, conv: 4 };

describe('shortConvSilu', () => {
  it('is silu of the causal depthwise convolution, left zero-padded, tap K − 1 on the current step', () => {
    const rng = new Rng(3);
    const [b, t, n, k] = [2, 5, 3, 3];
    const x = Array.from({ length: b * t * n }, () => 2 * rng.float() - 1);
    const w = Array.from({ length: n * k }, () => 2 * rng.float() - 1);
    const got = tf.tidy(() => shortConvSilu(tf.tensor3d(x, [b, t, n]), tf.tensor2d(w, [n, k])).dataSync());
    for (let r = 0; r < b; r++)
      for (let s = 0; s < t; s++)
        for (let i = 0; i < n; i++) {
          let c = 0;
          for (let j = 0; j < k; j++) {
            const tau = s - (k - 1) + j;
            if (tau >= 0) c += w[i * k + j] * x[(r * t + tau) * n + i];
          }
          expect(got[(r * t + s) * n + i]).toBeCloseTo(c / (1 + Math.exp(-c)), 5);
        }
  });
});

describe('deltanet with a short convolution', () => {
  it('has convq, convk, convv [n, K] per layer, drawn U(±1/sqrt(K)); without conv the weights are as before', () => {
    const names = paramShapes(conv4).filter(([name]) => /conv/.test(name));
    expect(names).toEqual(['l0.mix.convq', 'l0.mix.convk', 'l0.mix.convv', 'l1.mix.convq', 'l1.mix.convk', 'l1.mix.convv'].map((name) => [name, [6, 4]]));
    const w = initWeights(conv4, new Rng(1));
    const all = names.flatMap(([name]) => Array.from(w[name].data));
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...all.map(Math.abs))).toBeGreaterThan(0.3);
    const { conv: _conv, ...plain } = conv4;
    const before = initWeights(plain, new Rng(1));
    expect(paramShapes(plain).some(([name]) => /conv/.test(name))).toBe(false);
    expect(Array.from(before['l0.mix.wo'].data)).toEqual(Array.from(w['l0.mix.wo'].data));
  });

  it('fused and graph paths give the same loss and weight gradients, and the kernels get gradients', () => {
    const weights = initWeights(conv4, new Rng(4));
    const nets = (['fused', 'sequential'] as const).map((scan) => buildNetwork(conv4, weights, { scan }));
    const rng = new Rng(9);
    const tokens = tf.tensor2d(Array.from({ length: 3 * 7 }, () => rng.int(0, 2)), [3, 7], 'int32');
    try {
      const results = nets.map((net) => tf.variableGrads(() => tf.mean(tf.square(net.logits(tokens))) as tf.Scalar, Object.values(net.variables)));
      expect(Math.abs(results[0].value.dataSync()[0] - results[1].value.dataSync()[0])).toBeLessThan(1e-5);
      for (const name of Object.keys(nets[0].variables)) {
        const [f, s] = [0, 1].map((i) => results[i].grads[nets[i].variables[name].name].dataSync());
        const diff = Math.max(...Array.from(f, (v, j) => Math.abs(v - s[j])));
        expect([name, diff < 1e-4]).toEqual([name, true]);
        if (/conv/.test(name)) expect([name, Math.max(...Array.from(f, Math.abs)) > 1e-6]).toEqual([name, true]);
      }
      results.forEach((r) => tf.dispose([r.value, ...Object.values(r.grads)]));
    } finally {
      tokens.dispose();
      nets.forEach((n) => n.dispose());
    }
  });

  it('reads differently than the same weights without it (the convolution is applied)', () => {
    const weights = initWeights(conv4, new Rng(5));
    const { conv: _conv, ...plain } = conv4;
    const plainWeights = Object.fromEntries(Object.entries(weights).filter(([name]) => !/conv/.test(name)));
    const [a, b] = [buildNetwork(conv4, weights), buildNetwork(plain, plainWeights)];
    const tokens = tf.tensor2d([[0, 1, 2, 1]], [1, 4], 'int32');
    const [la, lb] = [a, b].map((net) => tf.tidy(() => Array.from(net.logits(tokens).dataSync())));
    expect(la.some((v, i) => Math.abs(v - lb[i]) > 1e-3)).toBe(true);
    tokens.dispose();
    a.dispose();
    b.dispose();
  });

  it('round-trips through the checkpoint file; a config without it is written without the field', () => {
    const task = { name: 'test', alphabet: ['0', '1', '2'], classes: ['reject', 'accept'] };
    const ckpt = { config: conv4, task, training: null, origin: 'test', weights: initWeights(conv4, new Rng(2)) };
    const text = checkpointToJsonText(ckpt);
    const back = checkpointFromJson(JSON.parse(text), 'm.json');
    expect(back.config.conv).toBe(4);
    expect(checkpointToJsonText(back)).toBe(text);
    const { conv: _conv, ...plain } = conv4;
    const old = checkpointToJsonText({ ...ckpt, config: plain, weights: initWeights(plain, new Rng(2)) });
    expect(old).not.toMatch(/"conv"/);
    // a conv checkpoint without its kernels, and a kernel on a family without heads of keys, are refused
    const j = JSON.parse(text);
    delete j.weights['l1.mix.convv'];
    expect(() => checkpointFromJson(j, 'm.json')).toThrow(/m\.json: weights\.l1\.mix\.convv: missing/);
    const lrnn = { ...JSON.parse(old), config: { ...plain, family: 'lrnn-neg', heads: 1, conv: 2 } };
    expect(() => checkpointFromJson(lrnn, 'm.json')).toThrow(/config\.conv: only deltanet takes a short convolution/);
  });

  it('is set by the p3 preset for deltanet only, not by cpu; configForTask writes no conv 0', () => {
    const parity = parseTask('parity');
    expect(presetSettings('p3', 'deltanet-neg', parity).model.conv).toBe(4);
    expect(presetSettings('p3', 'lrnn-neg', parity).model.conv).toBeUndefined();
    expect(presetSettings('cpu', 'deltanet-neg', parity).model.conv).toBeUndefined();
    const shape = { width: 4, state: 4, layers: 1, mlp: 0, norm: 'rms' as const, heads: 2, output: 'last' as const };
    expect('conv' in configForTask(parity, 'deltanet-pos', { ...shape, conv: 0 })).toBe(false);
    expect(configForTask(parity, 'deltanet-pos', { ...shape, conv: 3 }).conv).toBe(3);
    expect(() => configForTask(parity, 'lstm', { ...shape, heads: 1, conv: 3 })).toThrow(/config\.conv/);
  });
});
