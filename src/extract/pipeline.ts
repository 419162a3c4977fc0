// One learning run with the wrappers stacked the way their counts mean something:
//   learner → counter (asked) → cache → counter (membership queries) → determinism check → system
//   equivalence oracle → counter (test queries) → determinism check → system
// Test queries bypass the cache: they are mostly long random words the learner never asks again, and
// counting them apart keeps "membership queries" comparable with the learning literature.
import { match } from 'ts-pattern';
import type { Dfa } from '../automata/dfa.js';
import type { Rng } from '../random.js';
import { QueryCache } from './cache.js';
import { DeterminismCheck } from './determinism.js';
import { KearnsVazirani } from './kv.js';
import { learn } from './learn.js';
import { LSharp } from './lsharp.js';
import { LStar } from './lstar.js';
import type { EquivalenceOracle, Guarantee, Learner, MembershipOracle } from './oracle.js';
import { CountingOracle } from './stats.js';

/** The learners by command-line name. */
export const LEARNERS = Object.freeze(['lstar', 'lstar-mp', 'kv', 'lsharp'] as const);
/** A learner's command-line name. */
export type LearnerName = (typeof LEARNERS)[number];

/** What a learning run is made of. */
export interface LearningSetup {
  readonly system: MembershipOracle;
  readonly learner: LearnerName;
  /** Builds the equivalence oracle over the (uncached, counted) system. */
  readonly equivalence: (system: MembershipOracle) => EquivalenceOracle;
  /** Re-ask this seeded fraction of membership queries to check determinism (0: off). */
  readonly determinism?: { rng: Rng; rate: number };
  readonly maxRounds?: number;
}

/** The statistics table of a learning run. */
export interface LearningStats {
  readonly learner: string;
  readonly oracle: string;
  readonly states: number;
  /** Membership queries that reached the system (cache misses). */
  readonly membershipQueries: number;
  readonly membershipSymbols: number;
  /** Membership queries the learner asked, cache hits included. */
  readonly askedQueries: number;
  /** Queries (and traces) answered from the prefix-tree cache without running the system. */
  readonly cacheHits: number;
  readonly equivalenceQueries: number;
  readonly refinements: number;
  /** Queries the equivalence oracle made to test hypotheses. */
  readonly testQueries: number;
  readonly testSymbols: number;
  readonly determinismChecks: number;
  readonly seconds: number;
  readonly guarantee: Guarantee;
  readonly detail: string;
}

/** Makes a learner by name over a membership oracle. */
export function makeLearner(name: LearnerName, oracle: MembershipOracle): Learner {
  return match(name)
    .with('lstar', () => new LStar(oracle, 'rivest-schapire'))
    .with('lstar-mp', () => new LStar(oracle, 'all-suffixes'))
    .with('kv', () => new KearnsVazirani(oracle))
    .with('lsharp', () => new LSharp(oracle))
    .exhaustive();
}

/** Learns the system with the named learner and oracle; returns the automaton and the statistics. */
export function runLearning(setup: LearningSetup): { dfa: Dfa; stats: LearningStats } {
  const checked = setup.determinism ? new DeterminismCheck(setup.system, setup.determinism.rng, setup.determinism.rate) : undefined;
  const below = checked ?? setup.system;
  const reaching = new CountingOracle(below);
  const cache = new QueryCache(reaching);
  const asked = new CountingOracle(cache);
  const tests = new CountingOracle(below);
  const learner = makeLearner(setup.learner, asked);
  const equivalence = setup.equivalence(tests);
  const run = learn(learner, equivalence, asked, { maxRounds: setup.maxRounds });
  return {
    dfa: run.dfa,
    stats: {
      learner: learner.name,
      oracle: equivalence.name,
      states: run.dfa.nStates,
      membershipQueries: reaching.queries,
      membershipSymbols: reaching.symbols,
      askedQueries: asked.queries,
      cacheHits: cache.hits,
      equivalenceQueries: run.equivalenceQueries,
      refinements: run.refinements,
      testQueries: tests.queries,
      testSymbols: tests.symbols,
      determinismChecks: checked?.checks ?? 0,
      seconds: run.seconds,
      guarantee: run.guarantee,
      detail: run.detail,
    },
  };
}
