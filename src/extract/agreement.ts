// Agreement of an extracted automaton with the system on fresh random words of fixed lengths (10, 50,
// 100, 1000 by default): the figure papers report for extraction, and the one that shows when a
// PAC-checked or partition-extracted automaton only matches on short words.
import type { Dfa } from '../automata/dfa.js';
import type { Rng } from '../random.js';
import type { MembershipOracle } from './oracle.js';
import { randomWord } from './pac-oracle.js';

/** The share of `samples` uniform random words of one length on which automaton and system agree. */
export interface AgreementRow {
  readonly length: number;
  readonly samples: number;
  readonly agreement: number;
}

/** The lengths agreement is measured at unless told otherwise. */
export const AGREEMENT_LENGTHS: readonly number[] = Object.freeze([10, 50, 100, 1000]);

/** Measures agreement of `dfa` with the system on `samples` seeded random words of each length. */
export function agreement(
  dfa: Dfa,
  system: MembershipOracle,
  rng: Rng,
  samples: number,
  lengths: readonly number[] = AGREEMENT_LENGTHS,
): AgreementRow[] {
  return lengths.map((length) => {
    let same = 0;
    for (let i = 0; i < samples; i++) {
      const word = randomWord(rng, dfa.nSymbols, length, length);
      if (dfa.evaluate(word) === system.query(word)) same++;
    }
    return { length, samples, agreement: samples === 0 ? 1 : same / samples };
  });
}
