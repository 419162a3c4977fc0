// Causal softmax attention: q = u·wq, k = u·wk, v = u·wv split into H heads of d/H (head-major),
// scores q·kᵀ/sqrt(d/H) over positions ≤ t, y = concat_heads(softmax(scores)·v)·wo.
import * as tf from '@tensorflow/tfjs';
import type { ParamLookup } from '../layers.js';
import { matmul, projectShared } from '../layers.js';

/** Added to scores of future positions; large enough that softmax gives them weight 0 in float32. */
const MASKED = -1e9;

/** [B, T, d] -> [B, H, T, d/H]. */
function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [b, t, d] = x.shape;
  return x.reshape([b, t, heads, d / heads]).transpose([0, 2, 1, 3]);
}

/** The transformer's attention mixer over u [B, T, d]: the heads' outputs, concatenated, that wo reads. */
export function attentionMixer(u: tf.Tensor3D, p: ParamLookup, heads: number): tf.Tensor3D {
  const [b, t, d] = u.shape;
  // u feeds wq, wk and wv: their gradients share one packing of it (layers.ts)
  const q = splitHeads(projectShared(u, p('wq')), heads);
  const k = splitHeads(projectShared(u, p('wk')), heads);
  const v = splitHeads(projectShared(u, p('wv')), heads);
  const scores = tf.div(matmul(q, k.transpose([0, 1, 3, 2])), Math.sqrt(d / heads));
  const future = tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0));
  const weights = tf.softmax(tf.add(scores, tf.mul(future, MASKED)));
  const y = matmul(weights, v).transpose([0, 2, 1, 3]).reshape([b, t, d]) as tf.Tensor3D;
  return y;
}
