// Majority: strictly more 1s than 0s. Not regular, but one counter suffices, and it is in TC⁰, so it
// separates counting from state tracking. A sample is uniform among the words of its length and class:
// the number of 1s is drawn with weight C(L, k) (in log space, L can be large), then their positions.
import type { Rng } from '../random.js';
import { boundedTask } from './bounded.js';
import { defineFamily } from './family.js';
import { checkLengthRange } from './shape.js';
import type { Example, LengthRange, TaskFamily } from './task.js';

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** A uniform word of length L with k ones. */
function withOnes(rng: Rng, L: number, k: number): number[] {
  const positions = Array.from({ length: L }, (_, i) => i);
  const word = new Array<number>(L).fill(0);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, L - 1);
    [positions[i], positions[j]] = [positions[j], positions[i]];
    word[positions[i]] = 1;
  }
  return word;
}

/** A uniform word of length L whose number of ones lies in [lo, hi] (non-empty). */
function uniformWord(rng: Rng, L: number, lo: number, hi: number): number[] {
  // ln C(L, k) for k from lo up, by the ratio C(L, k+1)/C(L, k) = (L−k)/(k+1).
  const logs: number[] = [logChoose(L, lo)];
  for (let k = lo; k < hi; k++) logs.push(logs[logs.length - 1] + Math.log(L - k) - Math.log(k + 1));
  const top = Math.max(...logs);
  const weights = logs.map((v) => Math.exp(v - top));
  let u = rng.float() * weights.reduce((a, b) => a + b, 0);
  let k = hi;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) {
      k = lo + i;
      break;
    }
  }
  return withOnes(rng, L, k);
}

/** 1 iff the word has more 1s than 0s. */
function isMajority(word: readonly number[]): number {
  let balance = 0;
  for (const a of word) balance += a === 1 ? 1 : -1;
  return balance > 0 ? 1 : 0;
}

/** majority: accept iff strictly more 1s than 0s. */
export const majorityFamily: TaskFamily = defineFamily({
  family: 'majority',
  summary: 'strictly more 1s than 0s over {0, 1} (non-regular, one counter)',
  params: [],
  build: (_values, name) =>
    boundedTask({
      name,
      family: 'majority',
      description: 'strictly more 1s than 0s over {0, 1}',
      alphabet: ['0', '1'],
      label: isMajority,
      sample(rng: Rng, lengths: LengthRange): Example {
        checkLengthRange(name, lengths);
        const { min, max } = lengths;
        // ε is the one word without a positive of its length.
        const label = max >= 1 ? rng.int(0, 1) : 0;
        const L = rng.int(label === 1 ? Math.max(min, 1) : min, max);
        const half = Math.floor(L / 2);
        const word = label === 1 ? uniformWord(rng, L, half + 1, L) : uniformWord(rng, L, 0, half);
        return { word, label };
      },
    }),
});
