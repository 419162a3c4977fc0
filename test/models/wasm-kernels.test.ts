// The faster wasm kernels (src/models/kernels/wasm-kernels.ts) against the cpu backend's, over random shapes
// and permutations: same values, bit for bit for transposes and slices, to float rounding for sums.
import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { selectBackend } from '../../src/models/backend.js';
import { groupSwap } from '../../src/models/kernels/wasm-kernels.js';

/** shape and data of a tensor computed on the given backend. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<{ shape: number[]; data: number[] }> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const y = f();
    return { shape: y.shape, data: Array.from(y.dataSync()) };
  });
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 7919) % 101) / 10 - 5);

describe('groupSwap', () => {
  it('recognises the swaps of adjacent axis groups and nothing else', () => {
    expect(groupSwap([2, 3], [1, 0])).toEqual([1, 2, 3, 1]);
    expect(groupSwap([2, 3, 4], [1, 0, 2])).toEqual([1, 2, 3, 4]);
    expect(groupSwap([2, 3, 4, 5], [0, 2, 1, 3])).toEqual([2, 3, 4, 5]);
    expect(groupSwap([2, 3, 4, 5], [0, 3, 1, 2])).toEqual([2, 12, 5, 1]);
    expect(groupSwap([2, 3, 4], [0, 1, 2])).toBeNull();
    expect(groupSwap([2, 3, 4], [2, 0, 1])).toEqual([1, 6, 4, 1]);
    expect(groupSwap([2, 3, 4], [1, 2, 0])).toEqual([1, 2, 12, 1]);
    expect(groupSwap([2, 3, 4, 5], [2, 1, 0, 3])).toBeNull();
  });
});

describe('fast wasm kernels', () => {
  it('transpose like the cpu backend for every permutation of random shapes', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, fc.integer({ min: 0, max: 1e6 }), fc.boolean(), async (shape, seed, asInt) => {
        const perm = shape.map((_, i) => i);
        for (let i = perm.length - 1, s = seed; i > 0; i--, s = Math.floor(s / (i + 1))) {
          const j = s % (i + 1);
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const f = () => tf.transpose(tf.tensor(values(shape), shape, asInt ? 'int32' : 'float32'), perm);
        expect(await on('wasm', f)).toEqual(await on('cpu', f));
      }),
      { numRuns: 60, seed: 21 },
    );
  });

  it('sum like the cpu backend over any axes of random shapes, with and without keepDims', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, fc.integer({ min: 0, max: 15 }), fc.boolean(), async (shape, mask, keepDims) => {
        const axes = shape.map((_, i) => i).filter((i) => (mask >> i) & 1);
        const f = () => tf.sum(tf.tensor(values(shape), shape), axes.length === 0 ? undefined : axes, keepDims);
        const [w, c] = [await on('wasm', f), await on('cpu', f)];
        expect(w.shape).toEqual(c.shape);
        w.data.forEach((v, i) => expect(Math.abs(v - c.data[i])).toBeLessThan(1e-4));
      }),
      { numRuns: 60, seed: 22 },
    );
  });

  it('slice like the cpu backend, every block of random shapes, float32 and int32', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, fc.integer({ min: 0, max: 1e6 }), fc.boolean(), async (shape, seed, asInt) => {
        // a block per axis from seeded digits: begin in [0, n), size in [1, n − begin]
        let s = seed;
        const begin: number[] = [];
        const size: number[] = [];
        for (const n of shape) {
          const b = s % n;
          s = Math.floor(s / n);
          begin.push(b);
          size.push(1 + (s % (n - b)));
          s = Math.floor(s / (n - b));
        }
        const f = () => tf.slice(tf.tensor(values(shape), shape, asInt ? 'int32' : 'float32'), begin, size);
        expect(await on('wasm', f)).toEqual(await on('cpu', f));
      }),
      { numRuns: 60, seed: 23 },
    );
  });

  it('cast keeps values like the cpu backend, to the same type and to another', async () => {
    for (const [from, to] of [['float32', 'float32'], ['float32', 'int32'], ['int32', 'float32'], ['int32', 'int32']] as const) {
      const f = () => tf.cast(tf.tensor([1.5, -2.25, 3], [3], from), to);
      expect(await on('wasm', f)).toEqual(await on('cpu', f));
    }
    await selectBackend('wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor([1, 2, 3]);
    const y = tf.cast(x, 'float32');
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('identity shares data and frees it with the last reference', async () => {
    await selectBackend('wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});
