// LSTM mixer: [i f g o] = u_t·wx + h_{t-1}·wh + b (gate blocks of n columns in that order);
// c_t = σ(f)c_{t-1} + σ(i)tanh(g); h_t = σ(o)tanh(c_t); y_t = h_t·wo; h_0 = c_0 = 0.
import * as tf from '@tensorflow/tfjs';
import type { ParamLookup } from '../layers.js';
import { fusedLstmRecurrence } from '../kernels/lstm-recurrence.js';
import { affine, fromTimeSteps, matmul, timeSteps } from '../layers.js';
import type { ScanMode } from '../scan.js';

/** The lstm mixer over u [B, T, d]; sequential in T; scan 'fused': the loop as one operation with a
 *  hand-derived backward (kernels/lstm-recurrence.ts). */
export function lstmMixer(u: tf.Tensor3D, p: ParamLookup, scan: ScanMode = 'parallel'): tf.Tensor3D {
  if (scan === 'fused') return fusedLstmRecurrence(affine(u, p('wx'), p('b')), p('wh') as tf.Tensor2D);
  const xs = timeSteps(affine(u, p('wx'), p('b')));
  const wh = p('wh') as tf.Tensor2D;
  const hs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D | null = null;
  let c: tf.Tensor2D | null = null;
  for (const x of xs) {
    const z = h === null ? x : tf.add(x, matmul(h, wh));
    const [i, f, g, o] = tf.split(z, 4, 1);
    const fresh = tf.mul(tf.sigmoid(i), tf.tanh(g));
    c = (c === null ? fresh : tf.add(tf.mul(tf.sigmoid(f), c), fresh)) as tf.Tensor2D;
    h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D;
    hs.push(h);
  }
  return fromTimeSteps(hs);
}
