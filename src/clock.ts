// Where budgets read the time. A search stops at a deadline on its clock: the wall clock for a user's
// `--budget <seconds>`, or a work clock for `--work <units>`, whose reading advances by one unit each time a
// search checks its deadline, so the same query reaches the same verdict on any machine at any load.

/** A source of milliseconds that budgets compare deadlines against. */
export interface Clock {
  now(): number;
}

/** The wall clock (performance.now()). */
export const wallClock: Clock = { now: () => performance.now() };

/** A deterministic clock: every reading advances it by `msPerRead` milliseconds (a deadline check is one unit of work). */
export function workClock(msPerRead = 1): Clock {
  let t = 0;
  return { now: () => (t += msPerRead) };
}
