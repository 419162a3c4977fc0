// The bounded class-level query and its answer, shared by the orchestrator (bounded.ts) and the engines it
// calls (enumerate/, z3/, lemmas/, specs/): kept apart so that no engine imports the orchestrator.
import type { Task } from '../tasks/task.js';
import type { ModelClass } from './classes.js';
import type { SolverOptions, SolverRace } from './solvers/types.js';
import type { ClassWitness } from './z3/encode.js';

/** What to verify: the class, its size and precision, and the bounded set of words. */
export interface BoundedQuery {
  task: Task;
  modelClass: ModelClass;
  dim: number;
  /** A fixed-point format name, e.g. 'fixed<2,6>'. */
  format: string;
  maxLen: number;
  /** 'unary': 1^k (the symbol '1', else the last symbol) for k = 0..maxLen; 'all': every word up to maxLen. */
  words: 'unary' | 'all';
  /** 'linear': a threshold on w·h + c; 'any': any function of the final state (different labels, different states). */
  readout: 'linear' | 'any';
  /** Budget for the whole verdict (every round of the lazy loop). */
  timeoutMs: number;
  /**
   * Engine z3: Z3's resource limit for each solver call (the WASM Z3 and native z3; cvc5 then sits out), a
   * budget that, unlike timeoutMs, ends a call at the same point at any machine load. Default: none.
   */
  rlimit?: number;
  /** 'lazy' (default): grow the word set from short words by replaying witnesses; 'full': one query on every word. */
  strategy?: 'lazy' | 'full';
  /** Symmetry breaking and readout scale normalisation (z3/symmetry.ts); default on. Off only to cross-check. */
  symmetry?: boolean;
  /** All words: try the unary sub-instance first (neutral.ts); default on. Off only to exercise the all-words queries. */
  unaryFirst?: boolean;
  /**
   * 'enumerate': the exact enumeration of enumerate/enumerate.ts (diagonal classes, unary words, dim <= 2; InputError
   * otherwise); 'z3': the bit-vector queries; 'auto' (default): enumeration where it applies, else Z3.
   */
  engine?: 'auto' | 'z3' | 'enumerate';
  /** Which solvers answer the Z3 queries (solvers/race.ts); default auto: the WASM Z3 raced with every native solver on PATH. */
  solver?: SolverOptions;
}

/** Three-valued: `unknown` (timeout, resource limit) is a verdict, never an error. */
export type Verdict = 'sat' | 'unsat' | 'unknown';

/** The size of the instance a verdict is about. */
export interface Bounds {
  task: string;
  modelClass: string;
  dim: number;
  format: string;
  maxLen: number;
  words: 'unary' | 'all';
  readout: 'linear' | 'any';
  /** Words of the instance (prefix-tree nodes, the empty word included). */
  wordCount: number;
  strategy: 'lazy' | 'full';
  /** Solver calls made: 1 for a full query, one per refinement for a lazy one. */
  rounds: number;
  /** Words the last solver call constrained (all of wordCount for a full query). */
  subsetWords: number;
  /** The engine that decided: Z3, or the enumeration (then strategy is 'full', rounds 0). */
  engine: 'z3' | 'enumerate';
  /** Set when the closure sub-case found the witness: the task automaton's states it mapped into the state space. */
  closureStates?: number;
  /**
   * Set when an all-words query was decided on its unary sub-instance (reduce/neutral.ts): unsat there, or a unary
   * witness with the identity on the neutral symbols, replayed on every word. The other fields describe that
   * unary solve, except words and wordCount.
   */
  unarySubInstance?: boolean;
  /** Set when the witness was found at this smaller dim by enumeration and padded with inert coordinates (reduce/pad.ts). */
  paddedFrom?: number;
}

/** A verdict with its certificate: a replayed witness (sat), a named core (unsat), the SMT-LIB dump. */
export interface BoundedResult {
  verdict: Verdict;
  /** Encoding, every round and every replay. */
  timeMs: number;
  bounds: Bounds;
  witness?: ClassWitness;
  core?: string[];
  /** Z3's reason for `unknown` (e.g. 'timeout'). */
  reason?: string;
  /** The last query solved (the subset's for a lazy one: its unsat is the instance's proof). */
  smt2: string;
  z3Version: string;
  /** Engine enumerate: what was examined (for unsat, the exhaustion that is the proof). */
  enumeration?: EnumerationStats;
  /** Engine z3: each solver call's race, in order (the last one decided). */
  solvers?: SolverRace[];
}

/** What an enumeration examined: for unsat, the certificate is that all of it was exhausted. */
export interface EnumerationStats {
  /** (a, b) code pairs of one coordinate's unary symbol. */
  parameterCodes: number;
  /** Distinct runs h_0..h_N among them (one (a, b) kept per run). */
  trajectories: number;
  /**
   * Tuples of runs the verdict covers: runs (D = 1) or unordered pairs with repetition (D = 2); for sat,
   * the tuples examined up to the witness (1 when one run works alone, beside the run that stays at 0).
   */
  candidates: number;
  /** Tuples refuted because the joint run repeats a state under two labels. */
  prunedByRepeat: number;
  /** Linear readout: tuples refuted by the cone of consecutive label changes. */
  prunedByCone: number;
  /** Linear readout: tuples refuted by the real relaxation (the labels' convex hulls meet). */
  prunedByHull: number;
  /** Linear readout: tuples whose integer readout search ran (to a readout or to exhaustion). */
  searched: number;
  /** Readout codes w tried in those searches. */
  readoutCodes: number;
  /** Milliseconds spent enumerating (the runs and the tuples). */
  ms: number;
  /**
   * Householder classes only. Then parameterCodes counts (β, k, b) triples, trajectories the (A, b) runs
   * to cover (distinct stored A up to the coordinate swap, times every offset), candidates the runs made
   * (sat: up to the witness), prunedByCone includes runs cut short by the label-change cone.
   */
  householder?: {
    /** What generates a matrix: a Householder's (β, k) or a rotation block's (p, q). */
    generator: '(β, k)' | '(p, q)';
    /** Valid generator code pairs. */
    generatorPairs: number;
    /** Distinct stored matrices A among them. */
    distinctMatrices: number;
    /** Those kept after the coordinate swap (dim 2). */
    matricesKept: number;
    /** Mean steps a run took before it was rejected or reached 1^N. */
    meanSteps: number;
  };
}
