// The exact executor of a dense linear RNN at a fixed-point format: per input symbol x a d×d transition
// matrix A(x) and an offset b(x), state h_0 = 0, h'_i = round(Σ_j A_ij(x)·h_j + b_i(x)), readout
// Σ w_i·h_i + c > 0. What is stored, and so rounded, is exactly: every matrix entry (once, from its exact
// generator formula below), every offset entry and every state component (once per step, from the exact
// sum of d products). verify/z3/dense-bv.ts encodes the same arithmetic in Z3 and must agree bit for bit.
//
// Generators (how verify's classes build A(x) from free codes):
// - rotation-scaling blocks (lrnn-complex): per 2×2 block the codes p = r cos θ, q = r sin θ are stored
//   as they are, and the block is [[p, −q], [q, p]] (exact: −q is a code because |q| <= 2^F <= codeMax);
// - generalised Householder (deltanet): A_ij = round(δ_ij − β·k_i·k_j) from codes β, k, one rounding of
//   the exact product per entry.
import { InputError } from '../errors.js';
import type { DiagonalState } from './diagonal.js';
import { checkCodes, CodeLrnn, ThresholdMachine } from './diagonal.js';
import type { FixedFormat } from './format.js';

/** A dense LRNN as plain data (codes of `format`): what a Z3 witness of a dense class is written in. */
export interface DenseLrnnParams {
  format: string;
  dim: number;
  alphabet: string[];
  /** A[x][i][j]: the code of entry (i, j) of symbol x's transition matrix. */
  A: number[][][];
  /** b[x][i]: the code of the offset's entry i for symbol x. */
  b: number[][];
  /** Linear threshold readout (codes); absent for a witness of the `any` readout. */
  readout?: { w: number[]; c: number };
}

/** The code of round(Σ_j A_j·h_j + b) for one row A of codes: exact sum, one rounding, saturation. */
export function denseRowCode(format: FixedFormat, row: readonly number[], h: readonly number[], b: number): number {
  let n = BigInt(b) << BigInt(format.fracBits);
  for (let j = 0; j < h.length; j++) n += BigInt(row[j]) * BigInt(h[j]);
  return format.roundDyadic(n, -2 * format.fracBits);
}

/** The code of round(δ − β·k_i·k_j) (δ = 1 on the diagonal): one stored Householder entry. */
export function householderEntryCode(format: FixedFormat, beta: number, ki: number, kj: number, diagonal: boolean): number {
  const f = BigInt(format.fracBits);
  const exact = (diagonal ? 1n << (3n * f) : 0n) - BigInt(beta) * BigInt(ki) * BigInt(kj);
  return format.roundDyadic(exact, -3 * format.fracBits);
}

/** The stored matrix I − β k kᵀ of codes β and k, entry by entry. */
export function householderMatrix(format: FixedFormat, beta: number, k: readonly number[]): number[][] {
  return k.map((ki, i) => k.map((kj, j) => householderEntryCode(format, beta, ki, kj, i === j)));
}

/** The block-diagonal matrix of 2×2 blocks [[p, −q], [q, p]] (codes; p.length = q.length = dim/2). */
export function rotationMatrix(p: readonly number[], q: readonly number[]): number[][] {
  const dim = 2 * p.length;
  const A = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  p.forEach((pj, j) => {
    A[2 * j][2 * j] = pj;
    A[2 * j][2 * j + 1] = -q[j] + 0;
    A[2 * j + 1][2 * j] = q[j];
    A[2 * j + 1][2 * j + 1] = pj;
  });
  return A;
}

/** The dynamics of a dense LRNN (no readout). */
export class DenseLrnn extends CodeLrnn {
  private readonly A: readonly (readonly (readonly number[])[])[];
  private readonly b: readonly (readonly number[])[];

  constructor(readonly params: DenseLrnnParams) {
    super('dense LRNN', params);
    const { dim, alphabet, A, b } = params;
    if (A.length !== alphabet.length || b.length !== alphabet.length) {
      throw new InputError(`dense LRNN: A and b need one entry per symbol (${alphabet.length})`);
    }
    alphabet.forEach((x, s) => {
      if (!Array.isArray(A[s]) || A[s].length !== dim) throw new InputError(`dense LRNN: A['${x}']: expected ${dim} rows`);
      A[s].forEach((row, i) => checkCodes(this.format, this.kind, `A['${x}'][${i}]`, row, dim));
      checkCodes(this.format, this.kind, `b['${x}']`, b[s], dim);
    });
    this.A = A.map((m) => m.map((row) => Object.freeze([...row])));
    this.b = b.map((row) => Object.freeze([...row]));
  }

  /** One exact step on symbol index x. */
  step(state: DiagonalState, x: number): DiagonalState {
    const A = this.A[x];
    const b = this.b[x];
    if (A === undefined) throw new InputError(`dense LRNN: symbol index ${x} is outside the alphabet`);
    return A.map((row, i) => denseRowCode(this.format, row, state, b[i]));
  }
}

/** A dense LRNN with its linear threshold readout, as a binary `Machine`. */
export class DenseLrnnMachine extends ThresholdMachine {
  constructor(params: DenseLrnnParams) {
    super(new DenseLrnn(params), params.readout);
  }
}
