// Products of two DFAs over their reachable state pairs, and the Boolean operations built on them.
// Pairs are discovered breadth-first from (a.start, b.start) with symbols in alphabet order, so the pair
// ids are already the canonical BFS numbering (reach.ts) and the result needs no trimming pass.
// Pair ids live in an open-addressing hash on typed arrays: a JS Map keyed by p * nB + q would box
// every key above 2^31 and costs several times more per lookup on million-pair products.
import { AutomatonError, TooManyStatesError } from '../errors.js';
import { BINARY_CLASSES } from '../machine.js';
import { requireSameAlphabet } from './alphabet.js';
import { Dfa } from './dfa.js';
import { trim } from './reach.js';

/** Interns state pairs (p, q) as dense ids 0, 1, 2, … in first-seen order. */
export class PairIndex {
  /** p of pair id i (valid for i < size; the array may be replaced when it grows). */
  first: Int32Array;
  /** q of pair id i. */
  second: Int32Array;
  /** Number of pairs interned so far. */
  size = 0;
  // Open addressing with linear probing; slot h holds p, q, id at slots[4h .. 4h + 2] (id -1: empty),
  // so a probe reads one cache line.
  private slots: Int32Array;
  private mask: number;

  /** An empty index sized for about `expected` pairs (it grows as needed). */
  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = emptySlots(capacity);
    this.mask = capacity - 1;
    this.first = new Int32Array(Math.max(16, expected));
    this.second = new Int32Array(Math.max(16, expected));
  }

  /** The id of (p, q), interning it as id `size` if it is new (compare size before and after). */
  intern(p: number, q: number): number {
    const { slots, mask } = this;
    let h = hashPair(p, q) & mask;
    for (;;) {
      const at = 4 * h;
      const id = slots[at + 2];
      if (id < 0) break;
      if (slots[at] === p && slots[at + 1] === q) return id;
      h = (h + 1) & mask;
    }
    const id = this.size++;
    if (id >= this.first.length) this.growPairs();
    this.first[id] = p;
    this.second[id] = q;
    slots[4 * h] = p;
    slots[4 * h + 1] = q;
    slots[4 * h + 2] = id;
    // Load factor at most 1/2 keeps linear probing short.
    if (this.size * 2 > mask + 1) this.rehash();
    return id;
  }

  private growPairs(): void {
    const capacity = this.first.length * 2;
    const first = new Int32Array(capacity);
    const second = new Int32Array(capacity);
    first.set(this.first);
    second.set(this.second);
    this.first = first;
    this.second = second;
  }

  private rehash(): void {
    const capacity = (this.mask + 1) * 2;
    const slots = emptySlots(capacity);
    const mask = capacity - 1;
    const { first, second } = this;
    for (let id = 0; id < this.size; id++) {
      const p = first[id];
      const q = second[id];
      let h = hashPair(p, q) & mask;
      while (slots[4 * h + 2] >= 0) h = (h + 1) & mask;
      slots[4 * h] = p;
      slots[4 * h + 1] = q;
      slots[4 * h + 2] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function emptySlots(capacity: number): Int32Array {
  const slots = new Int32Array(4 * capacity);
  for (let h = 0; h < capacity; h++) slots[4 * h + 2] = -1;
  return slots;
}

function hashPair(p: number, q: number): number {
  // murmur3-style finaliser over a 32-bit mix of both coordinates; BFS-numbered states are small
  // consecutive integers, so the raw key would cluster badly under a power-of-two mask.
  let h = Math.imul(p, 0x9e3779b1) ^ Math.imul(q + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h;
}

/** Options of `product`. */
export interface ProductOptions {
  /** Class names of the result; defaults to a's classes. */
  classes?: readonly string[];
  /** Cap on reachable pairs (default 10^7); passing it throws TooManyStatesError('product', cap). */
  maxStates?: number;
}

/** Default cap on the reachable pairs of a product. */
export const DEFAULT_PRODUCT_CAP = 10_000_000;

/** The product over reachable pairs, labelled combine(label in a, label in b); BFS numbered. */
export function product(
  a: Dfa,
  b: Dfa,
  combine: (labelA: number, labelB: number) => number,
  options: ProductOptions = {},
): Dfa {
  requireSameAlphabet(a.alphabet, b.alphabet, 'product');
  const classes = options.classes ?? a.classes;
  const cap = options.maxStates ?? DEFAULT_PRODUCT_CAP;
  if (!Number.isInteger(cap) || cap < 1) throw new AutomatonError(`product: maxStates must be a positive integer, got ${cap}`);
  const k = a.nSymbols;
  const ta = a.table;
  const tb = b.table;
  // combine is called once per pair of labels, not once per state pair.
  const nb = b.classes.length;
  const combined = new Int32Array(a.classes.length * nb).fill(-1);

  const pairs = new PairIndex(Math.min(cap, a.nStates + b.nStates));
  pairs.intern(a.start, b.start);
  let table: Int32Array = new Int32Array(Math.min(cap, 1024) * k);
  let labels: Int32Array = new Int32Array(Math.min(cap, 1024));
  for (let id = 0; id < pairs.size; id++) {
    const p = pairs.first[id];
    const q = pairs.second[id];
    if (id >= labels.length) {
      labels = grow(labels, labels.length * 2);
      table = grow(table, labels.length * k);
    }
    const key = a.labels[p] * nb + b.labels[q];
    let label = combined[key];
    if (label < 0) {
      label = combine(a.labels[p], b.labels[q]);
      if (!Number.isInteger(label) || label < 0 || label >= classes.length)
        throw new AutomatonError(
          `product: combine(${a.labels[p]}, ${b.labels[q]}) = ${label}, not a class index in [0, ${classes.length})`,
        );
      combined[key] = label;
    }
    labels[id] = label;
    const pBase = p * k;
    const qBase = q * k;
    const base = id * k;
    for (let x = 0; x < k; x++) {
      table[base + x] = pairs.intern(ta[pBase + x], tb[qBase + x]);
      if (pairs.size > cap) throw new TooManyStatesError('product', cap);
    }
  }
  const n = pairs.size;
  return new Dfa({ alphabet: a.alphabet, classes, table: table.subarray(0, n * k), labels: labels.subarray(0, n) });
}

function grow(array: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(array);
  return out;
}

function requireBinary(dfa: Dfa, operation: string, which: string): void {
  if (!dfa.isBinary)
    throw new AutomatonError(
      `${operation}: ${which} has classes [${dfa.classes.join(', ')}], but set operations need a binary (reject/accept) DFA`,
    );
}

function binaryProduct(
  a: Dfa,
  b: Dfa,
  operation: string,
  accept: (inA: boolean, inB: boolean) => boolean,
  options: { maxStates?: number },
): Dfa {
  requireBinary(a, operation, 'the first DFA');
  requireBinary(b, operation, 'the second DFA');
  return product(a, b, (la, lb) => (accept(la === 1, lb === 1) ? 1 : 0), {
    classes: BINARY_CLASSES,
    maxStates: options.maxStates,
  });
}

/** L(a) ∩ L(b), for binary DFAs over the same alphabet. */
export function intersection(a: Dfa, b: Dfa, options: { maxStates?: number } = {}): Dfa {
  return binaryProduct(a, b, 'intersection', (x, y) => x && y, options);
}

/** L(a) ∪ L(b), for binary DFAs over the same alphabet. */
export function union(a: Dfa, b: Dfa, options: { maxStates?: number } = {}): Dfa {
  return binaryProduct(a, b, 'union', (x, y) => x || y, options);
}

/** L(a) \ L(b), for binary DFAs over the same alphabet. */
export function difference(a: Dfa, b: Dfa, options: { maxStates?: number } = {}): Dfa {
  return binaryProduct(a, b, 'difference', (x, y) => x && !y, options);
}

/** L(a) △ L(b), for binary DFAs over the same alphabet. */
export function symmetricDifference(a: Dfa, b: Dfa, options: { maxStates?: number } = {}): Dfa {
  return binaryProduct(a, b, 'symmetric difference', (x, y) => x !== y, options);
}

/** Σ* \ L(a) for a binary DFA: accepting and rejecting swap; trimmed (BFS numbered). */
export function complement(a: Dfa): Dfa {
  requireBinary(a, 'complement', 'the DFA');
  const labels = new Int32Array(a.nStates);
  for (let s = 0; s < a.nStates; s++) labels[s] = 1 - a.labels[s];
  return trim(new Dfa({ alphabet: a.alphabet, classes: BINARY_CLASSES, table: a.table, labels, initial: a.start }));
}
