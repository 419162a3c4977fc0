// The helpers of the fused kernels (src/models/kernels): tanh32 against Math.tanh, StepProduct and TanhSteps (the
// wasm kernels called outside the engine) against tf.matMul and 1 / (1 + e^−x), over random shapes and steps, and the
// buffer pool's promises (zeroed buffers, one owner at a time).
import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { selectBackend } from '../../src/models/backend.js';
import { giveBack, takeBuffer } from '../../src/models/kernels/buffers.js';
import { tanh32 } from '../../src/models/kernels/fast-tanh.js';
import { StepProduct } from '../../src/models/kernels/step-product.js';
import { TanhSteps } from '../../src/models/kernels/tanh-steps.js';

describe('tanh32', () => {
  it('is within 1.3e-7 relative of Math.tanh, and odd', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        const t = Math.tanh(x);
        expect(Math.abs(tanh32(x) - t)).toBeLessThanOrEqual(1.3e-7 * Math.abs(t));
        expect(tanh32(-x)).toBe(-tanh32(x));
      }),
      { numRuns: 2000, seed: 31 },
    );
  });
});

/** A seeded [rows, cols] array of values in [−1, 1). */
const values = (count: number, seed: number): Float32Array => Float32Array.from({ length: count }, (_, i) => (((i + 1) * 7919 * (seed + 3)) % 2003) / 1001.5 - 1);

describe('TanhSteps', () => {
  it('multiplies like tf.matMul and takes σ within 2e-7 of the product as changed in place, every step; frees what it made; null on cpu', async () => {
    await selectBackend('wasm');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 }), async (p, q, s, seed) => {
        const before = tf.memory().numTensors;
        const w = values(q * s, seed).map((v) => 3 * v);
        const steps = TanhSteps.open(w, p, q, s);
        if (steps === null) throw new Error('TanhSteps.open: null on wasm');
        for (let step = 0; step < 3; step++) {
          const a = values(p * q, seed + 10 * step + 1);
          steps.left().set(a);
          const product = steps.multiply();
          const want = tf.tidy(() => tf.matMul(tf.tensor2d(a, [p, q]), tf.tensor2d(w, [q, s])).dataSync());
          product.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
          // changed in place before σ, as the rnn-tanh pass adds 2x_t
          for (let i = 0; i < product.length; i++) product[i] += 2 * values(p * s, seed + step)[i];
          const changed = Float32Array.from(product);
          const sigmoid = steps.sigmoidOfProduct();
          changed.forEach((v, i) => expect([v, Math.abs(sigmoid[i] - 1 / (1 + Math.exp(-v))) < 2e-7]).toEqual([v, true]));
        }
        steps.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }),
      { numRuns: 25, seed: 33 },
    );
    await selectBackend('cpu');
    expect(TanhSteps.open(new Float32Array(4), 2, 2, 2)).toBeNull();
  });
});

describe('StepProduct', () => {
  it('multiplies every step like tf.matMul (run and multiply), on wasm and on cpu, and frees what it made', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await selectBackend(backend);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 }), async (p, q, s, seed) => {
          const before = tf.memory().numTensors;
          const w = values(q * s, seed);
          const product = new StepProduct(w, p, q, s);
          const out = new Float32Array(p * s);
          for (let step = 0; step < 3; step++) {
            const a = values(p * q, seed + 10 * step + 1);
            product.left().set(a);
            product.run(out);
            const want = tf.tidy(() => tf.matMul(tf.tensor2d(a, [p, q]), tf.tensor2d(w, [q, s])).dataSync());
            out.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
            // multiply(): the same product, read where it lies
            product.multiply().forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
          }
          product.dispose();
          expect(tf.memory().numTensors).toBe(before);
        }),
        { numRuns: 25, seed: 32 },
      );
    }
  });
});

describe('buffer pool', () => {
  it('hands out zeroed buffers of the length asked, reusing one given back, never one twice', () => {
    const a = takeBuffer(1000);
    a.fill(7);
    giveBack([a, a]);
    const b = takeBuffer(1000);
    const c = takeBuffer(1000);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(b.every((x) => x === 0)).toBe(true);
    expect(takeBuffer(999).length).toBe(999);
    giveBack([new Float32Array(2000).subarray(0, 1000)]); // a view of something larger is not pooled
    expect(takeBuffer(1000).buffer.byteLength).toBe(4000);
  });

  it('leaves a reused buffer as it was when not asked to zero it (for callers that overwrite it)', () => {
    const a = takeBuffer(1001);
    a.fill(3);
    giveBack([a]);
    const b = takeBuffer(1001, false);
    expect(b).toBe(a);
    expect(b.every((x) => x === 3)).toBe(true);
  });
});
