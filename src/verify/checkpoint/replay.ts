// Replays a lasso counterexample in the exact executor before it is reported: the model's class and the
// task's class of u·v^k, by stepping (never materialising the word). A counterexample that does not
// replay is an internal error, never a verdict.
import type { Dfa } from '../../automata/dfa.js';
import { InternalError } from '../../errors.js';
import type { Machine } from '../../machine.js';
import type { Lasso } from './lasso-word.js';
import { orbitState, taskOrbit } from './task-orbit.js';

/** The classes the machine and the DFA give prefix·loop^power (the word is stepped, never built). */
export function runLasso<S>(machine: Machine<S>, dfa: Dfa, l: Lasso): { got: number; expected: number } {
  let s = machine.initial();
  for (const x of l.prefix) s = machine.step(s, x);
  for (let i = 0; i < l.power; i++) for (const x of l.loop) s = machine.step(s, x);
  return { got: machine.classify(s), expected: taskClass(dfa, l) };
}

/** The task's class of prefix·loop^power. */
export function taskClass(dfa: Dfa, l: Lasso): number {
  return dfa.labels[orbitState(taskOrbit(dfa, l.prefix, l.loop), l.power)];
}

/** Throws InternalError unless the machine really labels the lasso `got` and the task `expected`, and they differ. */
export function replayLasso<S>(machine: Machine<S>, dfa: Dfa, l: Lasso, got: number, expected: number): void {
  const r = runLasso(machine, dfa, l);
  if (r.got !== got || r.expected !== expected || got === expected) {
    throw new InternalError(`counterexample did not replay: search said model ${got} / task ${expected}, replay gave ${r.got} / ${r.expected}`);
  }
}
