import { describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../src/errors.js';
import { describeBackend, parseBackendChoice, selectBackend } from '../../src/models/backend.js';
import type { ModelConfig } from '../../src/models/config.js';
import { initWeights } from '../../src/models/init.js';
import { buildNetwork } from '../../src/models/network.js';
import { Rng } from '../../src/random.js';

/** Gradient of sum(gather(table, ids) * weights) with respect to the table, on the current backend. */
function gatherGradient(): Float32Array {
  return tf.tidy(() => {
    const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const ids = tf.tensor2d([0, 2, 2, 1, 0, 2], [2, 3], 'int32');
    const weights = tf.tensor3d([1, -1, 2, 0.5, 3, 1, -2, 4, 0.25, 1, 7, -3], [2, 3, 2]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), weights)))(table);
    return grad.dataSync() as Float32Array;
  });
}

describe('backend selection', () => {
  test('parses the choices and refuses others', () => {
    expect(parseBackendChoice('wasm')).toBe('wasm');
    expect(() => parseBackendChoice('webgl')).toThrow(InputError);
    expect(() => parseBackendChoice('webgl')).toThrow(/--backend: unknown backend 'webgl' \(choose one of auto, tensorflow, wasm, cpu\)/);
  });

  test('cpu is always available and becomes the current backend', async () => {
    const b = await selectBackend('cpu');
    expect(b).toEqual({ name: 'cpu', source: 'built in', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(describeBackend(b)).toBe('backend: cpu from built in');
  });

  test('wasm loads from its npm package', async () => {
    const b = await selectBackend('wasm');
    expect(b.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  test('auto falls through to wasm when no native package is installed, naming what it skipped', async () => {
    const nativeInstalled = await import('@tensorflow/tfjs-node' as string).then(
      () => true,
      () => false,
    );
    const b = await selectBackend('auto');
    if (nativeInstalled) {
      expect(b.name).toBe('tensorflow');
      return;
    }
    expect(b.name).toBe('wasm');
    expect(b.skipped).toEqual(['@tensorflow/tfjs-node-gpu: not installed', '@tensorflow/tfjs-node: not installed']);
    expect(describeBackend(b)).toContain('skipped @tensorflow/tfjs-node-gpu: not installed');
  });

  test('an explicit native choice that cannot load is an InputError', async () => {
    const nativeInstalled = await import('@tensorflow/tfjs-node' as string).then(
      () => true,
      () => false,
    );
    if (nativeInstalled) return;
    await expect(selectBackend('tensorflow')).rejects.toThrow(/--backend tensorflow: unavailable \(@tensorflow\/tfjs-node-gpu: not installed/);
  });

  test("wasm's added gather gradient (UnsortedSegmentSum) equals cpu's", async () => {
    await selectBackend('cpu');
    const expected = gatherGradient();
    await selectBackend('wasm');
    const got = gatherGradient();
    expect(Array.from(got)).toEqual(Array.from(expected));
    // Hand-computed: row r collects the weights of every position that gathered r.
    expect(Array.from(expected)).toEqual([1 + 0.25, -1 + 1, -2, 4, 2 + 3 + 7, 0.5 + 1 - 3]);
  });

  test("wasm's replaced one-hot honours float32 (the stock kernel writes integer bit patterns)", async () => {
    await selectBackend('wasm');
    const got = tf.tidy(() => Array.from(tf.oneHot(tf.tensor1d([1, 0, 2], 'int32'), 3, 2, -1, 'float32').dataSync()));
    expect(got).toEqual([-1, 2, -1, 2, -1, -1, -1, -1, 2]);
  });

  test('a network gives the same logits and gradients on wasm as on cpu', async () => {
    const config: ModelConfig = { family: 'lrnn-neg', vocab: 2, classes: 2, width: 4, state: 4, layers: 1, mlp: 0, norm: 'rms', output: 'last', heads: 1, positions: 'none', maxLen: 0 };
    const weights = initWeights(config, new Rng(1));
    const run = (): number[] => {
      const net = buildNetwork(config, weights);
      const out = tf.tidy(() => {
        const tokens = tf.tensor2d([0, 1, 1, 1, 0, 1], [2, 3], 'int32');
        const loss = (): tf.Scalar => tf.sum(tf.mul(net.logits(tokens), tf.tensor2d([1, -1, 0.5, 2], [2, 2])));
        const { value, grads } = tf.variableGrads(loss, Object.values(net.variables));
        return [value.dataSync()[0], ...Object.values(grads).flatMap((g) => Array.from(g.dataSync()))];
      });
      net.dispose();
      return out;
    };
    await selectBackend('cpu');
    const cpu = run();
    await selectBackend('wasm');
    const wasm = run();
    expect(wasm.length).toBe(cpu.length);
    wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i], 4));
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0.1);
  });
});
