// Where budgets read the time. A search stops at a deadline on its clock: the wall clock for a user's
// `--budget <seconds>`, or a work clock for `--work <units>`. Every decider charges the work it did with
// `spend` (one unit per step of the model on one symbol, whatever the arithmetic: exact, float, interval or
// zonotope, and one per readout evaluated on a box); the wall clock ignores the charges, and a work clock's
// reading is the units charged so far, in "milliseconds". The same query on a work clock therefore reaches
// the same verdict on any machine at any load, and a unit means the same thing at every call site.

/** A source of milliseconds that budgets compare deadlines against, and a meter of the work done. */
export interface Clock {
  /** What the reading counts: wall milliseconds or work units. */
  readonly kind: 'wall' | 'work';
  /** The reading: wall milliseconds, or the work units spent so far. */
  now(): number;
  /** Charges `units` of work (a model step or a readout each); a no-op on the wall clock. */
  spend(units: number): void;
}

/** The wall clock (performance.now()); charges are ignored. */
export const wallClock: Clock = { kind: 'wall', now: () => performance.now(), spend: () => undefined };

/** A deterministic clock that reads the work units charged to it (one unit reads as one millisecond). */
export function workClock(): Clock {
  let t = 0;
  return {
    kind: 'work',
    now: () => t,
    spend: (units) => {
      t += units;
    },
  };
}

/** A clock that reads `inner` and forwards every charge to it, counting the units charged through it. */
export class Meter implements Clock {
  /** Units charged through this meter so far. */
  spent = 0;
  readonly kind: Clock['kind'];

  constructor(private readonly inner: Clock) {
    this.kind = inner.kind;
  }

  now(): number {
    return this.inner.now();
  }

  spend(units: number): void {
    this.spent += units;
    this.inner.spend(units);
  }
}

/** A work clock that also watches the wall clock: past `wallMs` every reading passes every deadline set before it, so a run stops at its next check. */
export interface GuardedClock extends Clock {
  /** True once the wall-clock limit has passed (then an `unknown` is the wall's doing, not the work's). */
  wallPassed(): boolean;
}

/**
 * Past the wall limit each reading jumps this far beyond the one before: more than any work budget, so a
 * deadline derived from an earlier reading (reading + budget, or halfway to a deadline) is passed by the
 * next one, even where the limit passed before the run read its start.
 */
const JUMP = 1e12;

/** A work clock (the verdict depends on the work done only) that ends the run anyway once `wallMs` of wall time have passed. */
export function guardedWorkClock(wallMs: number): GuardedClock {
  const work = workClock();
  const end = performance.now() + wallMs;
  let jumps = 0;
  return {
    kind: 'work',
    now: () => {
      if (jumps > 0 || performance.now() > end) jumps++;
      return work.now() + JUMP * jumps;
    },
    spend: (units) => work.spend(units),
    wallPassed: () => jumps > 0,
  };
}
