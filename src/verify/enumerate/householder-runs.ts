// The enumeration engine for the Householder classes (deltanet-pos, deltanet-neg) on unary words at
// dim 1 and 2, and for lrnn-complex's one rotation-scaling block at dim 2 (the same runs with the
// block's stored matrix, which is not symmetric: a10 = −a01). The unary symbol's step is h' = round(A h + b) with A = householderMatrix(β, k), so what a
// model does on 1^0..1^N is fixed by the stored matrix A and the offset b alone: the engine enumerates the
// distinct stored A (one (β, k) kept per A), and for each A every offset b, running h_0..h_N in a tight
// integer loop with two early rejections: a repeated state under two labels (the run is periodic from
// there, docs/theory.md, "Finite precision"), and, for the linear readout, the open cone of label changes closing (separate.ts).
// What survives both gets the exact readout search. Exhaustion is the unsat certificate.
//
// Coordinate swap. Relabelling the coordinates conjugates A by the swap P (PAP is the stored matrix of the
// swapped key, which is a valid key: the norm is symmetric) and permutes b, every state and the readout;
// rounding and saturation act per coordinate, so (A, b) and (PAP, Pb) label every word alike. Only A with
// A00 <= A11 are kept, and for A = PAP only b0 <= b1. (Negating one coordinate is not used: saturation is
// asymmetric, codeMin has no negation.)
import { InputError } from '../../errors.js';
import { householderMatrix } from '../../precision/dense.js';
import type { FixedFormat } from '../../precision/format.js';
import type { Readout } from './separate.js';
import { DirectionCone, PairSeparator, separate1 } from './separate.js';

/** Widest format the dense runs cover: the rounding table spans every exact row sum (2^(2·bits+2) entries). */
export const MAX_DENSE_BITS = 10;

/** One distinct stored unary matrix (dim 1 or 2, symmetric), with one (β, k) that stores it. */
export interface StoredHouseholder {
  readonly beta: number;
  readonly k: readonly number[];
  /** Entries a00, a01 (= a10), a11 (dim 2) or a00 alone (dim 1). */
  readonly a: readonly number[];
}

/** One rotation-scaling block [[p, −q], [q, p]] (lrnn-complex, dim 2) with q >= 0 (the swap gives −q). */
export interface StoredRotation {
  readonly p: number;
  readonly q: number;
  /** Entries a00, a01, a11 as for a Householder matrix; the block is not symmetric, so a10 comes apart. */
  readonly a: readonly number[];
  readonly a10: number;
}

/** A distinct stored unary matrix and the generator codes that store it. */
export type StoredMatrix = StoredHouseholder | StoredRotation;

/** The distinct stored matrices of the class at the format, and how many generator code pairs gave them. */
export interface HouseholderMatrixSet<M extends StoredMatrix = StoredMatrix> {
  /** Matrices kept (dim 2: one of each swap pair). */
  readonly matrices: M[];
  /** Distinct stored matrices before the swap symmetry. */
  readonly distinct: number;
  /** Valid (β, k) code pairs enumerated. */
  readonly generatorPairs: number;
}

/** Keys k (codes) with |Σ k_i² − 2^2F| <= dim·2^F in codes squared: z3/encode.ts's norm constraint, exactly. */
export function validKeys(format: FixedFormat, dim: 1 | 2): number[][] {
  const oneSq = 2 ** (2 * format.fracBits);
  const tol = Math.round(dim * 2 ** -format.fracBits * oneSq);
  const keys: number[][] = [];
  for (let k0 = format.codeMin; k0 <= format.codeMax; k0++) {
    if (dim === 1) {
      if (Math.abs(k0 * k0 - oneSq) <= tol) keys.push([k0]);
      continue;
    }
    for (let k1 = format.codeMin; k1 <= format.codeMax; k1++) {
      if (Math.abs(k0 * k0 + k1 * k1 - oneSq) <= tol) keys.push([k0, k1]);
    }
  }
  return keys;
}

/** Every distinct stored matrix householderMatrix(β, k), β in betaRange, k valid; dim 2 up to the swap. */
export function householderMatrices(format: FixedFormat, betaRange: { lo: number; hi: number }, dim: 1 | 2): HouseholderMatrixSet<StoredHouseholder> {
  const keys = validKeys(format, dim);
  const seen = new Map<string, StoredHouseholder>();
  for (let beta = betaRange.lo; beta <= betaRange.hi; beta++) {
    for (const k of keys) {
      const A = householderMatrix(format, beta, k);
      const a = dim === 1 ? [A[0][0]] : [A[0][0], A[0][1], A[1][1]];
      const key = a.join(',');
      if (!seen.has(key)) seen.set(key, { beta, k, a });
    }
  }
  // Search order (it changes no verdict, only how soon a witness turns up): diagonal matrices first, where
  // a dim-1 witness lives beside a coordinate that stays 0, then by trace, most negative eigenvalues first.
  const trace = (m: StoredHouseholder): number => m.a[0] + (dim === 2 ? m.a[2] : 0);
  const offDiagonal = (m: StoredHouseholder): number => (dim === 2 && m.a[1] !== 0 ? 1 : 0);
  const all = [...seen.values()].sort((m, n) => offDiagonal(m) - offDiagonal(n) || trace(m) - trace(n));
  const matrices = dim === 1 ? all : all.filter((m) => m.a[0] <= m.a[2]);
  return { matrices, distinct: all.length, generatorPairs: keys.length * (betaRange.hi - betaRange.lo + 1) };
}

/**
 * Every rotation-scaling block of lrnn-complex at dim 2: p, q codes in `range` with p² + q² <= 2^2F (z3/encode.ts's
 * modulus constraint), q >= 0 (swapping the coordinates maps the block of q to that of −q, the offset and
 * the readout to their swaps, and rounding acts per coordinate, so one of each pair loses no verdict);
 * most negative trace first, as for Householder matrices.
 */
export function rotationMatrices(format: FixedFormat, range: { lo: number; hi: number }): HouseholderMatrixSet<StoredRotation> {
  const oneSq = 2 ** (2 * format.fracBits);
  const all: StoredRotation[] = [];
  let pairs = 0;
  for (let p = range.lo; p <= range.hi; p++) {
    for (let q = range.lo; q <= range.hi; q++) {
      if (p * p + q * q > oneSq) continue;
      pairs++;
      if (q >= 0) all.push({ p, q, a: [p, -q + 0, p], a10: q });
    }
  }
  all.sort((m, n) => (m.q === 0 ? 0 : 1) - (n.q === 0 ? 0 : 1) || m.p - n.p);
  return { matrices: all, distinct: pairs, generatorPairs: pairs };
}

/** code = denseRowCode of an exact row sum n (offset shifted in): table[n − nMin], built by the format. */
interface RoundTable {
  readonly table: Int32Array;
  readonly nMin: number;
}

function roundTable(format: FixedFormat, dim: number): RoundTable {
  const scale = 2 ** format.fracBits;
  const lo = format.codeMin;
  const hi = format.codeMax;
  const nMin = lo * scale + dim * lo * hi;
  const nMax = hi * scale + dim * lo * lo;
  const table = new Int32Array(nMax - nMin + 1);
  for (let n = nMin; n <= nMax; n++) table[n - nMin] = format.roundDyadic(BigInt(n), -2 * format.fracBits);
  return { table, nMin };
}

/** What one (A, b) run search found: a run that passed both tests and its readout (linear), if any. */
export interface HouseholderHit {
  readonly matrix: StoredMatrix;
  readonly b: number[];
  readonly readout?: Readout;
}

/** Counts of one search (the caller's EnumerationStats take them). */
export interface HouseholderCounts {
  runs: number;
  steps: number;
  prunedByRepeat: number;
  prunedByCone: number;
  prunedByHull: number;
  searched: number;
  readoutCodes: number;
}

/** Steps a run checks for a repeat by scanning its own states; past it, a visited-state table takes over. */
const SCAN_WINDOW = 24;

/**
 * Runs every (A, b), A from `matrices`, b any offset (dim 2: halved for A = PAP), on 1^0..1^N (N + 1 =
 * labels.length); the first run whose states admit the readout is returned, undefined when none does,
 * 'timeout' past `deadline` (performance.now() ms). `counts` are updated in place.
 */
export function searchHouseholderRuns(
  format: FixedFormat,
  dim: 1 | 2,
  matrices: readonly StoredMatrix[],
  labels: readonly number[],
  readout: 'linear' | 'any',
  deadline: number,
  counts: HouseholderCounts,
): HouseholderHit | undefined | 'timeout' {
  if (format.bits > MAX_DENSE_BITS) throw new InputError(`format ${format.name}: dense enumeration supports at most ${MAX_DENSE_BITS} bits`);
  const n = labels.length;
  const last = n - 1;
  // minStart[L]: the least first-repeat step M whose period-L continuation is labelled consistently.
  const minStart = new Int32Array(n + 1);
  for (let L = 1; L <= last; L++) {
    for (let t = last - L; t >= 0; t--) {
      if (labels[t] !== labels[t + L]) {
        minStart[L] = t + 1;
        break;
      }
    }
  }
  // change[t]: the sign of the label change from t − 1 to t (0: none, or the readout is not linear).
  const change = new Int8Array(n);
  for (let t = 1; t < n; t++) change[t] = readout === 'linear' && labels[t] !== labels[t - 1] ? (labels[t] === 1 ? 1 : -1) : 0;
  const { table: wide, nMin } = roundTable(format, dim);
  const table = Int16Array.from(wide); // codes of <= 10 bits: half the cache footprint
  const shift = 2 ** format.fracBits;
  const cmin = format.codeMin;
  const cmax = format.codeMax;
  const size = cmax - cmin + 1;
  const linear = readout === 'linear';
  // Dim 1 is dim 2 with a second coordinate that stays 0 (a01 = a11 = b1 = 0), so one loop serves both.
  // stamp[s]: the run that last marked state s (s = (h0 − codeMin)·size + h1 − codeMin); at[s]: its step.
  const stamp = new Int32Array(size * size).fill(-1);
  const at = new Int32Array(size * size);
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  const keys = new Int32Array(n);
  const separator = dim === 2 && linear ? new PairSeparator(format, labels) : undefined;
  // Offsets in shells of growing max(|b0|, |b1|), every matrix within a shell before the next shell:
  // the witnesses found so far have small offsets, and the order changes no verdict, only when one turns up.
  const codes = Array.from({ length: size }, (_, i) => cmin + i);
  const radius = (v: number): number => Math.abs(v);
  const shells: { b0: Int32Array; b1: Int32Array }[] = [];
  for (let r = 0; r <= Math.max(-cmin, cmax); r++) {
    const pairs: [number, number][] = [];
    for (const b0 of codes) {
      if (dim === 1) {
        if (radius(b0) === r) pairs.push([b0, 0]);
        continue;
      }
      for (const b1 of codes) if (Math.max(radius(b0), radius(b1)) === r) pairs.push([b0, b1]);
    }
    shells.push({ b0: Int32Array.from(pairs, (p) => p[0]), b1: Int32Array.from(pairs, (p) => p[1]) });
  }
  const origin = -cmin * size - cmin;
  let runId = 0;
  let runs = 0;
  let steps = 0;
  let byRepeat = 0;
  let byCone = 0;
  // One label-change cone, reset per run (no allocation on the hot path).
  const cone = new DirectionCone();
  const flush = (): void => {
    counts.runs += runs;
    counts.steps += steps;
    counts.prunedByRepeat += byRepeat;
    counts.prunedByCone += byCone;
    runs = steps = byRepeat = byCone = 0;
  };
  for (const shell of shells) {
    for (let mi = 0; mi < matrices.length; mi++) {
      const m = matrices[mi];
      if ((mi & 63) === 0 && performance.now() > deadline) return flush(), 'timeout';
      if (runId > 0x3fffffff) {
        stamp.fill(-1);
        runId = 0;
      }
      const a00 = m.a[0];
      const a01 = dim === 2 ? m.a[1] : 0;
      const a11 = dim === 2 ? m.a[2] : 0;
      const a10 = dim === 2 && 'a10' in m ? m.a10 : a01;
      // A = PAP (P the swap): runs of (b0, b1) and (b1, b0) are swaps of each other, so one of them is run.
      const symmetric = dim === 2 && a00 === a11 && a01 === a10;
      for (let i = 0; i < shell.b0.length; i++) {
        const b0 = shell.b0[i];
        const b1 = shell.b1[i];
        if (symmetric && b1 < b0) continue;
        const B0 = b0 * shift - nMin;
        const B1 = b1 * shift - nMin;
        runs++;
        let h0 = 0;
        let h1 = 0;
        keys[0] = origin;
        xs[0] = 0;
        ys[0] = 0;
        cone.reset();
        let dead = false;
        let marked = false;
        let id = 0;
        let t = 1;
        for (; t < n; t++) {
          const p0 = h0;
          const p1 = h1;
          h0 = table[B0 + a00 * p0 + a01 * p1];
          h1 = table[B1 + a10 * p0 + a11 * p1];
          xs[t] = h0;
          ys[t] = h1;
          const sign = change[t];
          // The label-change cone: w·(p_{t+1} − p_t) must have the sign of each change.
          if (sign !== 0 && !cone.add(sign * (h0 - p0), sign * (h1 - p1))) {
            dead = true;
            byCone++;
            break;
          }
          const s = (h0 - cmin) * size + (h1 - cmin);
          keys[t] = s;
          // The first repeat: a scan of the run so far while it is short, the stamp table after.
          let mu = -1;
          if (t < SCAN_WINDOW) {
            for (let r = 0; r < t; r++) {
              if (keys[r] === s) {
                mu = r;
                break;
              }
            }
          } else {
            if (!marked) {
              marked = true;
              id = runId++;
              for (let r = 0; r < t; r++) {
                stamp[keys[r]] = id;
                at[keys[r]] = r;
              }
            }
            if (stamp[s] === id) mu = at[s];
            else {
              stamp[s] = id;
              at[s] = t;
            }
          }
          if (mu >= 0) {
            const lambda = t - mu;
            if (mu < minStart[lambda]) {
              dead = true;
              byRepeat++;
              break;
            }
            // Periodic from mu on, labelled consistently: the rest of the window is a copy.
            for (let r = t + 1; r < n; r++) {
              xs[r] = xs[r - lambda];
              ys[r] = ys[r - lambda];
            }
            break;
          }
        }
        steps += t < n ? t : n - 1;
        if (dead) continue;
        flush();
        const b = dim === 2 ? [b0, b1] : [b0];
        if (!linear) return { matrix: m, b };
        if (dim === 1) {
          counts.searched++;
          const sep = separate1(format, xs, labels);
          counts.readoutCodes += sep.tried;
          if (sep.readout !== undefined) return { matrix: m, b, readout: sep.readout };
          continue;
        }
        const sep = (separator as PairSeparator).check(xs, ys);
        if (sep.stage === 'cone') counts.prunedByCone++;
        else if (sep.stage === 'hull') counts.prunedByHull++;
        else {
          counts.searched++;
          counts.readoutCodes += sep.tried;
          if (sep.stage === 'found') return { matrix: m, b, readout: sep.readout };
        }
      }
    }
  }
  flush();
  return undefined;
}
