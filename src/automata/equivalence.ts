// Language equivalence with a witness. A breadth-first search over the reachable pairs of the product
// finds the first pair whose labels differ; BFS makes the word leading to it a shortest separating word,
// which is what counterexample-guided learners (L*) and bug reports want. The search stops at the first
// difference, so a wrong automaton is usually refuted long before the product is explored.
import { AlphabetMismatchError, InputError } from '../errors.js';
import { requireSameAlphabet } from './alphabet.js';
import type { Dfa } from './dfa.js';
import { PairIndex } from './product.js';

/** A shortest word on which a and b give different labels, or null when they are equivalent. */
export function separatingWord(a: Dfa, b: Dfa): number[] | null {
  requireComparable(a, b, 'separatingWord');
  return shortestSeparation(a, a.start, b, b.start);
}

/** True when a and b give every word the same label (same alphabet and classes required). */
export function equivalent(a: Dfa, b: Dfa): boolean {
  return separatingWord(a, b) === null;
}

/** A shortest word whose runs from states p and q of one DFA end in differently labelled states, or null. */
export function separatingWordFrom(dfa: Dfa, p: number, q: number): number[] | null {
  for (const s of [p, q])
    if (!Number.isInteger(s) || s < 0 || s >= dfa.nStates)
      throw new InputError(`separatingWordFrom: ${s} is not a state in [0, ${dfa.nStates})`);
  return shortestSeparation(dfa, p, dfa, q);
}

function requireComparable(a: Dfa, b: Dfa, what: string): void {
  requireSameAlphabet(a.alphabet, b.alphabet, what);
  const same = a.classes.length === b.classes.length && a.classes.every((c, i) => c === b.classes[i]);
  // The class list is the output alphabet of a Moore machine: label 1 means nothing unless both agree.
  if (!same)
    throw new AlphabetMismatchError(`${what}: class lists differ: [${a.classes.join(', ')}] vs [${b.classes.join(', ')}]`);
}

function shortestSeparation(a: Dfa, p0: number, b: Dfa, q0: number): number[] | null {
  const la = a.labels;
  const lb = b.labels;
  if (la[p0] !== lb[q0]) return [];
  const k = a.nSymbols;
  const ta = a.table;
  const tb = b.table;
  const pairs = new PairIndex(Math.max(a.nStates, b.nStates));
  pairs.intern(p0, q0);
  // How each pair was first reached: from pair parent[i] by symbol via[i].
  let parent: Int32Array = new Int32Array(Math.max(a.nStates, b.nStates, 16));
  let via: Int32Array = new Int32Array(parent.length);
  for (let id = 0; id < pairs.size; id++) {
    const pBase = pairs.first[id] * k;
    const qBase = pairs.second[id] * k;
    for (let x = 0; x < k; x++) {
      const p = ta[pBase + x];
      const q = tb[qBase + x];
      const before = pairs.size;
      const next = pairs.intern(p, q);
      if (next !== before) continue;
      if (next >= parent.length) {
        parent = grow(parent);
        via = grow(via);
      }
      parent[next] = id;
      via[next] = x;
      // Checked on discovery: every pair of the previous BFS layer was checked already.
      if (la[p] !== lb[q]) return pathTo(next, parent, via);
    }
  }
  return null;
}

function pathTo(id: number, parent: Int32Array, via: Int32Array): number[] {
  const word: number[] = [];
  for (let i = id; i !== 0; i = parent[i]) word.push(via[i]);
  return word.reverse();
}

function grow(array: Int32Array): Int32Array {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}
