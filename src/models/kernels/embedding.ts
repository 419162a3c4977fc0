// The embedding lookup as one operation (fused-op.ts): row tokens[b, t] of the table for every position, and
// backward the sum of ∂L/∂x over the positions of each token into its row. The tfjs graph does it as
// one-hot(tokens)·table, whose gradient one-hot(tokens)ᵀ·∂L/∂x is a [vocab, B·T]·[B·T, d] matrix product: at
// (64, 64, 64) its wasm kernel packs the [B·T, d] right factor afresh every step, about 2 ms of a 30 ms step,
// for a result of vocab·d numbers. Tokens outside [0, vocab) get the zero row, as a one-hot row of zeros does.
import type * as tf from '@tensorflow/tfjs';
import { takeBuffer } from './buffers.js';
import { fusedOp } from './fused-op.js';

/** out[p] = table[tokens[p]] (zeros when out of range) for each of the tokens' positions; rows of d values.
 *  A plain loop: a subarray per position would make B·T objects for the collector. */
function gatherRows(tokens: Int32Array, table: Float32Array, vocab: number, d: number, out: Float32Array): void {
  for (let p = 0; p < tokens.length; p++) {
    const c = tokens[p];
    if (c < 0 || c >= vocab) continue;
    const row = c * d;
    const at = p * d;
    for (let j = 0; j < d; j++) out[at + j] = table[row + j];
  }
}

/** ∂L/∂table: dx's rows summed per token (float64 sums, in position order), into dTable. */
function scatterRows(tokens: Int32Array, dx: Float32Array, vocab: number, d: number, dTable: Float32Array): void {
  const sums = new Float64Array(vocab * d);
  for (let p = 0; p < tokens.length; p++) {
    const c = tokens[p];
    if (c < 0 || c >= vocab) continue;
    const row = c * d;
    const at = p * d;
    for (let j = 0; j < d; j++) sums[row + j] += dx[at + j];
  }
  dTable.set(sums);
}

/** The rows of table [vocab, d] picked by the tokens [B, T] (read once, as data): [B, T, d], differentiable in the table. */
export function embedRows(tokens: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor3D {
  const [B, T] = tokens.shape;
  const [vocab, d] = table.shape;
  const ids = Int32Array.from(tokens.dataSync());
  return fusedOp([table], [B, T, d], ([tv]) => {
    const out = takeBuffer(B * T * d);
    gatherRows(ids, tv, vocab, d, out);
    return {
      output: out,
      backward: (dx) => {
        const dTable = takeBuffer(vocab * d);
        scatterRows(ids, dx, vocab, d, dTable);
        return [dTable];
      },
    };
  }) as tf.Tensor3D;
}
