// The diagonal recurrences of the LRNN mixers as single tfjs operations with a hand-derived backward
// (tf.customGrad), instead of the ⌈log2 T⌉ levels of small tensor operations of the parallel scan. The
// forward is one pass over [B, T, n] in plain JavaScript (float64 carries, float32 results); the backward is
// one pass the other way:
//
//   forward   h_t = a_t ⊙ h_{t−1} + b_t,  h_0 = 0
//   backward  g_t = ∂L/∂h_t (total) = dy_t + a_{t+1} ⊙ g_{t+1}  (g_{T+1} = 0)
//             ∂L/∂b_t = g_t,   ∂L/∂a_t = g_t ⊙ h_{t−1}
//
// and for the complex recurrence (lrnn-complex), with G = ∂L/∂Re + i·∂L/∂Im of a real loss L:
//
//   G_t = dY_t + conj(a_{t+1})·G_{t+1},   ∂L/∂b_t = G_t,   ∂L/∂a_t = G_t·conj(h_{t−1}).
//
// The data is read with dataSync, so these kernels run on the synchronous backends (wasm, cpu); on a GPU
// backend the parallel scan is the right choice anyway. test/models/kernels.test.ts checks both gradients
// against the tfjs graph of the parallel scan and against finite differences, over random shapes.
import * as tf from '@tensorflow/tfjs';

/** A [B, T, n] complex tensor as its real and imaginary parts (scan.ts's Complex3D). */
interface ComplexParts {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
}

/** Index of (row r, step t, unit i) in a row-major [B, T, n] buffer. */
const at = (r: number, t: number, i: number, T: number, n: number): number => (r * T + t) * n + i;

function realForward(a: Float32Array, b: Float32Array, B: number, T: number, n: number): Float32Array {
  const h = new Float32Array(a.length);
  for (let r = 0; r < B; r++)
    for (let i = 0; i < n; i++) {
      let carry = 0;
      for (let t = 0; t < T; t++) {
        const k = at(r, t, i, T, n);
        carry = a[k] * carry + b[k];
        h[k] = carry;
      }
    }
  return h;
}

/** All states h_1..h_T of h_t = a_t ⊙ h_{t−1} + b_t, h_0 = 0, as one operation; a, b, result: [B, T, n]. */
export function fusedLinearScan(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
    const [B, T, n] = x.shape;
    const h = tf.tensor3d(realForward(x.dataSync() as Float32Array, y.dataSync() as Float32Array, B, T, n), [B, T, n]);
    save([x, h]);
    return {
      value: h,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const av = saved[0].dataSync() as Float32Array;
        const hv = saved[1].dataSync() as Float32Array;
        const dv = dy.dataSync() as Float32Array;
        const da = new Float32Array(av.length);
        const db = new Float32Array(av.length);
        for (let r = 0; r < B; r++)
          for (let i = 0; i < n; i++) {
            let g = 0;
            for (let t = T - 1; t >= 0; t--) {
              const k = at(r, t, i, T, n);
              g = dv[k] + (t + 1 < T ? av[k + n] * g : 0);
              db[k] = g;
              da[k] = t > 0 ? g * hv[k - n] : 0;
            }
          }
        return [tf.tensor3d(da, [B, T, n]), tf.tensor3d(db, [B, T, n])];
      },
    };
  });
  return op(a, b) as tf.Tensor3D;
}

/** All states of the complex recurrence h_t = a_t·h_{t−1} + b_t, h_0 = 0 (elementwise complex), as one operation. */
export function fusedComplexScan(a: ComplexParts, b: ComplexParts): ComplexParts {
  const [B, T, n] = a.re.shape;
  // one [B, T, 4n] input: a.re | a.im | b.re | b.im along the last axis, and one [B, T, 2n] output: re | im
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [packed, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const p = packed.dataSync() as Float32Array;
    const out = new Float32Array(B * T * 2 * n);
    const inAt = (r: number, t: number, part: number, i: number) => (r * T + t) * 4 * n + part * n + i;
    const outAt = (r: number, t: number, part: number, i: number) => (r * T + t) * 2 * n + part * n + i;
    for (let r = 0; r < B; r++)
      for (let i = 0; i < n; i++) {
        let hr = 0;
        let hi = 0;
        for (let t = 0; t < T; t++) {
          const ar = p[inAt(r, t, 0, i)];
          const ai = p[inAt(r, t, 1, i)];
          const nr = ar * hr - ai * hi + p[inAt(r, t, 2, i)];
          const ni = ar * hi + ai * hr + p[inAt(r, t, 3, i)];
          hr = nr;
          hi = ni;
          out[outAt(r, t, 0, i)] = hr;
          out[outAt(r, t, 1, i)] = hi;
        }
      }
    const h = tf.tensor3d(out, [B, T, 2 * n]);
    save([packed, h]);
    return {
      value: h,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const pv = saved[0].dataSync() as Float32Array;
        const hv = saved[1].dataSync() as Float32Array;
        const dv = dy.dataSync() as Float32Array;
        const grad = new Float32Array(pv.length);
        for (let r = 0; r < B; r++)
          for (let i = 0; i < n; i++) {
            let gr = 0;
            let gi = 0;
            for (let t = T - 1; t >= 0; t--) {
              // G_t = dY_t + conj(a_{t+1}) G_{t+1}
              let nr = dv[outAt(r, t, 0, i)];
              let ni = dv[outAt(r, t, 1, i)];
              if (t + 1 < T) {
                const ar = pv[inAt(r, t + 1, 0, i)];
                const ai = pv[inAt(r, t + 1, 1, i)];
                nr += ar * gr + ai * gi;
                ni += ar * gi - ai * gr;
              }
              gr = nr;
              gi = ni;
              grad[inAt(r, t, 2, i)] = gr;
              grad[inAt(r, t, 3, i)] = gi;
              if (t > 0) {
                // ∂L/∂a_t = G_t · conj(h_{t−1})
                const pr = hv[outAt(r, t - 1, 0, i)];
                const pi = hv[outAt(r, t - 1, 1, i)];
                grad[inAt(r, t, 0, i)] = gr * pr + gi * pi;
                grad[inAt(r, t, 1, i)] = gi * pr - gr * pi;
              }
            }
          }
        return [tf.tensor3d(grad, [B, T, 4 * n])];
      },
    };
  });
  const h = op(tf.concat([a.re, a.im, b.re, b.im], 2)) as tf.Tensor3D;
  const [re, im] = tf.split(h, 2, 2) as [tf.Tensor3D, tf.Tensor3D];
  return { re, im };
}
