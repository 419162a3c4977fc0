// Bounded Dyck: balanced brackets of k types, nesting depth at most d. A constant-size RNN recognises it
// while a 1-layer transformer needs width Ω(N) (P1). The states are the possible stacks (every sequence of
// at most d bracket types) plus a sink, Σ_{i≤d} k^i + 1 in all; none merge, so that is the minimal size.
import { Dfa } from '../automata/dfa.js';
import { defineFamily, param } from './family.js';
import { regularTask } from './regular.js';
import type { TaskFamily } from './task.js';

/** Opening and closing symbols of the bracket types, in alphabet order. */
export const DYCK_BRACKETS: readonly (readonly [string, string])[] = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['<', '>'],
];

/** The alphabet of Dyck-(k, ·): open/close pairs of the first k bracket types. */
export function dyckAlphabet(k: number): string[] {
  return DYCK_BRACKETS.slice(0, k).flat();
}

/** The stack automaton of Dyck-(k, d): symbol 2i opens type i, 2i + 1 closes it. */
function dyckDfa(k: number, d: number): Dfa {
  // Stacks as numbers: a stack of depth h over types t_1..t_h (bottom first) is Σ t_j·k^(h−j), held
  // with its depth; ids are assigned level by level, so the empty stack is 0 and parents precede children.
  const levelStart: number[] = [0];
  for (let h = 0; h <= d; h++) levelStart.push(levelStart[h] + k ** h);
  const nStacks = levelStart[d + 1];
  const sink = nStacks;
  const nSymbols = 2 * k;
  const table = new Int32Array((nStacks + 1) * nSymbols).fill(sink);
  for (let h = 0; h <= d; h++) {
    for (let code = 0; code < k ** h; code++) {
      const id = levelStart[h] + code;
      for (let t = 0; t < k; t++) {
        if (h < d) table[id * nSymbols + 2 * t] = levelStart[h + 1] + code * k + t;
        if (h > 0 && code % k === t) table[id * nSymbols + 2 * t + 1] = levelStart[h - 1] + Math.floor(code / k);
      }
    }
  }
  return Dfa.binary(dyckAlphabet(k), table, [0]);
}

/** dyck:k,d: balanced brackets of k types with depth at most d. */
export const dyckFamily: TaskFamily = defineFamily({
  family: 'dyck',
  summary: 'balanced brackets of k types, depth ≤ d (Σ k^i + 1 states)',
  params: [param('k', 'bracket types', 2, 1, 4), param('d', 'maximum depth', 2, 1, 8)],
  build: ({ k, d }, name) =>
    regularTask({
      name,
      family: 'dyck',
      description: `balanced brackets of ${k} type${k > 1 ? 's' : ''} with depth at most ${d}`,
      dfa: dyckDfa(k, d),
    }),
});
