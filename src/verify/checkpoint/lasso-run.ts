// The state of a machine after a lasso word u·v^k for any power k, with O(1) memory: at a finite format the
// sequence s_i (the state after u·v^i) is eventually periodic, so Brent's cycle detection steps it only
// until the cycle closes (one saved state), then reduces k to the matching power inside the cycle. A
// power of 10^8 on a loop whose states repeat after a few hundred powers costs a few hundred loop steps.
// This is how `eigenstate run` replays a printed counterexample in seconds whatever its power.
import { InputError } from '../../errors.js';
import type { Machine } from '../../machine.js';
import type { Lasso } from './lasso-word.js';

/** The state after the lasso and how it was reached. */
export interface LassoRun<S> {
  state: S;
  /** The power actually stepped to (k itself, or its equivalent inside the cycle). */
  stepped: number;
  /** The cycle met: its period λ and the first power h at which it was known to be inside it (null: none met before k). */
  cycle: { period: number; from: number } | null;
  /** Loop steps taken (each of |v| symbols). */
  loopSteps: number;
}

/** Steps machine through prefix·loop^power with Brent's cycle detection; more than maxLoopSteps loop steps is an InputError. */
export function runLassoByCycle<S>(machine: Machine<S>, l: Lasso, maxLoopSteps: number, same?: (a: S, b: S) => boolean): LassoRun<S> {
  const eq = same ?? ((a: S, b: S) => machine.key(a) === machine.key(b));
  let s = machine.initial();
  for (const x of l.prefix) s = machine.step(s, x);
  const next = (t: S): S => {
    let r = t;
    for (const x of l.loop) r = machine.step(r, x);
    return r;
  };
  if (l.power === 0 || l.loop.length === 0) return { state: s, stepped: 0, cycle: null, loopSteps: 0 };
  // Brent: the hare walks s_1, s_2, ... (its index is `at`); the saved tortoise moves to the hare at every
  // power of two. hare == tortoise at index `at` means s_at = s_(at − lam), both inside the cycle.
  let tortoise = s;
  let hare = next(s);
  let at = 1;
  let lam = 1;
  let limit = 1;
  while (at < l.power) {
    if (eq(tortoise, hare)) {
      // s_k = s_(at + (k − at) mod lam) for every k >= at.
      const rest = (l.power - at) % lam;
      for (let i = 0; i < rest; i++) hare = next(hare);
      return { state: hare, stepped: at + rest, cycle: { period: lam, from: at }, loopSteps: at + rest };
    }
    if (at >= maxLoopSteps) throw new InputError(`lasso: no cycle of the state within ${maxLoopSteps} powers of the loop (power ${l.power} asked)`);
    if (lam === limit) {
      tortoise = hare;
      limit *= 2;
      lam = 0;
    }
    hare = next(hare);
    at++;
    lam++;
  }
  return { state: hare, stepped: at, cycle: null, loopSteps: at };
}
