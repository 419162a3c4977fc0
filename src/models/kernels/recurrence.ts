// The loop shared by the nonlinear recurrences (rnn-tanh, lstm): per row, z_t = x_t + h_{t−1}·W with
// h_0 = 0 (the input half x = u·wx + b is one matMul before the kernel), then a cell turns z_t (and its own
// carried state, the LSTM's c) into h_t. The backward pass walks back in time:
//
//   ∂L/∂h_t (total) = dy_t + ∂L/∂z_{t+1}·Wᵀ,   ∂L/∂z_t from the cell,
//   ∂L/∂x_t = ∂L/∂z_t,   ∂L/∂W = Σ_t h_{t−1}ᵀ·∂L/∂z_t.
//
// Each step's products of all B rows with W (forward) and Wᵀ (backward) are one backend matrix product
// (XNNPACK on wasm: an order of magnitude faster than a JavaScript loop), called outside the engine and the
// gradient tape (step-product.ts); the cells
// run in JavaScript (float64 arithmetic, float32 stored values, as the tfjs graph holds them). ∂L/∂W is one
// product over all rows and steps at the end. One cell per file: tanh-recurrence.ts, lstm-recurrence.ts.
import * as tf from '@tensorflow/tfjs';
import { giveBack, takeBuffer } from './buffers.js';
import { fusedOp } from './fused-op.js';
import { StepProduct } from './step-product.js';

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

/** The sizes of one call: B rows, T steps, n units, m = gates·n pre-activation columns, slot = keeps·n. */
interface Sizes {
  B: number;
  T: number;
  n: number;
  m: number;
  slot: number;
}

// The loops are module-level functions, not closures made per call: V8 optimises a function once and keeps
// the code, where a fresh closure's long loop runs in the interpreter until on-stack replacement.

/** The forward pass: h (and the cell's keeps) from x and the product W. */
function forwardPass(cell: Cell, z: Sizes, xv: Float32Array, product: StepProduct, h: Float32Array, keep: Float32Array): void {
  const { B, T, n, m, slot } = z;
  const pre = new Float64Array(m);
  const hw = new Float32Array(B * m);
  for (let t = 0; t < T; t++) {
    if (t > 0) {
      const left = product.left();
      // plain loops, not set(subarray): a subarray per row and step is B·T objects for the collector
      for (let r = 0; r < B; r++) {
        const from = (r * T + t - 1) * n;
        for (let j = 0; j < n; j++) left[r * n + j] = h[from + j];
      }
      product.run(hw);
    }
    for (let r = 0; r < B; r++) {
      const zAt = (r * T + t) * m;
      if (t > 0) for (let j = 0; j < m; j++) pre[j] = xv[zAt + j] + hw[r * m + j];
      else for (let j = 0; j < m; j++) pre[j] = xv[zAt + j];
      const kAt = (r * T + t) * slot;
      cell.forward(pre, n, keep, kAt, t > 0 ? kAt - slot : -1, h, (r * T + t) * n);
    }
  }
}

/** The backward pass through time: ∂L/∂x into dx from dy, with the product Wᵀ. */
function backwardPass(cell: Cell, z: Sizes, dy: Float32Array, h: Float32Array, keep: Float32Array, product: StepProduct, dx: Float32Array): void {
  const { B, T, n, m, slot } = z;
  const dh = new Float64Array(n);
  const carries = Array.from({ length: B }, () => new Float64Array(n));
  const dz = new Float64Array(m);
  // ∂L/∂h_t reaching back from step t + 1, all rows: [B, n]
  const back = new Float32Array(B * n);
  for (let t = T - 1; t >= 0; t--) {
    const left = product.left();
    for (let r = 0; r < B; r++) {
      const here = (r * T + t) * n;
      const zAt = (r * T + t) * m;
      const kAt = (r * T + t) * slot;
      if (t < T - 1) for (let j = 0; j < n; j++) dh[j] = dy[here + j] + back[r * n + j];
      else for (let j = 0; j < n; j++) dh[j] = dy[here + j];
      cell.backward(dh, n, keep, kAt, t > 0 ? kAt - slot : -1, h, here, carries[r], dz);
      for (let j = 0; j < m; j++) dx[zAt + j] = left[r * m + j] = dz[j];
    }
    if (t > 0) product.run(back);
  }
}

/**
 * h_{t−1} for every row and step laid out transposed, [n, B·T] (0 at t = 0), the left factor of ∂L/∂W. The inner
 * loop writes consecutive addresses: strided writes of B·T floats would thrash the cache.
 */
function previousStatesTransposed(z: Sizes, h: Float32Array): Float32Array {
  const { B, T, n } = z;
  const out = new Float32Array(n * B * T);
  for (let i = 0; i < n; i++) {
    const row = i * B * T;
    for (let r = 0; r < B; r++) for (let t = 1; t < T; t++) out[row + r * T + t] = h[(r * T + t - 1) * n + i];
  }
  return out;
}

/** All states h_1..h_T of the cell's recurrence as one operation; x: [B, T, gates·n], w: [n, gates·n], result [B, T, n]. */
export function fusedRecurrence(cell: Cell, x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
  const [B, T, m] = x.shape;
  const n = w.shape[0];
  const z: Sizes = { B, T, n, m, slot: cell.keeps * n };
  return fusedOp([x, w], [B, T, n], ([xv, wv]) => {
    const h = takeBuffer(B * T * n, false); // every cell writes its h_t
    const keep = new Float32Array(B * T * z.slot);
    const forward = new StepProduct(wv, B, n, m);
    try {
      forwardPass(cell, z, xv, forward, h, keep);
    } finally {
      forward.dispose();
    }
    return {
      output: h,
      backward: (dy) => {
        const dx = takeBuffer(xv.length, false); // backwardPass writes every entry
        const wT = new Float32Array(m * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) wT[j * n + i] = wv[i * m + j];
        const backward = new StepProduct(wT, B, m, n);
        try {
          backwardPass(cell, z, dy, h, keep, backward, dx);
        } finally {
          backward.dispose();
        }
        // ∂L/∂W = Σ h_{t−1}ᵀ·dz_t over rows and steps: one backend matrix product [n, B·T]·[B·T, m], with
        // h_{t−1} laid out transposed so that no transpose flag slows the product down. Its right factor is the
        // very tensor handed back as ∂L/∂x: the input projection's weight gradient (u·wx + b: uᵀ·∂L/∂x) multiplies
        // the same data, which the wasm matMul then packs once for both (it caches a packed right factor by data
        // id; at (64, 64, 64) a packing costs as much as the product).
        const dxTensor = tf.tensor3d(dx, [B, T, m]);
        if (tf.getBackend() === 'wasm') giveBack([dx]); // copied into the heap; the cpu backend keeps the array
        const dw = tf.tidy(() => tf.matMul(tf.tensor2d(previousStatesTransposed(z, h), [n, B * T]), dxTensor.reshape([B * T, m])));
        return [dxTensor, dw];
      },
    };
  }) as tf.Tensor3D;
}
