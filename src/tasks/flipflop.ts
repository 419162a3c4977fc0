// The flip-flop language of Liu et al. ("Exposing Attention Glitches with Flip-Flop Language Modeling"):
// w_b writes bit b, r_b reads and claims b, i_b is noise. A word is accepted iff every read returns the bit
// of the most recent write; a read before any write has nothing to return, so it is wrong. Star-free, so
// non-negative-gate SSMs can do it (Sarrof et al.), unlike parity.
import { Dfa } from '../automata/dfa.js';
import { defineFamily } from './family.js';
import { regularTask } from './regular.js';
import type { TaskFamily } from './task.js';

/** The flip-flop alphabet: write, read and ignore, each with a bit. */
export const FLIPFLOP_ALPHABET: readonly string[] = ['w0', 'w1', 'r0', 'r1', 'i0', 'i1'];

// States: 0 nothing written, 1 memory 0, 2 memory 1, 3 a wrong read happened.
const ROWS = [
  [1, 2, 3, 3, 0, 0],
  [1, 2, 1, 3, 1, 1],
  [1, 2, 3, 2, 2, 2],
  [3, 3, 3, 3, 3, 3],
];

/** flipflop: every read returns the most recently written bit. */
export const flipflopFamily: TaskFamily = defineFamily({
  family: 'flipflop',
  summary: 'flip-flop: every read returns the last written bit (4 states)',
  params: [],
  build: (_values, name) =>
    regularTask({
      name,
      family: 'flipflop',
      description: 'flip-flop: every read r_b returns the bit of the most recent write w_b',
      dfa: Dfa.binary(FLIPFLOP_ALPHABET, ROWS.flat(), [0, 1, 2]),
    }),
});
