// The three roles of active automata learning, kept apart as LearnLib and AALpy keep them: a membership
// oracle answers "which class does this word get?", an equivalence oracle answers "is this hypothesis
// right?" (with a counterexample when it is not), and a learner turns answers into hypotheses. Caches,
// statistics and determinism checks are wrappers around a membership oracle, never flags of a learner.
import type { Dfa } from '../automata/dfa.js';
import type { Word } from '../machine.js';

/** A system under learning, seen only through the labels it gives words (a Moore machine's output). */
export interface MembershipOracle {
  readonly alphabet: readonly string[];
  /** Output classes; binary systems use ['reject', 'accept']. */
  readonly classes: readonly string[];
  /** The class of a word, in [0, classes.length). */
  query(word: Word): number;
  /**
   * The classes of every prefix of a word (index i: the first i symbols), from one run of the system.
   * Optional: systems that read symbols one at a time (machines) offer it; `traceOf` falls back to one
   * query per prefix for those that do not.
   */
  trace?(word: Word): Int32Array;
}

/** The class of every prefix of `word` (length |word| + 1): one `trace` call, or one query per prefix. */
export function traceOf(oracle: MembershipOracle, word: Word): Int32Array {
  if (oracle.trace) return oracle.trace(word);
  const out = new Int32Array(word.length + 1);
  for (let i = 0; i <= word.length; i++) out[i] = oracle.query(word.slice(0, i));
  return out;
}

/**
 * How far an "equivalent" verdict reaches: `proof` for every word; `bounded` for every word provided the
 * system has at most `detail`'s stated number of states (W-method); `pac` with the stated (ε, δ); `none`
 * only that a search found no counterexample (abstraction refinement).
 */
export type Guarantee = 'proof' | 'bounded' | 'pac' | 'none';

/** An equivalence oracle's answer: a word the hypothesis labels wrong, or agreement with its guarantee. */
export type EquivalenceVerdict =
  | { readonly equivalent: true; readonly guarantee: Guarantee; readonly detail: string }
  | { readonly equivalent: false; readonly counterexample: Word };

/** Decides (or estimates) whether a hypothesis labels every word as the system does. */
export interface EquivalenceOracle {
  readonly name: string;
  /** Checks the hypothesis of equivalence round `round` (1-based; PAC bounds grow with it). */
  check(hypothesis: Dfa, round: number): EquivalenceVerdict;
}

/** An active learner over one membership oracle. */
export interface Learner {
  readonly name: string;
  /** The current hypothesis; the first call builds the initial one from membership queries. */
  hypothesis(): Dfa;
  /** Refines the hypothesis with a word it labels differently from the system. */
  refine(counterexample: Word): void;
}
