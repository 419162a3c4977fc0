// DeltaNet mixer (generalised Householder transitions, P3): per head (e = n/heads components of each
// projection, head-major), k = l2norm(u·wk), q = l2norm(u·wq), v = u·wv, β = σ(u·wbeta + cbeta), doubled
// for 'neg'; S_t = S_{t-1}(I − β k kᵀ) + β v kᵀ (S is e×e, S_0 = 0); y_t = concat_heads(S_t q)·wo. With a short
// convolution (conv = K > 0) each projection goes through short-conv.ts (causal depthwise conv, then SiLU)
// before the l2norm; the recurrence is the same, fed the convolved q, k, v.
import * as tf from '@tensorflow/tfjs';
import { fusedDeltaRule } from '../kernels/delta-rule.js';
import type { ParamLookup } from '../layers.js';
import { affineShared, l2norm, matmul, projectShared, unstackLeading } from '../layers.js';
import type { ScanMode } from '../scan.js';
import { shortConvSilu } from '../short-conv.js';
import type { GateSign } from './lrnn.js';

/** [B, T, H·e] -> T tensors [B·H, e, 1]: one column vector per (row, head) and step (or [B·H, 1, e], rows). */
function perHeadColumns(x: tf.Tensor3D, heads: number, rows = false): tf.Tensor3D[] {
  const [b, t, n] = x.shape;
  const e = n / heads;
  const grouped = x.reshape([b, t, heads, e]).transpose([1, 0, 2, 3]).reshape([t, b * heads, ...(rows ? [1, e] : [e, 1])]);
  return unstackLeading(grouped) as tf.Tensor3D[];
}

/** The deltanet-pos / deltanet-neg mixer over u [B, T, d]; sequential in T; scan 'fused': the recurrence as
 *  one operation with a hand-derived backward (kernels/delta-rule.ts). conv > 0: the short convolution's
 *  kernel size (weights convq, convk, convv). */
export function deltaNetMixer(u: tf.Tensor3D, p: ParamLookup, heads: number, sign: GateSign, scan: ScanMode = 'parallel', conv = 0): tf.Tensor3D {
  const [b, t] = u.shape;
  const n = p('wk').shape[1] as number;
  const e = n / heads;
  const unitPerHead = (z: tf.Tensor3D): tf.Tensor3D => l2norm(z.reshape([b, t, heads, e])).reshape([b, t, n]);
  // u feeds wq, wk, wv and wbeta: their gradients share one packing of it (layers.ts).
  // q, k and v before the heads: the projections, with a short convolution through it and SiLU, all three
  // as one [B, T, 3n] tensor (a third of the operations: at small shapes their count is the cost)
  const convolved =
    conv > 0
      ? tf.split(shortConvSilu(projectShared(u, tf.concat([p('wq'), p('wk'), p('wv')], 1)), tf.concat([p('convq'), p('convk'), p('convv')], 0)), 3, 2)
      : null;
  const projected = (which: 'q' | 'k' | 'v'): tf.Tensor3D => (convolved === null ? projectShared(u, p(`w${which}`)) : (convolved['qkv'.indexOf(which)] as tf.Tensor3D));
  if (scan === 'fused') {
    const sig = tf.sigmoid(affineShared(u, p('wbeta'), p('cbeta')));
    const beta = sign === 'pos' ? sig : (tf.mul(sig, 2) as tf.Tensor3D);
    const y = fusedDeltaRule(unitPerHead(projected('k')), unitPerHead(projected('q')), projected('v'), beta);
    return y;
  }
  const keys = unitPerHead(projected('k'));
  const ks = perHeadColumns(keys, heads);
  const qs = perHeadColumns(unitPerHead(projected('q')), heads);
  const vs = perHeadColumns(projected('v'), heads);
  // kᵀ cut on its own, not reshaped from ks: tfjs-wasm 4.22 caches a matMul's packed right operand by data id
  // when B·H = 1, so a reshape of ks[i] (same data, new shape) would be multiplied as ks[i]'s packing.
  const kRows = perHeadColumns(keys, heads, true);
  const sig = tf.sigmoid(affineShared(u, p('wbeta'), p('cbeta')));
  const beta = sign === 'pos' ? sig : (tf.mul(sig, 2) as tf.Tensor3D);
  // [B, T, H] -> T tensors [B·H, 1, 1], ordered (row, head) like the columns.
  const betas = unstackLeading(beta.transpose([1, 0, 2]).reshape([t, b * heads, 1, 1])) as tf.Tensor3D[];
  // S_t = S_{t-1} + β (v − S_{t-1} k) kᵀ: one matrix-vector product and one outer product per step.
  let s: tf.Tensor3D | null = null;
  const ys: tf.Tensor3D[] = [];
  for (let i = 0; i < t; i++) {
    const delta: tf.Tensor3D = s === null ? vs[i] : tf.sub(vs[i], matmul(s, ks[i]));
    const update: tf.Tensor3D = matmul(tf.mul(betas[i], delta) as tf.Tensor3D, kRows[i]);
    s = s === null ? update : (tf.add(s, update) as tf.Tensor3D);
    ys.push(matmul(s, qs[i]));
  }
  // T × [B·H, e, 1] -> [T, B, H, e] -> [B, T, H·e] (head-major, as concat_heads).
  const y = tf.stack(ys).reshape([t, b, n]).transpose([1, 0, 2]) as tf.Tensor3D;
  return y;
}
