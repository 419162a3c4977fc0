import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/random.js';
import type { Complex3D, ScanMode } from '../../src/models/scan.js';
import { complexScan, linearScan } from '../../src/models/scan.js';
import { unstackLeading } from '../../src/models/layers.js';

const LENGTHS = [1, 2, 3, 5, 8, 13, 64];

function uniform(rng: Rng, shape: [number, number, number], lo: number, hi: number): tf.Tensor3D {
  const size = shape[0] * shape[1] * shape[2];
  return tf.tensor3d(Float32Array.from({ length: size }, () => lo + (hi - lo) * rng.float()), shape);
}

/** Tensors a function creates inside one tidy: a count of the ops it runs. */
function tensorsCreated(f: () => void): number {
  return tf.tidy(() => {
    const before = tf.memory().numTensors;
    f();
    return tf.memory().numTensors - before;
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('linearScan', () => {
  it.each(LENGTHS)('parallel and sequential agree to 1e-5 with a plain loop at T = %i (float32)', (t) => {
    tf.tidy(() => {
      const rng = new Rng(t);
      const a = uniform(rng, [2, t, 3], -1, 1);
      const b = uniform(rng, [2, t, 3], -1, 1);
      const [av, bv] = [a.arraySync(), b.arraySync()];
      const want = av.map((row, i) => {
        let h = [0, 0, 0];
        return row.map((at, s) => (h = h.map((hv, k) => at[k] * hv + bv[i][s][k])));
      });
      for (const mode of ['parallel', 'sequential'] as ScanMode[]) {
        const got = linearScan(a, b, mode).arraySync();
        want.forEach((row, i) => row.forEach((hs, s) => hs.forEach((v, k) => expect(Math.abs(got[i][s][k] - v)).toBeLessThan(1e-5))));
      }
    });
  });

  it('gives the same gradients through both modes', () => {
    tf.tidy(() => {
      const rng = new Rng(9);
      const a = uniform(rng, [2, 21, 3], -1, 1);
      const b = uniform(rng, [2, 21, 3], -1, 1);
      const weights = uniform(rng, [2, 21, 3], -1, 1);
      const grads = (mode: ScanMode): tf.Tensor[] => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(linearScan(x as tf.Tensor3D, y as tf.Tensor3D, mode), weights)))([a, b]);
      const [pa, pb] = grads('parallel');
      const [sa, sb] = grads('sequential');
      expect(tf.max(tf.abs(tf.sub(pa, sa))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(pb, sb))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(pa)).dataSync()[0]).toBeGreaterThan(0.1);
    });
  });

  it('runs O(log T) tensor operations in parallel mode, O(T) in sequential mode', () => {
    const rng = new Rng(3);
    const count = (t: number, mode: ScanMode): number => {
      const a = uniform(rng, [1, t, 2], 0, 1);
      const b = uniform(rng, [1, t, 2], 0, 1);
      const n = tensorsCreated(() => linearScan(a, b, mode));
      a.dispose();
      b.dispose();
      return n;
    };
    // One level of the odd–even scan is a fixed 20 tensors (splits, reshapes, 4 products and sums, the
    // shift, the interleave); T = 256 has 8 levels, 4 more than T = 16.
    const [small, large] = [count(16, 'parallel'), count(256, 'parallel')];
    expect(large).toBeLessThanOrEqual(20 * 8);
    expect(large - small).toBeLessThanOrEqual(20 * 4);
    expect(count(256, 'sequential')).toBeGreaterThanOrEqual(256);
  });
});

describe('complexScan', () => {
  it.each(LENGTHS)('parallel and sequential agree to 1e-5 with complex arithmetic at T = %i (float32)', (t) => {
    tf.tidy(() => {
      const rng = new Rng(100 + t);
      const shape: [number, number, number] = [2, t, 2];
      const r = uniform(rng, shape, 0, 1);
      const theta = uniform(rng, shape, -Math.PI, Math.PI);
      const a: Complex3D = { re: tf.mul(r, tf.cos(theta)), im: tf.mul(r, tf.sin(theta)) };
      const b: Complex3D = { re: uniform(rng, shape, -1, 1), im: uniform(rng, shape, -1, 1) };
      const [ar, ai, br, bi] = [a.re, a.im, b.re, b.im].map((x) => x.arraySync());
      for (const mode of ['parallel', 'sequential'] as ScanMode[]) {
        const got = complexScan(a, b, mode);
        const [gr, gi] = [got.re.arraySync(), got.im.arraySync()];
        for (let i = 0; i < 2; i++) {
          for (let k = 0; k < 2; k++) {
            let [x, y] = [0, 0];
            for (let s = 0; s < t; s++) {
              [x, y] = [ar[i][s][k] * x - ai[i][s][k] * y + br[i][s][k], ar[i][s][k] * y + ai[i][s][k] * x + bi[i][s][k]];
              expect(Math.abs(gr[i][s][k] - x)).toBeLessThan(1e-5);
              expect(Math.abs(gi[i][s][k] - y)).toBeLessThan(1e-5);
            }
          }
        }
      }
    });
  });
});

describe('unstackLeading', () => {
  it('equals tf.unstack, values and gradients, for every length up to 30', () => {
    for (let t = 1; t <= 30; t++) {
      tf.tidy(() => {
        const x = uniform(new Rng(t), [t, 2, 3], -1, 1);
        const parts = unstackLeading(x);
        expect(parts.length).toBe(t);
        parts.forEach((p, i) => expect(p.arraySync()).toEqual((tf.unstack(x)[i] as tf.Tensor).arraySync()));
        // A weighted sum of the steps: its gradient must be the weights, step by step.
        const weights = uniform(new Rng(100 + t), [t, 2, 3], -1, 1);
        const g = tf.grad((y: tf.Tensor) => tf.addN(unstackLeading(y).map((p, i) => tf.sum(tf.mul(p, tf.unstack(weights)[i])))))(x);
        expect(tf.max(tf.abs(tf.sub(g, weights))).dataSync()[0]).toBe(0);
      });
    }
  });
});
