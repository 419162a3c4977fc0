// The WASM Z3 as one runner of the race: a fresh solver per request (Z3 solves a first check() with its
// bit-blasting tactic, and falls back to the slower incremental core once a solver is reused), tracked
// facts with addAndTrack and a minimised core, exactly as the queries were put before the portfolio.
// Stopping it is Z3's context interrupt, repeated until the check returns (a check still waiting for the
// session's lock when the first interrupt arrives would miss it), then one empty check to clear it. The
// interrupt is the whole context's: it assumes one query at a time per process, as every caller does.
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

/** Starts the request on the WASM session's context. */
export function runWasm(Z: Z3, request: SolveRequest): WasmRun {
  let done = false;
  let interrupter: ReturnType<typeof setInterval> | undefined;
  const solver = new Z.Solver();
  const checked = (async (): Promise<WasmOutcome> => {
    try {
      solver.set('timeout', Math.max(1, Math.round(request.timeoutMs)));
      if (request.rlimit !== undefined) solver.set('rlimit', Math.max(1, Math.round(request.rlimit)));
      const tracked = request.tracked ?? [];
      if (tracked.length > 0) solver.set('core.minimize', true);
      solver.add(...request.facts);
      // Track per word, not per arithmetic step: tracking is what slows queries down (Z3-NOTES.md).
      for (const { name, fact } of tracked) solver.addAndTrack(fact, name);
      const verdict = await checkSolver(solver);
      if (verdict === 'sat') return { verdict, model: solver.model() };
      if (verdict === 'unsat') return { verdict, core: [...solver.unsatCore()].map((lit) => lit.toString()).sort() };
      return { verdict, reason: solver.reasonUnknown() };
    } finally {
      done = true;
      if (interrupter !== undefined) clearInterval(interrupter);
      solver.release();
    }
  })();
  // An interrupt that reaches the context when no check runs stays pending and fails the next call
  // (model.eval included) with 'canceled'; a check clears it, so a stopped run ends with an empty one.
  const outcome = checked.finally(async () => {
    if (interrupter === undefined) return;
    const reset = new Z.Solver();
    try {
      await checkSolver(reset);
    } finally {
      reset.release();
    }
  });
  return {
    outcome,
    stop: () => {
      if (done || interrupter !== undefined) return;
      Z.interrupt();
      interrupter = setInterval(() => Z.interrupt(), 50);
    },
  };
}
