// layers.ts's operations with hand-written gradients, on wasm (whose matMul caches a packed right factor by data
// id): projectShared against project (whose gradient is the plain aᵀ·dy) and central finite differences, with
// one input read by two weights, as the mixers use it; softplus and expNonPositive against tf.softplus and tf.exp
// and their gradients.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { selectBackend } from '../../src/models/backend.js';
import { affineShared, expNonPositive, project, projectShared, softplus } from '../../src/models/layers.js';
import { Rng } from '../../src/random.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const maxDiff = (x: tf.Tensor, y: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]);

describe('projectShared', () => {
  it('gives project\'s values and gradients when one input feeds two weights, and central finite differences', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));
    fc.assert(
      fc.property(dims, fc.integer({ min: 0, max: 1e6 }), ([b, t, k, m1, m2], seed) => {
        tf.tidy(() => {
          const x = tf.randomUniform([b, t, k], -1, 1, 'float32', seed) as tf.Tensor3D;
          const w1 = tf.randomUniform([k, m1], -1, 1, 'float32', seed + 1);
          const w2 = tf.randomUniform([k, m2], -1, 1, 'float32', seed + 2);
          const c1 = tf.randomUniform([b, t, m1], -1, 1, 'float32', seed + 3);
          const c2 = tf.randomUniform([b, t, m2], -1, 1, 'float32', seed + 4);
          const loss = (f: typeof project) => (...xs: tf.Tensor[]) =>
            tf.add(tf.sum(tf.mul(f(xs[0] as tf.Tensor3D, xs[1]), c1)), tf.sum(tf.mul(f(xs[0] as tf.Tensor3D, xs[2]), c2))) as tf.Scalar;
          expect(maxDiff(projectShared(x, w1), project(x, w1))).toBeLessThan(1e-6);
          const shared = tf.grads(loss(projectShared))([x, w1, w2]);
          const plain = tf.grads(loss(project))([x, w1, w2]);
          shared.forEach((g, i) => expect([i, maxDiff(g, plain[i]) < 1e-5]).toEqual([i, true]));
          const rng = new Rng(seed);
          for (let probe = 0; probe < 3; probe++) {
            const which = rng.int(0, 2);
            const at = rng.int(0, [x, w1, w2][which].size - 1);
            const bump = (d: number) => [x, w1, w2].map((v, i) => (i === which ? tf.add(v, tf.tensor(Float32Array.from({ length: v.size }, (_, j) => (j === at ? d : 0)), v.shape)) : v));
            const fd = (loss(projectShared)(...bump(1e-2)).dataSync()[0] - loss(projectShared)(...bump(-1e-2)).dataSync()[0]) / 2e-2;
            expect(Math.abs(fd - shared[which].dataSync()[at])).toBeLessThan(1e-2);
          }
        });
      }),
      { numRuns: 40, seed: 21 },
    );
  });

  it('adds the bias in affineShared, whose gradient is the sum over positions', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 4], -1, 1, 'float32', 1) as tf.Tensor3D;
      const w = tf.randomUniform([4, 5], -1, 1, 'float32', 2);
      const c = tf.randomUniform([5], -1, 1, 'float32', 3);
      expect(maxDiff(affineShared(x, w, c), tf.add(project(x, w), c))).toBeLessThan(1e-6);
      const [gc] = tf.grads((v: tf.Tensor) => tf.sum(affineShared(x, w, v)))([c]);
      expect(Array.from(gc.dataSync())).toEqual([6, 6, 6, 6, 6]);
    });
  });
});

describe('softplus', () => {
  it('is log(1 + e^z) within 2e-7 absolute (and 1e-6 relative above 1e-3), with the gradient σ(z) of tf.softplus, from −120 to 120', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -120, max: 120, noNaN: true }), { minLength: 1, maxLength: 50 }), (zs) => {
        tf.tidy(() => {
          const z = tf.tensor1d(zs);
          const ours = softplus(z).dataSync();
          zs.forEach((x, i) => {
            const exact = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            const tol = Math.max(2e-7, exact > 1e-3 ? 1e-6 * exact : 0);
            expect([x, Math.abs(ours[i] - exact) <= tol]).toEqual([x, true]);
          });
          const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(softplus(v), tf.range(1, zs.length + 1))))([z]);
          const [h] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.softplus(v), tf.range(1, zs.length + 1))))([z]);
          expect(maxDiff(g, h)).toBeLessThan(1e-5);
        });
      }),
      { numRuns: 100, seed: 22 },
    );
    tf.tidy(() => {
      // central finite differences where the function is smooth at float32 resolution
      const z = tf.tensor1d([-3, -0.5, 0, 0.7, 4]);
      const f = (v: tf.Tensor) => tf.sum(softplus(v)).dataSync()[0];
      const [g] = tf.grads((v: tf.Tensor) => tf.sum(softplus(v)))([z]);
      [-3, -0.5, 0, 0.7, 4].forEach((_, i) => {
        const bump = (d: number) => tf.add(z, tf.oneHot(i, 5).mul(d));
        expect(Math.abs((f(bump(1e-2)) - f(bump(-1e-2))) / 2e-2 - g.dataSync()[i])).toBeLessThan(1e-3);
      });
    });
  });
});

describe('expNonPositive', () => {
  it('is e^x within 4e-7 relative for x in [−80, 0] (1e-38 absolute below), with the gradient of tf.exp', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -110, max: 0, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        tf.tidy(() => {
          const x = tf.tensor1d(xs);
          const ours = expNonPositive(x).dataSync();
          xs.forEach((v, i) => {
            const exact = Math.exp(Math.fround(v));
            expect([v, Math.abs(ours[i] - exact) <= (v >= -80 ? 4e-7 * exact : 1e-38)]).toEqual([v, true]);
          });
          const w = tf.range(1, xs.length + 1);
          const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(expNonPositive(v), w)))([x]);
          const [h] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.exp(v), w)))([x]);
          expect(maxDiff(g, h)).toBeLessThanOrEqual(1e-6 * (1 + tf.max(tf.abs(h)).dataSync()[0]));
        });
      }),
      { numRuns: 100, seed: 23 },
    );
    tf.tidy(() => {
      const points = [-6, -2, -0.5, -0.1];
      const x = tf.tensor1d(points);
      const f = (v: tf.Tensor) => tf.sum(expNonPositive(v)).dataSync()[0];
      const [g] = tf.grads((v: tf.Tensor) => tf.sum(expNonPositive(v)))([x]);
      points.forEach((_, i) => {
        const bump = (d: number) => tf.add(x, tf.oneHot(i, points.length).mul(d));
        expect(Math.abs((f(bump(1e-2)) - f(bump(-1e-2))) / 2e-2 - g.dataSync()[i])).toBeLessThan(1e-3);
      });
    });
  });
});
