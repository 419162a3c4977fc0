// The all-lengths question and its answer (verify --checkpoint --all-lengths), in their own file so that
// the orchestrator, the CLI and the specs runner share them without importing each other.
import type { Clock } from '../../clock.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import type { Task } from '../../tasks/task.js';
import type { AnyCertificate } from '../certificate/format.js';
import type { Lasso } from './lasso-word.js';

/** proved: right on every non-empty word; refuted: a wrong word; unknown: out of budget. */
export type AllLengthsVerdict = 'proved' | 'refuted' | 'unknown';

/** What was asked. */
export interface AllLengthsQuery {
  checkpoint: Checkpoint;
  /** The checkpoint file, named in messages; its SHA-256 goes into the certificate unless given below. */
  checkpointFile: string;
  /** The SHA-256 of the checkpoint's file bytes, when the caller has them in memory (the sweep). */
  checkpointSha256?: string;
  task: Task;
  /** The number format, or null for exact real arithmetic (--real). */
  format: NumberFormat | null;
  /** Budget in seconds of `clock` for the whole question (on a work clock: units / 1000). */
  budget: number;
  /** The clock the budget is read on: the wall clock by default, a work clock for a verdict that no load can change. */
  clock?: Clock;
  /** The question is about every word of at least this length (default 1: every non-empty word). */
  minLength?: number;
  /** Called with one line of progress now and then. */
  onProgress?: (line: string) => void;
}

/** A counterexample in lasso form, replayed before it is reported. */
export interface AllLengthsCounterexample {
  lasso: Lasso;
  /** The printed word: `u(v)^k`. */
  text: string;
  length: number;
  /** Class names: what the model says and what the task says. */
  model: string;
  expected: string;
  /** How it was found: exhaustive search of short words, lasso cycle detection, the real closed form, or
   *  (over the reals) a word wrong at fp32 certified wrong with zonotopes (one-layer networks) or with the
   *  closed form or interval steps (the others: fp32-candidate). */
  method: 'exhaustive' | 'lasso' | 'closed-form' | 'zonotope' | 'fp32-candidate';
  /** For zonotope and fp32-candidate: the search at fp32 that proposed the word. */
  source?: 'short words' | 'lassos' | 'random words';
}

/** One decider's share of the run: its name, the seconds it took and what came of it. */
export interface DeciderTime {
  name: 'exhaustive' | 'lassos' | 'invariant' | 'exact-certificate' | 'block-invariant';
  seconds: number;
  /** Work units it charged (src/clock.ts: a model step or a readout each), the same on every machine. */
  work: number;
  /** 'refuted', 'proved', 'no counterexample', 'failed', 'out of budget', or 'skipped: <why>'. */
  outcome: string;
}

/** The answer with its evidence and the figures of the search. */
export interface AllLengthsResult {
  verdict: AllLengthsVerdict;
  arithmetic: string;
  counterexample: AllLengthsCounterexample | null;
  /** How a proof was obtained: a box invariant, a block invariant (zonotopes) or the closed exact search. */
  proof: 'invariant' | 'block-invariant' | 'exhaustive' | null;
  /** The certificate of a proof, not yet written (null where a closed exact search had too many pairs). */
  certificate: AnyCertificate | null;
  /** Every non-empty word up to this length was checked. */
  checkedUpTo: number;
  /** Where the proof failed (unknown and refuted): the abstract state, symbol and reason. */
  diagnosis: string | null;
  abstractStates: number;
  refinementRounds: number;
  lassos: { tried: number; closed: number; open: number };
  seconds: number;
  /** Work units charged in all (what `--work` counts), the same on every machine. */
  work: number;
  /** The verdict covers every word of at least this length. */
  minLength: number;
  /** Remarks on the question itself: a counterexample shorter than the training lengths, another task than the checkpoint's. */
  notes: string[];
  /** The deciders run, in order, with their times (a skipped one says why, at once). */
  deciders: DeciderTime[];
}
