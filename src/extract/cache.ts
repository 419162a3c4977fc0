// The query cache: a trie over the words asked so far, one node per distinct prefix, with the answer at
// the nodes that were asked. Learners ask the same word many times (L*'s table rows share cells, every
// counterexample analysis re-asks its prefixes), so the system below only sees each word once. Children
// live in one flat Int32Array (node * nSymbols + symbol) like the DFA tables: millions of nodes stay cheap.
import type { Word } from '../machine.js';
import type { MembershipOracle } from './oracle.js';

const UNKNOWN = -1;

/** A membership oracle that answers repeated words from a trie and forwards only new ones. */
export class QueryCache implements MembershipOracle {
  readonly alphabet: readonly string[];
  readonly classes: readonly string[];
  private readonly k: number;
  private children: Int32Array;
  private answers: Int32Array;
  private nodes = 1;
  /** Queries answered from the trie. */
  hits = 0;
  /** Queries forwarded to the inner oracle. */
  misses = 0;

  constructor(private readonly inner: MembershipOracle) {
    this.alphabet = inner.alphabet;
    this.classes = inner.classes;
    this.k = inner.alphabet.length;
    this.children = new Int32Array(1024 * this.k);
    this.answers = new Int32Array(1024).fill(UNKNOWN);
  }

  /** Number of trie nodes (distinct prefixes of the words asked, the empty word included). */
  get size(): number {
    return this.nodes;
  }

  query(word: Word): number {
    let node = 0;
    for (const a of word) {
      const slot = node * this.k + a;
      let next = this.children[slot];
      if (next === 0) {
        next = this.newNode();
        this.children[slot] = next;
      }
      node = next;
    }
    const known = this.answers[node];
    if (known !== UNKNOWN) {
      this.hits++;
      return known;
    }
    this.misses++;
    const answer = this.inner.query(word);
    this.answers[node] = answer;
    return answer;
  }

  /** The cached answer of a word, or undefined; asks nothing. */
  lookup(word: Word): number | undefined {
    let node = 0;
    for (const a of word) {
      node = this.children[node * this.k + a];
      if (node === 0) return undefined;
    }
    const known = this.answers[node];
    return known === UNKNOWN ? undefined : known;
  }

  private newNode(): number {
    if (this.nodes === this.answers.length) {
      const answers = new Int32Array(this.answers.length * 2).fill(UNKNOWN);
      answers.set(this.answers);
      this.answers = answers;
      const children = new Int32Array(this.children.length * 2);
      children.set(this.children);
      this.children = children;
    }
    return this.nodes++;
  }
}
