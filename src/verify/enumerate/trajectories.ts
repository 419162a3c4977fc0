// Every run a diagonal coordinate can make on a unary word: h_0 = 0, h_{t+1} = round(a·h_t + b) for one
// (a, b) code pair, over t = 0..N. Coordinates of a diagonal LRNN do not interact, so a D-dimensional
// model on 1^k is D of these runs side by side, and enumerating the runs (not the parameters) is what
// makes the bounded unary question finite and small: many (a, b) give the same run within the window.
import { InputError } from '../../errors.js';
import { diagonalStepCode } from '../../precision/diagonal.js';
import type { FixedFormat } from '../../precision/format.js';

/** One coordinate's run h_0..h_N under one (a, b), with where it first repeats inside the window. */
export interface Trajectory {
  readonly a: number;
  readonly b: number;
  /** h_0..h_N (codes). */
  readonly h: Int32Array;
  /** The first t whose state recurs within 0..N (transient length); N + 1 when no state repeats there. */
  readonly mu: number;
  /** The period of that recurrence; 1 when no state repeats within the window. */
  readonly lambda: number;
}

/** The distinct runs of a class's coordinate and how many (a, b) code pairs produced them. */
export interface TrajectorySet {
  readonly trajectories: Trajectory[];
  /** (a, b) code pairs enumerated: |a range| · |codes|. */
  readonly parameterCodes: number;
}

/** Formats wider than this are not enumerated: products of codes must stay exact doubles, tables small. */
export const MAX_ENUMERATED_BITS = 16;

/** The (a, b) code pairs a coordinate of the class ranges over at this format. */
export function parameterCodeCount(format: FixedFormat, aRange: { lo: number; hi: number }): number {
  return (aRange.hi - aRange.lo + 1) * (format.codeMax - format.codeMin + 1);
}

/**
 * Every distinct run h_0..h_maxLen of h ↦ round(a·h + b), a in aRange, b any code, one (a, b) kept per run
 * (the first in (a, b) order). `null` when the deadline (performance.now() ms) passes first.
 */
export function unaryTrajectories(format: FixedFormat, aRange: { lo: number; hi: number }, maxLen: number, deadline: number): TrajectorySet | null {
  if (format.bits > MAX_ENUMERATED_BITS) throw new InputError(`format ${format.name}: enumeration supports at most ${MAX_ENUMERATED_BITS} bits`);
  const n = maxLen + 1;
  const size = format.codeMax - format.codeMin + 1;
  // firstVisit[h − codeMin]: the step that reached h in the current run, −1 if none; reset after each run.
  const firstVisit = new Int32Array(size).fill(-1);
  const seen = new Map<string, Trajectory>();
  const trajectories: Trajectory[] = [];
  for (let a = aRange.lo; a <= aRange.hi; a++) {
    if (performance.now() > deadline) return null;
    for (let b = format.codeMin; b <= format.codeMax; b++) {
      const h = new Int32Array(n);
      let mu = n;
      let lambda = 1;
      let len = n;
      firstVisit[-format.codeMin] = 0;
      for (let t = 1; t < n; t++) {
        const next = diagonalStepCode(format, a, h[t - 1], b);
        const before = firstVisit[next - format.codeMin];
        if (before >= 0) {
          // A repeat: the run is periodic from `before` on, so the rest of the window is a copy.
          mu = before;
          lambda = t - before;
          len = t;
          for (let s = t; s < n; s++) h[s] = h[s - lambda];
          break;
        }
        h[t] = next;
        firstVisit[next - format.codeMin] = t;
      }
      for (let t = 0; t < len; t++) firstVisit[h[t] - format.codeMin] = -1;
      // The states before the first repeat and where it lands determine the whole window.
      const key = `${mu}|${h.subarray(0, len).join(',')}`;
      if (seen.has(key)) continue;
      const traj: Trajectory = { a, b, h, mu, lambda };
      seen.set(key, traj);
      trajectories.push(traj);
    }
  }
  return { trajectories, parameterCodes: parameterCodeCount(format, aRange) };
}

/**
 * For each period L, the least M such that label(t) = label(t + L) for every t >= M with t + L <= N: a
 * joint run that first repeats at M with period L labels consistently iff M >= minStart(L).
 */
export function repeatTable(labels: readonly number[]): (period: number) => number {
  const last = labels.length - 1;
  const table = new Int32Array(last + 1);
  for (let L = 1; L <= last; L++) {
    let m = 0;
    for (let t = last - L; t >= 0; t--) {
      if (labels[t] !== labels[t + L]) {
        m = t + 1;
        break;
      }
    }
    table[L] = m;
  }
  return (period) => (period > last ? 0 : table[period]);
}

/** Greatest common divisor of positive integers. */
export function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Least common multiple of positive integers. */
export function lcm(x: number, y: number): number {
  return (x / gcd(x, y)) * y;
}
