// Reachability and renumbering. Breadth-first order from the initial state (symbols in alphabet order)
// is the canonical state numbering: DOT output, JSON export and minimisation results all use it, so
// two runs, or two equal automata, print identically.
import { Dfa, type StateId } from './dfa.js';

/** States in breadth-first order from the initial state; unreachable states are absent. */
export function bfsOrder(dfa: Dfa): Int32Array {
  const { nStates, nSymbols, table } = dfa;
  const order = new Int32Array(nStates);
  const seen = new Uint8Array(nStates);
  let head = 0;
  let tail = 0;
  order[tail++] = dfa.start;
  seen[dfa.start] = 1;
  while (head < tail) {
    const base = order[head++] * nSymbols;
    for (let a = 0; a < nSymbols; a++) {
      const t = table[base + a];
      if (!seen[t]) {
        seen[t] = 1;
        order[tail++] = t;
      }
    }
  }
  return order.subarray(0, tail);
}

/** The reachable states as a membership mask. */
export function reachableMask(dfa: Dfa): Uint8Array {
  const mask = new Uint8Array(dfa.nStates);
  for (const s of bfsOrder(dfa)) mask[s] = 1;
  return mask;
}

/** True when every state is reachable from the initial state. */
export function isAccessible(dfa: Dfa): boolean {
  return bfsOrder(dfa).length === dfa.nStates;
}

/** The same automaton restricted to its reachable states, renumbered in BFS order (initial = 0). */
export function trim(dfa: Dfa): Dfa {
  const order = bfsOrder(dfa);
  const { nSymbols, table } = dfa;
  const renumber = new Int32Array(dfa.nStates).fill(-1);
  for (let i = 0; i < order.length; i++) renumber[order[i]] = i;
  const newTable = new Int32Array(order.length * nSymbols);
  const labels = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const s = order[i];
    labels[i] = dfa.labels[s];
    for (let a = 0; a < nSymbols; a++) newTable[i * nSymbols + a] = renumber[table[s * nSymbols + a]];
  }
  return new Dfa({ alphabet: dfa.alphabet, classes: dfa.classes, table: newTable, labels, initial: 0 });
}

/** Sinks: states that loop to themselves on every symbol (a minimal DFA's dead state is one). */
export function sinkStates(dfa: Dfa): StateId[] {
  const { nStates, nSymbols, table } = dfa;
  const out: StateId[] = [];
  for (let s = 0; s < nStates; s++) {
    let loops = true;
    for (let a = 0; a < nSymbols && loops; a++) loops = table[s * nSymbols + a] === s;
    if (loops) out.push(s as StateId);
  }
  return out;
}
