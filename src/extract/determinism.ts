// A determinism check as a wrapper: the learners assume that a word always gets the same class, and a
// system that breaks this (a float model on a nondeterministic backend, a flaky oracle) makes them loop
// or build nonsense. A seeded fraction of the queries is asked twice, and any disagreement stops the run.
import { EigenstateError } from '../errors.js';
import { formatWord } from '../automata/alphabet.js';
import type { Word } from '../machine.js';
import type { Rng } from '../random.js';
import type { MembershipOracle } from './oracle.js';

/** The system under learning gave one word two different classes. */
export class NondeterminismError extends EigenstateError {
  override readonly exitCode = 1;
}

/** A membership oracle that re-asks a seeded fraction `rate` of the queries and compares the answers. */
export class DeterminismCheck implements MembershipOracle {
  readonly alphabet: readonly string[];
  readonly classes: readonly string[];
  /** Queries asked a second time. */
  checks = 0;
  readonly trace?: (word: Word) => Int32Array;

  constructor(
    private readonly inner: MembershipOracle,
    private readonly rng: Rng,
    private readonly rate: number,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`determinism check rate must lie in [0, 1], got ${rate}`);
    this.alphabet = inner.alphabet;
    this.classes = inner.classes;
    const trace = inner.trace?.bind(inner);
    if (trace)
      this.trace = (word: Word): Int32Array => {
        const first = trace(word);
        if (this.rate > 0 && this.rng.chance(this.rate)) {
          this.checks++;
          const second = trace(word);
          const i = first.findIndex((c, j) => c !== second[j]);
          if (i >= 0) throw this.clash(word.slice(0, i), first[i], second[i]);
        }
        return first;
      };
  }

  private clash(word: Word, first: number, second: number): NondeterminismError {
    return new NondeterminismError(
      `system is not deterministic: word '${formatWord(this.alphabet, word)}' got class '${this.classes[first]}', then '${this.classes[second]}'`,
    );
  }

  query(word: Word): number {
    const first = this.inner.query(word);
    if (this.rate > 0 && this.rng.chance(this.rate)) {
      this.checks++;
      const second = this.inner.query(word);
      if (second !== first) throw this.clash(word, first, second);
    }
    return first;
  }
}
