// The active-learning loop: ask for a hypothesis, check it, and feed the counterexample back until the
// equivalence oracle agrees. A counterexample is reused while the refined hypothesis still gets it wrong
// (LearnLib does the same), since one word often reveals several missing states and re-checking costs a
// whole equivalence query.
import type { Dfa } from '../automata/dfa.js';
import { minimise } from '../automata/minimise.js';
import { formatWord } from '../automata/alphabet.js';
import { CapReachedError, InternalError } from '../errors.js';
import type { EquivalenceOracle, Guarantee, Learner, MembershipOracle } from './oracle.js';

/** What one learning run produced. */
export interface LearnRun {
  /** The final hypothesis, minimised and in canonical (breadth-first) state order. */
  readonly dfa: Dfa;
  readonly equivalenceQueries: number;
  /** Counterexamples processed, reuses included. */
  readonly refinements: number;
  readonly guarantee: Guarantee;
  readonly detail: string;
  readonly seconds: number;
}

/** Options of the loop. */
export interface LearnOptions {
  /** Stop with a CapReachedError (exit 3) after this many equivalence queries (default: no limit). */
  maxRounds?: number;
}

/** Runs a learner against an equivalence oracle until it agrees; `membership` judges counterexamples. */
export function learn(learner: Learner, equivalence: EquivalenceOracle, membership: MembershipOracle, options: LearnOptions = {}): LearnRun {
  const start = performance.now();
  const maxRounds = options.maxRounds ?? Infinity;
  let refinements = 0;
  for (let round = 1; ; round++) {
    if (round > maxRounds) throw new CapReachedError(`learning: no equivalent hypothesis after ${maxRounds} equivalence queries; the last has ${learner.hypothesis().nStates} states (raise --max-rounds)`);
    let hyp = learner.hypothesis();
    const verdict = equivalence.check(hyp, round);
    if (verdict.equivalent)
      return {
        dfa: minimise(hyp),
        equivalenceQueries: round,
        refinements,
        guarantee: verdict.guarantee,
        detail: verdict.detail,
        seconds: (performance.now() - start) / 1000,
      };
    const cex = verdict.counterexample;
    if (hyp.evaluate(cex) === membership.query(cex))
      throw new InternalError(`${equivalence.name}: counterexample '${formatWord(hyp.alphabet, cex)}' is no counterexample`);
    while (hyp.evaluate(cex) !== membership.query(cex)) {
      learner.refine(cex);
      refinements++;
      hyp = learner.hypothesis();
    }
  }
}
