import { describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../src/errors.js';
import { describeBackend, parseBackendChoice, selectBackend } from '../../src/models/backend.js';

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
});
