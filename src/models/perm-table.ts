// The candidate permutations of an lrnn-pd layer (config.ts): the weight `l<l>.mix.perm`, k rows of n
// images stored as float32 integers. Every reader (the tfjs network, the exact executor, the box step)
// takes the table through this one check, so a table that is not k permutations is refused everywhere
// with the same message, naming the weight, row and value.
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';
import type { Tensor32 } from './params.js';

/** A checked table: row c (c < rows) is perm[c·n .. c·n + n), a permutation of 0..n−1. */
export interface PermTable {
  readonly rows: number;
  readonly n: number;
  readonly perm: Int32Array;
}

/** The table stored in `w`; InputError starting with `where` (file and weight name) unless every row is a permutation of 0..n−1. */
export function permTable(where: string, w: Tensor32): PermTable {
  const [rows, n] = w.shape;
  if (w.shape.length !== 2 || w.data.length !== rows * n) throw new InputError(`${where}: expected a [k, n] table of permutations`);
  const perm = new Int32Array(rows * n);
  const seen = new Uint8Array(n);
  for (let c = 0; c < rows; c++) {
    seen.fill(0);
    for (let i = 0; i < n; i++) {
      const v = w.data[c * n + i];
      if (!Number.isInteger(v) || v < 0 || v >= n || seen[v] === 1) {
        throw new InputError(`${where}: row ${c} is not a permutation of 0..${n - 1} (entry ${i} = ${v})`);
      }
      seen[v] = 1;
      perm[c * n + i] = v;
    }
  }
  return { rows, n, perm };
}

/** k rows of n images: row 0 the identity, the others seeded uniform permutations (Fisher–Yates). */
export function randomPermTable(rng: Rng, rows: number, n: number): Float32Array {
  const out = new Float32Array(rows * n);
  for (let c = 0; c < rows; c++) {
    const row = Array.from({ length: n }, (_, i) => i);
    if (c > 0) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [row[i], row[j]] = [row[j], row[i]];
      }
    }
    out.set(row, c * n);
  }
  return out;
}
