// Counting languages over {0, 1}: parity and counting 1s mod m. P3's Theorems 1 and 2 are about exactly
// these: parity needs a negative eigenvalue, mod m (m not a power of 2) a non-real one.
import { Dfa } from '../automata/dfa.js';
import { defineFamily, param } from './family.js';
import { regularTask } from './regular.js';
import type { TaskFamily } from './task.js';

const BITS = ['0', '1'];

/** The counter of 1s mod m; accepting = the residues in `accept`. */
function countOnes(m: number, accept: readonly number[]): Dfa {
  const table: number[] = [];
  for (let r = 0; r < m; r++) table.push(r, (r + 1) % m);
  return Dfa.binary(BITS, table, accept);
}

/** parity: accept iff the number of 1s is odd. */
export const parityFamily: TaskFamily = defineFamily({
  family: 'parity',
  summary: 'odd number of 1s over {0, 1} (2 states)',
  params: [],
  build: (_values, name) =>
    regularTask({ name, family: 'parity', description: 'odd number of 1s over {0, 1}', dfa: countOnes(2, [1]) }),
});

/** mod:m: accept iff the number of 1s is divisible by m. */
export const modFamily: TaskFamily = defineFamily({
  family: 'mod',
  summary: 'number of 1s ≡ 0 (mod m) over {0, 1} (m states)',
  params: [param('m', 'modulus', 3, 2, 64)],
  build: ({ m }, name) =>
    regularTask({ name, family: 'mod', description: `number of 1s ≡ 0 (mod ${m}) over {0, 1}`, dfa: countOnes(m, [0]) }),
});
