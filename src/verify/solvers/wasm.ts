// The WASM Z3 as one runner of the race: a fresh solver per request (Z3 solves a first check() with its
// bit-blasting tactic, and falls back to the slower incremental core once a solver is reused), tracked
// facts with addAndTrack and a minimised core, exactly as the queries were put before the portfolio.
// Stopping it is Z3's context interrupt, repeated until the check returns (a check still waiting for the
// session's lock when the first interrupt arrives would miss it), then one empty check to clear it. The
// interrupt is the whole context's, so runs are queued: a run's check starts only once the run before it
// has ended, its interrupt timer cleared and its reset check done, and a run stopped while queued never
// checks. An interrupt can then only reach the run it stops, never the next query.
import type { Model } from 'z3-solver';
import { checkSolver, type Z3 } from '../z3/session.js';
import type { CheckVerdict, SolveRequest } from './types.js';

/** What the WASM check produced. */
export interface WasmOutcome {
  verdict: CheckVerdict;
  model?: Model<'main'>;
  core?: string[];
  reason?: string;
}

/** A running WASM check: its outcome, and a stop that interrupts it. */
export interface WasmRun {
  readonly outcome: Promise<WasmOutcome>;
  stop(): void;
}

/** How often a stopped check is interrupted again until it returns (ms). */
const INTERRUPT_EVERY_MS = 50;

/** The end of the last run started (its reset check included): the next run's check waits for it. */
let previous: Promise<unknown> = Promise.resolve();

/** Interrupt timers now running (for tests: none once every run has ended). */
let timers = 0;

/** How many interrupt timers are running; 0 whenever no stopped run is still being interrupted. */
export function liveInterruptTimers(): number {
  return timers;
}

/** Starts the request on the WASM session's context (after every earlier run has ended). */
export function runWasm(Z: Z3, request: SolveRequest): WasmRun {
  let stopped = false;
  let checking = false;
  let interrupter: ReturnType<typeof setInterval> | undefined;
  const clearInterrupter = (): void => {
    if (interrupter === undefined) return;
    clearInterval(interrupter);
    interrupter = undefined;
    timers--;
  };
  const startInterrupting = (): void => {
    if (interrupter !== undefined) return;
    Z.interrupt();
    interrupter = setInterval(() => Z.interrupt(), INTERRUPT_EVERY_MS);
    timers++;
  };
  let interrupted = false;
  const check = async (): Promise<WasmOutcome> => {
    if (stopped) return { verdict: 'unknown', reason: 'canceled' };
    const solver = new Z.Solver();
    try {
      solver.set('timeout', Math.max(1, Math.round(request.timeoutMs)));
      if (request.rlimit !== undefined) solver.set('rlimit', Math.max(1, Math.round(request.rlimit)));
      const tracked = request.tracked ?? [];
      if (tracked.length > 0) solver.set('core.minimize', true);
      solver.add(...request.facts);
      // Track per word, not per arithmetic step: tracking is what slows queries down (Z3-NOTES.md).
      for (const { name, fact } of tracked) solver.addAndTrack(fact, name);
      checking = true;
      if (stopped) {
        interrupted = true;
        startInterrupting();
      }
      const verdict = await checkSolver(solver);
      checking = false;
      clearInterrupter();
      if (verdict === 'sat') return { verdict, model: solver.model() };
      if (verdict === 'unsat') return { verdict, core: [...solver.unsatCore()].map((lit) => lit.toString()).sort() };
      return { verdict, reason: solver.reasonUnknown() };
    } finally {
      checking = false;
      clearInterrupter();
      solver.release();
    }
  };
  // An interrupt that reaches the context when no check runs stays pending and fails the next call
  // (model.eval included) with 'canceled'; a check clears it, so an interrupted run ends with an empty one.
  const reset = async (): Promise<void> => {
    if (!interrupted) return;
    const empty = new Z.Solver();
    try {
      await checkSolver(empty);
    } finally {
      empty.release();
    }
  };
  const run = previous.then(async () => {
    try {
      return await check();
    } finally {
      clearInterrupter();
      await reset();
    }
  });
  // The queue goes on whether this run succeeded or failed.
  previous = run.catch(() => undefined);
  return {
    outcome: run,
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (checking) {
        interrupted = true;
        startInterrupting();
      }
    },
  };
}
