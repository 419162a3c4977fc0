// The diagonal recurrences of the LRNN mixers as single tfjs operations with a hand-derived backward
// (fused-op.ts), instead of the ⌈log2 T⌉ levels of small tensor operations of the parallel scan. The
// forward is one pass over each lane (row r, unit i) of [B, T, n] in plain JavaScript (float64 carries,
// float32 results); the backward is one pass the other way:
//
//   forward   h_t = a_t ⊙ h_{t−1} + b_t,  h_0 = 0
//   backward  g_t = ∂L/∂h_t (total) = dy_t + a_{t+1} ⊙ g_{t+1}  (g_{T+1} = 0)
//             ∂L/∂b_t = g_t,   ∂L/∂a_t = g_t ⊙ h_{t−1}
//
// and for the complex recurrence (lrnn-complex), with G = ∂L/∂Re + i·∂L/∂Im of a real loss L:
//
//   G_t = dY_t + conj(a_{t+1})·G_{t+1},   ∂L/∂b_t = G_t,   ∂L/∂a_t = G_t·conj(h_{t−1}).
//
// The real and the complex kernel share the lanes (laneStarts) and fused-op.ts's wrapper; only the arithmetic
// of a step differs. The loops are written out, not given a per-step callback: the step is a few flops.
// test/models/kernels.test.ts checks both gradients against the tfjs graph of the parallel scan and against
// finite differences, over random shapes.
import * as tf from '@tensorflow/tfjs';
import { fusedOp } from './fused-op.js';

/** A [B, T, n] complex tensor as its real and imaginary parts (scan.ts's Complex3D). */
interface ComplexParts {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
}

/**
 * The lanes (row r, unit i) of row-major [B, T, n] buffers, for kernels that walk each lane through time: the
 * flat index of step 0 of every lane, in order (lane (r, i) steps by n).
 */
function laneStarts(B: number, T: number, n: number): Int32Array {
  const starts = new Int32Array(B * n);
  for (let r = 0; r < B; r++) for (let i = 0; i < n; i++) starts[r * n + i] = r * T * n + i;
  return starts;
}

/** All states h_1..h_T of h_t = a_t ⊙ h_{t−1} + b_t, h_0 = 0, as one operation; a, b, result: [B, T, n]. */
export function fusedLinearScan(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [B, T, n] = a.shape;
  return fusedOp([a, b], [B, T, n], ([av, bv]) => {
    const h = new Float32Array(av.length);
    const starts = laneStarts(B, T, n);
    const end = T * n;
    for (const start of starts) {
      let carry = 0;
      for (let k = start; k < start + end; k += n) {
        carry = av[k] * carry + bv[k];
        h[k] = carry;
      }
    }
    return {
      output: h,
      backward: (dy) => {
        const da = new Float32Array(av.length);
        const db = new Float32Array(av.length);
        for (const start of starts) {
          const last = start + end - n;
          let g = 0;
          for (let k = last; k >= start; k -= n) {
            g = dy[k] + (k < last ? av[k + n] * g : 0);
            db[k] = g;
            da[k] = k > start ? g * h[k - n] : 0;
          }
        }
        return [da, db];
      },
    };
  }) as tf.Tensor3D;
}

/** All states of the complex recurrence h_t = a_t·h_{t−1} + b_t, h_0 = 0 (elementwise complex), as one operation. */
export function fusedComplexScan(a: ComplexParts, b: ComplexParts): ComplexParts {
  const [B, T, n] = a.re.shape;
  // One [2, B, T, n] output (real parts, then imaginary parts): a custom gradient has a single output.
  const half = B * T * n;
  const h = fusedOp([a.re, a.im, b.re, b.im], [2, B, T, n], ([ar, ai, br, bi]) => {
    const out = new Float32Array(2 * half);
    const starts = laneStarts(B, T, n);
    const end = T * n;
    for (const start of starts) {
      let hr = 0;
      let hi = 0;
      for (let k = start; k < start + end; k += n) {
        const nr = ar[k] * hr - ai[k] * hi + br[k];
        hi = ar[k] * hi + ai[k] * hr + bi[k];
        hr = nr;
        out[k] = hr;
        out[half + k] = hi;
      }
    }
    return {
      output: out,
      backward: (dy) => {
        const [dar, dai, dbr, dbi] = [0, 1, 2, 3].map(() => new Float32Array(half));
        for (const start of starts) {
          const last = start + end - n;
          let gr = 0;
          let gi = 0;
          for (let k = last; k >= start; k -= n) {
            // G_t = dY_t + conj(a_{t+1}) G_{t+1}
            let nr = dy[k];
            let ni = dy[half + k];
            if (k < last) {
              nr += ar[k + n] * gr + ai[k + n] * gi;
              ni += ar[k + n] * gi - ai[k + n] * gr;
            }
            gr = nr;
            gi = ni;
            dbr[k] = gr;
            dbi[k] = gi;
            if (k > start) {
              // ∂L/∂a_t = G_t · conj(h_{t−1})
              const pr = out[k - n];
              const pi = out[half + k - n];
              dar[k] = gr * pr + gi * pi;
              dai[k] = gi * pr - gr * pi;
            }
          }
        }
        return [dar, dai, dbr, dbi];
      },
    };
  });
  const [re, im] = tf.unstack(h) as [tf.Tensor3D, tf.Tensor3D];
  return { re, im };
}
