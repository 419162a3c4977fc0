// The loop shared by the nonlinear recurrences (rnn-tanh, lstm): per row, z_t = x_t + h_{t−1}·W with
// h_0 = 0 (the input half x = u·wx + b is one matMul before the kernel), then a cell turns z_t (and its own
// carried state, the LSTM's c) into h_t. The backward pass walks each row back in time:
//
//   ∂L/∂h_t (total) = dy_t + ∂L/∂z_{t+1}·Wᵀ,   ∂L/∂z_t from the cell,
//   ∂L/∂x_t = ∂L/∂z_t,   ∂L/∂W = Σ_t h_{t−1}ᵀ·∂L/∂z_t.
//
// Sums are float64, stored values float32 (what the tfjs graph holds). One cell per file: tanh-recurrence.ts,
// lstm-recurrence.ts.
import type * as tf from '@tensorflow/tfjs';
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

/** All states h_1..h_T of the cell's recurrence as one operation; x: [B, T, gates·n], w: [n, gates·n], result [B, T, n]. */
export function fusedRecurrence(cell: Cell, x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
  const [B, T, m] = x.shape;
  const n = w.shape[0];
  return fusedOp([x, w], [B, T, n], ([xv, wv]) => {
    const h = new Float32Array(B * T * n);
    const slot = cell.keeps * n;
    const keep = new Float32Array(B * T * slot);
    const z = new Float64Array(m);
    for (let r = 0; r < B; r++)
      for (let t = 0; t < T; t++) {
        const here = (r * T + t) * n;
        const zAt = (r * T + t) * m;
        for (let j = 0; j < m; j++) z[j] = xv[zAt + j];
        if (t > 0)
          for (let i = 0; i < n; i++) {
            const hi = h[here - n + i];
            const row = i * m;
            for (let j = 0; j < m; j++) z[j] += hi * wv[row + j];
          }
        const kAt = (r * T + t) * slot;
        cell.forward(z, n, keep, kAt, t > 0 ? kAt - slot : -1, h, here);
      }
    return {
      output: h,
      backward: (dy) => {
        const dx = new Float32Array(xv.length);
        const dw = new Float64Array(n * m);
        const dh = new Float64Array(n);
        const carry = new Float64Array(n);
        const dz = new Float64Array(m);
        for (let r = 0; r < B; r++) {
          dh.fill(0);
          carry.fill(0);
          for (let t = T - 1; t >= 0; t--) {
            const here = (r * T + t) * n;
            const zAt = (r * T + t) * m;
            const kAt = (r * T + t) * slot;
            for (let j = 0; j < n; j++) dh[j] += dy[here + j];
            cell.backward(dh, n, keep, kAt, t > 0 ? kAt - slot : -1, h, here, carry, dz);
            for (let j = 0; j < m; j++) dx[zAt + j] = dz[j];
            if (t === 0) break;
            // ∂L/∂W += h_{t−1}ᵀ·dz and the recurrent ∂L/∂h_{t−1} = dz·Wᵀ, one row of W at a time
            for (let i = 0; i < n; i++) {
              const hi = h[here - n + i];
              const row = i * m;
              let c = 0;
              for (let j = 0; j < m; j++) {
                dw[row + j] += hi * dz[j];
                c += wv[row + j] * dz[j];
              }
              dh[i] = c;
            }
          }
        }
        return [dx, Float32Array.from(dw)];
      },
    };
  }) as tf.Tensor3D;
}
