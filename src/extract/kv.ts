// Kearns–Vazirani learning with a discrimination tree (Kearns & Vazirani 1994, in the form LearnLib
// implements): leaves are states (access words), inner nodes hold discriminating suffixes, and a word's
// state is found by sifting it down the tree, one membership query per level. A counterexample, analysed
// the Rivest–Schapire way, splits exactly one leaf, and only the transitions into that leaf are sifted
// again, one query each, from the new inner node. Where L* asks every state about every suffix, KV asks
// only the suffixes on one root-to-leaf path: far fewer queries on automata with many states.
// Inner nodes branch on the class (a Moore output), so multi-class systems need no change.
import { Dfa } from '../automata/dfa.js';
import { InternalError } from '../errors.js';
import type { Word } from '../machine.js';
import { rivestSchapire } from './counterexample.js';
import type { Learner, MembershipOracle } from './oracle.js';

interface Inner {
  readonly suffix: Word;
  readonly children: Map<number, Node>;
  readonly parent: Inner | undefined;
}
interface Leaf {
  state: number;
  readonly parent: Inner | undefined;
}
type Node = Inner | Leaf;

const isLeaf = (node: Node): node is Leaf => 'state' in node;

/** Kearns–Vazirani with a discrimination tree and Rivest–Schapire counterexample analysis. */
export class KearnsVazirani implements Learner {
  readonly name = 'Kearns–Vazirani (discrimination tree)';
  private readonly k: number;
  private readonly root: Inner = { suffix: [], children: new Map(), parent: undefined };
  private readonly access: Word[] = [];
  private readonly labels: number[] = [];
  private readonly leaves: Leaf[] = [];
  /** Target state of each transition (state * k + symbol); -1 while not yet sifted. */
  private table = new Int32Array(0);
  private current: Dfa | undefined;

  constructor(private readonly oracle: MembershipOracle) {
    this.k = oracle.alphabet.length;
  }

  /** Depth of the discrimination tree (inner nodes on the longest root-to-leaf path). */
  get depth(): number {
    const walk = (node: Node): number => (isLeaf(node) ? 0 : 1 + Math.max(...[...node.children.values()].map(walk)));
    return walk(this.root);
  }

  hypothesis(): Dfa {
    if (this.access.length === 0) {
      this.siftFrom(this.root, []);
      this.completeTransitions();
    }
    this.current ??= new Dfa({
      alphabet: this.oracle.alphabet,
      classes: this.oracle.classes,
      table: this.table.subarray(0, this.access.length * this.k),
      labels: this.labels,
    });
    return this.current;
  }

  refine(counterexample: Word): void {
    const hyp = this.hypothesis();
    const d = rivestSchapire(hyp, (q) => this.access[q], this.oracle, counterexample);
    const newAccess = [...this.access[d.state], d.symbol];
    const old = hyp.step(d.state as never, d.symbol);
    const leaf = this.leaves[old];
    const parent = leaf.parent;
    // The old leaf becomes an inner node on v; the old state and the new one hang below it.
    const split: Inner = { suffix: d.suffix, children: new Map(), parent };
    const oldClass = this.oracle.query([...this.access[old], ...d.suffix]);
    const newClass = this.oracle.query([...newAccess, ...d.suffix]);
    if (oldClass === newClass) throw new InternalError('KV: the counterexample suffix does not separate the split states');
    if (parent === undefined) throw new InternalError('KV: a leaf without a parent');
    parent.children.set(this.classOnPath(parent, leaf), split);
    const oldLeaf: Leaf = { state: old, parent: split };
    split.children.set(oldClass, oldLeaf);
    this.leaves[old] = oldLeaf;
    const fresh = this.addState(newAccess, split, newClass);
    // Every transition that led to the old leaf now has to choose between its two halves.
    for (let slot = 0; slot < fresh * this.k; slot++) {
      if (this.table[slot] !== old) continue;
      const target = this.siftFrom(split, [...this.access[Math.floor(slot / this.k)], slot % this.k]);
      // Not folded into one statement: sifting may add a state and reallocate this.table.
      this.table[slot] = target;
    }
    this.completeTransitions();
    this.current = undefined;
  }

  /** The child key under which `child` hangs from `parent`. */
  private classOnPath(parent: Inner, child: Node): number {
    for (const [c, node] of parent.children) if (node === child) return c;
    throw new InternalError('KV: a node missing from its parent');
  }

  /** Sifts a word down from `node`; a class with no child yet makes the word a new state there. */
  private siftFrom(start: Inner, word: Word): number {
    let node: Inner = start;
    while (true) {
      const c = this.oracle.query(word.concat(node.suffix));
      const child = node.children.get(c);
      if (child === undefined) return this.addState(word, node, c);
      if (isLeaf(child)) return child.state;
      node = child;
    }
  }

  private addState(access: Word, parent: Inner, cls: number): number {
    const q = this.access.length;
    const leaf: Leaf = { state: q, parent };
    parent.children.set(cls, leaf);
    this.leaves.push(leaf);
    this.access.push(access);
    // The root's suffix is the empty word, so the class on the root path is the state's own label.
    let top: Node = leaf;
    while (top.parent !== undefined && top.parent !== this.root) top = top.parent;
    this.labels.push(top.parent === this.root ? this.classOnPath(this.root, top) : cls);
    if (this.table.length < (q + 1) * this.k) {
      const grown = new Int32Array(Math.max(16, 2 * (q + 1)) * this.k).fill(-1);
      grown.set(this.table);
      this.table = grown;
    }
    this.table.fill(-1, q * this.k, (q + 1) * this.k);
    return q;
  }

  /** Sifts every transition not yet assigned (new states' outgoing ones) from the root. */
  private completeTransitions(): void {
    for (let slot = 0; slot < this.access.length * this.k; slot++) {
      if (this.table[slot] >= 0) continue;
      const target = this.siftFrom(this.root, [...this.access[Math.floor(slot / this.k)], slot % this.k]);
      this.table[slot] = target;
    }
  }
}
