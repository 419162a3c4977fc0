// DeltaNet's short convolution (config.ts, conv = K > 0), as flash-linear-attention's ShortConvolution with
// SiLU: a causal depthwise convolution over time, left zero-padded, no bias. Plain tfjs operations (a pad and
// K slices), so its gradient is tfjs's own on every backend; K is small (fla's default 4).
import * as tf from '@tensorflow/tfjs';

/** silu(c) with c_t,i = Σ_j w[i][j]·x_{t−K+1+j},i over x [B, T, n] (x_τ = 0 for τ < 1) and kernels w [n, K]. */
export function shortConvSilu(x: tf.Tensor3D, w: tf.Tensor): tf.Tensor3D {
  const [b, t, n] = x.shape;
  const k = w.shape[1] as number;
  const padded = k > 1 ? tf.pad(x, [[0, 0], [k - 1, 0], [0, 0]]) : x;
  let c: tf.Tensor3D | null = null;
  for (let j = 0; j < k; j++) {
    // tap j reads x shifted right by K − 1 − j steps: rows j .. j + T − 1 of the padded input
    const tap = tf.mul(tf.slice(padded, [0, j, 0], [b, t, n]), tf.slice(w, [0, j], [n, 1]).reshape([n])) as tf.Tensor3D;
    c = c === null ? tap : (tf.add(c, tap) as tf.Tensor3D);
  }
  const out = c as tf.Tensor3D;
  return tf.mul(out, tf.sigmoid(out));
}
