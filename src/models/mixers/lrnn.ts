// Real diagonal LRNN mixer (Mamba-style selective gate): a_t = exp(−softplus(u_t·wa + ca)·exp(w)) ∈ (0,1),
// or 2a_t − 1 ∈ (−1,1) for the 'neg' sign (P3); h_t = a_t ⊙ h_{t-1} + (u_t·wb + cb); y_t = h_t·wo.
import * as tf from '@tensorflow/tfjs';
import type { TableRows } from '../kernels/embedding.js';
import { fusedLookupScan } from '../kernels/diagonal-scan.js';
import { affineRows, projectedRows } from '../kernels/embedding.js';
import type { ParamLookup } from '../layers.js';
import { affine, affineShared, expNonPositive, softplus } from '../layers.js';
import type { ScanMode } from '../scan.js';
import { linearScan } from '../scan.js';

/** Eigenvalue range of the transition: [0, 1) ('pos') or (−1, 1) ('neg'). */
export type GateSign = 'pos' | 'neg';

/** The gate a_t ∈ (0, 1) before any sign change: exp(−softplus(u·wa + ca)·exp(w)); `shared`: u also feeds
 *  other weights (affineShared). */
export function decayGate(u: tf.Tensor3D, wa: tf.Tensor, ca: tf.Tensor, w: tf.Tensor, shared = false): tf.Tensor3D {
  return gateOf((shared ? affineShared : affine)(u, wa, ca), w);
}

/** exp(−softplus(z)·exp(w)) for the gate's pre-activation z = u·wa + ca. */
function gateOf<T extends tf.Tensor>(z: T, w: tf.Tensor): T {
  // the exponent −softplus·e^w is never positive: expNonPositive's faster form applies
  return expNonPositive(tf.mul(softplus(z), tf.neg(tf.exp(w)))) as T;
}

/** The transition a from the gate's pre-activation: the gate, or 2·gate − 1 for the 'neg' sign (elementwise). */
function transition<T extends tf.Tensor>(z: T, w: tf.Tensor, sign: GateSign): T {
  const gate = gateOf(z, w);
  return sign === 'pos' ? gate : (tf.sub(tf.mul(gate, 2), 1) as T);
}

/** The lrnn-pos / lrnn-neg mixer over u [B, T, d]. */
export function lrnnMixer(u: tf.Tensor3D, p: ParamLookup, sign: GateSign, scan: ScanMode): tf.Tensor3D {
  // u feeds wa and wb: their gradients share one packing of it (layers.ts)
  const a = transition(affineShared(u, p('wa'), p('ca')), p('w'), sign);
  return linearScan(a, affineShared(u, p('wb'), p('cb')), scan);
}

/** The lrnn-pos / lrnn-neg mixer over u = table rows looked up (kernels/embedding.ts): its input projections and
 *  the gate (elementwise, so row by row) on the table's rows; the fused scan reads a_t and b_t from those rows
 *  (no [B, T, n] lookups), other scans take them looked up. With lastOnly the last position's states alone, [B, 1, n]. */
export function lrnnRowsMixer(rows: TableRows, p: ParamLookup, sign: GateSign, scan: ScanMode, lastOnly = false): tf.Tensor3D {
  const gate = (z: tf.Tensor2D): tf.Tensor2D => transition(z, p('w'), sign);
  if (scan === 'fused') {
    const a = projectedRows(rows, p('wa'), p('ca'), gate);
    const b = projectedRows(rows, p('wb'), p('cb'));
    return fusedLookupScan(a.ids, a.table, b.table, lastOnly);
  }
  const states = linearScan(affineRows(rows, p('wa'), p('ca'), gate), affineRows(rows, p('wb'), p('cb')), scan);
  if (!lastOnly) return states;
  const [batch, t, n] = states.shape;
  return tf.slice(states, [0, t - 1, 0], [batch, 1, n]);
}
