// DeltaNet's recurrence (deltanet.ts) as one tfjs operation with a hand-derived backward, instead of T steps
// of batched matrix products on the gradient tape. Per row and head, with e×e state S (S_0 = 0), unit keys
// and queries k_t, q_t, values v_t and step size β_t (already doubled for deltanet-neg):
//
//   forward   δ_t = v_t − S_{t−1}k_t,   S_t = S_{t−1} + β_t δ_t k_tᵀ,   y_t = S_t q_t
//   backward  G_t = ∂L/∂S_t (total) = dy_t q_tᵀ + G_{t+1} − β_{t+1} (G_{t+1}k_{t+1}) k_{t+1}ᵀ   (G_{T+1} = 0)
//             ∂q_t = S_tᵀ dy_t,   ∂δ_t = β_t G_t k_t = ∂v_t,   ∂β_t = δ_tᵀ G_t k_t,
//             ∂k_t = β_t G_tᵀ δ_t − S_{t−1}ᵀ ∂δ_t
//
// The forward keeps nothing: the backward recomputes the T states of one (row, head) at a time into a
// (T + 1)·e² buffer, so memory stays O(T·e²) however large the batch (a forward more of arithmetic).
// Sums are float64, results float32. test/models/kernels.test.ts checks it against deltanet.ts's tfjs graph
// and finite differences.
import type * as tf from '@tensorflow/tfjs';
import { takeBuffer } from './buffers.js';
import { fusedOp } from './fused-op.js';

/** The sizes of one call: B rows, T steps, H heads of e components (n = H·e columns, head-major). */
interface Sizes {
  B: number;
  T: number;
  H: number;
  e: number;
}

/**
 * Runs the recurrence of (row r, head h) from S_0 = 0, one row of S at a time (row i of S_t needs only row i
 * of S_{t−1}). With `states` ((T + 1)·e² values) S_t is written at (t + 1)·e² and S_0 = 0 at 0; otherwise S
 * is updated in place in the first e² values of it. With y, writes y_t = S_t q_t.
 */
function runHead(z: Sizes, r: number, h: number, kv: Float32Array, qv: Float32Array, vv: Float32Array, bv: Float32Array, s: Float64Array, keepAll: boolean, y: Float32Array | null): void {
  const { T, H, e } = z;
  const n = H * e;
  const ee = e * e;
  s.fill(0, 0, ee);
  for (let t = 0; t < T; t++) {
    const col = (r * T + t) * n + h * e;
    const beta = bv[(r * T + t) * H + h];
    const from = keepAll ? t * ee : 0;
    const to = keepAll ? from + ee : 0;
    for (let i = 0; i < e; i++) {
      const row = i * e;
      let sk = 0;
      for (let j = 0; j < e; j++) sk += s[from + row + j] * kv[col + j];
      const d = beta * (vv[col + i] - sk);
      let acc = 0;
      for (let j = 0; j < e; j++) {
        const next = s[from + row + j] + d * kv[col + j];
        s[to + row + j] = next;
        acc += next * qv[col + j];
      }
      if (y !== null) y[col + i] = acc;
    }
  }
}

/** The backward pass of every (row, head): ∂L/∂k, ∂L/∂q, ∂L/∂v and ∂L/∂β from dy, recomputing the states. */
function backwardPass(z: Sizes, kv: Float32Array, qv: Float32Array, vv: Float32Array, bv: Float32Array, dy: Float32Array, grads: Float32Array[]): void {
  const { B, T, H, e } = z;
  const n = H * e;
  const ee = e * e;
  const [dk, dq, dv, dbeta] = grads;
  const states = new Float64Array((T + 1) * ee);
  const g = new Float64Array(ee);
  const d = new Float64Array(e);
  const dd = new Float64Array(e);
  const acc = new Float64Array(e);
  for (let r = 0; r < B; r++)
    for (let h = 0; h < H; h++) {
      runHead(z, r, h, kv, qv, vv, bv, states, true, null);
      g.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const col = (r * T + t) * n + h * e;
        const bAt = (r * T + t) * H + h;
        const beta = bv[bAt];
        const prev = t * ee;
        const cur = prev + ee;
        // one pass over the rows: G_t += dy_t q_tᵀ, ∂q_t = S_tᵀ dy_t, δ_t = v_t − S_{t−1}k_t (recomputed),
        // G_t k_t, ∂β_t and ∂δ_t = ∂v_t
        acc.fill(0);
        let db = 0;
        for (let i = 0; i < e; i++) {
          const dyi = dy[col + i];
          const row = i * e;
          let sk = 0;
          let gk = 0;
          for (let j = 0; j < e; j++) {
            const gij = g[row + j] + dyi * qv[col + j];
            g[row + j] = gij;
            acc[j] += states[cur + row + j] * dyi;
            sk += states[prev + row + j] * kv[col + j];
            gk += gij * kv[col + j];
          }
          d[i] = vv[col + i] - sk;
          db += d[i] * gk;
          dd[i] = beta * gk;
          dv[col + i] = dd[i];
        }
        for (let j = 0; j < e; j++) dq[col + j] = acc[j];
        dbeta[bAt] = db;
        // a second: ∂k_t = β Gᵀδ − S_{t−1}ᵀ ∂δ, and G_t − ∂δ kᵀ, the part of G_{t−1} from step t
        acc.fill(0);
        for (let i = 0; i < e; i++) {
          const row = i * e;
          const bd = beta * d[i];
          const ddi = dd[i];
          for (let j = 0; j < e; j++) {
            acc[j] += g[row + j] * bd - states[prev + row + j] * ddi;
            g[row + j] -= ddi * kv[col + j];
          }
        }
        for (let j = 0; j < e; j++) dk[col + j] = acc[j];
      }
    }
}

/**
 * y_t = S_t q_t of the delta rule for keys k, queries q, values v ([B, T, H·e], head-major) and step sizes
 * beta ([B, T, H]), as one operation: [B, T, H·e].
 */
export function fusedDeltaRule(k: tf.Tensor3D, q: tf.Tensor3D, v: tf.Tensor3D, beta: tf.Tensor3D): tf.Tensor3D {
  const [B, T, n] = k.shape;
  const H = beta.shape[2];
  const z: Sizes = { B, T, H, e: n / H };
  const { e } = z;
  const ee = e * e;
  return fusedOp([k, q, v, beta], [B, T, n], ([kv, qv, vv, bv]) => {
    const y = takeBuffer(B * T * n);
    const s = new Float64Array(ee);
    for (let r = 0; r < B; r++) for (let h = 0; h < H; h++) runHead(z, r, h, kv, qv, vv, bv, s, false, y);
    return {
      output: y,
      backward: (dy) => {
        const grads = [takeBuffer(B * T * n), takeBuffer(B * T * n), takeBuffer(B * T * n), takeBuffer(B * T * H)];
        backwardPass(z, kv, qv, vv, bv, dy, grads);
        return grads;
      },
    };
  }) as tf.Tensor3D;
}
