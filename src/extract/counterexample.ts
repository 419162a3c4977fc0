// Rivest–Schapire counterexample analysis: a binary search over the counterexample w for the index i at
// which "the hypothesis state after w[0..i), then the rest of w" flips its answer. That yields u·a·v = w
// with access(H(u))·a and access(H(u·a)) separated by v: one new state and one new distinguishing
// suffix, found with O(log |w|) membership queries instead of |w| (Rivest & Schapire, Inf. Comput. 1993).
import type { Dfa } from '../automata/dfa.js';
import { InternalError } from '../errors.js';
import type { Word } from '../machine.js';
import type { MembershipOracle } from './oracle.js';

/** w = u · a · v where access(H(u))·a is a state the hypothesis lacks, told apart from access(H(u·a)) by v. */
export interface Decomposition {
  /** The hypothesis state H(u). */
  readonly state: number;
  /** The symbol a. */
  readonly symbol: number;
  /** The distinguishing suffix v. */
  readonly suffix: Word;
}

/** Finds the Rivest–Schapire decomposition of a counterexample; `access(q)` is q's access word. */
export function rivestSchapire(
  hypothesis: Dfa,
  access: (state: number) => Word,
  oracle: MembershipOracle,
  counterexample: Word,
): Decomposition {
  const w = counterexample;
  const states = new Int32Array(w.length + 1);
  states[0] = hypothesis.start;
  for (let i = 0; i < w.length; i++) states[i + 1] = hypothesis.step(states[i] as never, w[i]);
  const alpha = (i: number): number => oracle.query(access(states[i]).concat(w.slice(i)));
  const wrong = alpha(0);
  if (alpha(w.length) === wrong)
    throw new InternalError(`counterexample '${hypothesis.formatWord(w)}' is labelled alike by hypothesis and system`);
  // Invariant: alpha(lo) = alpha(0) and alpha(hi) ≠ alpha(0).
  let lo = 0;
  let hi = w.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (alpha(mid) === wrong) lo = mid;
    else hi = mid;
  }
  return { state: states[lo], symbol: w[lo], suffix: w.slice(lo + 1) };
}
