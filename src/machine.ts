// The one interface everything meets at (ARCHITECTURE.md): a deterministic model of one checkpoint at one
// precision, a reference DFA, or anything else that reads symbols one at a time.

/** A word is a sequence of symbol indices into a machine's alphabet. */
export type Word = readonly number[];

/** A deterministic machine over a named alphabet whose states carry a class label. */
export interface Machine<S> {
  readonly alphabet: readonly string[];
  /** Names of the output classes; a binary machine has exactly ['reject', 'accept']. */
  readonly classes: readonly string[];
  initial(): S;
  step(state: S, symbol: number): S;
  /** The class index of a state, in [0, classes.length). */
  classify(state: S): number;
  /** For binary machines: classify(state) === 1. */
  accepts(state: S): boolean;
  /** Exact identity of a state, for hashing and search. */
  key(state: S): string | bigint | number;
}

/** The class names of every binary (accept/reject) machine. */
export const BINARY_CLASSES: readonly string[] = Object.freeze(['reject', 'accept']);

/** True when the class list is the binary one. */
export function isBinaryClasses(classes: readonly string[]): boolean {
  return classes.length === 2 && classes[0] === BINARY_CLASSES[0] && classes[1] === BINARY_CLASSES[1];
}

/** Runs a machine on a word from its initial state and returns the final state. */
export function runMachine<S>(machine: Machine<S>, word: Word): S {
  let state = machine.initial();
  for (const symbol of word) state = machine.step(state, symbol);
  return state;
}

/** The class a machine assigns to a word. */
export function classifyWord<S>(machine: Machine<S>, word: Word): number {
  return machine.classify(runMachine(machine, word));
}
