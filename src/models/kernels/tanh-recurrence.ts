// The rnn-tanh recurrence as one tfjs operation with a hand-derived backward (tf.customGrad), instead of T
// steps of matMul, add and tanh, each a node of the gradient tape. The input half u·wx + b is one matMul
// before it (rnn-tanh.ts); this kernel does the loop over time in plain JavaScript (float64 sums, float32
// results):
//
//   forward   h_t = tanh(x_t + h_{t−1}·Wh),  h_0 = 0
//   backward  δ_t = (dy_t + δ_{t+1}·Whᵀ) ⊙ (1 − h_t²)   (δ_{T+1} = 0)
//             ∂L/∂x_t = δ_t,   ∂L/∂Wh = Σ_t h_{t−1}ᵀ·δ_t
//
// Like diagonal-scan.ts it reads data with dataSync (synchronous backends); test/models/kernels.test.ts
// checks it against the tfjs graph of the step loop and against finite differences.
import * as tf from '@tensorflow/tfjs';

/** All states h_1..h_T of h_t = tanh(x_t + h_{t−1}·Wh), h_0 = 0, as one operation; x: [B, T, n], wh: [n, n]. */
export function fusedTanhRecurrence(x: tf.Tensor3D, wh: tf.Tensor2D): tf.Tensor3D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, w, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
    const [B, T, n] = xs.shape;
    const xv = xs.dataSync() as Float32Array;
    const wv = w.dataSync() as Float32Array;
    const h = new Float32Array(xv.length);
    for (let r = 0; r < B; r++)
      for (let t = 0; t < T; t++) {
        const here = (r * T + t) * n;
        const prev = here - n;
        for (let j = 0; j < n; j++) {
          let s = xv[here + j];
          if (t > 0) for (let i = 0; i < n; i++) s += h[prev + i] * wv[i * n + j];
          h[here + j] = Math.tanh(s);
        }
      }
    const out = tf.tensor3d(h, [B, T, n]);
    save([w, out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const wSaved = saved[0].dataSync() as Float32Array;
        const hv = saved[1].dataSync() as Float32Array;
        const dv = dy.dataSync() as Float32Array;
        const dx = new Float32Array(hv.length);
        const dw = new Float64Array(n * n);
        const carry = new Float64Array(n);
        const delta = new Float64Array(n);
        for (let r = 0; r < B; r++) {
          carry.fill(0);
          for (let t = T - 1; t >= 0; t--) {
            const here = (r * T + t) * n;
            for (let j = 0; j < n; j++) {
              const hj = hv[here + j];
              delta[j] = (dv[here + j] + carry[j]) * (1 - hj * hj);
              dx[here + j] = delta[j];
            }
            if (t === 0) break;
            const prev = here - n;
            for (let i = 0; i < n; i++) {
              const hi = hv[prev + i];
              let c = 0;
              for (let j = 0; j < n; j++) {
                dw[i * n + j] += hi * delta[j];
                c += wSaved[i * n + j] * delta[j];
              }
              carry[i] = c;
            }
          }
        }
        return [tf.tensor3d(dx, [B, T, n]), tf.tensor2d(Float32Array.from(dw), [n, n])];
      },
    };
  });
  return op(x, wh) as tf.Tensor3D;
}
