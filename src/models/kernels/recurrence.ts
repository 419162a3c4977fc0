// The loop shared by the nonlinear recurrences (rnn-tanh, lstm): per row, z_t = x_t + h_{t−1}·W with
// h_0 = 0 (the input half x = u·wx + b is one matMul before the kernel), then a cell turns z_t (and its own
// carried state, the LSTM's c) into h_t. The backward pass walks back in time:
//
//   ∂L/∂h_t (total) = dy_t + ∂L/∂z_{t+1}·Wᵀ,   ∂L/∂z_t from the cell,
//   ∂L/∂x_t = ∂L/∂z_t,   ∂L/∂W = Σ_t h_{t−1}ᵀ·∂L/∂z_t.
//
// Each step's products of all B rows with W (forward) and Wᵀ (backward) are one backend matrix product
// (XNNPACK on wasm: an order of magnitude faster than a JavaScript loop), outside the gradient tape; the cells
// run in JavaScript (float64 arithmetic, float32 stored values, as the tfjs graph holds them). ∂L/∂W is one
// product over all rows and steps at the end. One cell per file: tanh-recurrence.ts, lstm-recurrence.ts.
import * as tf from '@tensorflow/tfjs';
import { fusedOp } from './fused-op.js';

/** A recurrent cell over n units with a pre-activation of m = gates·n columns. */
export interface Cell {
  /** Pre-activation columns per unit: 1 (tanh), 4 (lstm). */
  readonly gates: number;
  /** Values per unit a step keeps for the backward pass (the LSTM: its 4 gates and c_t). */
  readonly keeps: number;
  /**
   * Step t of one row: z (m values, pre-activation) -> h_t into h[hAt, hAt + n). `keep` holds, from kAt,
   * this step's keeps·n values for the backward pass; kPrev is step t − 1's kAt, or −1 at t = 0.
   */
  forward(z: Float64Array, n: number, keep: Float32Array, kAt: number, kPrev: number, h: Float32Array, hAt: number): void;
  /**
   * Back through step t: dh (n values, total ∂L/∂h_t) -> dz (m values, ∂L/∂z_t), with `carry` (n values,
   * zeroed at t = T − 1) for the cell's own state, updated to what step t − 1 needs; kPrev as in forward.
   */
  backward(dh: Float64Array, n: number, keep: Float32Array, kAt: number, kPrev: number, h: Float32Array, hAt: number, carry: Float64Array, dz: Float64Array): void;
}

/** a·b for row-major a [p, q] by the backend's matrix product (b: [q, s]); the result's data, [p, s]. */
function times(a: Float32Array, p: number, q: number, b: tf.Tensor2D): Float32Array {
  const x = tf.tensor2d(a, [p, q]);
  const y = tf.matMul(x, b);
  const out = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  return out;
}

/** All states h_1..h_T of the cell's recurrence as one operation; x: [B, T, gates·n], w: [n, gates·n], result [B, T, n]. */
export function fusedRecurrence(cell: Cell, x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
  const [B, T, m] = x.shape;
  const n = w.shape[0];
  return fusedOp([x, w], [B, T, n], ([xv, wv]) => {
    const h = new Float32Array(B * T * n);
    const slot = cell.keeps * n;
    const keep = new Float32Array(B * T * slot);
    const z = new Float64Array(m);
    const hPrev = new Float32Array(B * n);
    const wt = tf.tensor2d(wv, [n, m]);
    for (let t = 0; t < T; t++) {
      let hw: Float32Array | null = null;
      if (t > 0) {
        for (let r = 0; r < B; r++) hPrev.set(h.subarray((r * T + t - 1) * n, (r * T + t) * n), r * n);
        hw = times(hPrev, B, n, wt);
      }
      for (let r = 0; r < B; r++) {
        const zAt = (r * T + t) * m;
        for (let j = 0; j < m; j++) z[j] = xv[zAt + j];
        if (hw !== null) for (let j = 0; j < m; j++) z[j] += hw[r * m + j];
        const kAt = (r * T + t) * slot;
        cell.forward(z, n, keep, kAt, t > 0 ? kAt - slot : -1, h, (r * T + t) * n);
      }
    }
    wt.dispose();
    return {
      output: h,
      backward: (dy) => {
        const dx = new Float32Array(xv.length);
        const dh = new Float64Array(n);
        const carries = Array.from({ length: B }, () => new Float64Array(n));
        const dz = new Float64Array(m);
        const dzRows = new Float32Array(B * m);
        const wT = tf.tidy(() => tf.transpose(tf.tensor2d(wv, [n, m])) as tf.Tensor2D);
        // ∂L/∂h_t reaching back from step t + 1, all rows: [B, n]
        let back: Float32Array | null = null;
        for (let t = T - 1; t >= 0; t--) {
          for (let r = 0; r < B; r++) {
            const here = (r * T + t) * n;
            const zAt = (r * T + t) * m;
            const kAt = (r * T + t) * slot;
            for (let j = 0; j < n; j++) dh[j] = dy[here + j] + (back === null ? 0 : back[r * n + j]);
            cell.backward(dh, n, keep, kAt, t > 0 ? kAt - slot : -1, h, here, carries[r], dz);
            for (let j = 0; j < m; j++) dx[zAt + j] = dzRows[r * m + j] = dz[j];
          }
          if (t > 0) back = times(dzRows, B, m, wT);
        }
        wT.dispose();
        // ∂L/∂W = Σ h_{t−1}ᵀ·dz_t over rows and steps: one backend matrix product [n, B·T]·[B·T, m], with
        // h_{t−1} laid out transposed (and 0 for t = 0) so that no transpose flag slows the product down.
        const hPrevT = new Float32Array(n * B * T);
        for (let r = 0; r < B; r++)
          for (let t = 1; t < T; t++) {
            const from = (r * T + t - 1) * n;
            const col = r * T + t;
            for (let i = 0; i < n; i++) hPrevT[i * B * T + col] = h[from + i];
          }
        const dw = tf.tidy(() => tf.matMul(tf.tensor2d(hPrevT, [n, B * T]), tf.tensor2d(dx, [B * T, m])));
        return [dx, dw];
      },
    };
  }) as tf.Tensor3D;
}
