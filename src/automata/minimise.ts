// Minimisation: Hopcroft's partition refinement on a refinable partition (the data structure of
// Valmari and Lehtinen, "Fast brief practical DFA minimization", IPL 2012), O(n·k·log n) for n states
// and k symbols. Everything lives in Int32Arrays indexed by state or block, because a million-state DFA
// has millions of transitions and the run time is dominated by cache misses, not by arithmetic: the
// partition interleaves each element's position with its block, and each block's bounds with its mark
// count, so one mark touches few cache lines. (Valmari's two-partition variant, which also refines the
// transitions into "cords", was measured here at 1.7–3 times slower: it marks every transition of
// every processed block once more.)
//
// The initial partition is the state labels, so Moore machines (multi-class DFAs) minimise as well as
// accept/reject ones. Unlike the paper we never drop states that cannot reach an accepting state: our
// DFAs are complete, and the dead state is a state of the minimal complete DFA.
import { bfsOrder } from './reach.js';
import { Dfa, type ReadonlyInt32Array } from './dfa.js';

/**
 * A partition of 0..n-1 whose sets split by marking elements. Set s holds elems[first(s) .. past(s));
 * marking moves an element to the front of its set, and split() cuts each touched set in two, giving
 * the smaller part a new id.
 */
class RefinablePartition {
  nSets = 0;
  readonly elems: Int32Array;
  /**
   * where[2e] = position of e in elems; where[2e + 1] = the set of e, or its complement ~set when that
   * set is a singleton, so that marking an element that cannot split anything costs one read.
   */
  readonly where: Int32Array;
  /** bounds[4s] = first position, bounds[4s + 1] = past position, bounds[4s + 2] = marked count. */
  readonly bounds: Int32Array;
  private readonly touched: Int32Array;
  private nTouched = 0;

  constructor(n: number) {
    this.elems = new Int32Array(n);
    this.where = new Int32Array(2 * n);
    // A partition of n elements never has more than n sets.
    this.bounds = new Int32Array(4 * n);
    this.touched = new Int32Array(n);
  }

  first(s: number): number {
    return this.bounds[4 * s];
  }

  past(s: number): number {
    return this.bounds[4 * s + 1];
  }

  setOf(e: number): number {
    const tag = this.where[2 * e + 1];
    return tag < 0 ? ~tag : tag;
  }

  /** Opens set nSets as positions [first, past) of elems, which must already hold its elements. */
  open(first: number, past: number): void {
    const z = this.nSets++;
    this.bounds[4 * z] = first;
    this.bounds[4 * z + 1] = past;
    const tag = past - first === 1 ? ~z : z;
    for (let i = first; i < past; i++) {
      const e = this.elems[i];
      this.where[2 * e] = i;
      this.where[2 * e + 1] = tag;
    }
  }

  mark(e: number): void {
    const { where, bounds, elems } = this;
    const tag = where[2 * e + 1];
    // A singleton cannot split; most blocks end up singletons, so this exit is the common case.
    if (tag < 0) return;
    const s4 = 4 * tag;
    const marked = bounds[s4 + 2];
    const i = where[2 * e];
    const j = bounds[s4] + marked;
    const other = elems[j];
    elems[i] = other;
    where[2 * other] = i;
    elems[j] = e;
    where[2 * e] = j;
    bounds[s4 + 2] = marked + 1;
    if (marked === 0) this.touched[this.nTouched++] = tag;
  }

  split(): void {
    const { where, bounds, elems, touched } = this;
    while (this.nTouched > 0) {
      const s = touched[--this.nTouched];
      const s4 = 4 * s;
      const marked = bounds[s4 + 2];
      bounds[s4 + 2] = 0;
      const first = bounds[s4];
      const past = bounds[s4 + 1];
      const j = first + marked;
      if (j === past) continue;
      // The smaller part becomes the new set; the larger keeps id s.
      const newFirst = marked <= past - j ? first : j;
      const newPast = marked <= past - j ? j : past;
      if (newFirst === first) bounds[s4] = j;
      else bounds[s4 + 1] = j;
      if (bounds[s4 + 1] - bounds[s4] === 1) where[2 * elems[bounds[s4]] + 1] = ~s;
      this.open(newFirst, newPast);
    }
  }
}

/**
 * The coarsest partition of the states 0..n-1 of a complete transition table that respects labels and
 * transitions: two states share a block iff no word separates them.
 */
function refine(table: ReadonlyInt32Array, labels: ReadonlyInt32Array, n: number, k: number): RefinablePartition {
  const blocks = initialBlocks(labels, n);
  // Incoming transitions grouped by target: the transitions t = p·k + x with δ(p, x) = q are
  // pre[preStart[q] .. preStart[q + 1]).
  const m = n * k;
  const preStart = new Int32Array(n + 1);
  for (let t = 0; t < m; t++) preStart[table[t] + 1]++;
  for (let q = 0; q < n; q++) preStart[q + 1] += preStart[q];
  const pre = new Int32Array(m);
  for (let t = 0; t < m; t++) pre[preStart[table[t]]++] = t;
  for (let q = n; q > 0; q--) preStart[q] = preStart[q - 1];
  preStart[0] = 0;

  // The splitter queue is implicit: every block id from 1 up serves once, for every symbol, in id
  // order. A block that splits keeps its id (so its place in the queue) and the smaller half gets the
  // next free id: Hopcroft's rule "queue the smaller half, or both halves if the block is queued".
  // Block 0 never serves: a partition stable under every other initial block is stable under it too.
  // A block's predecessors are gathered once for all symbols, bucketed by symbol, before any marking
  // (marking reorders the splitter's own range). Splitting by the block as it was when gathered is
  // sound, as the parts split off meanwhile are queued themselves; and one pass over the predecessors
  // of a state serves all k symbols, where a pass per symbol would miss the cache k times.
  const found = new Int32Array(m);
  const symbolEnd = new Int32Array(k + 1);
  for (let b = 1; b < blocks.nSets; b++) {
    const first = blocks.first(b);
    const past = blocks.past(b);
    symbolEnd.fill(0);
    for (let i = first; i < past; i++) {
      const q = blocks.elems[i];
      for (let j = preStart[q], end = preStart[q + 1]; j < end; j++) symbolEnd[(pre[j] % k) + 1]++;
    }
    for (let x = 0; x < k; x++) symbolEnd[x + 1] += symbolEnd[x];
    for (let i = first; i < past; i++) {
      const q = blocks.elems[i];
      for (let j = preStart[q], end = preStart[q + 1]; j < end; j++) {
        const t = pre[j];
        found[symbolEnd[t % k]++] = (t / k) | 0;
      }
    }
    // symbolEnd[x] now ends the run of symbol x, which starts where the run of x - 1 ends.
    for (let x = 0, from = 0; x < k; x++) {
      const to = symbolEnd[x];
      for (let i = from; i < to; i++) blocks.mark(found[i]);
      blocks.split();
      from = to;
    }
  }
  return blocks;
}

/** One block per label in use; the largest is block 0, the one that never serves as a splitter. */
function initialBlocks(labels: ReadonlyInt32Array, n: number): RefinablePartition {
  let nLabels = 0;
  for (let s = 0; s < n; s++) if (labels[s] >= nLabels) nLabels = labels[s] + 1;
  const count = new Int32Array(nLabels);
  for (let s = 0; s < n; s++) count[labels[s]]++;
  let largest = 0;
  for (let l = 1; l < nLabels; l++) if (count[l] > count[largest]) largest = l;
  const order = [largest, ...Array.from({ length: nLabels }, (_, l) => l).filter((l) => l !== largest && count[l] > 0)];
  // Counting sort of the states by label, labels in block order.
  const start = new Int32Array(nLabels);
  let next = 0;
  for (const l of order) {
    start[l] = next;
    next += count[l];
  }
  const blocks = new RefinablePartition(n);
  const cursor = start.slice();
  for (let s = 0; s < n; s++) blocks.elems[cursor[labels[s]]++] = s;
  for (const l of order) blocks.open(start[l], start[l] + count[l]);
  return blocks;
}

/**
 * The reachable part of a DFA as raw arrays, states renumbered in BFS order (as reach.ts's bfsOrder
 * numbers them); one fused search, since on large DFAs every pass over the table is a pass of cache misses.
 */
function reachablePart(dfa: Dfa): { table: Int32Array; labels: Int32Array; n: number } {
  const k = dfa.nSymbols;
  const source = dfa.table;
  const order = new Int32Array(dfa.nStates);
  const renumber = new Int32Array(dfa.nStates).fill(-1);
  const table = new Int32Array(dfa.nStates * k);
  let n = 0;
  order[n] = dfa.start;
  renumber[dfa.start] = n++;
  for (let i = 0; i < n; i++) {
    const from = order[i] * k;
    for (let x = 0; x < k; x++) {
      const t = source[from + x];
      if (renumber[t] < 0) {
        order[n] = t;
        renumber[t] = n++;
      }
      table[i * k + x] = renumber[t];
    }
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = dfa.labels[order[i]];
  return { table: n === dfa.nStates ? table : table.slice(0, n * k), labels, n };
}

/** The minimal complete DFA with the same labelled language; states in BFS order (initial = 0). */
export function minimise(dfa: Dfa): Dfa {
  const k = dfa.nSymbols;
  const { table, labels, n } = reachablePart(dfa);
  const blocks = refine(table, labels, n, k);
  const nb = blocks.nSets;
  const { alphabet, classes } = dfa;
  // No two states merged: the reachable part, already in BFS order, is the answer.
  if (nb === n) return new Dfa({ alphabet, classes, table, labels, initial: 0 });

  // BFS with symbols in order visits states in the shortlex order of their least access words, and the
  // least access word of a block is the least over its members. So numbering blocks by first appearance
  // while scanning the BFS-ordered states yields the quotient's own BFS numbering, without a second
  // search; the first member seen is the block's representative.
  const renumber = new Int32Array(nb).fill(-1);
  const outTable = new Int32Array(nb * k);
  const outLabels = new Int32Array(nb);
  let next = 0;
  for (let s = 0; s < n; s++) {
    const z = blocks.setOf(s);
    if (renumber[z] >= 0) continue;
    const id = next++;
    renumber[z] = id;
    outLabels[id] = labels[s];
    for (let x = 0; x < k; x++) outTable[id * k + x] = blocks.setOf(table[s * k + x]);
  }
  for (let i = 0; i < outTable.length; i++) outTable[i] = renumber[outTable[i]];
  return new Dfa({ alphabet, classes, table: outTable, labels: outLabels, initial: 0 });
}

/** True when every state is reachable and no two states are equivalent (the DFA is minimal). */
export function isMinimal(dfa: Dfa): boolean {
  if (bfsOrder(dfa).length !== dfa.nStates) return false;
  return refine(dfa.table, dfa.labels, dfa.nStates, dfa.nSymbols).nSets === dfa.nStates;
}
