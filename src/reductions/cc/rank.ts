// The rank bound: a deterministic protocol tree splits the matrix into monochromatic rectangles, so M is a
// sum of at most (leaves) rank-one matrices and D(f) ≥ ⌈log₂ rank_ℚ(M)⌉. Rank over ℚ is computed here as
// rank over GF(p) for the prime p below: for an integer matrix rank_p ≤ rank_ℚ, so the bound stays valid
// (and is almost always equal); exact rational elimination with bigints was too slow past 512 rows.
import type { CommMatrix } from './matrix.js';
import { rowClasses, transpose } from './matrix.js';

/** The prime of the modular rank: 2^26 − 5, so a product of two residues is exact in a double. */
export const RANK_PRIME = 67108859;

/** Largest elimination done, in multiply-adds (rows × rows × cols of the reduced matrix). */
export const MAX_RANK_WORK = 2 ** 28;

/** A rank result, or why it was skipped. */
export type RankResult =
  | { computed: true; rank: number; prime: number; reducedRows: number; reducedCols: number }
  | { computed: false; reason: string };

/** rank over GF(RANK_PRIME) of the matrix with duplicate rows and columns removed (which keeps the rank). */
export function modularRank(m: CommMatrix): RankResult {
  const rowRep = rowClasses(m).representative;
  const t = transpose(m);
  const colRep = rowClasses(t).representative;
  const r = rowRep.length;
  const c = colRep.length;
  const work = Math.min(r, c) ** 2 * Math.max(r, c);
  if (work > MAX_RANK_WORK)
    return { computed: false, reason: `reduced matrix ${r}×${c} needs about ${work.toExponential(1)} operations (cap ${MAX_RANK_WORK.toExponential(1)})` };
  const p = RANK_PRIME;
  const a = rowRep.map((i) => Float64Array.from(colRep, (j) => m.cells[i * m.cols + j]));
  let rank = 0;
  for (let col = 0; col < c && rank < r; col++) {
    let pivot = -1;
    for (let i = rank; i < r; i++)
      if (a[i][col] !== 0) {
        pivot = i;
        break;
      }
    if (pivot < 0) continue;
    [a[rank], a[pivot]] = [a[pivot], a[rank]];
    const prow = a[rank];
    const inv = modInverse(prow[col], p);
    for (let j = col; j < c; j++) prow[j] = (prow[j] * inv) % p;
    for (let i = rank + 1; i < r; i++) {
      const row = a[i];
      const factor = row[col];
      if (factor === 0) continue;
      for (let j = col; j < c; j++) {
        if (prow[j] === 0) continue;
        const v = (row[j] - ((factor * prow[j]) % p)) % p;
        row[j] = v < 0 ? v + p : v;
      }
    }
    rank++;
  }
  return { computed: true, rank, prime: p, reducedRows: r, reducedCols: c };
}

function modInverse(x: number, p: number): number {
  // Fermat: x^(p−2) mod p, by squaring with exact double products (p < 2^26).
  let result = 1;
  let base = x % p;
  let e = p - 2;
  while (e > 0) {
    if (e & 1) result = (result * base) % p;
    base = (base * base) % p;
    e = Math.floor(e / 2);
  }
  return result;
}
