// Real diagonal LRNN mixer (Mamba-style selective gate): a_t = exp(−softplus(u_t·wa + ca)·exp(w)) ∈ (0,1),
// or 2a_t − 1 ∈ (−1,1) for the 'neg' sign (P3); h_t = a_t ⊙ h_{t-1} + (u_t·wb + cb); y_t = h_t·wo.
import * as tf from '@tensorflow/tfjs';
import type { ParamLookup } from '../layers.js';
import { affine, affineShared, expNonPositive, softplus } from '../layers.js';
import type { ScanMode } from '../scan.js';
import { linearScan } from '../scan.js';

/** Eigenvalue range of the transition: [0, 1) ('pos') or (−1, 1) ('neg'). */
export type GateSign = 'pos' | 'neg';

/** The gate a_t ∈ (0, 1) before any sign change: exp(−softplus(u·wa + ca)·exp(w)); `shared`: u also feeds
 *  other weights (affineShared). */
export function decayGate(u: tf.Tensor3D, wa: tf.Tensor, ca: tf.Tensor, w: tf.Tensor, shared = false): tf.Tensor3D {
  // the exponent −softplus·e^w is never positive: expNonPositive's faster form applies
  return expNonPositive(tf.mul(softplus((shared ? affineShared : affine)(u, wa, ca)), tf.neg(tf.exp(w)))) as tf.Tensor3D;
}

/** The lrnn-pos / lrnn-neg mixer over u [B, T, d]. */
export function lrnnMixer(u: tf.Tensor3D, p: ParamLookup, sign: GateSign, scan: ScanMode): tf.Tensor3D {
  // u feeds wa and wb: their gradients share one packing of it (layers.ts)
  const gate = decayGate(u, p('wa'), p('ca'), p('w'), true);
  const a = sign === 'pos' ? gate : (tf.sub(tf.mul(gate, 2), 1) as tf.Tensor3D);
  const h = linearScan(a, affineShared(u, p('wb'), p('cb')), scan);
  return h;
}
