// L#'s observation tree (Vaandrager, Garhewal, Rot, Wißmann, TACAS 2022): every word the learner has
// run, as a prefix tree whose nodes carry the class (Moore output) observed after that prefix. Two nodes
// are apart when some suffix leads both to known, different classes; apartness is the only way L# tells
// states apart, and a witness of it is the suffix. Stored as flat Int32Arrays (node * nSymbols + symbol)
// like the DFA tables, so a tree of millions of nodes stays cheap; node 0 is the empty word.
import type { Word } from '../machine.js';
import { type MembershipOracle, traceOf } from './oracle.js';

/** Class of a node whose output has not been observed (a node made only as a path to deeper ones). */
export const UNOBSERVED = -1;

/** A prefix tree of observed runs with their classes, and the apartness relation on its nodes. */
export class ObservationTree {
  readonly k: number;
  private children: Int32Array;
  private outputs: Int32Array;
  private parents: Int32Array;
  private symbols: Int32Array;
  private count = 1;
  /** Output queries run (each one traced run of the system). */
  queries = 0;
  // Scratch stacks of the apartness search, reused between calls.
  private stackA = new Int32Array(256);
  private stackB = new Int32Array(256);
  private stackDepth = new Int32Array(256);

  constructor(private readonly oracle: MembershipOracle) {
    this.k = oracle.alphabet.length;
    this.children = new Int32Array(1024 * this.k);
    this.outputs = new Int32Array(1024).fill(UNOBSERVED);
    this.parents = new Int32Array(1024).fill(-1);
    this.symbols = new Int32Array(1024).fill(-1);
  }

  /** Number of nodes (the empty word included). */
  get size(): number {
    return this.count;
  }

  /** The child table (node * k + symbol, 0 for none) as it is now, for hot loops; it is replaced as the tree grows. */
  get childTable(): Int32Array {
    return this.children;
  }

  /** The classes by node (UNOBSERVED where none) as they are now, for hot loops; replaced as the tree grows. */
  get outputTable(): Int32Array {
    return this.outputs;
  }

  /** The class observed at `node`, or UNOBSERVED. */
  output(node: number): number {
    return this.outputs[node];
  }

  /** The child of `node` on `symbol`, or 0 when there is none (0 is the root, never a child). */
  child(node: number, symbol: number): number {
    return this.children[node * this.k + symbol];
  }

  /** The child of `node` on `symbol`, made (unobserved) when missing. */
  childOrNew(node: number, symbol: number): number {
    const slot = node * this.k + symbol;
    let next = this.children[slot];
    if (next === 0) {
      next = this.newNode(node, symbol);
      this.children[slot] = next;
    }
    return next;
  }

  /** The node of `suffix` read from `node`, or 0 when the tree does not reach it. */
  walk(node: number, suffix: Word): number {
    let n = node;
    for (let i = 0; i < suffix.length; i++) {
      n = this.children[n * this.k + suffix[i]];
      if (n === 0) return 0;
    }
    return n;
  }

  /** The word that leads to `node`. */
  wordOf(node: number): number[] {
    const word: number[] = [];
    for (let n = node; n !== 0; n = this.parents[n]) word.push(this.symbols[n]);
    return word.reverse();
  }

  /** True when the tree holds `word` with every prefix's class observed. */
  observed(word: Word): boolean {
    return this.knownTrace(0, word).length === word.length + 1;
  }

  /** Runs `word` on the system (one traced run) unless it is observed already; returns its node. */
  query(word: Word): number {
    if (this.observed(word)) return this.walk(0, word);
    const trace = traceOf(this.oracle, word);
    this.queries++;
    let n = 0;
    this.outputs[0] = trace[0];
    for (let i = 0; i < word.length; i++) {
      n = this.childOrNew(n, word[i]);
      this.outputs[n] = trace[i + 1];
    }
    return n;
  }

  /** Runs access(node) · suffix and returns the node of the whole word. */
  queryFrom(node: number, suffix: Word): number {
    return this.query(this.wordOf(node).concat(suffix));
  }

  /**
   * The classes observed along `suffix` from `node` (index i: after i symbols), as far as they are known
   * without a gap; the result is shorter than |suffix| + 1 when the tree stops or a class is unobserved.
   */
  knownTrace(node: number, suffix: Word): number[] {
    const out: number[] = [];
    let n = node;
    for (let i = 0; ; i++) {
      const o = this.outputs[n];
      if (o === UNOBSERVED) return out;
      out.push(o);
      if (i === suffix.length) return out;
      n = this.children[n * this.k + suffix[i]];
      if (n === 0) return out;
    }
  }

  /** A suffix on which `a` and `b` reach known, different classes (shortest-first is not promised), or null. */
  witness(a: number, b: number): number[] | null {
    let top = 0;
    this.push(top++, a, b, 0);
    while (top > 0) {
      top--;
      const x = this.stackA[top];
      const y = this.stackB[top];
      const d = this.stackDepth[top];
      const ox = this.outputs[x];
      const oy = this.outputs[y];
      if (ox !== UNOBSERVED && oy !== UNOBSERVED && ox !== oy) return this.witnessPath(x, d);
      for (let s = 0; s < this.k; s++) {
        const cx = this.children[x * this.k + s];
        if (cx === 0) continue;
        const cy = this.children[y * this.k + s];
        if (cy === 0) continue;
        this.push(top++, cx, cy, d + 1);
      }
    }
    return null;
  }

  /** True when `a` and `b` are apart. */
  apart(a: number, b: number): boolean {
    return this.witness(a, b) !== null;
  }

  /** The last `depth` symbols on the way to `node`: the suffix a witness search followed. */
  private witnessPath(node: number, depth: number): number[] {
    const word = new Array<number>(depth);
    let n = node;
    for (let i = depth - 1; i >= 0; i--) {
      word[i] = this.symbols[n];
      n = this.parents[n];
    }
    return word;
  }

  private push(at: number, a: number, b: number, depth: number): void {
    if (at === this.stackA.length) {
      const grow = (old: Int32Array): Int32Array<ArrayBuffer> => {
        const next = new Int32Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.stackA = grow(this.stackA);
      this.stackB = grow(this.stackB);
      this.stackDepth = grow(this.stackDepth);
    }
    this.stackA[at] = a;
    this.stackB[at] = b;
    this.stackDepth[at] = depth;
  }

  private newNode(parent: number, symbol: number): number {
    if (this.count === this.outputs.length) {
      const size = this.outputs.length * 2;
      const grow = (old: Int32Array, fill: number): Int32Array<ArrayBuffer> => {
        const next = new Int32Array(size).fill(fill);
        next.set(old);
        return next;
      };
      this.outputs = grow(this.outputs, UNOBSERVED);
      this.parents = grow(this.parents, -1);
      this.symbols = grow(this.symbols, -1);
      const children = new Int32Array(size * this.k);
      children.set(this.children);
      this.children = children;
    }
    const n = this.count++;
    this.parents[n] = parent;
    this.symbols[n] = symbol;
    return n;
  }
}
