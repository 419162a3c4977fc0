// A complete decision procedure for bounded verification of diagonal classes (lrnn-pos, lrnn-neg,
// lrnn-real) on unary words, beside Z3. Coordinates are independent, so a model on 1^0..1^N is D runs
// h_0..h_N side by side (trajectories.ts); the procedure enumerates the distinct runs, then singles (D = 1)
// or unordered pairs (D = 2), pruned before any readout work by where the joint run first repeats: it is
// eventually periodic with transient max(μ1, μ2) and period lcm(λ1, λ2), and a repeated state must carry
// one label. What survives gets the exact readout check (separate.ts for linear; for readout any the repeat
// test is the whole question). Exhaustion is the unsat certificate; the counts say what was exhausted.
// The Householder classes (deltanet-pos, deltanet-neg) at dim <= 2 and lrnn-complex's rotation block at
// dim 2 enumerate (stored matrix, offset) runs instead (householder-runs.ts): their coordinates interact,
// so runs do not split per coordinate.
import { InputError, InternalError } from '../../errors.js';
import { householderMatrix, rotationMatrix } from '../../precision/dense.js';
import type { DiagonalLrnnParams } from '../../precision/diagonal.js';
import type { FixedFormat } from '../../precision/format.js';
import type { Task } from '../../tasks/task.js';
import type { BoundedQuery, EnumerationStats, Verdict } from '../types.js';
import { classShape, transitionRange } from '../classes.js';
import type { DenseWitness } from '../z3/encode.js';
import type { HouseholderCounts, HouseholderMatrixSet } from './householder-runs.js';
import { householderMatrices, MAX_DENSE_BITS, rotationMatrices, searchHouseholderRuns, validKeys } from './householder-runs.js';
import type { Readout } from './separate.js';
import { PairSeparator, separate1 } from './separate.js';
import type { Trajectory } from './trajectories.js';
import { MAX_ENUMERATED_BITS, lcm, parameterCodeCount, repeatTable, unaryTrajectories } from './trajectories.js';

/** Most (a, b) code pairs times window length enumerated: memory for the runs and time to make them. */
export const MAX_ENUMERATION_STEPS = 1 << 25;

/** Largest dim enumerated with the linear readout (pairs of runs; more needs a search in more dimensions). */
export const MAX_ENUMERATED_DIM = 2;

/** Readout any at dim > 2: most tuples of run classes (transient, period) enumerated. */
export const MAX_CLASS_TUPLES = 10_000_000;

/** Householder classes: most (β, k, b) code triples of the unary symbol (an upper bound on the runs). */
export const MAX_DENSE_PARAMETER_CODES = 2 ** 34;

/** n + k − 1 choose k: multisets of k out of n. */
function multisets(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n + i - 1)) / i;
  return Math.round(r);
}

/**
 * Readout any, dim > 2: the run classes (μ, λ) there can be. A diagonal coordinate's map on one symbol is
 * monotone (a >= 0) or antitone (a < 0), so λ is 1 or 2 (docs/theory.md fact 4); μ is 0..N + 1.
 */
function classBound(maxLen: number): number {
  return 2 * (maxLen + 2);
}

/** The enumeration's verdict: a witness (sat), the stats (always), a prefix core (unsat, D = 1). */
export interface EnumerationOutcome {
  verdict: Verdict;
  witness?: DiagonalLrnnParams | DenseWitness;
  /** Unsat: the shortest prefix of the words that is already unsat, named as Z3 names them (len0..lenK). */
  core?: string[];
  reason?: string;
  stats: EnumerationStats;
}

/** Why enumeration does not apply to the query (undefined: it applies). */
export function enumerationRefusal(q: BoundedQuery, format: FixedFormat): string | undefined {
  const shape = classShape(q.modelClass);
  if (shape === 'householder' || shape === 'rotation') return denseRefusal(q, format);
  if (shape !== 'diagonal') return `model class '${q.modelClass.name}' is not diagonal, Householder or rotation (enumeration covers lrnn-pos, lrnn-neg, lrnn-real, deltanet-pos, deltanet-neg, lrnn-complex)`;
  if (q.words !== 'unary') return `words '${q.words}': enumeration covers unary words only`;
  if (q.dim > MAX_ENUMERATED_DIM && q.readout === 'linear') return `dim = ${q.dim}: enumeration covers dim <= ${MAX_ENUMERATED_DIM} with the linear readout`;
  if (q.dim > MAX_ENUMERATED_DIM && multisets(classBound(q.maxLen), q.dim) > MAX_CLASS_TUPLES) {
    return `dim = ${q.dim}, max length ${q.maxLen}: up to ${multisets(classBound(q.maxLen), q.dim)} tuples of run classes to enumerate, more than ${MAX_CLASS_TUPLES}`;
  }
  if (format.bits > MAX_ENUMERATED_BITS) return `format ${format.name}: enumeration covers formats of at most ${MAX_ENUMERATED_BITS} bits`;
  const steps = parameterCodeCount(format, transitionRange(q.modelClass, format)) * (q.maxLen + 1);
  if (steps > MAX_ENUMERATION_STEPS) return `${steps} steps to enumerate at ${format.name}, max length ${q.maxLen}: more than ${MAX_ENUMERATION_STEPS}`;
  return undefined;
}

/** enumerationRefusal for deltanet-pos / deltanet-neg (dim <= 2) and lrnn-complex (dim 2: one block). */
function denseRefusal(q: BoundedQuery, format: FixedFormat): string | undefined {
  const rotation = classShape(q.modelClass) === 'rotation';
  if (q.words !== 'unary') return `words '${q.words}': enumeration covers unary words only`;
  if (q.dim > 2) return `dim = ${q.dim}: enumeration of ${q.modelClass.name} covers dim <= 2`;
  if (rotation && q.dim !== 2) return `dim = ${q.dim}: ${q.modelClass.name} needs an even dim (2x2 blocks)`;
  if (format.bits > MAX_DENSE_BITS) return `format ${format.name}: enumeration of ${q.modelClass.name} covers formats of at most ${MAX_DENSE_BITS} bits`;
  const { lo, hi } = transitionRange(q.modelClass, format);
  const generators = rotation ? (hi - lo + 1) ** 2 : (hi - lo + 1) * validKeys(format, q.dim as 1 | 2).length;
  const codes = generators * (format.codeMax - format.codeMin + 1) ** q.dim;
  if (codes > MAX_DENSE_PARAMETER_CODES) return `${codes} (${rotation ? 'p, q' : 'β, k'}, b) codes to enumerate at ${format.name}: more than ${MAX_DENSE_PARAMETER_CODES}`;
  return undefined;
}

/**
 * The witness for runs (one per coordinate) on the unary symbol; other symbols get a = b = 0 (never read).
 * Coordinates are sorted by (a, b), the order Z3's symmetry breaking picks, with the readout permuted alike.
 */
function witnessOf(task: Task, format: FixedFormat, unary: number, runs: readonly Trajectory[], readout: Readout | undefined): DiagonalLrnnParams {
  const order = runs.map((_, i) => i).sort((i, j) => runs[i].a - runs[j].a || runs[i].b - runs[j].b);
  const sorted = order.map((i) => runs[i]);
  const w: DiagonalLrnnParams = {
    format: format.name,
    dim: runs.length,
    alphabet: [...task.alphabet],
    a: task.alphabet.map((_, x) => sorted.map((r) => (x === unary ? r.a : 0))),
    b: task.alphabet.map((_, x) => sorted.map((r) => (x === unary ? r.b : 0))),
  };
  if (readout !== undefined) w.readout = { w: order.map((i) => readout.w[i]), c: readout.c };
  return w;
}

/** The index of the symbol unary words repeat: '1', else the last symbol (as z3/instance.ts's wordTree). */
export function unarySymbol(task: Task): number {
  const one = task.alphabet.indexOf('1');
  return one >= 0 ? one : task.alphabet.length - 1;
}

/** D = 1 over the runs: the first run that passes, and how many runs each stage refuted. */
function singles(
  format: FixedFormat,
  readout: 'linear' | 'any',
  runs: readonly Trajectory[],
  labels: readonly number[],
  stats: EnumerationStats,
): { run: Trajectory; readout?: Readout } | undefined {
  const minStart = repeatTable(labels);
  for (const run of runs) {
    if (run.mu < minStart(run.lambda)) {
      stats.prunedByRepeat++;
      continue;
    }
    if (readout === 'any') return { run };
    stats.searched++;
    const s = separate1(format, run.h, labels);
    stats.readoutCodes += s.tried;
    if (s.readout !== undefined) return { run, readout: s.readout };
  }
  return undefined;
}

/**
 * Decides a unary query of a diagonal, Householder or rotation class by enumeration (call enumerationRefusal first). `labels[t]` is
 * the label of 1^t, t = 0..maxLen; `deadline` is performance.now() milliseconds, past which the verdict is
 * unknown. A sat witness is returned unreplayed: the caller replays it on every word.
 */
export function enumerateBounded(q: BoundedQuery, format: FixedFormat, labels: readonly number[], deadline: number): EnumerationOutcome {
  const why = enumerationRefusal(q, format);
  if (why !== undefined) throw new InputError(`engine enumerate: ${why}`);
  if (labels.length !== q.maxLen + 1) throw new InternalError(`enumeration: ${labels.length} labels for max length ${q.maxLen}`);
  const shape = classShape(q.modelClass);
  if (shape === 'householder' || shape === 'rotation') return enumerateDense(q, format, labels, deadline);
  const start = performance.now();
  const stats: EnumerationStats = {
    parameterCodes: parameterCodeCount(format, transitionRange(q.modelClass, format)),
    trajectories: 0,
    candidates: 0,
    prunedByRepeat: 0,
    prunedByCone: 0,
    prunedByHull: 0,
    searched: 0,
    readoutCodes: 0,
    ms: 0,
  };
  const done = (o: Omit<EnumerationOutcome, 'stats'>): EnumerationOutcome => {
    stats.ms = performance.now() - start;
    return { ...o, stats };
  };
  const timeout = (): EnumerationOutcome => done({ verdict: 'unknown', reason: 'timeout' });
  const set = unaryTrajectories(format, transitionRange(q.modelClass, format), q.maxLen, deadline);
  if (set === null) return timeout();
  const runs = set.trajectories;
  stats.trajectories = runs.length;
  if (performance.now() > deadline) return timeout();
  const unary = unarySymbol(q.task);
  const zero = runs.find((r) => r.h.every((v) => v === 0));
  if (zero === undefined) throw new InternalError('enumeration: the class has no run that stays at 0 (a = b = 0)');

  if (q.dim > MAX_ENUMERATED_DIM) return anyTuples(q, format, unary, runs, labels, deadline, stats, done, timeout);
  if (q.dim === 1) {
    stats.candidates = runs.length;
    const hit = singles(format, q.readout, runs, labels, stats);
    if (hit !== undefined) {
      stats.candidates = runs.indexOf(hit.run) + 1;
      return done({ verdict: 'sat', witness: witnessOf(q.task, format, unary, [hit.run], hit.readout) });
    }
    return done({ verdict: 'unsat', core: prefixCore(format, q.readout, runs, labels) });
  }

  // A run that works alone works beside the run that stays at 0 (its readout weight 0): a cheap first pass.
  const alone = singles(format, q.readout, runs, labels, { ...stats });
  if (alone !== undefined) {
    stats.candidates = 1;
    const readout = alone.readout === undefined ? undefined : { w: [...alone.readout.w, 0], c: alone.readout.c };
    return done({ verdict: 'sat', witness: witnessOf(q.task, format, unary, [alone.run, zero], readout) });
  }
  if (performance.now() > deadline) return timeout();
  const n = runs.length;
  stats.candidates = (n * (n + 1)) / 2;
  const minStart = repeatTable(labels);
  // Runs grouped by period, longest transient first: a pair passes the repeat test iff its longer
  // transient reaches minStart(lcm), so the passing pairs are a prefix of one group times another group.
  const byPeriod = new Map<number, Trajectory[]>();
  for (const r of runs) byPeriod.set(r.lambda, [...(byPeriod.get(r.lambda) ?? []), r]);
  for (const g of byPeriod.values()) g.sort((r, s) => s.mu - r.mu);
  const periods = [...byPeriod.keys()].sort((x, y) => x - y);
  let examined = 0;
  const separator = new PairSeparator(format, labels);
  const check = (r: Trajectory, s: Trajectory): Readout | null | undefined => {
    examined++;
    if (q.readout === 'any') return null;
    const sep = separator.check(r.h, s.h);
    if (sep.stage === 'cone') stats.prunedByCone++;
    else if (sep.stage === 'hull') stats.prunedByHull++;
    else {
      stats.searched++;
      stats.readoutCodes += sep.tried;
      if (sep.stage === 'found') return sep.readout;
    }
    return undefined;
  };
  for (let pi = 0; pi < periods.length; pi++) {
    for (let pj = pi; pj < periods.length; pj++) {
      const A = byPeriod.get(periods[pi]) ?? [];
      const B = byPeriod.get(periods[pj]) ?? [];
      const m = minStart(lcm(periods[pi], periods[pj]));
      const longA = A.filter((r) => r.mu >= m).length;
      const longB = B.filter((r) => r.mu >= m).length;
      // Pairs (i, j) to examine: the long ones of A with all of B, and the short ones of A with the long of B.
      const pairs: [number, number, number][] = pi === pj ? [[0, longA, 0]] : [[0, longA, -1], [longA, A.length, -2]];
      for (const [from, to, mode] of pairs) {
        for (let i = from; i < to; i++) {
          if ((i & 63) === 0 && performance.now() > deadline) return timeout();
          const jFrom = mode === 0 ? i : 0;
          const jTo = mode === -2 ? longB : B.length;
          for (let j = jFrom; j < jTo; j++) {
            const hit = check(A[i], B[j]);
            if (hit !== undefined) {
              // Sat: the stats count the pairs examined up to the witness, not the ones never reached.
              stats.candidates = examined;
              return done({ verdict: 'sat', witness: witnessOf(q.task, format, unary, [A[i], B[j]], hit ?? undefined) });
            }
            if ((examined & 4095) === 0 && performance.now() > deadline) return timeout();
          }
        }
      }
    }
  }
  stats.prunedByRepeat = stats.candidates - examined;
  return done({ verdict: 'unsat' });
}

/**
 * D = 1 unsat: the shortest prefix 1^0..1^K of the words that no run passes (unsat is monotone in the
 * words, so a binary search over K), named len0..lenK like Z3's core. Runs of the full window serve every
 * prefix: each is its own prefix's run.
 */
function prefixCore(format: FixedFormat, readout: 'linear' | 'any', runs: readonly Trajectory[], labels: readonly number[]): string[] {
  let lo = 0;
  let hi = labels.length - 1; // unsat at hi
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const prefix = labels.slice(0, mid + 1);
    const cut = runs.map((r) => ({ ...r, mu: r.mu > mid ? mid + 1 : r.mu, lambda: r.mu > mid ? 1 : r.lambda }));
    const scratch = { parameterCodes: 0, trajectories: 0, candidates: 0, prunedByRepeat: 0, prunedByCone: 0, prunedByHull: 0, searched: 0, readoutCodes: 0, ms: 0 };
    if (singles(format, readout, cut, prefix, scratch) === undefined) hi = mid;
    else lo = mid + 1;
  }
  return Array.from({ length: hi + 1 }, (_, k) => `len${k}`);
}

/**
 * Readout any at dim > 2. Only a run's (μ, λ) matters to the repeat test, so one run per class stands for
 * all: a multiset of D classes passes iff max μ >= minStart(lcm λ). The counts are of run tuples.
 */
function anyTuples(
  q: BoundedQuery,
  format: FixedFormat,
  unary: number,
  runs: readonly Trajectory[],
  labels: readonly number[],
  deadline: number,
  stats: EnumerationStats,
  done: (o: Omit<EnumerationOutcome, 'stats'>) => EnumerationOutcome,
  timeout: () => EnumerationOutcome,
): EnumerationOutcome {
  const minStart = repeatTable(labels);
  const classes = new Map<string, Trajectory>();
  for (const r of runs) if (!classes.has(`${r.mu}|${r.lambda}`)) classes.set(`${r.mu}|${r.lambda}`, r);
  const reps = [...classes.values()];
  if (reps.length > classBound(q.maxLen)) throw new InternalError(`enumeration: ${reps.length} run classes, more than the bound ${classBound(q.maxLen)}`);
  stats.candidates = multisets(runs.length, q.dim);
  const pick: number[] = [];
  let examined = 0;
  // Non-decreasing class indices: each multiset once.
  const search = (from: number, mu: number, period: number): Trajectory[] | undefined | 'timeout' => {
    if (pick.length === q.dim) {
      examined++;
      if ((examined & 65535) === 0 && performance.now() > deadline) return 'timeout';
      return mu >= minStart(period) ? pick.map((i) => reps[i]) : undefined;
    }
    for (let i = from; i < reps.length; i++) {
      pick.push(i);
      const found = search(i, Math.max(mu, reps[i].mu), lcm(period, reps[i].lambda));
      pick.pop();
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const found = search(0, 0, 1);
  if (found === 'timeout') return timeout();
  if (found !== undefined) {
    stats.candidates = examined;
    return done({ verdict: 'sat', witness: witnessOf(q.task, format, unary, found, undefined) });
  }
  stats.prunedByRepeat = stats.candidates;
  return done({ verdict: 'unsat' });
}

/**
 * Householder classes (householder-runs.ts): every distinct stored A (up to the swap) and every offset b.
 * The witness's other symbols get β = 0 (A = I) and b = 0; any valid (β, k, b) would do, they are never read.
 */
function enumerateDense(q: BoundedQuery, format: FixedFormat, labels: readonly number[], deadline: number): EnumerationOutcome {
  const start = performance.now();
  const dim = q.dim as 1 | 2;
  const range = transitionRange(q.modelClass, format);
  const set: HouseholderMatrixSet = classShape(q.modelClass) === 'rotation' ? rotationMatrices(format, range) : householderMatrices(format, range, dim);
  const size = format.codeMax - format.codeMin + 1;
  const offsets = size ** dim;
  const symmetric = dim === 2 ? set.matrices.filter((m) => m.a[0] === m.a[2] && m.a[1] === ('a10' in m ? m.a10 : m.a[1])).length : 0;
  const counts: HouseholderCounts = { runs: 0, steps: 0, prunedByRepeat: 0, prunedByCone: 0, prunedByHull: 0, searched: 0, readoutCodes: 0 };
  const hit = searchHouseholderRuns(format, dim, set.matrices, labels, q.readout, deadline, counts);
  const stats: EnumerationStats = {
    parameterCodes: set.generatorPairs * offsets,
    trajectories: (set.matrices.length - symmetric) * offsets + (symmetric * size * (size + 1)) / 2,
    candidates: counts.runs,
    prunedByRepeat: counts.prunedByRepeat,
    prunedByCone: counts.prunedByCone,
    prunedByHull: counts.prunedByHull,
    searched: counts.searched,
    readoutCodes: counts.readoutCodes,
    ms: performance.now() - start,
    householder: {
      generator: classShape(q.modelClass) === 'rotation' ? '(p, q)' : '(β, k)',
      generatorPairs: set.generatorPairs,
      distinctMatrices: set.distinct,
      matricesKept: set.matrices.length,
      meanSteps: counts.runs === 0 ? 0 : counts.steps / counts.runs,
    },
  };
  if (hit === 'timeout') return { verdict: 'unknown', reason: 'timeout', stats };
  if (hit === undefined) {
    if (counts.runs !== stats.trajectories) throw new InternalError(`enumeration: ${counts.runs} runs made, ${stats.trajectories} to cover`);
    return { verdict: 'unsat', stats };
  }
  const unary = unarySymbol(q.task);
  const zeros = new Array<number>(dim).fill(0);
  const m = hit.matrix;
  const base = { format: format.name, dim, alphabet: [...q.task.alphabet], b: q.task.alphabet.map((_, x) => (x === unary ? [...hit.b] : [...zeros])) };
  let witness: DenseWitness;
  if ('p' in m) {
    // Other symbols: the zero block (p = q = 0), never read.
    const p = q.task.alphabet.map((_, x) => [x === unary ? m.p : 0]);
    const qs = q.task.alphabet.map((_, x) => [x === unary ? m.q : 0]);
    witness = { ...base, A: p.map((px, x) => rotationMatrix(px, qs[x])), generators: { kind: 'rotation', p, q: qs } };
  } else {
    const beta = q.task.alphabet.map((_, x) => (x === unary ? m.beta : 0));
    const k = q.task.alphabet.map(() => [...m.k]);
    witness = { ...base, A: beta.map((bx, x) => householderMatrix(format, bx, k[x])), generators: { kind: 'householder', beta, k } };
  }
  if (hit.readout !== undefined) witness.readout = hit.readout;
  return { verdict: 'sat', witness, stats };
}
