// Complex diagonal LRNN mixer: n/2 blocks j with modulus r = exp(−softplus(u·wa + ca)·exp(w)) and angle
// θ = u·wt + ct; (h_2j, h_2j+1) ← r·R(θ)(h_2j, h_2j+1) + (u·wb + cb)_(2j, 2j+1), y_t = h_t·wo. R(θ) is the
// rotation (x, y) ↦ (x cos θ − y sin θ, x sin θ + y cos θ), so block j is the complex number
// h_2j + i·h_2j+1 multiplied by r·e^{iθ}: the state is interleaved (re, im) pairs.
import * as tf from '@tensorflow/tfjs';
import type { ParamLookup } from '../layers.js';
import { affineShared } from '../layers.js';
import type { ScanMode } from '../scan.js';
import { complexScan } from '../scan.js';
import { decayGate } from './lrnn.js';

/** The lrnn-complex mixer over u [B, T, d]. */
export function lrnnComplexMixer(u: tf.Tensor3D, p: ParamLookup, scan: ScanMode): tf.Tensor3D {
  const [batch, t] = u.shape;
  // u feeds wa, wt and wb: their gradients share one packing of it (layers.ts)
  const r = decayGate(u, p('wa'), p('ca'), p('w'), true);
  const theta = affineShared(u, p('wt'), p('ct'));
  const b = affineShared(u, p('wb'), p('cb'));
  const half = b.shape[2] / 2;
  const [bre, bim] = tf.split(b.reshape([batch, t, half, 2]), 2, 3).map((x) => x.reshape([batch, t, half]) as tf.Tensor3D);
  const h = complexScan({ re: tf.mul(r, tf.cos(theta)), im: tf.mul(r, tf.sin(theta)) }, { re: bre, im: bim }, scan);
  const interleaved = tf.stack([h.re, h.im], 3).reshape([batch, t, 2 * half]) as tf.Tensor3D;
  return interleaved;
}
