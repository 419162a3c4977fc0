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
import { fusedOp } from './fused-op.js';

/** The sizes of one call: B rows, T steps, H heads of e components (n = H·e columns, head-major). */
interface Sizes {
  B: number;
  T: number;
  H: number;
  e: number;
}

/**
 * Runs the recurrence of (row r, head h) from S_0 = 0, calling visit(t, sAt) after step t with the state
 * S_t at s[sAt, sAt + e²) (row-major: S[i][j] at sAt + i·e + j). `keepAll` writes S_t at (t + 1)·e² of s
 * (s then holds S_0..S_T); otherwise every S_t is at 0.
 */
function runHead(z: Sizes, r: number, h: number, kv: Float32Array, vv: Float32Array, bv: Float32Array, s: Float64Array, delta: Float64Array, keepAll: boolean, visit: (t: number, sAt: number) => void): void {
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
      let sk = 0;
      for (let j = 0; j < e; j++) sk += s[from + i * e + j] * kv[col + j];
      delta[i] = beta * (vv[col + i] - sk);
    }
    for (let i = 0; i < e; i++) {
      const d = delta[i];
      const row = i * e;
      for (let j = 0; j < e; j++) s[to + row + j] = s[from + row + j] + d * kv[col + j];
    }
    visit(t, to);
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
    const y = new Float32Array(B * T * n);
    const s = new Float64Array(ee);
    const delta = new Float64Array(e);
    for (let r = 0; r < B; r++)
      for (let h = 0; h < H; h++)
        runHead(z, r, h, kv, vv, bv, s, delta, false, (t, sAt) => {
          const col = (r * T + t) * n + h * e;
          for (let i = 0; i < e; i++) {
            let acc = 0;
            for (let j = 0; j < e; j++) acc += s[sAt + i * e + j] * qv[col + j];
            y[col + i] = acc;
          }
        });
    return {
      output: y,
      backward: (dy) => {
        const [dk, dq, dv] = [0, 1, 2].map(() => new Float32Array(B * T * n));
        const dbeta = new Float32Array(B * T * H);
        const states = new Float64Array((T + 1) * ee);
        const g = new Float64Array(ee);
        const gk = new Float64Array(e);
        const d = new Float64Array(e);
        const dd = new Float64Array(e);
        for (let r = 0; r < B; r++)
          for (let h = 0; h < H; h++) {
            runHead(z, r, h, kv, vv, bv, states, delta, true, () => undefined);
            g.fill(0);
            for (let t = T - 1; t >= 0; t--) {
              const col = (r * T + t) * n + h * e;
              const bAt = (r * T + t) * H + h;
              const beta = bv[bAt];
              const prev = t * ee;
              const cur = prev + ee;
              // G_t += dy_t q_tᵀ; ∂q_t = S_tᵀ dy_t
              for (let j = 0; j < e; j++) d[j] = 0;
              for (let i = 0; i < e; i++) {
                const dyi = dy[col + i];
                const row = i * e;
                for (let j = 0; j < e; j++) {
                  g[row + j] += dyi * qv[col + j];
                  d[j] += states[cur + row + j] * dyi;
                }
              }
              for (let j = 0; j < e; j++) dq[col + j] = d[j];
              // δ_t = v_t − S_{t−1}k_t (recomputed), G_t k_t, ∂β_t, ∂δ_t = ∂v_t
              let db = 0;
              for (let i = 0; i < e; i++) {
                const row = i * e;
                let sk = 0;
                let acc = 0;
                for (let j = 0; j < e; j++) {
                  sk += states[prev + row + j] * kv[col + j];
                  acc += g[row + j] * kv[col + j];
                }
                d[i] = vv[col + i] - sk;
                gk[i] = acc;
                db += d[i] * acc;
                dd[i] = beta * acc;
                dv[col + i] = dd[i];
              }
              dbeta[bAt] = db;
              // ∂k_t = β Gᵀδ − S_{t−1}ᵀ ∂δ; then G_{t−1} part: G − ∂δ kᵀ
              for (let j = 0; j < e; j++) gk[j] = 0;
              for (let i = 0; i < e; i++) {
                const row = i * e;
                const bd = beta * d[i];
                const ddi = dd[i];
                for (let j = 0; j < e; j++) {
                  gk[j] += g[row + j] * bd - states[prev + row + j] * ddi;
                  g[row + j] -= ddi * kv[col + j];
                }
              }
              for (let j = 0; j < e; j++) dk[col + j] = gk[j];
            }
          }
        return [dk, dq, dv, dbeta];
      },
    };
  }) as tf.Tensor3D;
}
