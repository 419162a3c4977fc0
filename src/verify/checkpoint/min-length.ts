// `--min-len N`: the all-lengths question restricted to words of length at least N. The exhaustive search
// of short words compares a machine with the task's automaton pair by pair and stops at the first pair
// that disagrees; a pair first met at a depth below N may still be reached at a depth >= N, so words
// shorter than N cannot simply be skipped. Instead the machine is paired with the task's state and a
// length counter saturating at N: below N it answers the task's own class (it cannot be wrong there), from
// N on the model's. Two words reaching the same model state, task state and min(length, N) have the same
// futures, so the product search stays exact, and the first disagreement it meets is a shortest wrong
// word of length >= N.
import type { Dfa } from '../../automata/dfa.js';
import type { Machine } from '../../machine.js';

/** A state of the product: the model's state, the task's state, and min(length read, N). */
export interface CountedState<S> {
  readonly inner: S;
  readonly ref: number;
  readonly length: number;
}

/** The machine that gives the task's class to every word shorter than `minLength` and the model's to the rest. */
export function fromLength<S>(machine: Machine<S>, dfa: Dfa, minLength: number): Machine<CountedState<S>> {
  const k = dfa.nSymbols;
  return {
    alphabet: machine.alphabet,
    classes: machine.classes,
    initial: () => ({ inner: machine.initial(), ref: dfa.start, length: 0 }),
    step: (s, a) => ({ inner: machine.step(s.inner, a), ref: dfa.table[s.ref * k + a], length: Math.min(s.length + 1, minLength) }),
    classify: (s) => (s.length < minLength ? dfa.labels[s.ref] : machine.classify(s.inner)),
    accepts: (s) => (s.length < minLength ? dfa.labels[s.ref] : machine.classify(s.inner)) === 1,
    // From N on the task's state is not read (the product search follows it beside the machine): the key is the model's.
    key: (s) => (s.length < minLength ? `${s.length}|${s.ref}|${String(machine.key(s.inner))}` : `*|${String(machine.key(s.inner))}`),
  };
}
