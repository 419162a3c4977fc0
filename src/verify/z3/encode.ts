// A model class's parameters and one-step map as Z3 terms, with the reading of a model back into a witness
// and the exact executor that replays it. One exhaustive match over the class shapes; the arithmetic is
// fixed-bv.ts (diagonal, perm-diag) and dense-bv.ts (dense, products, relu), each bit-exact with its
// executor in src/precision (diagonal.ts, dense.ts, product.ts).
import type { Bool } from 'z3-solver';
import { match } from 'ts-pattern';
import { InputError, InternalError } from '../../errors.js';
import type { Machine } from '../../machine.js';
import type { CodeLrnn, DiagonalLrnnParams, DiagonalState, ThresholdMachine } from '../../precision/diagonal.js';
import { DiagonalLrnn, DiagonalLrnnMachine } from '../../precision/diagonal.js';
import type { DenseLrnnParams } from '../../precision/dense.js';
import { DenseLrnn, DenseLrnnMachine, householderMatrix, rotationMatrix } from '../../precision/dense.js';
import type { FixedFormat } from '../../precision/format.js';
import type { ProductLrnnParams } from '../../precision/product.js';
import { permDiagMatrix, ProductLrnn, ProductLrnnMachine } from '../../precision/product.js';
import type { ModelClass } from '../classes.js';
import { classShape, keyNormTolerance, transitionRange } from '../classes.js';
import { householderEntryBv, denseRowBv, reluBv } from './dense-bv.js';
import type { Bv } from './fixed-bv.js';
import { codeConst, codeVal, fixedStepBv } from './fixed-bv.js';
import type { Z3 } from './session.js';

/** How a dense witness's matrices were generated (codes), so that replay rebuilds them independently. */
export type Generators =
  | { kind: 'rotation'; p: number[][]; q: number[][] }
  | { kind: 'householder'; beta: number[]; k: number[][] }
  /** perm-diag: row i of symbol x's matrix holds d[x][perm[x][i]] at column perm[x][i]. */
  | { kind: 'perm-diag'; perm: number[][]; d: number[][] };

/** A witness of a class whose step is a product of factors (deltaproduct) or a matrix under relu. */
export interface ProductWitness extends ProductLrnnParams {
  /** The generator codes: β[x][r] and k[x][r] of each Householder factor, or none (rnn-relu: W is free). */
  product: { kind: 'deltaproduct'; beta: number[][]; k: number[][][] } | { kind: 'relu' };
}

/** A dense witness: the stored matrices and the generator codes they were rounded from. */
export interface DenseWitness extends DenseLrnnParams {
  generators: Generators;
}

/** The parameters a verdict's witness carries: a diagonal, a dense or a product LRNN. */
export type ClassWitness = DiagonalLrnnParams | DenseWitness | ProductWitness;

/** True for a dense witness. */
export function isDenseWitness(w: ClassWitness): w is DenseWitness {
  return 'generators' in w;
}

/** True for a product (deltaproduct, rnn-relu) witness. */
export function isProductWitness(w: ClassWitness): w is ProductWitness {
  return 'product' in w;
}

/** A class's parameters as Z3 constants: constraints, the one-step map, and the witness reader. */
export interface ClassEncoding {
  facts: Bool<'main'>[];
  /** The state terms after reading symbol x from state h. */
  step(x: number, h: readonly Bv[]): Bv[];
  /** The witness (no readout) from an evaluator of parameter terms. */
  witness(read: (t: Bv) => number): ClassWitness;
  /**
   * Conditions under which coordinate i's map on symbol x reads coordinate i alone and is monotone or
   * antitone in it (diagonal: a >= 0 / a <= 0; at D = 1 also perm-diag: the sign of d, rnn-relu: the sign
   * of W, deltaproduct: the signs of the factors).
   * Facts derived from them are implied by the step, so they change no verdict.
   */
  order?(x: number, i: number): { monotone: Bool<'main'>; antitone: Bool<'main'> };
  /**
   * Dense classes: Z3's own values of the stored matrix entries, to hold against the executor's (product
   * classes: every factor of every symbol, symbol-major).
   */
  storedMatrices?(read: (t: Bv) => number): number[][][];
}

/** What a class encoding needs to know about the instance. */
export interface EncodeOptions {
  dim: number;
  alphabet: readonly string[];
  /** Prefix for constant names, so that two copies of the parameters can share one solver. */
  prefix?: string;
  /** Order the first dimensions by this symbol's transition (diagonal classes): sound symmetry breaking. */
  orderBySymbol?: number;
}

function inRange(Z: Z3, format: FixedFormat, t: Bv, lo: number, hi: number): Bool<'main'> {
  return Z.And(t.sge(codeVal(Z, format, lo)), t.sle(codeVal(Z, format, hi)));
}

/** Sum of squares of codes, exact at a width that cannot overflow. */
function sumSquares(Z: Z3, format: FixedFormat, terms: readonly Bv[]): { sum: Bv; width: number } {
  const width = 2 * format.bits + 1 + Math.ceil(Math.log2(terms.length + 1));
  const ext = (t: Bv): Bv => t.signExt(width - format.bits);
  let sum: Bv = Z.BitVec.val(0n, width);
  for (const t of terms) sum = sum.add(ext(t).mul(ext(t)));
  return { sum, width };
}

/** The class's parameters, constraints and step at a fixed format. */
export function encodeClass(Z: Z3, cls: ModelClass, format: FixedFormat, o: EncodeOptions): ClassEncoding {
  const pre = o.prefix ?? '';
  const dims = Array.from({ length: o.dim }, (_, i) => i);
  const symbols = o.alphabet.map((_, x) => x);
  const { lo, hi } = transitionRange(cls, format);
  const b = symbols.map((x) => dims.map((i) => codeConst(Z, format, `${pre}b_${x}_${i}`)));
  const readB = (read: (t: Bv) => number): number[][] => b.map((row) => row.map(read));
  const facts: Bool<'main'>[] = [];
  const base = { format: format.name, dim: o.dim, alphabet: [...o.alphabet] };
  return match(classShape(cls))
    .with('diagonal', (): ClassEncoding => {
      const a = symbols.map((x) => dims.map((i) => codeConst(Z, format, `${pre}a_${x}_${i}`)));
      for (const row of a) for (const ai of row) facts.push(inRange(Z, format, ai, lo, hi));
      // Permuting dimensions maps solutions to solutions, so one sorted order loses none.
      const s = o.orderBySymbol;
      if (s !== undefined) for (let i = 0; i + 1 < o.dim; i++) facts.push(a[s][i].sle(a[s][i + 1]));
      const zero = codeVal(Z, format, 0);
      return {
        facts,
        step: (x, h) => dims.map((i) => fixedStepBv(Z, format, a[x][i], h[i], b[x][i])),
        order: (x, i) => ({ monotone: a[x][i].sge(zero), antitone: a[x][i].sle(zero) }),
        witness: (read) => ({ ...base, a: a.map((row) => row.map(read)), b: readB(read) }),
      };
    })
    .with('rotation', (): ClassEncoding => {
      if (o.dim % 2 !== 0) throw new InputError(`dim = ${o.dim}: ${cls.name} needs an even dim (2x2 blocks)`);
      const blocks = dims.slice(0, o.dim / 2);
      const p = symbols.map((x) => blocks.map((j) => codeConst(Z, format, `${pre}p_${x}_${j}`)));
      const q = symbols.map((x) => blocks.map((j) => codeConst(Z, format, `${pre}q_${x}_${j}`)));
      const oneSq = Z.BitVec.val(1n << BigInt(2 * format.fracBits), 2 * format.bits + 2);
      symbols.forEach((x) =>
        blocks.forEach((j) => {
          facts.push(inRange(Z, format, p[x][j], lo, hi), inRange(Z, format, q[x][j], lo, hi));
          // Modulus <= 1 exactly on codes: p² + q² <= 2^2F (which also keeps −q a code).
          const { sum, width } = sumSquares(Z, format, [p[x][j], q[x][j]]);
          facts.push(sum.sle(oneSq.signExt(width - oneSq.size())));
        }),
      );
      const rows = (x: number): (Bv | null)[][] => {
        const A: (Bv | null)[][] = dims.map(() => dims.map(() => null));
        blocks.forEach((j) => {
          A[2 * j][2 * j] = p[x][j];
          A[2 * j][2 * j + 1] = codeVal(Z, format, 0).sub(q[x][j]);
          A[2 * j + 1][2 * j] = q[x][j];
          A[2 * j + 1][2 * j + 1] = p[x][j];
        });
        return A;
      };
      const A = symbols.map(rows);
      return {
        facts,
        storedMatrices: (read) => A.map((m) => m.map((row) => row.map((t) => (t === null ? 0 : read(t))))),
        step: (x, h) => dims.map((i) => denseRowBv(Z, format, A[x][i], h, b[x][i])),
        witness: (read) => {
          const pc = p.map((row) => row.map(read));
          const qc = q.map((row) => row.map(read));
          return { ...base, A: symbols.map((x) => rotationMatrix(pc[x], qc[x])), b: readB(read), generators: { kind: 'rotation', p: pc, q: qc } };
        },
      };
    })
    .with('householder', (): ClassEncoding => {
      const beta = symbols.map((x) => codeConst(Z, format, `${pre}beta_${x}`));
      const k = symbols.map((x) => dims.map((i) => codeConst(Z, format, `${pre}k_${x}_${i}`)));
      const tol = BigInt(Math.round(keyNormTolerance(o.dim, format) * 2 ** (2 * format.fracBits)));
      const oneSq = 1n << BigInt(2 * format.fracBits);
      symbols.forEach((x) => {
        facts.push(inRange(Z, format, beta[x], lo, hi));
        const { sum, width } = sumSquares(Z, format, k[x]);
        facts.push(sum.sge(Z.BitVec.val(oneSq - tol, width)), sum.sle(Z.BitVec.val(oneSq + tol, width)));
      });
      const A = symbols.map((x) => dims.map((i) => dims.map((j) => householderEntryBv(Z, format, beta[x], k[x][i], k[x][j], i === j))));
      return {
        facts,
        storedMatrices: (read) => A.map((m) => m.map((row) => row.map(read))),
        step: (x, h) => dims.map((i) => denseRowBv(Z, format, A[x][i], h, b[x][i])),
        witness: (read) => {
          const betac = beta.map(read);
          const kc = k.map((row) => row.map(read));
          return {
            ...base,
            A: symbols.map((x) => householderMatrix(format, betac[x], kc[x])),
            b: readB(read),
            generators: { kind: 'householder', beta: betac, k: kc },
          };
        },
      };
    })
    .with('perm-diag', (): ClassEncoding => {
      // σ_x(i) is a free code in [0, D) and the σ_x(i) are distinct: a free choice among the D! permutations.
      const perm = symbols.map((x) => dims.map((i) => codeConst(Z, format, `${pre}perm_${x}_${i}`)));
      const d = symbols.map((x) => dims.map((j) => codeConst(Z, format, `${pre}d_${x}_${j}`)));
      const zero = codeVal(Z, format, 0);
      const idx = (j: number): Bv => Z.BitVec.val(BigInt(j), format.bits);
      if (o.dim > format.codeMax) throw new InputError(`dim = ${o.dim}: perm-diag needs dim <= ${format.codeMax} at ${format.name}`);
      symbols.forEach((x) => {
        for (const p of perm[x]) facts.push(p.sge(zero), p.slt(idx(o.dim)));
        if (o.dim > 1) facts.push(Z.Distinct(...perm[x]));
        for (const dj of d[x]) facts.push(inRange(Z, format, dj, lo, hi));
      });
      // Relabelling coordinates conjugates every P_x (and permutes d, b, w alike; rounding is equivariant),
      // and every permutation is conjugate to one whose cycles are consecutive blocks i → i+1 → .. → start:
      // σ(i) = i + 1 or σ(i) <= i (with distinctness the latter is the block's start). Sound, and it cuts
      // the D! labellings of the ordering symbol's permutation to one per cycle type.
      const s = o.orderBySymbol;
      if (s !== undefined) dims.forEach((i) => facts.push(Z.Or(perm[s][i].eq(idx(i + 1)), perm[s][i].sle(idx(i)))));
      // The one non-zero of row i, as a selection: one multiplier per row instead of D.
      const select = (v: readonly Bv[], s: Bv): Bv => v.slice(1).reduce<Bv>((acc, t, j) => Z.If(s.eq(idx(j + 1)), t, acc) as Bv, v[0]);
      const A = symbols.map((x) => dims.map((i) => dims.map((j) => Z.If(perm[x][i].eq(idx(j)), d[x][j], zero) as Bv)));
      return {
        facts,
        // D = 1 is a diagonal map: monotone for d >= 0, antitone for d <= 0. (At D > 1 the lemmas for fixed
        // points σ(i) = i slowed sat queries down more than they helped.)
        order: o.dim === 1 ? (x, i) => ({ monotone: d[x][i].sge(zero), antitone: d[x][i].sle(zero) }) : undefined,
        storedMatrices: (read) => A.map((m) => m.map((row) => row.map(read))),
        // round(d_σ(i)·h_σ(i) + b_i): the dense row with one non-zero term, the same exact sum.
        step: (x, h) => dims.map((i) => fixedStepBv(Z, format, select(d[x], perm[x][i]), select(h, perm[x][i]), b[x][i])),
        witness: (read) => {
          const pc = perm.map((row) => row.map(read));
          const dc = d.map((row) => row.map(read));
          return { ...base, A: symbols.map((x) => permDiagMatrix(pc[x], dc[x])), b: readB(read), generators: { kind: 'perm-diag', perm: pc, d: dc } };
        },
      };
    })
    .with('product', (): ClassEncoding => {
      const K = 'factors' in cls ? cls.factors : 1;
      const factors = symbols.map(() => Array.from({ length: K }, (_, r) => r));
      const beta = symbols.map((x) => factors[x].map((r) => codeConst(Z, format, `${pre}beta_${x}_${r}`)));
      const k = symbols.map((x) => factors[x].map((r) => dims.map((i) => codeConst(Z, format, `${pre}k_${x}_${r}_${i}`))));
      const tol = BigInt(Math.round(keyNormTolerance(o.dim, format) * 2 ** (2 * format.fracBits)));
      const oneSq = 1n << BigInt(2 * format.fracBits);
      symbols.forEach((x) =>
        factors[x].forEach((r) => {
          facts.push(inRange(Z, format, beta[x][r], lo, hi));
          const { sum, width } = sumSquares(Z, format, k[x][r]);
          facts.push(sum.sge(Z.BitVec.val(oneSq - tol, width)), sum.sle(Z.BitVec.val(oneSq + tol, width)));
        }),
      );
      const A = symbols.map((x) =>
        factors[x].map((r) => dims.map((i) => dims.map((j) => householderEntryBv(Z, format, beta[x][r], k[x][r][i], k[x][r][j], i === j)))),
      );
      const zero = codeVal(Z, format, 0);
      // k and −k give the same factor (only products k_i·k_j enter it); −k is a code while codeMax leaves room.
      if (format.codeMax >= 2 ** format.fracBits + o.dim) for (const ks of k) for (const kr of ks) facts.push(kr[0].sge(zero));
      // D = 1: each rounded factor g ↦ round(A·g) is monotone (A >= 0) or antitone (A <= 0); so is their chain.
      const order =
        o.dim === 1
          ? (x: number): { monotone: Bool<'main'>; antitone: Bool<'main'> } =>
              A[x].reduce(
                (acc, m) => ({
                  monotone: Z.Or(Z.And(acc.monotone, m[0][0].sge(zero)), Z.And(acc.antitone, m[0][0].sle(zero))),
                  antitone: Z.Or(Z.And(acc.monotone, m[0][0].sle(zero)), Z.And(acc.antitone, m[0][0].sge(zero))),
                }),
                { monotone: Z.Bool.val(true) as Bool<'main'>, antitone: Z.Bool.val(false) as Bool<'main'> },
              )
          : undefined;
      return {
        facts,
        order,
        storedMatrices: (read) => A.flatMap((ms) => ms.map((m) => m.map((row) => row.map(read)))),
        step: (x, h) =>
          A[x].reduce<readonly Bv[]>((g, m, r) => dims.map((i) => denseRowBv(Z, format, m[i], g, r === K - 1 ? b[x][i] : zero)), h) as Bv[],
        witness: (read) => {
          const betac = beta.map((row) => row.map(read));
          const kc = k.map((ms) => ms.map((row) => row.map(read)));
          return {
            ...base,
            factors: symbols.map((x) => factors[x].map((r) => householderMatrix(format, betac[x][r], kc[x][r]))),
            b: readB(read),
            relu: false,
            product: { kind: 'deltaproduct', beta: betac, k: kc },
          };
        },
      };
    })
    .with('relu', (): ClassEncoding => {
      const W = symbols.map((x) => dims.map((i) => dims.map((j) => codeConst(Z, format, `${pre}W_${x}_${i}_${j}`))));
      for (const m of W) for (const row of m) for (const t of row) facts.push(inRange(Z, format, t, lo, hi));
      const zero = codeVal(Z, format, 0);
      // D = 1: relu∘round keeps the order of h ↦ W·h + b (monotone for W >= 0, antitone for W <= 0).
      return {
        facts,
        order: o.dim === 1 ? (x, i) => ({ monotone: W[x][i][i].sge(zero), antitone: W[x][i][i].sle(zero) }) : undefined,
        storedMatrices: (read) => W.map((m) => m.map((row) => row.map(read))),
        step: (x, h) => dims.map((i) => reluBv(Z, format, denseRowBv(Z, format, W[x][i], h, b[x][i]))),
        witness: (read) => ({ ...base, factors: W.map((m) => [m.map((row) => row.map(read))]), b: readB(read), relu: true, product: { kind: 'relu' } }),
      };
    })
    .exhaustive();
}

/** The exact executor of a witness: a Machine when it has a linear readout, bare dynamics otherwise. */
export function witnessExecutor(w: ClassWitness): {
  run(word: readonly number[]): DiagonalState;
  key(state: DiagonalState): string;
  machine?: Machine<DiagonalState>;
} {
  if (isDenseWitness(w)) {
    const machine = w.readout === undefined ? undefined : new DenseLrnnMachine(w);
    return { ...bind(machine ?? new DenseLrnn(w)), machine };
  }
  if (isProductWitness(w)) {
    const machine = w.readout === undefined ? undefined : new ProductLrnnMachine(w);
    return { ...bind(machine ?? new ProductLrnn(w)), machine };
  }
  const machine = w.readout === undefined ? undefined : new DiagonalLrnnMachine(w);
  return { ...bind(machine ?? new DiagonalLrnn(w)), machine };
}

function bind(net: CodeLrnn | ThresholdMachine): { run(word: readonly number[]): DiagonalState; key(state: DiagonalState): string } {
  return { run: (word) => net.run(word), key: (state) => net.key(state) };
}

/** Throws InternalError unless a dense witness's stored matrices are exactly what its generators give. */
export function checkGenerators(w: ClassWitness, zMatrices: readonly (readonly (readonly number[])[])[] | undefined): void {
  if (zMatrices === undefined || !(isDenseWitness(w) || isProductWitness(w))) return;
  const mine = JSON.stringify(isDenseWitness(w) ? w.A : w.factors.flat(1));
  const theirs = JSON.stringify(zMatrices);
  if (mine !== theirs) throw new InternalError(`witness does not replay: executor matrices ${mine}, Z3 matrices ${theirs}`);
}
