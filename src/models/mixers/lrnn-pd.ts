// Permutation-diagonal LRNN mixer (P0): the input picks one of k candidate permutations, c* = argmax_c
// (u·wp + cp)_c; a = 2·exp(−softplus(u·wa + ca)·exp(w)) − 1 as in lrnn-neg; h_t = a_t ⊙ P_{c*} h_{t-1} +
// (u·wb + cb) with (P h)_i = h_{perm[c*][i]}; y_t = h_t·wo. The selection is hard forward and
// straight-through backward (the gradient of softmax(z)), so the forward pass is exactly the class the
// exact executor runs, and wp, cp still learn (config.ts says why).
import * as tf from '@tensorflow/tfjs';
import type { ParamLookup } from '../layers.js';
import { affineShared, matmul, unstackLeading } from '../layers.js';
import { decayGate } from './lrnn.js';

/** one-hot(first argmax of z) forward, the softmax's vector-Jacobian product backward; z [m, k]. */
const straightThrough = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const s = tf.softmax(z);
  save([s]);
  const hard = tf.cast(tf.oneHot(tf.argMax(z, -1), z.shape[1]), 'float32');
  return {
    value: hard,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [soft] = saved;
      return tf.mul(soft, tf.sub(dy, tf.sum(tf.mul(dy, soft), -1, true)));
    },
  };
}) as (z: tf.Tensor2D) => tf.Tensor2D;

/** The lrnn-pd mixer over u [B, T, d]; sequential in T. */
export function lrnnPdMixer(u: tf.Tensor3D, p: ParamLookup): tf.Tensor3D {
  const [b, t] = u.shape;
  const perm = p('perm');
  const [k, n] = perm.shape as [number, number];
  // u feeds wp, wa and wb: their gradients share one packing of it (layers.ts)
  // Candidate c as a matrix: row i has its 1 at column perm[c][i], so (P h)_i = h_{perm[c][i]}.
  const mats = tf.cast(tf.oneHot(tf.cast(perm, 'int32'), n), 'float32').reshape([k, n * n]);
  const select = straightThrough(affineShared(u, p('wp'), p('cp')).reshape([b * t, k]) as tf.Tensor2D);
  // [B·T, n·n] -> T tensors [B, n, n]: the selected permutation of each row and step.
  const chosen = unstackLeading(matmul(select, mats).reshape([b, t, n, n]).transpose([1, 0, 2, 3])) as tf.Tensor3D[];
  const gate = decayGate(u, p('wa'), p('ca'), p('w'), true);
  const a = unstackLeading(tf.sub(tf.mul(gate, 2), 1).transpose([1, 0, 2])) as tf.Tensor2D[];
  const offs = unstackLeading(affineShared(u, p('wb'), p('cb')).transpose([1, 0, 2])) as tf.Tensor2D[];
  const hs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D | null = null;
  for (let i = 0; i < t; i++) {
    h = h === null ? offs[i] : (tf.add(tf.mul(a[i], matmul(chosen[i], h.reshape([b, n, 1])).reshape([b, n])), offs[i]) as tf.Tensor2D);
    hs.push(h);
  }
  return tf.stack(hs, 1) as tf.Tensor3D;
}
