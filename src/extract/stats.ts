// Query statistics as a wrapper: counts what passes through it, so placing one above and one below the
// cache separates "asked by the learner" from "answered by the system".
import type { Word } from '../machine.js';
import type { MembershipOracle } from './oracle.js';

/** A membership oracle that counts queries and the symbols in them. */
export class CountingOracle implements MembershipOracle {
  readonly alphabet: readonly string[];
  readonly classes: readonly string[];
  queries = 0;
  symbols = 0;

  constructor(private readonly inner: MembershipOracle) {
    this.alphabet = inner.alphabet;
    this.classes = inner.classes;
  }

  query(word: Word): number {
    this.queries++;
    this.symbols += word.length;
    return this.inner.query(word);
  }
}
