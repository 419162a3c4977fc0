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
