// The task automaton along a lasso: its states after prefix·loop^k for k = 0, 1, ... are a transient
// followed by a cycle, so one walk around the orbit answers every power (how lassos of any length get
// their expected class without stepping the word).
import type { Dfa } from '../../automata/dfa.js';
import type { Word } from '../../machine.js';

/** The DFA states after prefix·loop^k: states[k] for k < states.length, then periodic from cycleStart. */
export interface TaskOrbit {
  readonly states: readonly number[];
  readonly cycleStart: number;
}

/** Walks the orbit of prefix·loop^k until a state repeats (at most nStates + 1 loop passes). */
export function taskOrbit(dfa: Dfa, prefix: Word, loop: Word): TaskOrbit {
  const read = (q: number, w: Word) => w.reduce((s, x) => dfa.table[s * dfa.nSymbols + x], q);
  const states = [read(dfa.start, prefix)];
  const seen = new Map<number, number>([[states[0], 0]]);
  for (;;) {
    const next = read(states[states.length - 1], loop);
    const at = seen.get(next);
    if (at !== undefined) return { states, cycleStart: at };
    seen.set(next, states.length);
    states.push(next);
  }
}

/** The orbit's period: how many powers apart the expected class repeats. */
export function orbitPeriod(o: TaskOrbit): number {
  return o.states.length - o.cycleStart;
}

/** The DFA state after prefix·loop^k. */
export function orbitState(o: TaskOrbit, k: number): number {
  return k < o.states.length ? o.states[k] : o.states[o.cycleStart + ((k - o.cycleStart) % orbitPeriod(o))];
}
