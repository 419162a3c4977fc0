// Minimisation by partition refinement after Valmari and Lehtinen ("Fast brief practical DFA
// minimization", IPL 2012): two refinable partitions, one of states into blocks and one of transitions
// into cords (transitions with the same label whose heads lie in the same block). Processing each new
// cord splits blocks by "has a transition of this cord", processing each new block splits cords by "head
// in this block"; only the smaller half of a split set is queued (Hopcroft's trick), so the whole run is
// O(m log n) for m = n·k transitions. Everything lives in Int32Arrays indexed by state or transition id,
// because a million-state DFA has tens of millions of transitions.
//
// The initial block partition is the state labels, so Moore machines (multi-class DFAs) minimise as
// well as accept/reject ones. Unlike the paper we never drop states that cannot reach an accepting
// state: our DFAs are complete, and the dead state is a state of the minimal complete DFA.
import { bfsOrder } from './reach.js';
import { Dfa, type ReadonlyInt32Array } from './dfa.js';

/**
 * A partition of 0..n-1 whose sets can be split by marking elements. The elements of set s occupy
 * elems[first[s] .. past[s]); marked elements are moved to the front of their set.
 */
class RefinablePartition {
  nSets = 0;
  readonly elems: Int32Array;
  readonly loc: Int32Array;
  readonly setOf: Int32Array;
  readonly first: Int32Array;
  readonly past: Int32Array;
  private readonly marked: Int32Array;
  private readonly touched: Int32Array;
  private nTouched = 0;

  constructor(n: number) {
    this.elems = new Int32Array(n);
    this.loc = new Int32Array(n);
    this.setOf = new Int32Array(n);
    // A partition of n elements never has more than n sets.
    this.first = new Int32Array(n);
    this.past = new Int32Array(n);
    this.marked = new Int32Array(n);
    this.touched = new Int32Array(n);
  }

  mark(e: number): void {
    const s = this.setOf[e];
    const i = this.loc[e];
    const j = this.first[s] + this.marked[s];
    const other = this.elems[j];
    this.elems[i] = other;
    this.loc[other] = i;
    this.elems[j] = e;
    this.loc[e] = j;
    if (this.marked[s]++ === 0) this.touched[this.nTouched++] = s;
  }

  /** Splits every touched set into its marked and unmarked parts; the smaller part gets a new id. */
  split(): void {
    const { first, past, marked, setOf, elems } = this;
    while (this.nTouched > 0) {
      const s = this.touched[--this.nTouched];
      const j = first[s] + marked[s];
      if (j === past[s]) {
        marked[s] = 0;
        continue;
      }
      const z = this.nSets++;
      if (marked[s] <= past[s] - j) {
        first[z] = first[s];
        past[z] = j;
        first[s] = j;
      } else {
        past[z] = past[s];
        first[z] = j;
        past[s] = j;
      }
      for (let i = first[z]; i < past[z]; i++) setOf[elems[i]] = z;
      marked[s] = 0;
      marked[z] = 0;
    }
  }
}

/**
 * Coarsest partition of the states 0..n-1 of a complete transition table that respects the labels
 * and the transitions: states end in the same block iff no word separates them.
 */
function refine(table: ReadonlyInt32Array, labels: ReadonlyInt32Array, n: number, k: number): RefinablePartition {
  const blocks = initialBlocks(labels, n);
  const m = n * k;
  // Cord x starts as all transitions on symbol x; transition t = s·k + x (tail s, symbol x).
  const cords = new RefinablePartition(m);
  for (let x = 0; x < k; x++) {
    const base = x * n;
    cords.first[x] = base;
    cords.past[x] = base + n;
    for (let s = 0; s < n; s++) {
      const t = s * k + x;
      cords.elems[base + s] = t;
      cords.loc[t] = base + s;
      cords.setOf[t] = x;
    }
  }
  cords.nSets = k;

  // Transitions grouped by head (counting sort), to find the transitions into a block.
  const inStart = new Int32Array(n + 1);
  for (let t = 0; t < m; t++) inStart[table[t] + 1]++;
  for (let s = 0; s < n; s++) inStart[s + 1] += inStart[s];
  const inTrans = new Int32Array(m);
  const fill = inStart.slice(0, n);
  for (let t = 0; t < m; t++) inTrans[fill[table[t]]++] = t;

  // Block 0 is never used as a splitter: the initial cords already split by "any transition on x",
  // and a partition stable under that and under every other block is stable under block 0.
  let b = 1;
  let c = 0;
  while (c < cords.nSets) {
    for (let i = cords.first[c], end = cords.past[c]; i < end; i++) blocks.mark((cords.elems[i] / k) | 0);
    blocks.split();
    c++;
    while (b < blocks.nSets) {
      for (let i = blocks.first[b], end = blocks.past[b]; i < end; i++) {
        const q = blocks.elems[i];
        for (let j = inStart[q], jEnd = inStart[q + 1]; j < jEnd; j++) cords.mark(inTrans[j]);
      }
      cords.split();
      b++;
    }
  }
  return blocks;
}

/** One block per label in use; the largest is block 0, the one block never used as a splitter. */
function initialBlocks(labels: ReadonlyInt32Array, n: number): RefinablePartition {
  let nLabels = 0;
  for (let s = 0; s < n; s++) if (labels[s] >= nLabels) nLabels = labels[s] + 1;
  const count = new Int32Array(nLabels);
  for (let s = 0; s < n; s++) count[labels[s]]++;
  let largest = 0;
  for (let l = 1; l < nLabels; l++) if (count[l] > count[largest]) largest = l;
  const blockOfLabel = new Int32Array(nLabels).fill(-1);
  const blocks = new RefinablePartition(n);
  let next = 0;
  const open = (l: number): void => {
    const z = blocks.nSets++;
    blockOfLabel[l] = z;
    blocks.first[z] = next;
    next += count[l];
    blocks.past[z] = next;
  };
  open(largest);
  for (let l = 0; l < nLabels; l++) if (l !== largest && count[l] > 0) open(l);
  const cursor = blocks.first.slice(0, blocks.nSets);
  for (let s = 0; s < n; s++) {
    const z = blockOfLabel[labels[s]];
    const i = cursor[z]++;
    blocks.elems[i] = s;
    blocks.loc[s] = i;
    blocks.setOf[s] = z;
  }
  return blocks;
}

/** The reachable part of a DFA as raw arrays, states renumbered in BFS order. */
function reachablePart(dfa: Dfa): { table: Int32Array; labels: Int32Array; n: number } {
  const order = bfsOrder(dfa);
  const n = order.length;
  const k = dfa.nSymbols;
  const renumber = new Int32Array(dfa.nStates);
  for (let i = 0; i < n; i++) renumber[order[i]] = i;
  const table = new Int32Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = order[i];
    labels[i] = dfa.labels[s];
    const from = s * k;
    const to = i * k;
    for (let x = 0; x < k; x++) table[to + x] = renumber[dfa.table[from + x]];
  }
  return { table, labels, n };
}

/** The minimal complete DFA with the same labelled language; states in BFS order (initial = 0). */
export function minimise(dfa: Dfa): Dfa {
  const k = dfa.nSymbols;
  const { table, labels, n } = reachablePart(dfa);
  const blocks = refine(table, labels, n, k);
  const nb = blocks.nSets;
  // Quotient, read off one representative per block; the reachable part starts in state 0.
  const blockOf = blocks.setOf;
  const quotient = new Int32Array(nb * k);
  const quotientLabels = new Int32Array(nb);
  for (let z = 0; z < nb; z++) {
    const rep = blocks.elems[blocks.first[z]];
    quotientLabels[z] = labels[rep];
    for (let x = 0; x < k; x++) quotient[z * k + x] = blockOf[table[rep * k + x]];
  }
  // Renumber the quotient in BFS order so equal languages give identical tables.
  const order = new Int32Array(nb);
  const renumber = new Int32Array(nb).fill(-1);
  let tail = 0;
  order[tail++] = blockOf[0];
  renumber[blockOf[0]] = 0;
  for (let head = 0; head < tail; head++) {
    const base = order[head] * k;
    for (let x = 0; x < k; x++) {
      const t = quotient[base + x];
      if (renumber[t] < 0) {
        renumber[t] = tail;
        order[tail++] = t;
      }
    }
  }
  const outTable = new Int32Array(nb * k);
  const outLabels = new Int32Array(nb);
  for (let i = 0; i < nb; i++) {
    const z = order[i];
    outLabels[i] = quotientLabels[z];
    for (let x = 0; x < k; x++) outTable[i * k + x] = renumber[quotient[z * k + x]];
  }
  return new Dfa({ alphabet: dfa.alphabet, classes: dfa.classes, table: outTable, labels: outLabels, initial: 0 });
}

/** True when every state is reachable and no two states are equivalent (the DFA is minimal). */
export function isMinimal(dfa: Dfa): boolean {
  if (bfsOrder(dfa).length !== dfa.nStates) return false;
  return refine(dfa.table, dfa.labels, dfa.nStates, dfa.nSymbols).nSets === dfa.nStates;
}
