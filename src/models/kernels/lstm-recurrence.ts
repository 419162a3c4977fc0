// The LSTM recurrence as one tfjs operation with a hand-derived backward (the loop is recurrence.ts's).
// z_t = x_t + h_{t−1}·Wh has gate blocks [i f g o] of n columns; the cell, with σ the logistic function:
//
//   forward   c_t = σ(f)·c_{t−1} + σ(i)·tanh(g),   h_t = σ(o)·tanh(c_t),   c_0 = h_0 = 0
//   backward  ∂c_t = ∂h_t·σ(o)·(1 − tanh²c_t) + ∂c_{t+1}·σ(f_{t+1})       (the carry)
//             ∂o = ∂h_t·tanh(c_t)·σ'(o),  ∂i = ∂c_t·tanh(g)·σ'(i),  ∂g = ∂c_t·σ(i)·(1 − tanh²g),
//             ∂f = ∂c_t·c_{t−1}·σ'(f),    σ' = σ(1 − σ)
//
// test/models/kernels.test.ts checks it against the tfjs graph of lstm.ts's step loop and finite differences.
import type * as tf from '@tensorflow/tfjs';
import type { Cell } from './recurrence.js';
import { fusedRecurrence } from './recurrence.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The LSTM cell; it keeps σ(i), σ(f), tanh(g), σ(o) and c_t per unit, in blocks of n. */
const LSTM: Cell = {
  gates: 4,
  keeps: 5,
  forward(z, n, keep, kAt, kPrev, h, hAt) {
    for (let j = 0; j < n; j++) {
      const i = sigmoid(z[j]);
      const f = sigmoid(z[n + j]);
      const g = Math.tanh(z[2 * n + j]);
      const o = sigmoid(z[3 * n + j]);
      const c = (kPrev < 0 ? 0 : f * keep[kPrev + 4 * n + j]) + i * g;
      keep[kAt + j] = i;
      keep[kAt + n + j] = f;
      keep[kAt + 2 * n + j] = g;
      keep[kAt + 3 * n + j] = o;
      keep[kAt + 4 * n + j] = c;
      h[hAt + j] = o * Math.tanh(keep[kAt + 4 * n + j]);
    }
  },
  backward(dh, n, keep, kAt, kPrev, _h, _hAt, carry, dz) {
    for (let j = 0; j < n; j++) {
      const i = keep[kAt + j];
      const f = keep[kAt + n + j];
      const g = keep[kAt + 2 * n + j];
      const o = keep[kAt + 3 * n + j];
      const tc = Math.tanh(keep[kAt + 4 * n + j]);
      const dc = carry[j] + dh[j] * o * (1 - tc * tc);
      const cPrev = kPrev < 0 ? 0 : keep[kPrev + 4 * n + j];
      dz[j] = dc * g * i * (1 - i);
      dz[n + j] = dc * cPrev * f * (1 - f);
      dz[2 * n + j] = dc * i * (1 - g * g);
      dz[3 * n + j] = dh[j] * tc * o * (1 - o);
      carry[j] = dc * f;
    }
  },
};

/** All states h_1..h_T of the LSTM over pre-activations x [B, T, 4n] (x = u·wx + b) and wh [n, 4n], as one operation: [B, T, n];
 *  with lastOnly h_T alone, [B, 1, n] (recurrence.ts). */
export function fusedLstmRecurrence(x: tf.Tensor3D, wh: tf.Tensor2D, lastOnly = false): tf.Tensor3D {
  return fusedRecurrence(LSTM, x, wh, undefined, lastOnly);
}
