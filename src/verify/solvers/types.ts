// The portfolio's shared types (their own file so that the race, the native processes and the WASM wrapper
// import no one another in a circle).
import type { Bool, Model } from 'z3-solver';

/** A solver eigenstate can ask: the WebAssembly Z3 in this process, or a native program on PATH. */
export type SolverName = 'wasm' | 'z3' | 'cvc5';

/** The native solvers, in the order `auto` starts them. */
export const NATIVE_SOLVERS = ['z3', 'cvc5'] as const;
export type NativeSolverName = (typeof NATIVE_SOLVERS)[number];

/** `--solver`: one solver, or `auto` (race the WASM Z3 against every native solver on PATH). */
export type SolverChoice = 'auto' | SolverName;

/** Every value `--solver` accepts (bitwuzla is named so that asking for it gets a one-line answer). */
export const SOLVER_CHOICES = ['auto', 'wasm', 'z3', 'cvc5', 'bitwuzla'] as const;

/** How a query is put to the solvers. */
export interface SolverOptions {
  choice: SolverChoice;
  /** Ask a second solver to confirm every unsat (a disagreement is an InternalError, never a verdict). */
  crossCheck?: boolean;
  /** Address-space limit of each native solver process, in MiB (default 4096). */
  memoryMb?: number;
  /** The most solvers `auto` runs at once after the WASM head start, the WASM Z3 one of them (default: one per core, at least two; race.ts says why). */
  slots?: number;
  /** Stops every solver of a running race (the answer is then unknown, reason 'aborted'). */
  signal?: AbortSignal;
}

/** Three-valued, as Z3's own check(): unknown is an answer, not an error. */
export type CheckVerdict = 'sat' | 'unsat' | 'unknown';

/** One query: facts asserted outright, and facts tracked by name (an unsat core names some of them). */
export interface SolveRequest {
  facts: readonly Bool<'main'>[];
  tracked?: readonly { name: string; fact: Bool<'main'> }[];
  timeoutMs: number;
  /**
   * Z3's resource limit (the WASM solver's and native z3's `rlimit`): past it the answer is unknown, at
   * any load, unlike timeoutMs. cvc5 counts other units, so a request with an rlimit never goes to it.
   */
  rlimit?: number;
}

/** How one solver's part in a race ended. */
export type SolverState = 'won' | 'stopped' | 'unknown' | 'error' | 'sat' | 'unsat';

/** One solver's run: its state and wall time (a stopped solver's time is when it was stopped). */
export interface SolverRun {
  solver: SolverName;
  state: SolverState;
  timeMs: number;
  /** The reason of an unknown or the first line of an error. */
  detail?: string;
}

/** One query's race: who answered, each solver's run, and the cross-check of an unsat when asked. */
export interface SolverRace {
  /** The solver whose definite answer was taken; undefined when none gave one. */
  winner?: SolverName;
  runs: SolverRun[];
  /** Set when the WASM Z3 had a head start: the natives joined this long after the start (ms). */
  headStartMs?: number;
  crossCheck?: SolverRun;
}

/** A race's answer: for sat a model of the query's constants, for unsat the tracked names in a core. */
export interface SolveAnswer {
  verdict: CheckVerdict;
  model?: Model<'main'>;
  core?: string[];
  reason?: string;
  race: SolverRace;
}
