// Query statistics as a wrapper: counts what passes through it, so placing one above and one below the
// cache separates "asked by the learner" from "answered by the system". A traced word counts as one
// query (one run of the system) of |word| symbols.
import type { Word } from '../machine.js';
import type { MembershipOracle } from './oracle.js';

/** A membership oracle that counts queries (traces included) and the symbols in them. */
export class CountingOracle implements MembershipOracle {
  readonly alphabet: readonly string[];
  readonly classes: readonly string[];
  queries = 0;
  symbols = 0;
  readonly trace?: (word: Word) => Int32Array;

  constructor(private readonly inner: MembershipOracle) {
    this.alphabet = inner.alphabet;
    this.classes = inner.classes;
    const trace = inner.trace?.bind(inner);
    if (trace)
      this.trace = (word: Word): Int32Array => {
        this.queries++;
        this.symbols += word.length;
        return trace(word);
      };
  }

  query(word: Word): number {
    this.queries++;
    this.symbols += word.length;
    return this.inner.query(word);
  }
}
