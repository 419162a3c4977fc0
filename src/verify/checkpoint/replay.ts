// Replays a lasso counterexample in the exact executor before it is reported: the model's class and the
// task's class of u·v^k, by stepping (never materialising the word). A counterexample that does not
// replay is an internal error, never a verdict.
import type { Dfa } from '../../automata/dfa.js';
import { InternalError } from '../../errors.js';
import type { Machine } from '../../machine.js';
import type { Lasso } from './lasso-word.js';

/** The classes the machine and the DFA give prefix·loop^power. */
export function runLasso<S>(machine: Machine<S>, dfa: Dfa, l: Lasso): { got: number; expected: number } {
  const k = dfa.nSymbols;
  let s = machine.initial();
  let q: number = dfa.start;
  const read = (x: number) => {
    s = machine.step(s, x);
    q = dfa.table[q * k + x];
  };
  for (const x of l.prefix) read(x);
  for (let i = 0; i < l.power; i++) for (const x of l.loop) read(x);
  return { got: machine.classify(s), expected: dfa.labels[q] };
}

/** The task's class of prefix·loop^power (the loop's orbit in the DFA is followed until it repeats). */
export function taskClass(dfa: Dfa, l: Lasso): number {
  const k = dfa.nSymbols;
  const read = (q: number, w: readonly number[]) => w.reduce((s, x) => dfa.table[s * k + x], q);
  const orbit = [read(dfa.start, l.prefix)];
  const seen = new Map<number, number>([[orbit[0], 0]]);
  while (orbit.length - 1 < l.power) {
    const next = read(orbit[orbit.length - 1], l.loop);
    const at = seen.get(next);
    if (at !== undefined) return dfa.labels[orbit[at + ((l.power - at) % (orbit.length - at))]];
    seen.set(next, orbit.length);
    orbit.push(next);
  }
  return dfa.labels[orbit[l.power]];
}

/** Throws InternalError unless the machine really labels the lasso `got` and the task `expected`, and they differ. */
export function replayLasso<S>(machine: Machine<S>, dfa: Dfa, l: Lasso, got: number, expected: number): void {
  const r = runLasso(machine, dfa, l);
  if (r.got !== got || r.expected !== expected || got === expected) {
    throw new InternalError(`counterexample did not replay: search said model ${got} / task ${expected}, replay gave ${r.got} / ${r.expected}`);
  }
}
