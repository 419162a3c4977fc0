// The embedding lookup as one operation (fused-op.ts): row tokens[b, t] of the table for every position, and
// backward the sum of ∂L/∂x over the positions of each token into its row. The tfjs graph does it as
// one-hot(tokens)·table, whose gradient one-hot(tokens)ᵀ·∂L/∂x is a [vocab, B·T]·[B·T, d] matrix product: at
// (64, 64, 64) its wasm kernel packs the [B·T, d] right factor afresh every step, about 2 ms of a 30 ms step,
// for a result of vocab·d numbers. Tokens outside [0, vocab) get the zero row, as a one-hot row of zeros does.
import * as tf from '@tensorflow/tfjs';
import { matmul } from '../layers.js';
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

/** A layer input u = table[ids] [B, T, d] held as the table [vocab, d] and the tokens [B, T] (int32), not looked up. */
export interface TableRows {
  readonly ids: tf.Tensor2D;
  readonly table: tf.Tensor2D;
}

/** f(u·w + c) for u = rows.table[rows.ids] and an f acting row by row (elementwise; default the identity), computed as
 *  f(table·w + c)[ids]: the same rows, the product and f over the vocab's rows instead of B·T, and backward the
 *  per-token sums of the gradient (embedRows) through them. A token outside the table has u = 0 (embedRows), so
 *  u·w + c = c: such tokens pick an extra row f(c). */
export function affineRows(rows: TableRows, w: tf.Tensor, c: tf.Tensor, f: (z: tf.Tensor2D) => tf.Tensor2D = (z) => z): tf.Tensor3D {
  const picked = projectedRows(rows, w, c, f);
  return embedRows(picked.ids, picked.table);
}

/** What affineRows looks up: the table f(table·w + c) (with the extra row f(c) when a token is outside the table) and
 *  the tokens that pick its rows, all in range. */
export function projectedRows(rows: TableRows, w: tf.Tensor, c: tf.Tensor, f: (z: tf.Tensor2D) => tf.Tensor2D = (z) => z): TableRows {
  const vocab = rows.table.shape[0];
  const m = w.shape[1] as number;
  const ids = rows.ids.dataSync();
  const outside = ids.some((id) => id < 0 || id >= vocab);
  const projected = tf.add(matmul(rows.table, w), c) as tf.Tensor2D;
  if (!outside) return { ids: rows.ids, table: f(projected) };
  const picked = tf.tensor2d(Int32Array.from(ids, (id) => (id < 0 || id >= vocab ? vocab : id)), rows.ids.shape, 'int32');
  return { ids: picked, table: f(tf.concat([projected, tf.reshape(c, [1, m])]) as tf.Tensor2D) };
}
