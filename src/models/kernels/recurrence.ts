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
import { giveBack, lastSteps, takeBuffer } from './buffers.js';
import { fusedOp } from './fused-op.js';
import { StepProduct } from './step-product.js';
import { TanhSteps } from './tanh-steps.js';
import { WasmHeap } from './wasm-heap.js';

/** A recurrent cell over n units with a pre-activation of m = gates·n columns. */
export interface Cell {
  /** Pre-activation columns per unit: 1 (tanh), 4 (lstm). */
  readonly gates: number;
  /** Values per unit a step keeps for the backward pass (the LSTM: its 4 gates and c_t). */
  readonly keeps: number;
  /** h_t = tanh(z_t), nothing kept (the tanh cell): the backward pass then takes each step's rows in one loop, and on
   *  wasm the forward too, tanh z = 2σ(2z) − 1 by the backend's vectorised σ (tanh-steps.ts); neither calls the cell. */
  readonly tanh?: boolean;
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
function forwardPass(cell: Cell, z: Sizes, xv: Float32Array, rows: Int32Array | null, product: StepProduct, h: Float32Array, keep: Float32Array): void {
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
      const zAt = (rows === null ? r * T + t : rows[r * T + t]) * m;
      if (t > 0) for (let j = 0; j < m; j++) pre[j] = xv[zAt + j] + hw[r * m + j];
      else for (let j = 0; j < m; j++) pre[j] = xv[zAt + j];
      const kAt = (r * T + t) * slot;
      cell.forward(pre, n, keep, kAt, t > 0 ? kAt - slot : -1, h, (r * T + t) * n);
    }
  }
}

/**
 * forwardPass for the tanh cell on wasm, a step's rows at once: h_t = 2σ(2z_t) − 1 (within about 1.2e-7 of tanh: σ's
 * float32 rounding near 1/2, doubled), z_t = x_t + h_{t−1}·W, the product and σ of all B·n values of a step each one
 * backend call (tanh-steps.ts). The steps' right factor is 2W, and with `q` > n (a small table read by token, x_t =
 * x[ids_t]) 2x below it: the left factor's columns n..q − 1 then hold the one-hot row of each row's token, and the
 * product is 2z_t itself; otherwise 2x_t is added to it in place.
 */
function tanhForwardPass(z: Sizes, xv: Float32Array, rows: Int32Array | null, q: number, steps: TanhSteps, h: Float32Array): void {
  const { B, T, n } = z;
  const oneHot = q > n;
  let left = steps.left();
  left.fill(0);
  if (oneHot && rows !== null) for (let r = 0; r < B; r++) left[r * q + n + rows[r * T]] = 1;
  for (let t = 0; t < T; t++) {
    const twice = steps.multiply();
    if (!oneHot) {
      for (let r = 0; r < B; r++) {
        const zAt = (rows === null ? r * T + t : rows[r * T + t]) * n;
        const at = r * n;
        for (let j = 0; j < n; j++) twice[at + j] += 2 * xv[zAt + j];
      }
    }
    const s = steps.sigmoidOfProduct();
    left = steps.left(); // after both kernels ran: either may have grown the heap
    const next = t + 1 < T;
    for (let r = 0; r < B; r++) {
      const hAt = (r * T + t) * n;
      const at = r * n;
      const lAt = r * q;
      if (next) {
        for (let j = 0; j < n; j++) {
          const v = 2 * s[at + j] - 1;
          h[hAt + j] = v;
          left[lAt + j] = v;
        }
        if (oneHot && rows !== null) {
          left[lAt + n + rows[r * T + t]] = 0;
          left[lAt + n + rows[r * T + t + 1]] = 1;
        }
      } else {
        for (let j = 0; j < n; j++) h[hAt + j] = 2 * s[at + j] - 1;
      }
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

/** backwardPass for the tanh cell (∂L/∂z_t = ∂L/∂h_t ⊙ (1 − h_t²)) in one pass over a step's rows, float32 values:
 *  no per-row cell call, no float64 staging arrays; ∂L/∂h_t from step t + 1 read where the product left it. With
 *  lastOnly, dy is ∂L/∂h_T alone ([B, n]: nothing else read h). ∂L/∂x (= ∂L/∂z) goes to dxView(), taken anew each step. */
function tanhBackwardPass(z: Sizes, dy: Float32Array, lastOnly: boolean, h: Float32Array, product: StepProduct, dxView: () => Float32Array): void {
  const { B, T, n } = z;
  // ∂L/∂h_t reaching back from step t + 1, all rows: [B, n]; none at t = T − 1
  let back: Float32Array | null = null;
  for (let t = T - 1; t >= 0; t--) {
    const left = product.left();
    const dx = dxView(); // after the step's product: where dx lies on the wasm heap, the product may have grown it
    for (let r = 0; r < B; r++) {
      const here = (r * T + t) * n;
      const at = r * n;
      if (back === null) {
        const dyAt = lastOnly ? at : here;
        for (let j = 0; j < n; j++) {
          const hj = h[here + j];
          const dz = dy[dyAt + j] * (1 - hj * hj);
          dx[here + j] = dz;
          left[at + j] = dz;
        }
      } else if (lastOnly) {
        for (let j = 0; j < n; j++) {
          const hj = h[here + j];
          const dz = back[at + j] * (1 - hj * hj);
          dx[here + j] = dz;
          left[at + j] = dz;
        }
      } else {
        for (let j = 0; j < n; j++) {
          const hj = h[here + j];
          const dz = (dy[here + j] + back[at + j]) * (1 - hj * hj);
          dx[here + j] = dz;
          left[at + j] = dz;
        }
      }
    }
    if (t > 0) back = product.multiply();
  }
}

/** The rows of dx (B·T rows of m) summed per token into a [vocab, m] table, in float64, in position order. */
function tokenSums(rows: Int32Array, dx: Float32Array, vocab: number, m: number): Float32Array {
  const sums = new Float64Array(vocab * m);
  for (let p = 0; p < rows.length; p++) {
    const to = rows[p] * m;
    const from = p * m;
    for (let j = 0; j < m; j++) sums[to + j] += dx[from + j];
  }
  return Float32Array.from(sums);
}

/** The largest table read by token whose rows ride in the products as one-hot columns or rows: in the rnn-tanh forward
 * pass's (x_t as part of the product, tanhForwardPass) and in ∂L/∂W's (the per-token sums of ∂L/∂x_t,
 * weightGradientLeft). Their vocab·n multiply-adds per position cost less than a JavaScript pass up to about this many. */
const ONE_HOT_ROWS = 16;

/**
 * h_{t−1} for every row and step laid out transposed, [n, B·T] (0 at t = 0), into the first n rows of out. Row by row
 * of the batch: the inner loop writes consecutive addresses and reads one row's T·n states, which stay in the
 * first-level cache (unit by unit over all rows read one float per cache line of h).
 */
function previousStatesTransposed(z: Sizes, h: Float32Array, out: Float32Array): void {
  const { B, T, n } = z;
  const BT = B * T;
  for (let r = 0; r < B; r++) {
    const first = r * T;
    for (let i = 0; i < n; i++) {
      const at = i * BT + first;
      out[at] = 0;
      for (let t = 1, from = first * n + i; t < T; t++, from += n) out[at + t] = h[from];
    }
  }
}

/**
 * The left factor of ∂L/∂W, [n, B·T] (h_{t−1} transposed, previousStatesTransposed), followed, with `tokens`, by one
 * row per token of the table, [vocab, B·T], 1 where position p reads that token: the same product then gives the
 * per-token sums of ∂L/∂x_t too (the right factor, ∂L/∂x, is packed once for both; a separate pass over it cost
 * more than the extra rows at (64, 64, 64)). In `into` (its first (n + vocab)·B·T values), or a pooled buffer.
 */
function weightGradientLeft(z: Sizes, h: Float32Array, tokens: { rows: Int32Array; vocab: number } | null, into?: Float32Array): Float32Array {
  const { B, T, n } = z;
  const BT = B * T;
  const out = into ?? takeBuffer((n + (tokens === null ? 0 : tokens.vocab)) * BT, false); // every entry written below
  previousStatesTransposed(z, h, out);
  if (tokens !== null) {
    out.fill(0, n * BT);
    for (let p = 0; p < BT; p++) out[(n + tokens.rows[p]) * BT + p] = 1;
  }
  return out;
}

/** The right factor of the tanh forward pass's steps: 2W [n, n], then 2x [vocab, n] when the table rides in the product. */
function tanhRight(wv: Float32Array, xv: Float32Array, n: number, vocab: number): Float32Array {
  const right = new Float32Array((n + vocab) * n);
  for (let k = 0; k < n * n; k++) right[k] = 2 * wv[k];
  for (let k = 0; k < vocab * n; k++) right[n * n + k] = 2 * xv[k];
  return right;
}

/**
 * The tanh cell's backward pass over a small table read by token (≤ ONE_HOT_ROWS rows) on wasm, with the ∂L/∂W
 * product's buffers on the heap: the pass writes ∂L/∂x_t there, weightGradientLeft its left factor, and one product
 * gives ∂L/∂W and the table's gradient (the one-hot rows): no [B, T, n] array copied into tensors, no engine call.
 * Returns [∂L/∂table, ∂L/∂W] in pooled buffers; the caller disposes the heap.
 */
function tanhTableBackward(heap: WasmHeap, z: Sizes, dy: Float32Array, lastOnly: boolean, h: Float32Array, wT: Float32Array, rows: Int32Array, vocab: number): Float32Array[] {
  const { B, T, n } = z;
  const BT = B * T;
  const k = n + vocab;
  const dz = heap.buffer([BT, n]);
  const backward = new StepProduct(wT, B, n, n);
  try {
    tanhBackwardPass(z, dy, lastOnly, h, backward, () => heap.view(dz));
  } finally {
    backward.dispose();
  }
  const left = heap.buffer([k, BT]);
  weightGradientLeft(z, h, { rows, vocab }, heap.view(left));
  const both = heap.buffer([k, n]);
  heap.matMul(left, dz, both, heap.productShapes(k, BT, n));
  return splitStacked(heap.view(both), n * n, vocab * n);
}

/** The stacked ∂L/∂W product (weightGradientLeft's one-hot rows below h's): ∂L/∂W in its first `weights` values,
 *  the table's gradient in the `table` values below; returned as [∂L/∂table, ∂L/∂W] in pooled buffers. */
function splitStacked(values: Float32Array, weights: number, table: number): Float32Array[] {
  const dWeights = takeBuffer(weights, false);
  dWeights.set(values.subarray(0, weights));
  const dTokens = takeBuffer(table, false);
  dTokens.set(values.subarray(weights, weights + table));
  return [dTokens, dWeights];
}

/** dy of the last step alone ([B, n]) spread over a [B, T, n] buffer, zero at every other step, for the passes that
 *  read dy at every step. */
function spreadLast(dy: Float32Array, B: number, T: number, n: number): Float32Array {
  const full = takeBuffer(B * T * n);
  for (let r = 0; r < B; r++) full.set(dy.subarray(r * n, (r + 1) * n), (r * T + T - 1) * n);
  return full;
}

/**
 * All states h_1..h_T of the cell's recurrence as one operation; x: [B, T, gates·n], w: [n, gates·n], result
 * [B, T, n], or with lastOnly h_T alone, [B, 1, n] (where nothing else reads the states: no [B, T, n] output to copy,
 * cut and pad back in the backward pass). With `ids` [B, T] (tokens in [0, vocab)), x is a table [vocab, gates·n]
 * and x_t = x[ids_t], read from the table: ∂L/∂x is then the per-token sums of ∂L/∂x_t, no [B, T, gates·n] lookup made.
 */
export function fusedRecurrence(cell: Cell, x: tf.Tensor, w: tf.Tensor2D, ids?: tf.Tensor2D, lastOnly = false): tf.Tensor3D {
  const m = x.shape[x.shape.length - 1];
  const [B, T] = ids === undefined ? x.shape : ids.shape;
  const rows = ids === undefined ? null : Int32Array.from(ids.dataSync());
  const vocab = x.shape[0];
  if (rows !== null && rows.some((id) => id < 0 || id >= vocab)) throw new Error(`fusedRecurrence: a token outside [0, ${vocab})`);
  const n = w.shape[0];
  const z: Sizes = { B, T, n, m, slot: cell.keeps * n };
  const oneHot = rows !== null && vocab <= ONE_HOT_ROWS;
  return fusedOp([x, w], [B, lastOnly ? 1 : T, n], ([xv, wv]) => {
    const h = takeBuffer(B * T * n, false); // every cell writes its h_t
    const keep = new Float32Array(B * T * z.slot);
    const steps = cell.tanh === true ? TanhSteps.open(tanhRight(wv, xv, n, oneHot ? vocab : 0), B, oneHot ? n + vocab : n, n) : null;
    if (steps !== null) {
      try {
        tanhForwardPass(z, xv, rows, oneHot ? n + vocab : n, steps, h);
      } finally {
        steps.dispose();
      }
    } else {
      const forward = new StepProduct(wv, B, n, m);
      try {
        forwardPass(cell, z, xv, rows, forward, h, keep);
      } finally {
        forward.dispose();
      }
    }
    return {
      output: lastOnly ? lastSteps(h, B, T, n) : h,
      backward: (dy) => {
        const wT = new Float32Array(m * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) wT[j * n + i] = wv[i * m + j];
        // a small table's tanh recurrence on wasm: every buffer of the ∂L/∂W product on the heap (tanhTableBackward)
        const heap = cell.tanh === true && oneHot && rows !== null ? WasmHeap.open() : null;
        if (heap !== null && rows !== null) {
          try {
            return tanhTableBackward(heap, z, dy, lastOnly, h, wT, rows, vocab);
          } finally {
            heap.dispose();
            if (lastOnly) giveBack([h]); // the output was a copy: nothing reads h after this
          }
        }
        const dx = takeBuffer(B * T * m, false); // backwardPass writes every entry
        const backward = new StepProduct(wT, B, m, n);
        try {
          if (cell.tanh === true) tanhBackwardPass(z, dy, lastOnly, h, backward, () => dx);
          else if (!lastOnly) backwardPass(cell, z, dy, h, keep, backward, dx);
          else {
            const full = spreadLast(dy, B, T, n);
            backwardPass(cell, z, full, h, keep, backward, dx);
            giveBack([full]);
          }
        } finally {
          backward.dispose();
        }
        // ∂L/∂W = Σ h_{t−1}ᵀ·dz_t over rows and steps: one backend matrix product [n, B·T]·[B·T, m], with
        // h_{t−1} laid out transposed so that no transpose flag slows the product down. Its right factor is the
        // very tensor handed back as ∂L/∂x: the input projection's weight gradient (u·wx + b: uᵀ·∂L/∂x) multiplies
        // the same data, which the wasm matMul then packs once for both (it caches a packed right factor by data
        // id; at (64, 64, 64) a packing costs as much as the product).
        // With ids, ∂L/∂x is the table's: ∂L/∂x_t summed per token, for a small table by one-hot rows appended
        // to the product's left factor (weightGradientLeft), else by tokenSums.
        const dTable = rows === null || oneHot ? null : tokenSums(rows, dx, vocab, m);
        const dxTensor = tf.tensor3d(dx, [B, T, m]);
        if (tf.getBackend() === 'wasm') giveBack([dx]); // copied into the heap; the cpu backend keeps the array
        const left = weightGradientLeft(z, h, oneHot && rows !== null ? { rows, vocab } : null);
        if (lastOnly) giveBack([h]); // the output was a copy: nothing reads h after this
        const k = oneHot ? n + vocab : n;
        const dw = tf.tidy(() => tf.matMul(tf.tensor2d(left, [k, B * T]), dxTensor.reshape([B * T, m])));
        if (tf.getBackend() === 'wasm') giveBack([left]); // copied into the heap, as dx
        if (rows === null) return [dxTensor, dw];
        dxTensor.dispose();
        if (dTable !== null) return [dTable, dw];
        const both = dw.dataSync() as Float32Array;
        dw.dispose();
        return splitStacked(both, n * m, vocab * m);
      },
    };
  }) as tf.Tensor3D;
}
