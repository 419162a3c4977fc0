// The rnn-tanh recurrence as one tfjs operation with a hand-derived backward, instead of T steps of matMul,
// add and tanh, each a node of the gradient tape. The loop over rows and time is recurrence.ts's; the cell:
//
//   forward   h_t = tanh(z_t),  z_t = x_t + h_{t−1}·Wh,  h_0 = 0   (tanh within about 1.2e-7: on wasm as
//             2σ(2z) − 1 by the backend's σ over a step's rows at once, recurrence.ts; elsewhere fast-tanh.ts)
//   backward  ∂L/∂z_t = ∂L/∂h_t ⊙ (1 − h_t²)
//
// test/models/kernels.test.ts checks it against the tfjs graph of the step loop and finite differences.
import type * as tf from '@tensorflow/tfjs';
import type { Cell } from './recurrence.js';
import { tanh32 } from './fast-tanh.js';
import { fusedRecurrence } from './recurrence.js';

/** The tanh cell; it keeps nothing beyond h_t. */
const TANH: Cell = {
  gates: 1,
  keeps: 0,
  tanh: true,
  forward(z, n, _keep, _kAt, _kPrev, h, hAt) {
    for (let j = 0; j < n; j++) h[hAt + j] = tanh32(z[j]);
  },
  backward(dh, n, _keep, _kAt, _kPrev, h, hAt, _carry, dz) {
    for (let j = 0; j < n; j++) {
      const hj = h[hAt + j];
      dz[j] = dh[j] * (1 - hj * hj);
    }
  },
};

/** All states h_1..h_T of h_t = tanh(x_t + h_{t−1}·Wh), h_0 = 0, as one operation; x: [B, T, n], wh: [n, n]; or,
 *  with ids [B, T], x a table [vocab, n] and x_t = x[ids_t]; with lastOnly h_T alone, [B, 1, n] (recurrence.ts). */
export function fusedTanhRecurrence(x: tf.Tensor, wh: tf.Tensor2D, ids?: tf.Tensor2D, lastOnly = false): tf.Tensor3D {
  return fusedRecurrence(TANH, x, wh, ids, lastOnly);
}
