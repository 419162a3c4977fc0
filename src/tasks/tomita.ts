// The Tomita grammars, the classic benchmarks of automaton extraction. Each is an explicit table over
// {0, 1} (symbol 0 = '0', 1 = '1'), one row per state as [on 0, on 1], state 0 initial; minimise() then
// confirms the sizes 2, 3, 5, 4, 4, 3, 5. The empty word is accepted by all seven (the trap that
// docs/theory.md, "Benchmarks with known answers", warns about: a learner that reads ε as the string "None"
// gets Tomita 2 wrong).
import { Dfa } from '../automata/dfa.js';
import { defineFamily } from './family.js';
import { regularTask } from './regular.js';
import type { TaskFamily } from './task.js';

interface TomitaDef {
  readonly description: string;
  readonly rows: readonly (readonly [number, number])[];
  readonly accepting: readonly number[];
}

const TOMITA: readonly TomitaDef[] = [
  // 0: only 1s so far; 1: dead.
  { description: '1*', rows: [[1, 0], [1, 1]], accepting: [0] },
  // 0: complete (10)* blocks; 1: after the 1 of a block; 2: dead.
  { description: '(10)*', rows: [[2, 1], [0, 2], [2, 2]], accepting: [0] },
  // 0: after an even 1-run, or in 0s that follow one (or the start); 1: in an odd 1-run; 2: an odd 1-run
  // then an odd 0-run so far; 3: an odd 1-run then an even 0-run; 4: dead (the odd 0-run was complete).
  {
    description: 'no odd run of 1s immediately followed by an odd run of 0s',
    rows: [[0, 1], [2, 0], [3, 4], [2, 1], [4, 4]],
    accepting: [0, 1, 3],
  },
  // States 0..2 count the trailing 0s; 3: dead (000 seen).
  { description: 'no 000 substring', rows: [[1, 0], [2, 0], [3, 0], [3, 3]], accepting: [0, 1, 2] },
  // State = 2·(#0 mod 2) + (#1 mod 2).
  { description: 'even number of 0s and even number of 1s', rows: [[2, 1], [3, 0], [0, 3], [1, 2]], accepting: [0] },
  // State = (#0 − #1) mod 3.
  { description: '#0 − #1 ≡ 0 (mod 3)', rows: [[1, 2], [2, 0], [0, 1]], accepting: [0] },
  // States 0..3: in the i-th block of 0*1*0*1*; 4: dead.
  { description: '0*1*0*1*', rows: [[0, 1], [2, 1], [2, 3], [4, 3], [4, 4]], accepting: [0, 1, 2, 3] },
];

/** The seven Tomita families, tomita1 .. tomita7, in order. */
export const tomitaFamilies: readonly TaskFamily[] = TOMITA.map((def, i) => {
  const family = `tomita${i + 1}`;
  return defineFamily({
    family,
    summary: `Tomita ${i + 1}: ${def.description}`,
    params: [],
    build: (_values, name) =>
      regularTask({
        name,
        family,
        description: `Tomita ${i + 1}: ${def.description}`,
        dfa: Dfa.binary(['0', '1'], def.rows.flat(), def.accepting),
      }),
  });
});
