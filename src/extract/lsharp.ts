// L# (Vaandrager, Garhewal, Rot, Wißmann, "A New Approach for Active Automata Learning Based on
// Apartness", TACAS 2022) for Moore machines: the learner keeps an observation tree of every run, a basis
// of pairwise apart tree nodes (the states) and their frontier (the basis nodes' one-symbol extensions).
// A frontier node apart from every basis node is promoted (rule R1); one that is not yet apart from all
// but one gets a separating query (R3); when every frontier node is identified with exactly one basis
// node the hypothesis is built (R4), and a counterexample is cut down by ProcCounterEx's binary search
// until a frontier node becomes apart from the state it was identified with.
//
// What is ours: which separating query R3 asks, and how a frontier node's candidates are found. Rather
// than test each frontier node against every basis node (n² apartness checks), the basis sits in a
// splitting tree whose inner nodes hold witnesses of apartness and branch on the whole class trace of
// the witness (one traced run answers every prefix). Sifting a frontier node down it proves it apart
// from every basis node off its path; known observations let it descend without a query wherever they
// already rule out all but one branch, and only where two branches remain is the witness run from it.
// A frontier node that reaches a leaf is checked for apartness against that one basis node.
import { Dfa } from '../automata/dfa.js';
import { InternalError } from '../errors.js';
import type { Word } from '../machine.js';
import { ObservationTree } from './observation-tree.js';
import type { Learner, MembershipOracle } from './oracle.js';
import { Rng } from '../random.js';

/** Options of the L# learner. */
export interface LSharpOptions {
  /**
   * Seeded random symbols appended to every witness a split is made from (0: plain witnesses). A long
   * word's class trace tells many states apart at once, and splits that share it are resolved by the same
   * run, so a frontier node is usually identified by one query.
   */
  tail: number;
  /** Seed of the tails. */
  seed: number;
  /**
   * Before a hypothesis is handed out, check it against every observation in the tree and treat the first
   * (shortest) disagreement as a counterexample, which costs no equivalence query (default true).
   */
  consistency?: boolean;
}

/** The options `--method lsharp` uses. */
export const DEFAULT_LSHARP_OPTIONS: LSharpOptions = Object.freeze({ tail: 16, seed: 0 });

interface Split {
  /** A witness of apartness between basis nodes below; children branch on its class trace. */
  readonly word: Word;
  readonly keys: number[][];
  readonly kids: Index[];
  /** Frontier nodes that passed here on partial observations; a new branch here sends them back. */
  fragile: number[];
}
interface Leaf {
  /** The basis state (index into the basis). */
  readonly state: number;
  /** Frontier nodes identified with this state. */
  readonly frontier: Set<number>;
  parent: Split | undefined;
}
type Index = Split | Leaf;

const isLeaf = (x: Index): x is Leaf => 'state' in x;

/** Does `prefix` start `key`? */
function startsWith(key: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** L#: observation tree, basis and frontier, apartness, with a splitting tree to identify frontier nodes. */
export class LSharp implements Learner {
  readonly name = 'L# (observation tree, apartness)';
  private readonly k: number;
  private readonly tree: ObservationTree;
  /** Tree node of each basis state. */
  private readonly basis: number[] = [];
  /** Basis index of a tree node, when it is one. */
  private readonly basisOf = new Map<number, number>();
  /** By tree node: its basis index, or the state a frontier node is identified with; -1 otherwise. */
  private stateOf = new Int32Array(1024).fill(-1);
  /** The leaf each frontier node is identified with. */
  private readonly assigned = new Map<number, Leaf>();
  private root: Split | undefined;
  /** Frontier nodes waiting to be sifted (again) from the root, in the order they were queued. */
  private queue: number[] = [];
  private readonly queued = new Set<number>();
  private current: Dfa | undefined;
  // Scratch queues of the consistency scan, reused between hypotheses.
  private scanNodes = new Int32Array(0);
  private scanStates = new Int32Array(0);

  private readonly rng: Rng;

  constructor(
    private readonly oracle: MembershipOracle,
    private readonly options: LSharpOptions = DEFAULT_LSHARP_OPTIONS,
  ) {
    this.k = oracle.alphabet.length;
    this.tree = new ObservationTree(oracle);
    this.rng = new Rng(options.seed);
  }

  /** A witness followed by the seeded random tail. */
  private withTail(word: Word): number[] {
    const out = word.slice();
    for (let i = 0; i < this.options.tail; i++) out.push(this.rng.int(0, this.k - 1));
    return out;
  }

  /** Output queries the learner ran (before the cache). */
  get outputQueries(): number {
    return this.tree.queries;
  }

  /** Nodes of the observation tree. */
  get treeSize(): number {
    return this.tree.size;
  }

  hypothesis(): Dfa {
    if (this.root === undefined) {
      const word = this.withTail([]);
      this.tree.query(word);
      const leaf: Leaf = { state: 0, frontier: new Set(), parent: undefined };
      this.root = { word, keys: [this.tree.knownTrace(0, word)], kids: [leaf], fragile: [] };
      leaf.parent = this.root;
      this.addBasis(0, leaf);
    }
    if (this.current) return this.current;
    for (;;) {
      this.drain();
      const hyp = this.build();
      const conflict = this.options.consistency === false ? null : this.inconsistency(hyp);
      if (conflict === null) {
        this.current = hyp;
        return hyp;
      }
      const states = this.basis.length;
      this.processCounterexample(hyp, conflict);
      if (this.basis.length === states) throw new InternalError('L#: an inconsistency with the tree added no state');
    }
  }

  /** The shortest observed word the hypothesis labels differently from the tree, or null. */
  private inconsistency(hyp: Dfa): number[] | null {
    const size = this.tree.size;
    if (this.scanNodes.length < size) {
      this.scanNodes = new Int32Array(2 * size);
      this.scanStates = new Int32Array(2 * size);
    }
    const nodes = this.scanNodes;
    const states = this.scanStates;
    // No query runs during the scan, so the tables stay put.
    const children = this.tree.childTable;
    const outputs = this.tree.outputTable;
    const table = hyp.table;
    const labels = hyp.labels;
    const k = this.k;
    nodes[0] = 0;
    states[0] = hyp.start;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const base = nodes[head] * k;
      const row = states[head] * k;
      for (let a = 0; a < k; a++) {
        const child = children[base + a];
        if (child === 0) continue;
        const next = table[row + a];
        const out = outputs[child];
        if (out >= 0 && out !== labels[next]) return this.tree.wordOf(child);
        nodes[tail] = child;
        states[tail] = next;
        tail++;
      }
    }
    return null;
  }

  /** The hypothesis of the current basis and frontier identification. */
  private build(): Dfa {
    const n = this.basis.length;
    const table = new Int32Array(n * this.k);
    const labels = new Int32Array(n);
    for (let q = 0; q < n; q++) {
      labels[q] = this.tree.output(this.basis[q]);
      for (let a = 0; a < this.k; a++) {
        const target = this.stateOf[this.tree.child(this.basis[q], a)];
        if (target < 0) throw new InternalError(`L#: frontier node of state ${q} on symbol ${a} is not identified`);
        table[q * this.k + a] = target;
      }
    }
    return new Dfa({ alphabet: this.oracle.alphabet, classes: this.oracle.classes, table, labels });
  }

  refine(counterexample: Word): void {
    const hyp = this.hypothesis();
    const states = this.basis.length;
    this.tree.query(counterexample);
    this.processCounterexample(hyp, counterexample);
    // ProcCounterEx ends with a frontier node apart from its state, which is promoted: without a new
    // state the learning loop would ask about the same counterexample forever.
    if (this.basis.length === states) throw new InternalError('L#: a counterexample added no state');
    this.current = undefined;
  }

  /** ProcCounterEx: halves the counterexample until a frontier node is apart from its hypothesis state. */
  private processCounterexample(hyp: Dfa, counterexample: Word): void {
    let sigma = counterexample.slice();
    for (let guard = 0; guard <= 4 * counterexample.length + 64; guard++) {
      const node = this.tree.walk(0, sigma);
      // The length of sigma's prefix that lies in the basis; one more symbol reaches the frontier.
      let inBasis = 0;
      let at = 0;
      while (inBasis < sigma.length) {
        const next = this.tree.child(at, sigma[inBasis]);
        if (!this.basisOf.has(next)) break;
        at = next;
        inBasis++;
      }
      if (inBasis >= sigma.length - 1) {
        // sigma is a basis or frontier node; a frontier node apart from its state is promoted on sifting.
        if (inBasis === sigma.length) throw new InternalError('L#: a counterexample ends in the basis');
        this.resift(node);
        return;
      }
      const r = this.basis[hyp.run(sigma)];
      const eta = this.tree.witness(r, node);
      if (eta === null) throw new InternalError('L#: counterexample analysis lost apartness');
      const h = Math.floor((inBasis + 1 + sigma.length) / 2);
      const sigma1 = sigma.slice(0, h);
      const sigma2 = sigma.slice(h);
      const r1 = this.basis[hyp.run(sigma1)];
      const access1 = this.tree.wordOf(r1);
      this.tree.query([...access1, ...sigma2, ...eta]);
      sigma = this.tree.apart(r1, this.tree.walk(0, sigma1)) ? sigma1 : [...access1, ...sigma2];
    }
    throw new InternalError('L#: counterexample analysis did not end');
  }

  /** Sifts queued frontier nodes, promoting those apart from every basis node, until none is left. */
  private drain(): void {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (const node of batch) {
        this.queued.delete(node);
        if (!this.basisOf.has(node)) this.resift(node);
      }
    }
  }

  /**
   * Sifts a frontier node from the root; promotes it when it is apart from every basis node. Always from
   * the root: a branch added above the node's old path may fit it better, and the traces it already has
   * make the way down free of queries wherever nothing changed.
   */
  private resift(node: number): void {
    this.unassign(node);
    const leaf = this.sift(node, this.root as Split);
    if (leaf !== undefined && !this.tree.apart(node, this.basis[leaf.state])) {
      leaf.frontier.add(node);
      this.assigned.set(node, leaf);
      this.setState(node, leaf.state);
      return;
    }
    this.promote(node);
  }

  /**
   * Walks a node down the splitting tree from `from`: the leaf it reaches, or undefined when its traces
   * match no branch (it is then apart from every basis node). A branch that is the only one consistent
   * with what the tree already knows is taken without a query (the node is marked fragile there).
   */
  private sift(node: number, from: Split): Leaf | undefined {
    let at: Index = from;
    while (!isLeaf(at)) {
      const split: Split = at;
      let trace = this.tree.knownTrace(node, split.word);
      const full = split.word.length + 1;
      let match = -1;
      let matches = 0;
      for (let i = 0; i < split.keys.length; i++)
        if (startsWith(split.keys[i], trace)) {
          matches++;
          match = i;
        }
      if (trace.length < full && matches > 1) {
        this.tree.query([...this.tree.wordOf(node), ...split.word]);
        trace = this.tree.knownTrace(node, split.word);
        matches = 0;
        for (let i = 0; i < split.keys.length; i++)
          if (startsWith(split.keys[i], trace)) {
            matches++;
            match = i;
          }
      } else if (trace.length < full && matches === 1) split.fragile.push(node);
      if (matches === 0) return undefined;
      at = split.kids[match];
    }
    return at;
  }

  /** Makes a frontier node a basis state, places it in the splitting tree, and queues its successors. */
  private promote(node: number): void {
    if (this.tree.output(node) < 0) this.tree.query(this.tree.wordOf(node));
    const root = this.root as Split;
    // Down the splitting tree with full traces, so the new branch or split has complete keys.
    let at: Index = root;
    let leaf: Leaf | undefined;
    while (leaf === undefined) {
      if (isLeaf(at)) {
        leaf = this.splitLeaf(at, node);
        break;
      }
      const split: Split = at;
      const key = this.fullTrace(node, split.word);
      const i = split.keys.findIndex((k) => k.length === key.length && startsWith(k, key));
      if (i < 0) {
        leaf = { state: this.basis.length, frontier: new Set(), parent: split };
        split.keys.push(key);
        split.kids.push(leaf);
        for (const f of split.fragile) this.enqueue(f);
        split.fragile = [];
        break;
      }
      at = split.kids[i];
    }
    this.addBasis(node, leaf);
  }

  /** Replaces a leaf by a split on a witness between its state and `node`; returns the new leaf. */
  private splitLeaf(old: Leaf, node: number): Leaf {
    const other = this.basis[old.state];
    const witness = this.tree.witness(node, other);
    if (witness === null) throw new InternalError('L#: a promoted node is not apart from a basis node');
    const word = this.withTail(witness);
    const split: Split = { word, keys: [this.fullTrace(other, word), this.fullTrace(node, word)], kids: [old], fragile: [] };
    const fresh: Leaf = { state: this.basis.length, frontier: new Set(), parent: split };
    split.kids.push(fresh);
    const parent = old.parent as Split;
    parent.kids[parent.kids.indexOf(old)] = split;
    old.parent = split;
    for (const f of old.frontier) {
      this.assigned.delete(f);
      this.stateOf[f] = -1;
      this.enqueue(f);
    }
    old.frontier.clear();
    return fresh;
  }

  /** The class trace of `word` from `node`, running it when part of it is unobserved. */
  private fullTrace(node: number, word: Word): number[] {
    let trace = this.tree.knownTrace(node, word);
    if (trace.length <= word.length) {
      this.tree.query([...this.tree.wordOf(node), ...word]);
      trace = this.tree.knownTrace(node, word);
    }
    return trace;
  }

  private addBasis(node: number, leaf: Leaf): void {
    const q = this.basis.length;
    if (leaf.state !== q) throw new InternalError('L#: leaf and basis numbering differ');
    this.basis.push(node);
    this.basisOf.set(node, q);
    this.unassign(node);
    this.setState(node, q);
    for (let a = 0; a < this.k; a++) this.enqueue(this.tree.childOrNew(node, a));
    this.current = undefined;
  }

  private unassign(node: number): void {
    this.assigned.get(node)?.frontier.delete(node);
    this.assigned.delete(node);
    if (node < this.stateOf.length) this.stateOf[node] = -1;
  }

  private setState(node: number, state: number): void {
    if (node >= this.stateOf.length) {
      const grown = new Int32Array(Math.max(2 * this.stateOf.length, node + 1)).fill(-1);
      grown.set(this.stateOf);
      this.stateOf = grown;
    }
    this.stateOf[node] = state;
  }

  private enqueue(node: number): void {
    if (this.queued.has(node)) return;
    this.queued.add(node);
    this.queue.push(node);
  }
}
