// The shared building blocks of every family (THE MATH in config.ts): projections, RMS norm, the MLP,
// l2norm and position encodings. Pure tensor functions; callers own tidy/variableGrads.
import * as tf from '@tensorflow/tfjs';

/** Epsilon inside RMS norm and l2norm; the exact executor uses the same value (config.ts). */
export const NORM_EPS = 1e-6;

/** Looks up one weight of the current scope by its short name (e.g. 'wx' for `l0.mix.wx`). */
export type ParamLookup = (name: string) => tf.Tensor;

/** x with its last two axes swapped. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
  return tf.transpose(x, perm);
}

// tf.matMul's own gradient multiplies with transposeA/transposeB flags, which the wasm backend runs
// about 5x slower than a plain product (no XNNPACK path); an explicit transpose first is cheap.
const plainMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy, swapLast(saved[1])), tf.matMul(swapLast(saved[0]), dy)],
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** a·b over the last two axes (batched over the leading ones, same rank), with a backend-friendly gradient. */
export function matmul<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  return plainMatMul(a, b) as T;
}

// The same product with b's gradient computed as (dyᵀ·a)ᵀ rather than aᵀ·dy: a becomes the right factor, which
// the wasm matMul packs (reorders for its kernel) before multiplying, and caches by data id. When one input
// feeds several weights (u·wa and u·wb), their gradients then pack it once between them, where aᵀ·dy packs
// every dy; at (B·T, d) = (4096, 64) a packing costs as much as the product. For 2-D a and b only.
const inputPackedMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy, swapLast(saved[1])), swapLast(tf.matMul(swapLast(dy), saved[0]))],
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** The slices of x along its leading axis, like tf.unstack(x), at O(sqrt(T)) copies of x instead of O(T). */
export function unstackLeading(x: tf.Tensor): tf.Tensor[] {
  // The wasm backend's Slice reads its whole input out of the heap for every slice it cuts, so tf.unstack
  // of T steps costs T full copies (quadratic in T). Cutting sqrt(T) chunks first, then unstacking each,
  // costs about 2·sqrt(T) copies.
  const t = x.shape[0];
  const chunk = Math.ceil(Math.sqrt(t));
  if (t === 1) return [x.reshape(x.shape.slice(1))];
  if (t <= 8) return tf.unstack(x);
  const sizes = Array.from({ length: Math.ceil(t / chunk) }, (_, i) => Math.min(chunk, t - i * chunk));
  // One-row parts are reshaped, not unstacked: tfjs hands a single-output Unpack's gradient a bare tensor
  // where its gradient function expects a list (so unstack of one row cannot back-propagate).
  return tf.split(x, sizes, 0).flatMap((part) => (part.shape[0] === 1 ? [part.reshape(part.shape.slice(1))] : tf.unstack(part)));
}

/** [B, T, k] -> T tensors [B, k] (time-major first, so each step is one contiguous block). */
export function timeSteps(x: tf.Tensor3D): tf.Tensor2D[] {
  return unstackLeading(tf.transpose(x, [1, 0, 2])) as tf.Tensor2D[];
}

/** Inverse of timeSteps: T tensors [B, k] -> [B, T, k]. */
export function fromTimeSteps(steps: readonly tf.Tensor2D[]): tf.Tensor3D {
  return tf.transpose(tf.stack(steps as tf.Tensor2D[]), [1, 0, 2]) as tf.Tensor3D;
}

/** x·W over the last axis of a [B, T, k] tensor: [B, T, k]·[k, m] -> [B, T, m]. */
export function project(x: tf.Tensor3D, w: tf.Tensor): tf.Tensor3D {
  const [b, t, k] = x.shape;
  const m = w.shape[1] as number;
  return matmul(x.reshape([b * t, k]), w).reshape([b, t, m]);
}

/** x·W + c over the last axis of a [B, T, k] tensor. */
export function affine(x: tf.Tensor3D, w: tf.Tensor, c: tf.Tensor): tf.Tensor3D {
  return tf.add(project(x, w), c);
}

/** project(x, w), for an x that several weights read: the weight gradients share one packing of x (above). */
export function projectShared(x: tf.Tensor3D, w: tf.Tensor): tf.Tensor3D {
  const [b, t, k] = x.shape;
  const m = w.shape[1] as number;
  return inputPackedMatMul(x.reshape([b * t, k]), w as tf.Tensor2D).reshape([b, t, m]);
}

/** affine(x, w, c), for an x that several weights read (projectShared). */
export function affineShared(x: tf.Tensor3D, w: tf.Tensor, c: tf.Tensor): tf.Tensor3D {
  return tf.add(projectShared(x, w), c);
}

/** x / sqrt(mean(x²) + 1e-6) ⊙ g over the last axis; the identity when g is null (norm 'none'). */
export function rmsNorm(x: tf.Tensor3D, g: tf.Tensor | null): tf.Tensor3D {
  if (g === null) return x;
  const scale = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), NORM_EPS));
  return tf.mul(tf.mul(x, scale), g);
}

// softplus(z) = log(1 + e^z) as relu(z) − log σ(|z|): the same function (log(1 + e^z) = max(z, 0) + log(1 + e^−|z|),
// and −log σ(|z|) = log(1 + e^−|z|)), with σ(|z|) in [1/2, 1] so the logarithm is always finite, and of kernels
// the wasm backend runs vectorised: its own Softplus calls the scalar exp and log1p per element, 4 ms on
// [64, 64, 64] against 1.5 ms here. The gradient is written out, dy·σ(z), as tfjs's own softplus's is.
const fastSoftplus = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([z]);
  return {
    value: tf.sub(tf.relu(z), tf.log(tf.sigmoid(tf.abs(z)))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, tf.sigmoid(saved[0]))],
  };
}) as <T extends tf.Tensor>(z: T) => T;

/** log(1 + e^z) elementwise, within about 1e-7 absolute (σ rounds to float32 near 1: relative error grows where the
 *  value is below 1e-5, z < −11, where exp(−softplus·k) rounds to 1 all the same); faster than tf.softplus on wasm. */
export function softplus<T extends tf.Tensor>(z: T): T {
  return fastSoftplus(z);
}

// e^x for x ≤ 0 as σ(x) / (1 − σ(x)): the wasm backend's Exp is a scalar loop (1.7 ms on [64, 64, 64]), its
// Sigmoid vectorised (0.3 ms). With σ(x) ≤ 1/2 the difference 1 − σ(x) ≥ 1/2 loses nothing, so the quotient is
// within a few float32 ulps of e^x. The gradient is written out: dy·e^x, the value itself.
const expOfNonPositive = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const s = tf.sigmoid(x);
  const y = tf.div(s, tf.sub(1, s));
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0])] };
}) as <T extends tf.Tensor>(x: T) => T;

/** e^x for x ≤ 0 (within a few float32 ulps; for x > 0 the value is wrong), faster than tf.exp on wasm. */
export function expNonPositive<T extends tf.Tensor>(x: T): T {
  return expOfNonPositive(x);
}

/** z / sqrt(|z|² + 1e-6) over the last axis. */
export function l2norm<T extends tf.Tensor>(z: T): T {
  return tf.mul(z, tf.rsqrt(tf.add(tf.sum(tf.square(z), -1, true), NORM_EPS)));
}

/** relu(x·w1 + b1)·w2 + b2 (x already normalised). */
export function mlp(x: tf.Tensor3D, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor): tf.Tensor3D {
  return affine(tf.relu(affine(x, w1, b1)), w2, b2);
}

/**
 * The sinusoidal position table, row p for the symbol at 0-based position p:
 * pos[p][2i] = sin(p / 10000^(2i/d)), pos[p][2i+1] = cos(p / 10000^(2i/d)). Plain data, so the exact
 * executor can share it.
 */
export function sinusoidalPositions(length: number, width: number): Float32Array {
  const out = new Float32Array(length * width);
  for (let p = 0; p < length; p++) {
    for (let j = 0; j < width; j++) {
      const i2 = j - (j % 2);
      const angle = p / Math.pow(10000, i2 / width);
      out[p * width + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}
