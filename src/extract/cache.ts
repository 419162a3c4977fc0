// The query cache: a prefix tree over the words asked so far, one node per distinct prefix, with the
// answer at every node whose class is known. Learners ask the same word many times (L*'s table rows share
// cells, every counterexample analysis re-asks its prefixes), so the system below only sees each word
// once. When the system can trace a word (a machine reads it symbol by symbol and has a class after each
// one), a single run records the class of every prefix, as LearnLib's and AALpy's caches do, so asking a
// word also answers all its prefixes. Children live in one flat Int32Array (node * nSymbols + symbol)
// like the DFA tables: millions of nodes stay cheap. The cache never changes an answer, only who pays.
import type { Word } from '../machine.js';
import type { MembershipOracle } from './oracle.js';

const UNKNOWN = -1;

/** A membership oracle that answers known words and prefixes from a prefix tree and forwards only new ones. */
export class QueryCache implements MembershipOracle {
  readonly alphabet: readonly string[];
  readonly classes: readonly string[];
  private readonly k: number;
  private children: Int32Array;
  private answers: Int32Array;
  private nodes = 1;
  /** Queries and traces answered from the tree. */
  hits = 0;
  /** Queries and traces forwarded to the inner oracle (system runs when the inner oracle is the system). */
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
    const node = this.walk(word);
    const known = this.answers[node];
    if (known !== UNKNOWN) {
      this.hits++;
      return known;
    }
    this.misses++;
    if (this.inner.trace) return this.record(word, this.inner.trace(word));
    const answer = this.inner.query(word);
    this.answers[node] = answer;
    return answer;
  }

  /** The classes of every prefix of `word`: from the tree when all are known, else one traced run. */
  trace(word: Word): Int32Array {
    const out = new Int32Array(word.length + 1);
    let node = 0;
    let complete = (out[0] = this.answers[0]) !== UNKNOWN;
    for (let i = 0; i < word.length && complete; i++) {
      node = this.children[node * this.k + word[i]];
      complete = node !== 0 && (out[i + 1] = this.answers[node]) !== UNKNOWN;
    }
    if (complete) {
      this.hits++;
      return out;
    }
    this.walk(word);
    if (this.inner.trace) {
      this.misses++;
      const classes = this.inner.trace(word);
      this.record(word, classes);
      return classes;
    }
    // No traced runs below: each unknown prefix is one query of its own.
    for (let i = 0; i <= word.length; i++) out[i] = this.query(word.slice(0, i));
    return out;
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

  /** The node of `word`, created with its missing prefixes. */
  private walk(word: Word): number {
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
    return node;
  }

  /** Stores a traced run (the word's nodes exist) and returns the word's own class. */
  private record(word: Word, classes: Int32Array): number {
    let node = 0;
    this.answers[0] = classes[0];
    for (let i = 0; i < word.length; i++) {
      node = this.children[node * this.k + word[i]];
      this.answers[node] = classes[i + 1];
    }
    return classes[word.length];
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
