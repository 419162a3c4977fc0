// a^j b^j: the textbook non-regular language, recognised by one counter. Samples at a given length are
// either positives a^j b^j (even lengths only) or negatives, a third each of near misses in the count
// (one letter too many on one side), near misses in the order (a^j b^j with one a and one b swapped; at
// odd lengths, where no such word exists, a uniform word instead) and uniform words, so that a model
// cannot pass by checking only the letter counts or only the order.
import type { Rng } from '../random.js';
import { boundedTask } from './bounded.js';
import { defineFamily } from './family.js';
import { checkLengthRange } from './shape.js';
import type { Example, LengthRange, TaskFamily } from './task.js';

const A = 0;
const B = 1;

/** 1 iff the word is a^j b^j. */
function isAnbn(word: readonly number[]): number {
  const n = word.length;
  if (n % 2 !== 0) return 0;
  for (let i = 0; i < n; i++) if (word[i] !== (i < n / 2 ? A : B)) return 0;
  return 1;
}

function block(na: number, nb: number): number[] {
  return [...Array<number>(na).fill(A), ...Array<number>(nb).fill(B)];
}

/** A negative word of length L ≥ 1. */
function negative(rng: Rng, L: number): number[] {
  const kind = rng.int(0, 2);
  if (kind === 0) {
    // Count near miss: the a/b split is off by one (odd L) or by two (even L).
    const more = Math.floor(L / 2) + 1;
    const fewer = L - more;
    return rng.chance(0.5) ? block(more, fewer) : block(fewer, more);
  }
  if (kind === 1 && L % 2 === 0) {
    const j = L / 2;
    const word = block(j, j);
    const i = rng.int(0, j - 1);
    const k = rng.int(j, L - 1);
    word[i] = B;
    word[k] = A;
    return word;
  }
  let word = Array.from({ length: L }, () => rng.int(0, 1));
  while (isAnbn(word) === 1) word = Array.from({ length: L }, () => rng.int(0, 1));
  return word;
}

/** anbn: accept iff the word is a^j b^j for some j ≥ 0. */
export const anbnFamily: TaskFamily = defineFamily({
  family: 'anbn',
  summary: 'a^j b^j for some j ≥ 0 (non-regular, one counter)',
  params: [],
  build: (_values, name) =>
    boundedTask({
      name,
      family: 'anbn',
      description: 'a^j b^j for some j ≥ 0',
      alphabet: ['a', 'b'],
      label: isAnbn,
      sample(rng: Rng, lengths: LengthRange): Example {
        checkLengthRange(name, lengths);
        const { min, max } = lengths;
        const firstEven = min + (min % 2);
        const labels: number[] = [];
        if (max >= 1) labels.push(0);
        if (firstEven <= max) labels.push(1);
        // Only ε lies in [0, 0], and it is a positive.
        const label = rng.pick(labels);
        if (label === 1) {
          const L = firstEven + 2 * rng.int(0, (max - firstEven) >> 1);
          return { word: block(L / 2, L / 2), label };
        }
        return { word: negative(rng, rng.int(Math.max(min, 1), max)), label };
      },
    }),
});
