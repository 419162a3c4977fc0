// The fused recurrences (src/models/kernels) against the tfjs graphs they replace (the parallel scan, the step
// loops of rnn-tanh, lstm and deltanet) and against finite differences, over random shapes; and whole
// networks of every recurrent family built on them against the same networks without them: same loss, same
// gradient for every weight.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { selectBackend } from '../../src/models/backend.js';
import type { ModelConfig } from '../../src/models/config.js';
import { initWeights } from '../../src/models/init.js';
import { fusedDeltaRule } from '../../src/models/kernels/delta-rule.js';
import { affineRows, embedRows } from '../../src/models/kernels/embedding.js';
import { fusedRmsNorm } from '../../src/models/kernels/rms-norm.js';
import { affine, rmsNorm } from '../../src/models/layers.js';
import { fusedComplexScan, fusedLinearScan, fusedLookupScan } from '../../src/models/kernels/diagonal-scan.js';
import { fusedLstmRecurrence } from '../../src/models/kernels/lstm-recurrence.js';
import { fusedTanhRecurrence } from '../../src/models/kernels/tanh-recurrence.js';
import { buildNetwork } from '../../src/models/network.js';
import { complexScan, linearScan } from '../../src/models/scan.js';
import { Rng } from '../../src/random.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const shape = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }));
/** At T = 1 the scan's graph does not involve a (h_1 = b_1), so tfjs cannot differentiate it with respect to a. */
const graphShape = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 4 }));

/** A [B, T, n] tensor of seeded uniform values in [lo, hi]. */
const uniform = (s: [number, number, number], lo: number, hi: number, seed: number) => tf.randomUniform(s, lo, hi, 'float32', seed) as tf.Tensor3D;

/** d at flat index k of a tensor of x's shape, zero elsewhere (tf.oneHot refuses depth 1). */
const spike = (x: tf.Tensor, k: number, d: number): tf.Tensor => {
  const v = new Float32Array(x.size);
  v[k] = d;
  return tf.tensor(v, x.shape);
};

const maxDiff = (x: tf.Tensor, y: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]);

describe('fused real scan', () => {
  it('matches the parallel scan and its tfjs gradient on random shapes', () => {
    fc.assert(
      fc.property(graphShape, fc.integer({ min: 0, max: 1e6 }), (s, seed) => {
        tf.tidy(() => {
          const a = uniform(s, -1, 1, seed);
          const b = uniform(s, -1, 1, seed + 1);
          const c = uniform(s, -1, 1, seed + 2);
          expect(maxDiff(fusedLinearScan(a, b), linearScan(a, b, 'parallel'))).toBeLessThan(1e-5);
          const loss = (f: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor3D) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor3D, y as tf.Tensor3D), c));
          const fused = tf.grads(loss(fusedLinearScan))([a, b]);
          const graph = tf.grads(loss((x, y) => linearScan(x, y, 'parallel')))([a, b]);
          expect(maxDiff(fused[0], graph[0])).toBeLessThan(1e-4);
          expect(maxDiff(fused[1], graph[1])).toBeLessThan(1e-4);
        });
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('has the gradient of central finite differences', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 1e6 }), (s, seed) => {
        tf.tidy(() => {
          const a = uniform(s, -0.9, 0.9, seed);
          const b = uniform(s, -1, 1, seed + 1);
          const c = uniform(s, -1, 1, seed + 2);
          const f = (x: tf.Tensor3D, y: tf.Tensor3D) => tf.sum(tf.mul(fusedLinearScan(x, y), c)).dataSync()[0];
          const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(fusedLinearScan(x as tf.Tensor3D, y as tf.Tensor3D), c)))([a, b]);
          const eps = 1e-2;
          const size = a.size;
          const rng = new Rng(seed);
          for (let probe = 0; probe < 3; probe++) {
            const k = rng.int(0, size - 1);
            const bump = (x: tf.Tensor3D, d: number) => tf.add(x, spike(x, k, d)) as tf.Tensor3D;
            const fdA = (f(bump(a, eps), b) - f(bump(a, -eps), b)) / (2 * eps);
            const fdB = (f(a, bump(b, eps)) - f(a, bump(b, -eps))) / (2 * eps);
            expect(Math.abs(fdA - ga.dataSync()[k])).toBeLessThan(2e-2);
            expect(Math.abs(fdB - gb.dataSync()[k])).toBeLessThan(2e-2);
          }
        });
      }),
      { numRuns: 20, seed: 12 },
    );
  });
});

describe('fused complex scan', () => {
  it('matches the parallel complex scan and its tfjs gradient on random shapes', () => {
    fc.assert(
      fc.property(graphShape, fc.integer({ min: 0, max: 1e6 }), (s, seed) => {
        tf.tidy(() => {
          const [ar, ai, br, bi, cr, ci] = [0, 1, 2, 3, 4, 5].map((k) => uniform(s, -0.7, 0.7, seed + k));
          const fused = fusedComplexScan({ re: ar, im: ai }, { re: br, im: bi });
          const graph = complexScan({ re: ar, im: ai }, { re: br, im: bi }, 'parallel');
          expect(maxDiff(fused.re, graph.re)).toBeLessThan(1e-5);
          expect(maxDiff(fused.im, graph.im)).toBeLessThan(1e-5);
          const loss = (mode: 'fused' | 'parallel') => (...xs: tf.Tensor[]) => {
            const h = complexScan({ re: xs[0] as tf.Tensor3D, im: xs[1] as tf.Tensor3D }, { re: xs[2] as tf.Tensor3D, im: xs[3] as tf.Tensor3D }, mode);
            return tf.add(tf.sum(tf.mul(h.re, cr)), tf.sum(tf.mul(h.im, ci)));
          };
          const gf = tf.grads(loss('fused'))([ar, ai, br, bi]);
          const gp = tf.grads(loss('parallel'))([ar, ai, br, bi]);
          gf.forEach((g, i) => expect(maxDiff(g, gp[i])).toBeLessThan(1e-4));
        });
      }),
      { numRuns: 30, seed: 13 },
    );
  });
});

describe('fused scans and tensors', () => {
  it('leave no tensor behind, forward and backward', () => {
    const a = uniform([2, 5, 3], -1, 1, 1);
    const b = uniform([2, 5, 3], -1, 1, 2);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(fusedLinearScan(x as tf.Tensor3D, y as tf.Tensor3D)))([a, b]);
      const h = tf.grads((x: tf.Tensor, y: tf.Tensor) => {
        const c = fusedComplexScan({ re: x as tf.Tensor3D, im: y as tf.Tensor3D }, { re: y as tf.Tensor3D, im: x as tf.Tensor3D });
        return tf.sum(tf.add(c.re, c.im));
      })([a, b]);
      return [...g, ...h];
    }).forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });
});

describe('fused complex scan, finite differences', () => {
  it('has the gradient of central finite differences in every part of a and b', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 1e6 }), (s, seed) => {
        tf.tidy(() => {
          const xs = [0, 1, 2, 3].map((k) => uniform(s, -0.6, 0.6, seed + k));
          const [cr, ci] = [4, 5].map((k) => uniform(s, -1, 1, seed + k));
          const loss = (...ys: tf.Tensor[]) => {
            const h = fusedComplexScan({ re: ys[0] as tf.Tensor3D, im: ys[1] as tf.Tensor3D }, { re: ys[2] as tf.Tensor3D, im: ys[3] as tf.Tensor3D });
            return tf.add(tf.sum(tf.mul(h.re, cr)), tf.sum(tf.mul(h.im, ci))) as tf.Scalar;
          };
          const grads = tf.grads(loss)(xs);
          const rng = new Rng(seed);
          const eps = 1e-2;
          for (let probe = 0; probe < 4; probe++) {
            const which = rng.int(0, 3);
            const k = rng.int(0, xs[0].size - 1);
            const bumped = (d: number) => xs.map((x, i) => (i === which ? tf.add(x, spike(x, k, d)) : x));
            const fd = (loss(...bumped(eps)).dataSync()[0] - loss(...bumped(-eps)).dataSync()[0]) / (2 * eps);
            expect(Math.abs(fd - grads[which].dataSync()[k])).toBeLessThan(2e-2);
          }
        });
      }),
      { numRuns: 20, seed: 14 },
    );
  });
});

/** The step loop of rnn-tanh as tfjs ops (the graph the fused kernel replaces). */
function tanhLoop(x: tf.Tensor3D, wh: tf.Tensor2D): tf.Tensor3D {
  const xs = tf.unstack(x, 1) as tf.Tensor2D[];
  const hs: tf.Tensor2D[] = [tf.tanh(xs[0])];
  for (let t = 1; t < xs.length; t++) hs.push(tf.tanh(tf.add(xs[t], tf.matMul(hs[t - 1], wh))) as tf.Tensor2D);
  return tf.stack(hs, 1) as tf.Tensor3D;
}

describe('fused tanh recurrence', () => {
  it('matches the step loop, its tfjs gradient and central finite differences on random shapes', () => {
    fc.assert(
      fc.property(graphShape, fc.integer({ min: 0, max: 1e6 }), (s, seed) => {
        tf.tidy(() => {
          const x = uniform(s, -1, 1, seed);
          const wh = tf.randomUniform([s[2], s[2]], -0.8, 0.8, 'float32', seed + 1) as tf.Tensor2D;
          const c = uniform(s, -1, 1, seed + 2);
          expect(maxDiff(fusedTanhRecurrence(x, wh), tanhLoop(x, wh))).toBeLessThan(1e-5);
          const loss = (f: typeof tanhLoop) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor3D, b as tf.Tensor2D), c)) as tf.Scalar;
          const gf = tf.grads(loss(fusedTanhRecurrence))([x, wh]);
          const gl = tf.grads(loss(tanhLoop))([x, wh]);
          expect(maxDiff(gf[0], gl[0])).toBeLessThan(1e-4);
          expect(maxDiff(gf[1], gl[1])).toBeLessThan(1e-4);
          const rng = new Rng(seed);
          const eps = 1e-2;
          for (let probe = 0; probe < 2; probe++) {
            const k = rng.int(0, wh.size - 1);
            const bump = (d: number) => tf.add(wh, spike(wh, k, d)) as tf.Tensor2D;
            const fd = (loss(fusedTanhRecurrence)(x, bump(eps)).dataSync()[0] - loss(fusedTanhRecurrence)(x, bump(-eps)).dataSync()[0]) / (2 * eps);
            expect(Math.abs(fd - gf[1].dataSync()[k])).toBeLessThan(2e-2);
          }
        });
      }),
      { numRuns: 30, seed: 15 },
    );
  });
});

/** The step loop of lstm.ts as tfjs ops: x [B, T, 4n] pre-activations, wh [n, 4n]. */
function lstmLoop(x: tf.Tensor3D, wh: tf.Tensor2D): tf.Tensor3D {
  const xs = tf.unstack(x, 1) as tf.Tensor2D[];
  const hs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D | null = null;
  let c: tf.Tensor2D | null = null;
  for (const xt of xs) {
    const z = h === null ? xt : tf.add(xt, tf.matMul(h, wh));
    const [i, f, g, o] = tf.split(z, 4, 1);
    const fresh = tf.mul(tf.sigmoid(i), tf.tanh(g));
    c = (c === null ? fresh : tf.add(tf.mul(tf.sigmoid(f), c), fresh)) as tf.Tensor2D;
    h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D;
    hs.push(h);
  }
  return tf.stack(hs, 1) as tf.Tensor3D;
}

/** The delta rule as the step loop of deltanet.ts in tfjs ops: k, q, v [B, T, H·e] head-major, beta [B, T, H]. */
function deltaLoop(k: tf.Tensor3D, q: tf.Tensor3D, v: tf.Tensor3D, beta: tf.Tensor3D): tf.Tensor3D {
  const [b, t, n] = k.shape;
  const heads = beta.shape[2];
  const e = n / heads;
  // [B, T, H·e] -> T tensors [B·H, e, 1] (columns) or [B·H, 1, e] (rows). The rows are cut separately, not
  // reshaped from the columns: tfjs-wasm 4.22 caches a matMul's packed right operand by its data id when
  // B·H = 1, so a reshape (same data, new shape) as a right operand would reuse the columns' packing.
  const cut = (x: tf.Tensor3D, last: [number, number]) => tf.unstack(x.reshape([b, t, heads, e]).transpose([1, 0, 2, 3]).reshape([t, b * heads, ...last])) as tf.Tensor3D[];
  const [ks, qs, vs] = [k, q, v].map((x) => cut(x, [e, 1]));
  const kRows = cut(k, [1, e]);
  const betas = tf.unstack(beta.transpose([1, 0, 2]).reshape([t, b * heads, 1, 1])) as tf.Tensor3D[];
  let s: tf.Tensor3D | null = null;
  const ys: tf.Tensor3D[] = [];
  for (let i = 0; i < t; i++) {
    const delta: tf.Tensor3D = s === null ? vs[i] : tf.sub(vs[i], tf.matMul(s, ks[i]));
    const update: tf.Tensor3D = tf.matMul(tf.mul(betas[i], delta) as tf.Tensor3D, kRows[i]);
    const next: tf.Tensor3D = s === null ? update : tf.add(s, update);
    s = next;
    ys.push(tf.matMul(next, qs[i]));
  }
  return tf.stack(ys).reshape([t, b, n]).transpose([1, 0, 2]) as tf.Tensor3D;
}

/** Checks tf.grads of loss at the inputs against central finite differences on `probes` random coordinates. */
function checkFiniteDifferences(loss: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[], seed: number, probes: number): void {
  const grads = tf.grads(loss)(xs);
  const rng = new Rng(seed);
  const eps = 1e-2;
  for (let probe = 0; probe < probes; probe++) {
    const which = rng.int(0, xs.length - 1);
    const k = rng.int(0, xs[which].size - 1);
    const bumped = (d: number) => xs.map((x, i) => (i === which ? tf.add(x, spike(x, k, d)) : x));
    const fd = (loss(...bumped(eps)).dataSync()[0] - loss(...bumped(-eps)).dataSync()[0]) / (2 * eps);
    expect([which, k, Math.abs(fd - grads[which].dataSync()[k]) < 2e-2]).toEqual([which, k, true]);
  }
}

/** The rows of `table` [vocab, n] picked by tokens [b, t] through a one-hot product: the graph a fused lookup replaces. */
const lookUp = (tokens: tf.Tensor2D, table: tf.Tensor2D, [b, t, n]: [number, number, number]): tf.Tensor3D =>
  tf.matMul(tf.cast(tf.oneHot(tokens, table.shape[0]), 'float32').reshape([b * t, table.shape[0]]), table).reshape([b, t, n]) as tf.Tensor3D;

/** [b, t, n] -> its last step, [b, 1, n]: what a kernel run with lastOnly gives. */
const lastOf = (x: tf.Tensor3D): tf.Tensor3D => tf.slice(x, [0, x.shape[1] - 1, 0], [x.shape[0], 1, x.shape[2]]);

/** Seeded tokens [b, t] drawn from 0..vocab − 1. */
const randomTokens = ([b, t]: [number, number], vocab: number, seed: number): tf.Tensor2D => {
  const rng = new Rng(seed);
  return tf.tensor2d(Array.from({ length: b * t }, () => rng.int(0, vocab - 1)), [b, t], 'int32');
};

/** fused(x, y) equals graph(x, y), and so do their gradients of sum(f · c); the fused gradients pass central finite differences. */
function expectFusedLikeGraph<X extends tf.Tensor, Y extends tf.Tensor>(fused: (x: X, y: Y) => tf.Tensor, graph: (x: X, y: Y) => tf.Tensor, [x, y]: [X, Y], c: tf.Tensor, seed: number): void {
  expect(maxDiff(fused(x, y), graph(x, y))).toBeLessThan(1e-5);
  const loss = (f: typeof graph) => (u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(f(u as X, v as Y), c)) as tf.Scalar;
  const gf = tf.grads(loss(fused))([x, y]);
  const gg = tf.grads(loss(graph))([x, y]);
  gf.forEach((g, i) => expect([i, maxDiff(g, gg[i]) < 1e-4]).toEqual([i, true]));
  checkFiniteDifferences(loss(fused), [x, y], seed, 3);
}

describe('fused embedding lookup', () => {
  it('matches one-hot times the table and its tfjs gradient (zero rows out of range), and central finite differences', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e6 }), ([b, t, d], vocab, seed) => {
        tf.tidy(() => {
          const rng = new Rng(seed);
          // tokens in [−1, vocab]: one past each end, which one-hot maps to a zero row
          const tokens = tf.tensor2d(Array.from({ length: b * t }, () => rng.int(-1, vocab)), [b, t], 'int32');
          const table = tf.randomUniform([vocab, d], -1, 1, 'float32', seed) as tf.Tensor2D;
          const c = uniform([b, t, d], -1, 1, seed + 1);
          const graph = (x: tf.Tensor2D) => tf.matMul(tf.cast(tf.oneHot(tokens, vocab), 'float32').reshape([b * t, vocab]), x).reshape([b, t, d]) as tf.Tensor3D;
          expect(maxDiff(embedRows(tokens, table), graph(table))).toBe(0);
          const loss = (f: (x: tf.Tensor2D) => tf.Tensor3D) => (x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D), c)) as tf.Scalar;
          const [gf] = tf.grads(loss((x) => embedRows(tokens, x)))([table]);
          const [gg] = tf.grads(loss(graph))([table]);
          expect(maxDiff(gf, gg)).toBeLessThan(1e-5);
          checkFiniteDifferences(loss((x) => embedRows(tokens, x)), [table], seed, 2);
        });
      }),
      { numRuns: 30, seed: 18 },
    );
  });
});

describe('fused tanh recurrence over a table read by token', () => {
  // tables of up to 16 rows ride in the products as one-hot columns and rows (recurrence.ts), larger ones are added to
  // the product and summed per token: both sizes are drawn
  const vocabs = fc.oneof(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 15, max: 18 }));
  // lastOnly: the last step alone ([b, 1, n]), as the last layer's mixer asks for it
  it.each([
    [false, 21],
    [true, 22],
  ])('with lastOnly %s matches the step loop of the looked-up rows (one-hot times the table), its tfjs gradient and central finite differences', (lastOnly, fcSeed) => {
    fc.assert(
      fc.property(graphShape, vocabs, fc.integer({ min: 0, max: 1e6 }), ([b, t, n], vocab, seed) => {
        tf.tidy(() => {
          const tokens = randomTokens([b, t], vocab, seed);
          const table = tf.randomUniform([vocab, n], -1, 1, 'float32', seed) as tf.Tensor2D;
          const wh = tf.randomUniform([n, n], -0.8, 0.8, 'float32', seed + 1) as tf.Tensor2D;
          const c = uniform([b, lastOnly ? 1 : t, n], -1, 1, seed + 2);
          const loop = (x: tf.Tensor2D, w: tf.Tensor2D) => tanhLoop(lookUp(tokens, x, [b, t, n]), w);
          const graph = lastOnly ? (x: tf.Tensor2D, w: tf.Tensor2D) => lastOf(loop(x, w)) : loop;
          expectFusedLikeGraph((x, w) => fusedTanhRecurrence(x, w, tokens, lastOnly), graph, [table, wh], c, seed);
        });
      }),
      { numRuns: 30, seed: fcSeed },
    );
  });

  it('refuses a token outside the table', () => {
    const [table, wh] = [tf.zeros([2, 3]), tf.zeros([3, 3])] as tf.Tensor2D[];
    const tokens = tf.tensor2d([[0, -1]], [1, 2], 'int32');
    expect(() => fusedTanhRecurrence(table, wh, tokens)).toThrow(/outside \[0, 2\)/);
    tf.dispose([table, wh, tokens]);
  });
});

describe('fused scan of looked-up rows', () => {
  it.each([
    [false, 20],
    [true, 23],
  ])('with lastOnly %s matches the parallel scan of the looked-up rows (one-hot times the tables), its tfjs gradient and central finite differences', (lastOnly, fcSeed) => {
    fc.assert(
      fc.property(graphShape, fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e6 }), ([b, t, n], vocab, seed) => {
        tf.tidy(() => {
          const tokens = randomTokens([b, t], vocab, seed);
          const aTable = tf.randomUniform([vocab, n], -1, 1, 'float32', seed) as tf.Tensor2D;
          const bTable = tf.randomUniform([vocab, n], -1, 1, 'float32', seed + 1) as tf.Tensor2D;
          const c = uniform([b, lastOnly ? 1 : t, n], -1, 1, seed + 2);
          const scan = (x: tf.Tensor2D, y: tf.Tensor2D) => linearScan(lookUp(tokens, x, [b, t, n]), lookUp(tokens, y, [b, t, n]), 'parallel');
          const graph = lastOnly ? (x: tf.Tensor2D, y: tf.Tensor2D) => lastOf(scan(x, y)) : scan;
          expectFusedLikeGraph((x, y) => fusedLookupScan(tokens, x, y, lastOnly), graph, [aTable, bTable], c, seed);
        });
      }),
      { numRuns: 30, seed: fcSeed },
    );
  });

  it('refuses a token outside the tables', () => {
    const tables = [tf.zeros([2, 3]), tf.zeros([2, 3])] as tf.Tensor2D[];
    const tokens = tf.tensor2d([[0, 2]], [1, 2], 'int32');
    expect(() => fusedLookupScan(tokens, tables[0], tables[1])).toThrow(/outside \[0, 2\)/);
    tf.dispose([...tables, tokens]);
  });
});

describe('affine maps of looked-up rows', () => {
  it('affineRows equals affine of the looked-up rows (u = 0, so c, out of range), and f of it, with the gradients of table, w and c, and central finite differences', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), ([b, t, d], vocab, m, seed) => {
        tf.tidy(() => {
          const rng = new Rng(seed);
          const inRange = rng.int(0, 1) === 1;
          const tokens = tf.tensor2d(Array.from({ length: b * t }, () => rng.int(inRange ? 0 : -1, inRange ? vocab - 1 : vocab)), [b, t], 'int32');
          const table = tf.randomUniform([vocab, d], -1, 1, 'float32', seed);
          const w = tf.randomUniform([d, m], -1, 1, 'float32', seed + 1);
          const c = tf.randomUniform([m], -1, 1, 'float32', seed + 2);
          const probe = uniform([b, t, m], -1, 1, seed + 3);
          const loss = (f: (x: tf.Tensor2D, w: tf.Tensor, c: tf.Tensor) => tf.Tensor3D) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs[0] as tf.Tensor2D, xs[1], xs[2]), probe)) as tf.Scalar;
          const rows = (x: tf.Tensor2D, wt: tf.Tensor, ct: tf.Tensor) => affineRows({ ids: tokens, table: x }, wt, ct);
          const graph = (x: tf.Tensor2D, wt: tf.Tensor, ct: tf.Tensor) => affine(embedRows(tokens, x), wt, ct);
          expect(maxDiff(rows(table as tf.Tensor2D, w, c), graph(table as tf.Tensor2D, w, c))).toBeLessThan(1e-5);
          const gr = tf.grads(loss(rows))([table, w, c]);
          const gg = tf.grads(loss(graph))([table, w, c]);
          gr.forEach((g, i) => expect([i, maxDiff(g, gg[i]) < 1e-4]).toEqual([i, true]));
          checkFiniteDifferences(loss(rows), [table, w, c], seed, 3);
          // with an elementwise f applied to the table's rows before the lookup
          const squashed = (x: tf.Tensor2D, wt: tf.Tensor, ct: tf.Tensor) => affineRows({ ids: tokens, table: x }, wt, ct, (z) => tf.sigmoid(z));
          const squashedGraph = (x: tf.Tensor2D, wt: tf.Tensor, ct: tf.Tensor) => tf.sigmoid(graph(x, wt, ct)) as tf.Tensor3D;
          expect(maxDiff(squashed(table as tf.Tensor2D, w, c), squashedGraph(table as tf.Tensor2D, w, c))).toBeLessThan(1e-5);
          const gs = tf.grads(loss(squashed))([table, w, c]);
          const gsg = tf.grads(loss(squashedGraph))([table, w, c]);
          gs.forEach((g, i) => expect([i, maxDiff(g, gsg[i]) < 1e-4]).toEqual([i, true]));
          checkFiniteDifferences(loss(squashed), [table, w, c], seed + 1, 3);
        });
      }),
      { numRuns: 30, seed: 19 },
    );
  });
});

describe('fused RMS norm', () => {
  it("matches layers.ts's rmsNorm, its tfjs gradient and central finite differences on random shapes", () => {
    fc.assert(
      fc.property(shape, fc.double({ min: 0.01, max: 3, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), (s, spread, seed) => {
        tf.tidy(() => {
          const x = uniform(s, -spread, spread, seed);
          const g = tf.randomUniform([s[2]], 0.5, 1.5, 'float32', seed + 1);
          const c = uniform(s, -1, 1, seed + 2);
          expect(maxDiff(fusedRmsNorm(x, g), rmsNorm(x, g))).toBeLessThan(1e-5);
          const loss = (f: (y: tf.Tensor3D, h: tf.Tensor) => tf.Tensor3D) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs[0] as tf.Tensor3D, xs[1]), c)) as tf.Scalar;
          const gf = tf.grads(loss(fusedRmsNorm))([x, g]);
          const gg = tf.grads(loss(rmsNorm))([x, g]);
          // ∂L/∂x grows like 1/rms(x): compare relative to the graph's largest entry
          gf.forEach((v, i) => expect([i, maxDiff(v, gg[i]) <= 1e-4 * (1 + tf.max(tf.abs(gg[i])).dataSync()[0])]).toEqual([i, true]));
          if (spread >= 0.3) checkFiniteDifferences(loss(fusedRmsNorm), [x, g], seed, 3);
        });
      }),
      { numRuns: 40, seed: 19 },
    );
  });
});

describe('fused lstm recurrence', () => {
  it('matches the step loop, its tfjs gradient and central finite differences on random shapes', () => {
    fc.assert(
      fc.property(graphShape, fc.integer({ min: 0, max: 1e6 }), (s, seed) => {
        tf.tidy(() => {
          const [b, t, n] = s;
          const x = uniform([b, t, 4 * n], -1.5, 1.5, seed);
          const wh = tf.randomUniform([n, 4 * n], -0.8, 0.8, 'float32', seed + 1) as tf.Tensor2D;
          expectFusedLikeGraph((a: tf.Tensor3D, w: tf.Tensor2D) => fusedLstmRecurrence(a, w), lstmLoop, [x, wh], uniform(s, -1, 1, seed + 2), seed);
        });
      }),
      { numRuns: 30, seed: 16 },
    );
  });

  it('with lastOnly gives the last step of the loop alone, with its tfjs gradient and central finite differences', () => {
    fc.assert(
      fc.property(graphShape, fc.integer({ min: 0, max: 1e6 }), ([b, t, n], seed) => {
        tf.tidy(() => {
          const x = uniform([b, t, 4 * n], -1.5, 1.5, seed);
          const wh = tf.randomUniform([n, 4 * n], -0.8, 0.8, 'float32', seed + 1) as tf.Tensor2D;
          const graph = (a: tf.Tensor3D, w: tf.Tensor2D) => lastOf(lstmLoop(a, w));
          expectFusedLikeGraph((a: tf.Tensor3D, w: tf.Tensor2D) => fusedLstmRecurrence(a, w, true), graph, [x, wh], uniform([b, 1, n], -1, 1, seed + 2), seed);
        });
      }),
      { numRuns: 20, seed: 24 },
    );
  });
});

/** Random shapes of the delta rule: B, T, heads H, components per head e. */
const deltaShape = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }));

describe('fused delta rule', () => {
  it('matches the step loop, its tfjs gradient and central finite differences on random shapes, β in (0, 2)', () => {
    fc.assert(
      fc.property(deltaShape, fc.integer({ min: 0, max: 1e6 }), (shape, seed) => {
        tf.tidy(() => {
          const [b, t, heads, e] = shape;
          const s: [number, number, number] = [b, t, heads * e];
          // keys and queries of norm about 1 per head, as l2norm gives them
          const [k, q] = [0, 1].map((i) => uniform(s, -1, 1, seed + i).mul(1 / Math.sqrt(e)) as tf.Tensor3D);
          const v = uniform(s, -1, 1, seed + 2);
          const beta = uniform([b, t, heads], 0, 2, seed + 3);
          const c = uniform(s, -1, 1, seed + 4);
          expect(maxDiff(fusedDeltaRule(k, q, v, beta), deltaLoop(k, q, v, beta))).toBeLessThan(1e-5);
          const loss = (f: typeof deltaLoop) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...(xs as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D])), c)) as tf.Scalar;
          const gf = tf.grads(loss(fusedDeltaRule))([k, q, v, beta]);
          const gl = tf.grads(loss(deltaLoop))([k, q, v, beta]);
          gf.forEach((g, i) => expect([i, maxDiff(g, gl[i]) < 1e-4]).toEqual([i, true]));
          checkFiniteDifferences(loss(fusedDeltaRule), [k, q, v, beta], seed, 4);
        });
      }),
      { numRuns: 30, seed: 17 },
    );
  });
});

describe('fused recurrences and tensors', () => {
  it('leave no tensor behind, forward and backward', () => {
    const x = uniform([2, 4, 8], -1, 1, 1);
    const w = tf.randomUniform([2, 8], -1, 1, 'float32', 2) as tf.Tensor2D;
    const beta = uniform([2, 4, 2], 0, 2, 3);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(fusedLstmRecurrence(a as tf.Tensor3D, b as tf.Tensor2D)))([x, w]);
      const h = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(fusedDeltaRule(a as tf.Tensor3D, a as tf.Tensor3D, a as tf.Tensor3D, b as tf.Tensor3D)))([x, beta]);
      const e = tf.grads((a: tf.Tensor) => tf.sum(embedRows(tf.tensor2d([[0, 1, 1]], [1, 3], 'int32'), a as tf.Tensor2D)))([w]);
      return [...g, ...h, ...e];
    }).forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, beta]);
  });
});

describe('networks on the fused kernels', () => {
  // 1 layer with output 'last' reads the residual stream at the last position only (network.ts); the first
  // layer's norm runs on the table's rows either way
  const shapes = [
    { layers: 2, output: 'every' },
    { layers: 1, output: 'last' },
  ] as const;
  const families = ['lrnn-pos', 'lrnn-neg', 'lrnn-complex', 'rnn-tanh', 'lstm', 'deltanet-pos', 'deltanet-neg'] as const;
  it.each(families.flatMap((family) => shapes.map((shape) => [family, shape.layers, shape.output] as const)))('%s, layers %i, output %s: same loss and weight gradients as without the fused kernel', (family, layers, output) => {
    const heads = family.startsWith('deltanet') ? 2 : 1;
    const config: ModelConfig = { family, vocab: 3, classes: 2, width: 6, state: 6, layers, mlp: 4, norm: 'rms', output, heads, positions: 'none', maxLen: 0 };
    const weights = initWeights(config, new Rng(4));
    const nets = (['fused', 'parallel'] as const).map((scan) => buildNetwork(config, weights, { scan }));
    const rng = new Rng(9);
    const tokens = tf.tensor2d(Array.from({ length: 3 * 7 }, () => rng.int(0, 2)), [3, 7], 'int32');
    const results = nets.map((net) =>
      tf.variableGrads(() => tf.mean(tf.square(net.logits(tokens))) as tf.Scalar, Object.values(net.variables)),
    );
    expect(Math.abs(results[0].value.dataSync()[0] - results[1].value.dataSync()[0])).toBeLessThan(1e-5);
    const byName = (i: number) => Object.fromEntries(Object.entries(nets[i].variables).map(([n, v]) => [n, results[i].grads[v.name]]));
    const [f, p] = [byName(0), byName(1)];
    for (const name of Object.keys(f)) expect([name, maxDiff(f[name], p[name]) < 1e-4]).toEqual([name, true]);
    tokens.dispose();
    results.forEach((r) => {
      r.value.dispose();
      tf.dispose(Object.values(r.grads));
    });
    nets.forEach((n) => n.dispose());
  });
});

describe('deltanet on wasm with one row and one head', () => {
  it('gives the same logits on its graph as on the fused kernel (tfjs-wasm caches a matMul operand by data id)', () => {
    const config: ModelConfig = { family: 'deltanet-neg', vocab: 2, classes: 2, width: 4, state: 4, layers: 1, mlp: 0, norm: 'rms', output: 'every', heads: 1, positions: 'none', maxLen: 0 };
    const weights = initWeights(config, new Rng(3));
    const nets = (['fused', 'parallel'] as const).map((scan) => buildNetwork(config, weights, { scan }));
    const tokens = tf.tensor2d([[1, 0, 1, 1]], [1, 4], 'int32');
    expect(tf.tidy(() => maxDiff(nets[0].logits(tokens), nets[1].logits(tokens)))).toBeLessThan(1e-5);
    tokens.dispose();
    nets.forEach((n) => n.dispose());
  });
});
