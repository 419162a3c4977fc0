// The exact executor of the verify classes whose step is more than one dense matrix: per input symbol x a
// list of K stored matrices A_1(x) .. A_K(x) and an offset b(x), applied in sequence with one rounding after
// each factor, h_0 = 0:
//   g_0 = h,  g_r = round(A_r·g_{r−1}) (r < K),  h' = round(A_K·g_{K−1} + b),  then relu when asked: max(0, h').
// Each rounded vector is an exact sum of d products (plus the shifted offset), rounded once per entry, as
// dense.ts does (denseRowCode); the relu compares codes, so it is exact. K = 1 without relu is dense.ts.
// Classes: deltaproduct-neg-K (A_r = the stored I − β_r k_r k_rᵀ, householderMatrix) and rnn-relu
// (K = 1, A = a free code matrix W, relu). perm-diag is one dense matrix: `permDiagMatrix` builds it.
// verify/z3/encode.ts encodes the same arithmetic in Z3 and must agree bit for bit.
import { InputError } from '../errors.js';
import { denseRowCode } from './dense.js';
import type { DiagonalState } from './diagonal.js';
import { checkCodes, CodeLrnn, ThresholdMachine } from './diagonal.js';

/** A product LRNN as plain data (codes of `format`). */
export interface ProductLrnnParams {
  format: string;
  dim: number;
  alphabet: string[];
  /** factors[x][r][i][j]: entry (i, j) of symbol x's r-th factor, applied r = 0 first. */
  factors: number[][][][];
  /** b[x][i]: the offset added with the last factor. */
  b: number[][];
  /** relu after the step (rnn-relu). */
  relu: boolean;
  /** Linear threshold readout (codes); absent for a witness of the `any` readout. */
  readout?: { w: number[]; c: number };
}

/** The matrix P·diag(d) of a permutation σ (row i has its one entry at column σ(i)): entry (i, σ(i)) = d_σ(i). */
export function permDiagMatrix(perm: readonly number[], d: readonly number[]): number[][] {
  const dim = perm.length;
  if (d.length !== dim || [...perm].sort((x, y) => x - y).some((p, i) => p !== i)) {
    throw new InputError(`perm-diag: [${perm.join(', ')}] is not a permutation of 0..${dim - 1} with ${dim} diagonal codes`);
  }
  return perm.map((p) => Array.from({ length: dim }, (_, j) => (j === p ? d[j] : 0)));
}

/** The dynamics of a product LRNN (no readout). */
export class ProductLrnn extends CodeLrnn {
  private readonly factors: readonly (readonly (readonly (readonly number[])[])[])[];
  private readonly b: readonly (readonly number[])[];
  private readonly relu: boolean;

  constructor(readonly params: ProductLrnnParams) {
    super('product LRNN', params);
    const { dim, alphabet, factors, b } = params;
    if (factors.length !== alphabet.length || b.length !== alphabet.length) {
      throw new InputError(`product LRNN: factors and b need one entry per symbol (${alphabet.length})`);
    }
    alphabet.forEach((x, s) => {
      if (!Array.isArray(factors[s]) || factors[s].length === 0) throw new InputError(`product LRNN: factors['${x}']: expected at least one matrix`);
      factors[s].forEach((m, r) => {
        if (!Array.isArray(m) || m.length !== dim) throw new InputError(`product LRNN: factors['${x}'][${r}]: expected ${dim} rows`);
        m.forEach((row, i) => checkCodes(this.format, this.kind, `factors['${x}'][${r}][${i}]`, row, dim));
      });
      checkCodes(this.format, this.kind, `b['${x}']`, b[s], dim);
    });
    this.factors = factors.map((ms) => ms.map((m) => m.map((row) => Object.freeze([...row]))));
    this.b = b.map((row) => Object.freeze([...row]));
    this.relu = params.relu;
  }

  /** One exact step on symbol index x: the factors in order, rounding after each, then relu. */
  step(state: DiagonalState, x: number): DiagonalState {
    const ms = this.factors[x];
    const b = this.b[x];
    if (ms === undefined) throw new InputError(`product LRNN: symbol index ${x} is outside the alphabet`);
    let g: readonly number[] = state;
    ms.forEach((m, r) => {
      const last = r === ms.length - 1;
      const prev = g;
      g = m.map((row, i) => denseRowCode(this.format, row, prev, last ? b[i] : 0));
    });
    return this.relu ? g.map((v) => Math.max(0, v)) : g;
  }
}

/** A product LRNN with its linear threshold readout, as a binary `Machine`. */
export class ProductLrnnMachine extends ThresholdMachine {
  constructor(params: ProductLrnnParams) {
    super(new ProductLrnn(params), params.readout);
  }
}
