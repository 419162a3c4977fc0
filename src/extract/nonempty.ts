// A network never sees the empty word, so a checkpoint's automaton carries one arbitrary label: the
// class of its initial state. The automaton "on non-empty words" lets that label be anything: the
// initial state is copied (the original stays for non-empty words that return to it), the copy gets each
// class in turn, and the smallest minimal result is the answer.
import { Dfa } from '../automata/dfa.js';
import { minimise } from '../automata/minimise.js';

/** The smallest minimal DFA that agrees with `dfa` on every non-empty word (the empty word's class free). */
export function minimalOnNonEmptyWords(dfa: Dfa): Dfa {
  const n = dfa.nStates;
  const k = dfa.nSymbols;
  const table = new Int32Array((n + 1) * k);
  table.set(dfa.table);
  table.set(dfa.table.subarray(dfa.start * k, (dfa.start + 1) * k), n * k);
  let best: Dfa | undefined;
  for (let c = 0; c < dfa.classes.length; c++) {
    const labels = new Int32Array(n + 1);
    labels.set(dfa.labels);
    labels[n] = c;
    const candidate = minimise(new Dfa({ alphabet: dfa.alphabet, classes: dfa.classes, table, labels, initial: n }));
    if (best === undefined || candidate.nStates < best.nStates) best = candidate;
  }
  return best as Dfa;
}
