// RMS norm as one operation (fused-op.ts) instead of layers.ts's six (square, mean, add, rsqrt, two products)
// and their dozen gradient operations, each a pass over the activation and a trip through the engine. Per row x
// of d values, r = 1/sqrt(mean(x²) + ε):
//
//   forward   y_j = x_j·r·g_j
//   backward  q_j = ∂L/∂y_j·g_j,   ∂L/∂x_j = r·q_j − (r³/d)·x_j·Σ_k q_k·x_k,   ∂L/∂g_j = Σ_rows ∂L/∂y_j·x_j·r
//
// (∂r/∂x_j = −r³·x_j/d). Sums in float64.
import type * as tf from '@tensorflow/tfjs';
import { NORM_EPS } from '../layers.js';
import { takeBuffer } from './buffers.js';
import { fusedOp } from './fused-op.js';

/** y and the per-row r of every row of x (rows of d values). */
function normForward(x: Float32Array, g: Float32Array, d: number, y: Float32Array, r: Float64Array): void {
  const rows = r.length;
  for (let row = 0; row < rows; row++) {
    const at = row * d;
    let squares = 0;
    for (let j = 0; j < d; j++) squares += x[at + j] * x[at + j];
    // as the graph: the mean and the root's reciprocal rounded to float32
    const scale = Math.fround(1 / Math.sqrt(Math.fround(Math.fround(squares / d) + NORM_EPS)));
    r[row] = scale;
    for (let j = 0; j < d; j++) y[at + j] = x[at + j] * scale * g[j];
  }
}

/** ∂L/∂x into dx and ∂L/∂g into dg from dy, given x, g and the forward's r. */
function normBackward(x: Float32Array, g: Float32Array, d: number, r: Float64Array, dy: Float32Array, dx: Float32Array, dg: Float32Array): void {
  const rows = r.length;
  const sumG = new Float64Array(d);
  for (let row = 0; row < rows; row++) {
    const at = row * d;
    const scale = r[row];
    let dot = 0;
    for (let j = 0; j < d; j++) {
      dot += dy[at + j] * g[j] * x[at + j];
      sumG[j] += dy[at + j] * x[at + j] * scale;
    }
    const c = (scale * scale * scale * dot) / d;
    for (let j = 0; j < d; j++) dx[at + j] = scale * dy[at + j] * g[j] - c * x[at + j];
  }
  dg.set(sumG);
}

/** x / sqrt(mean(x²) + 1e-6) ⊙ g over the last axis of x [..., d], g [d], as one operation (layers.ts's rmsNorm). */
export function fusedRmsNorm<T extends tf.Tensor>(x: T, g: tf.Tensor): T {
  const d = x.shape[x.shape.length - 1];
  return fusedOp([x, g], x.shape, ([xv, gv]) => {
    const r = new Float64Array(d === 0 ? 0 : xv.length / d);
    const y = takeBuffer(xv.length, false); // normForward writes every entry
    normForward(xv, gv, d, y, r);
    return {
      output: y,
      backward: (dy) => {
        const dx = takeBuffer(xv.length, false); // normBackward writes every entry
        const dg = takeBuffer(d);
        normBackward(xv, gv, d, r, dy, dx, dg);
        return [dx, dg];
      },
    };
  }) as T;
}
