// The two-party tasks of P1 on inputs x # y with x, y ∈ {0,1}^n: string equality and set disjointness.
// Alice holds x and the separator (split = n + 1), Bob holds y; both need n bits of one-way communication,
// so a recurrent model needs state of n bits, while 2-layer log-size transformers do them.
import type { Word } from '../machine.js';
import type { Rng } from '../random.js';
import { boundedTask, randomBits } from './bounded.js';
import { defineFamily, param } from './family.js';
import { checkFixedLength, checkWordLength, misplaced } from './shape.js';
import type { Example, Task, TaskFamily } from './task.js';

const ALPHABET = ['0', '1', '#'];
const SEP = 2;

interface TwoPartyDef {
  readonly family: string;
  readonly description: (n: number) => string;
  /** The label of (x, y). */
  readonly f: (x: readonly number[], y: readonly number[]) => number;
  /** A balanced sample of (x, y) with the given label. */
  readonly draw: (rng: Rng, n: number, label: number) => [number[], number[]];
}

function twoPartyTask(def: TwoPartyDef, n: number, name: string): Task {
  const split = n + 1;
  return boundedTask({
    name,
    family: def.family,
    description: def.description(n),
    alphabet: ALPHABET,
    split,
    inputLength: 2 * n + 1,
    label(word: Word): number {
      checkWordLength(name, word, 2 * n + 1, '2n + 1');
      for (let i = 0; i < word.length; i++) {
        if (i === n && word[i] !== SEP) throw misplaced(name, ALPHABET, word, i, "the separator '#'");
        if (i !== n && word[i] === SEP) throw misplaced(name, ALPHABET, word, i, "a bit '0' or '1'");
      }
      return def.f(word.slice(0, n), word.slice(split));
    },
    sample(rng: Rng, lengths): Example {
      checkFixedLength(name, lengths, 2 * n + 1, '2n + 1');
      const label = rng.int(0, 1);
      const [x, y] = def.draw(rng, n, label);
      return { word: [...x, SEP, ...y], label };
    },
  });
}

const equal = (x: readonly number[], y: readonly number[]) => (x.every((b, i) => b === y[i]) ? 1 : 0);
const disjoint = (x: readonly number[], y: readonly number[]) => (x.some((b, i) => b === 1 && y[i] === 1) ? 0 : 1);

/** equality:n: accept x # y iff x = y. */
export const equalityFamily: TaskFamily = defineFamily({
  family: 'equality',
  summary: 'string equality: x # y with x, y ∈ {0,1}^n, accept iff x = y',
  params: [param('n', 'length of x and of y', 8, 1, 64)],
  build: ({ n }, name) =>
    twoPartyTask(
      {
        family: 'equality',
        description: (m) => `string equality: x # y with x, y ∈ {0,1}^${m}, accept iff x = y`,
        f: equal,
        draw(rng, m, label) {
          const x = randomBits(rng, m);
          if (label === 1) return [x, [...x]];
          // Half near misses (one flipped bit, the hardest negatives), half uniform unequal strings.
          if (rng.chance(0.5)) {
            const y = [...x];
            y[rng.int(0, m - 1)] ^= 1;
            return [x, y];
          }
          let y = randomBits(rng, m);
          while (equal(x, y)) y = randomBits(rng, m);
          return [x, y];
        },
      },
      n,
      name,
    ),
});

/** disjointness:n: accept x # y iff no position has a 1 in both. */
export const disjointnessFamily: TaskFamily = defineFamily({
  family: 'disjointness',
  summary: 'set disjointness: x # y with x, y ∈ {0,1}^n, accept iff no i has x_i = y_i = 1',
  params: [param('n', 'length of x and of y', 8, 1, 64)],
  build: ({ n }, name) =>
    twoPartyTask(
      {
        family: 'disjointness',
        description: (m) => `set disjointness: x # y with x, y ∈ {0,1}^${m}, accept iff no i has x_i = y_i = 1`,
        f: disjoint,
        draw(rng, m, label) {
          // Disjoint pairs are uniform: each position is (0,0), (0,1) or (1,0).
          const disjointPair = (): [number[], number[]] => {
            const x: number[] = [];
            const y: number[] = [];
            for (let i = 0; i < m; i++) {
              const c = rng.int(0, 2);
              x.push(c === 2 ? 1 : 0);
              y.push(c === 1 ? 1 : 0);
            }
            return [x, y];
          };
          if (label === 1) return disjointPair();
          // Half near misses (exactly one shared 1), half uniform intersecting pairs.
          if (rng.chance(0.5)) {
            const [x, y] = disjointPair();
            const i = rng.int(0, m - 1);
            x[i] = 1;
            y[i] = 1;
            return [x, y];
          }
          let x = randomBits(rng, m);
          let y = randomBits(rng, m);
          while (disjoint(x, y) === 1) {
            x = randomBits(rng, m);
            y = randomBits(rng, m);
          }
          return [x, y];
        },
      },
      n,
      name,
    ),
});
