// The permutation-diagonal mixer lrnn-pd at a format (config.ts has the math):
//   z_c = round(u·wp + cp), c* = the first argmax of z (ties to the lowest c);
//   a = round(2·exp(−softplus(u·wa + ca)·exp(w)) − 1) with the pre-activation exact in float64 (as lrnn-neg);
//   b = round(u·wb + cb);  h'_i = round(a_i·h_{perm[c*][i]} + b_i);  y = round(h·wo).
// Everything but the gather depends on u alone, so (c*, a, b) is memoised per distinct u: a one-layer
// network sees one u per symbol, and S5's 120 candidates would otherwise cost a 120-row product per step.
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import { type PermTable, permTable } from '../../models/perm-table.js';
import type { Arith } from './arith.js';
import type { DiagonalGates } from './lrnn.js';
import type { MixerExec } from './mixer.js';
import { linearOut, softplus, storedWeight } from './mixer.js';
import { VectorMemo } from './vector-memo.js';

/** The transition of one input: h' = round(a ⊙ P_choice h + b). */
export interface PermDiagonalGates extends DiagonalGates {
  /** c*, the selected row of the permutation table. */
  choice: number;
}

/** Most distinct inputs whose gates are memoised per layer (deeper layers see more than one per symbol). */
const MEMO_ENTRIES = 4096;

/** The first index of the largest value (ties to the lowest index). */
export function firstArgmax(z: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < z.length; c++) if (z[c] > z[best]) best = c;
  return best;
}

/** lrnn-pd at a format. */
export class LrnnPdExec implements MixerExec {
  readonly stateSize: number;
  readonly table: PermTable;
  private readonly d: number;
  private readonly wp: Float64Array;
  private readonly cp: Float64Array;
  private readonly wa: Float64Array;
  private readonly ca: Float64Array;
  private readonly ew: Float64Array;
  private readonly wb: Float64Array;
  private readonly cb: Float64Array;
  private readonly wo: Float64Array;
  private readonly z: Float64Array;
  private readonly memo = new VectorMemo<PermDiagonalGates>(MEMO_ENTRIES);

  constructor(
    config: ModelConfig,
    weights: Weights,
    prefix: string,
    private readonly arith: Arith,
  ) {
    this.d = config.width;
    this.stateSize = config.state;
    const name = `${prefix}mix.perm`;
    this.table = permTable(`exact executor: weights ${name}`, weights[name]);
    const w = (n: string) => storedWeight(weights, `${prefix}mix.${n}`, arith);
    this.wp = w('wp');
    this.cp = w('cp');
    this.wa = w('wa');
    this.ca = w('ca');
    this.ew = w('w').map(Math.exp);
    this.wb = w('wb');
    this.cb = w('cb');
    this.wo = w('wo');
    this.z = new Float64Array(this.table.rows);
  }

  /** The selection c* and the stored gates a, b for a normalised input u (memoised; do not modify the result). */
  gates(u: Float64Array): PermDiagonalGates {
    const hit = this.memo.get(u);
    if (hit !== undefined) return hit;
    const { arith, d, stateSize: n } = this;
    const k = this.table.rows;
    for (let c = 0; c < k; c++) this.z[c] = arith.dot(this.wp, c, k, u, d, this.cp[c]);
    const out: PermDiagonalGates = { choice: firstArgmax(this.z), a: new Float64Array(n), b: new Float64Array(n) };
    for (let j = 0; j < n; j++) {
      const pre = arith.dotDouble(this.wa, j, n, u, d, this.ca[j]);
      out.a[j] = arith.round(2 * Math.exp(-softplus(pre) * this.ew[j]) - 1);
      out.b[j] = arith.dot(this.wb, j, n, u, d, this.cb[j]);
    }
    this.memo.set(u, out);
    return out;
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const { choice, a, b } = this.gates(u);
    const { arith, stateSize: n } = this;
    const perm = this.table.perm;
    const row = choice * n;
    for (let j = 0; j < n; j++) next[nextOff + j] = arith.begin().add2(a[j], prev[off + perm[row + j]]).add1(b[j]).end();
  }

  output(_u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    linearOut(this.arith, this.wo, this.stateSize, this.d, state, off, y);
  }
}
