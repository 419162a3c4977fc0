// The diagonal linear recurrence h_t = a_t ⊙ h_{t-1} + b_t (h_0 = 0) over the time axis of [B, T, n]
// tensors, two ways: the sequential loop (the reference; T steps) and a parallel prefix scan over the
// affine maps (a, b), composed as (a2, b2)∘(a1, b1) = (a2·a1, a2·b1 + b2) (P0's log-depth claim as code).
// The scan is the recursive odd–even (Blelloch-style) one: compose neighbouring pairs, scan the half-length
// sequence, then fill in the even positions. That is ⌈log2 T⌉ levels of a fixed handful of tensor ops,
// like Hillis–Steele, but with O(T) total work and memory rather than O(T log T): at (256, 256, 128)
// Hillis–Steele's saved activations overflow the wasm backend's heap.
// Elements are lists of parts: one real tensor, or (re, im) for the complex case, where a 2x2
// rotation-scaling block is multiplication by the complex number r·e^{iθ}.
import * as tf from '@tensorflow/tfjs';
import { fusedComplexScan, fusedLinearScan } from './kernels/diagonal-scan.js';
import { fromTimeSteps, timeSteps } from './layers.js';

/** How a recurrence is evaluated: log-depth prefix scan, the step-by-step reference, or one fused operation
 *  with a hand-derived backward (kernels/: the diagonal LRNNs and rnn-tanh; synchronous backends only). */
export type ScanMode = 'parallel' | 'sequential' | 'fused';

/** A [B, T, m] complex tensor as its real and imaginary parts. */
export interface Complex3D {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
}

type Parts = tf.Tensor3D[];

/** The arithmetic of one scalar kind: products, sums, and the parts of the number 1. */
interface Algebra {
  mul(x: Parts, y: Parts): Parts;
  add(x: Parts, y: Parts): Parts;
  one: readonly number[];
}

const REAL: Algebra = {
  mul: ([x], [y]) => [tf.mul(x, y)],
  add: ([x], [y]) => [tf.add(x, y)],
  one: [1],
};

const COMPLEX: Algebra = {
  mul: ([xr, xi], [yr, yi]) => [tf.sub(tf.mul(xr, yr), tf.mul(xi, yi)), tf.add(tf.mul(xr, yi), tf.mul(xi, yr))],
  add: ([xr, xi], [yr, yi]) => [tf.add(xr, yr), tf.add(xi, yi)],
  one: [1, 0],
};

/** [B, T, n] with `count` rows of `fill` put before (at 'start') or after (at 'end') the time axis. */
function extend(x: tf.Tensor3D, count: number, fill: number, at: 'start' | 'end'): tf.Tensor3D {
  const [b, , n] = x.shape;
  const block = tf.fill([b, count, n], fill) as tf.Tensor3D;
  return tf.concat(at === 'start' ? [block, x] : [x, block], 1);
}

/** [B, 2m, n] -> the even-indexed and odd-indexed rows, each [B, m, n]. */
function deinterleave(x: tf.Tensor3D): [tf.Tensor3D, tf.Tensor3D] {
  const [b, t, n] = x.shape;
  const [even, odd] = tf.split(x.reshape([b, t / 2, 2, n]), 2, 2);
  return [even.reshape([b, t / 2, n]), odd.reshape([b, t / 2, n])];
}

/** Inverse of deinterleave. */
function interleave(even: tf.Tensor3D, odd: tf.Tensor3D): tf.Tensor3D {
  const [b, m, n] = even.shape;
  return tf.stack([even, odd], 2).reshape([b, 2 * m, n]);
}

/** All states of h_t = a_t·h_{t-1} + b_t (h_0 = 0) by the recursive odd–even scan. */
function parallelScan(alg: Algebra, a: Parts, b: Parts): Parts {
  const t = a[0].shape[1];
  if (t === 1) return b;
  // Pad an odd length with the identity map (a = 1, b = 0) so the steps pair up.
  if (t % 2 === 1) {
    const h = parallelScan(
      alg,
      a.map((x, i) => extend(x, 1, alg.one[i], 'end')),
      b.map((x) => extend(x, 1, 0, 'end')),
    );
    return h.map((x) => tf.slice(x, [0, 0, 0], [x.shape[0], t, x.shape[2]]));
  }
  const [a0, a1] = unzip(a.map(deinterleave));
  const [b0, b1] = unzip(b.map(deinterleave));
  // Step pairs (2k, 2k+1) composed; their scan gives the states at the odd positions directly.
  const odd = parallelScan(alg, alg.mul(a1, a0), alg.add(alg.mul(a1, b0), b1));
  // Each even position is one step on from the previous odd state (zero before the first).
  const previous = odd.map((x) => tf.slice(extend(x, 1, 0, 'start'), [0, 0, 0], x.shape));
  const even = alg.add(alg.mul(a0, previous), b0);
  return even.map((x, i) => interleave(x, odd[i]));
}

function unzip(pairs: [tf.Tensor3D, tf.Tensor3D][]): [Parts, Parts] {
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
}

/** The reference: one step at a time. */
function sequentialScan(alg: Algebra, a: Parts, b: Parts): Parts {
  // Steps are [B, n] slices; the Parts type is reused for them with the rank left loose.
  const as = a.map(timeSteps) as unknown as Parts[];
  const bs = b.map(timeSteps) as unknown as Parts[];
  const at = (parts: Parts[], i: number): Parts => parts.map((steps) => steps[i]);
  const hs: Parts[] = [at(bs, 0)];
  for (let i = 1; i < as[0].length; i++) hs.push(alg.add(alg.mul(at(as, i), hs[i - 1]), at(bs, i)));
  return a.map((_, k) => fromTimeSteps(hs.map((h) => h[k] as unknown as tf.Tensor2D)));
}

function scanWith(alg: Algebra, a: Parts, b: Parts, mode: ScanMode): Parts {
  return mode === 'parallel' ? parallelScan(alg, a, b) : sequentialScan(alg, a, b);
}

/** All states h_1..h_T of h_t = a_t ⊙ h_{t-1} + b_t, h_0 = 0; a, b, result: [B, T, n]. */
export function linearScan(a: tf.Tensor3D, b: tf.Tensor3D, mode: ScanMode): tf.Tensor3D {
  if (mode === 'fused') return fusedLinearScan(a, b);
  return scanWith(REAL, [a], [b], mode)[0];
}

/** All states of the complex recurrence h_t = a_t·h_{t-1} + b_t, h_0 = 0 (elementwise complex). */
export function complexScan(a: Complex3D, b: Complex3D, mode: ScanMode): Complex3D {
  if (mode === 'fused') return fusedComplexScan(a, b);
  const [re, im] = scanWith(COMPLEX, [a.re, a.im], [b.re, b.im], mode);
  return { re, im };
}
