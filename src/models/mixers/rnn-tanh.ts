// Elman RNN mixer: h_t = tanh(u_t·wx + h_{t-1}·wh + b), y_t = h_t·wo, h_0 = 0.
import * as tf from '@tensorflow/tfjs';
import type { TableRows } from '../kernels/embedding.js';
import { projectedRows } from '../kernels/embedding.js';
import { fusedTanhRecurrence } from '../kernels/tanh-recurrence.js';
import type { ParamLookup } from '../layers.js';
import { affine, fromTimeSteps, matmul, timeSteps } from '../layers.js';
import type { ScanMode } from '../scan.js';

/** The rnn-tanh mixer over u [B, T, d]; sequential in T (a nonlinear recurrence has no scan); scan 'fused':
 *  the loop as one operation with a hand-derived backward (kernels/tanh-recurrence.ts). */
export function rnnTanhMixer(u: tf.Tensor3D, p: ParamLookup, scan: ScanMode = 'parallel'): tf.Tensor3D {
  if (scan === 'fused') return fusedTanhRecurrence(affine(u, p('wx'), p('b')), p('wh') as tf.Tensor2D);
  // The input half of every step in one matMul; only h·wh stays inside the loop.
  const xs = timeSteps(affine(u, p('wx'), p('b')));
  const wh = p('wh') as tf.Tensor2D;
  const hs: tf.Tensor2D[] = [tf.tanh(xs[0])];
  for (let t = 1; t < xs.length; t++) hs.push(tf.tanh(tf.add(xs[t], matmul(hs[t - 1], wh))) as tf.Tensor2D);
  return fromTimeSteps(hs);
}

/** The fused rnn-tanh mixer over u = table rows looked up (kernels/embedding.ts): the input projection on the table's
 *  rows, which the recurrence reads by token (no [B, T, n] lookup); with lastOnly the last position's states alone,
 *  [B, 1, n]. */
export function rnnTanhRowsMixer(rows: TableRows, p: ParamLookup, lastOnly = false): tf.Tensor3D {
  const x = projectedRows(rows, p('wx'), p('b'));
  return fusedTanhRecurrence(x.table, p('wh') as tf.Tensor2D, x.ids, lastOnly);
}
