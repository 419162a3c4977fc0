// Testing equivalence with random words, with Angluin's PAC bound: in round i the oracle draws
// m_i = ⌈(ln(1/δ) + i·ln 2) / ε⌉ words; if all agree, then with probability at least 1 − δ (over all
// rounds together, since Σ δ/2^i ≤ δ) the final hypothesis disagrees with the system on at most an ε
// fraction of the word distribution. The distribution is stated with the verdict: lengths uniform in
// [minLength, maxLength], symbols uniform. The bound says nothing about words the distribution rarely
// draws, such as long ones.
import type { Dfa } from '../automata/dfa.js';
import { InputError } from '../errors.js';
import type { Word } from '../machine.js';
import type { Rng } from '../random.js';
import type { EquivalenceOracle, EquivalenceVerdict, MembershipOracle } from './oracle.js';

/** Options of the PAC random-word oracle. */
export interface PacOptions {
  epsilon: number;
  delta: number;
  minLength: number;
  maxLength: number;
}

/** Angluin's number of random tests in round `round` (1-based) for the given ε and δ. */
export function pacSampleSize(epsilon: number, delta: number, round: number): number {
  return Math.ceil((Math.log(1 / delta) + round * Math.LN2) / epsilon);
}

/** A seeded random word with length uniform in [minLength, maxLength] and uniform symbols. */
export function randomWord(rng: Rng, k: number, minLength: number, maxLength: number): number[] {
  const n = rng.int(minLength, maxLength);
  const word = new Array<number>(n);
  for (let i = 0; i < n; i++) word[i] = rng.int(0, k - 1);
  return word;
}

/** Random-word equivalence testing with a PAC guarantee stated in its verdict. */
export class PacOracle implements EquivalenceOracle {
  readonly name: string;

  constructor(
    private readonly oracle: MembershipOracle,
    private readonly rng: Rng,
    private readonly options: PacOptions,
  ) {
    const { epsilon, delta, minLength, maxLength } = options;
    if (!(epsilon > 0 && epsilon < 1)) throw new InputError(`PAC oracle: epsilon must lie in (0, 1), got ${epsilon}`);
    if (!(delta > 0 && delta < 1)) throw new InputError(`PAC oracle: delta must lie in (0, 1), got ${delta}`);
    if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 0 || maxLength < minLength)
      throw new InputError(`PAC oracle: word lengths ${minLength}..${maxLength} are not a range of non-negative integers`);
    this.name = `PAC random words (ε = ${epsilon}, δ = ${delta}, lengths ${minLength}..${maxLength})`;
  }

  check(hypothesis: Dfa, round: number): EquivalenceVerdict {
    const { epsilon, delta, minLength, maxLength } = this.options;
    const m = pacSampleSize(epsilon, delta, round);
    let best: Word | undefined;
    for (let t = 0; t < m; t++) {
      const word = randomWord(this.rng, hypothesis.nSymbols, minLength, maxLength);
      // The shortest disagreement among the samples: shorter counterexamples cost fewer queries.
      if ((best === undefined || word.length < best.length) && hypothesis.evaluate(word) !== this.oracle.query(word)) best = word;
    }
    if (best) return { equivalent: false, counterexample: best };
    return {
      equivalent: true,
      guarantee: 'pac',
      detail:
        `no disagreement on ${m} random words (round ${round}; lengths uniform in ${minLength}..${maxLength}, symbols uniform): ` +
        `with probability ≥ ${1 - delta} the hypothesis errs on at most ${epsilon} of that distribution`,
    };
  }
}
