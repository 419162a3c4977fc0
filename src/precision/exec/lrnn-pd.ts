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
import { type DiagonalGates, LrnnExec } from './lrnn.js';
import type { BoundMixer, MixerExec } from './mixer.js';
import { storedWeight } from './mixer.js';
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

/** lrnn-pd at a format: the selector, then lrnn-neg's diagonal step (LrnnExec) on the permuted state. */
export class LrnnPdExec implements MixerExec {
  readonly stateSize: number;
  readonly table: PermTable;
  private readonly d: number;
  private readonly wp: Float64Array;
  private readonly cp: Float64Array;
  private readonly diagonal: LrnnExec;
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
    this.wp = storedWeight(weights, `${prefix}mix.wp`, arith);
    this.cp = storedWeight(weights, `${prefix}mix.cp`, arith);
    this.diagonal = new LrnnExec(config, weights, prefix, arith);
    this.z = new Float64Array(this.table.rows);
  }

  /** The selection c* and the stored gates a, b for a normalised input u (memoised; do not modify the result). */
  gates(u: Float64Array): PermDiagonalGates {
    const hit = this.memo.get(u);
    if (hit !== undefined) return hit;
    const k = this.table.rows;
    for (let c = 0; c < k; c++) this.z[c] = this.arith.dot(this.wp, c, k, u, this.d, this.cp[c]);
    const n = this.stateSize;
    const { a, b } = this.diagonal.gates(u, { a: new Float64Array(n), b: new Float64Array(n) });
    const out: PermDiagonalGates = { choice: firstArgmax(this.z), a, b };
    this.memo.set(u, out);
    return out;
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    this.apply(this.gates(u), prev, off, next, nextOff);
  }

  /** h'_i = round(a_i·h_{perm[c*][i]} + b_i) with given gates. */
  private apply({ choice, a, b }: PermDiagonalGates, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const { arith, stateSize: n } = this;
    const perm = this.table.perm;
    const row = choice * n;
    for (let j = 0; j < n; j++) next[nextOff + j] = arith.begin().add2(a[j], prev[off + perm[row + j]]).add1(b[j]).end();
  }

  output(u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    this.diagonal.output(u, state, off, y);
  }

  bind(u: Float64Array): BoundMixer {
    const g = this.gates(u);
    return {
      update: (prev, off, next, nextOff) => this.apply(g, prev, off, next, nextOff),
      output: (state, off, y) => this.output(u, state, off, y),
    };
  }
}
