// Seeded random complete DFAs for property tests and benchmarks. A uniformly random transition table
// leaves a sizeable fraction of states unreachable, which would make "minimise a 10^6-state DFA" quietly
// mean "minimise a smaller one"; so every state i > 0 first gets one incoming edge from a random free
// slot of an earlier state (a random spanning tree rooted at 0), and only the remaining slots are uniform.
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';
import { Dfa } from './dfa.js';

const SYMBOL_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Options of `randomDfa`. */
export interface RandomDfaOptions {
  /** Probability that a state accepts (binary DFAs; default 0.5). */
  acceptProbability?: number;
  /** Class names of a multi-class DFA; labels are then uniform over the classes. */
  classes?: readonly string[];
}

/** k symbol names: the first k of 0-9, a-z, A-Z, then s62, s63, … beyond 62. */
export function symbolNames(k: number): string[] {
  if (!Number.isInteger(k) || k < 1) throw new InputError(`alphabet size must be a positive integer, got ${k}`);
  return Array.from({ length: k }, (_, i) => (i < SYMBOL_CHARS.length ? SYMBOL_CHARS[i] : `s${i}`));
}

/** A seeded random complete DFA whose states are all reachable from the initial state 0. */
export function randomDfa(
  rng: Rng,
  nStates: number,
  alphabet: readonly string[] | number,
  options: RandomDfaOptions = {},
): Dfa {
  const names = typeof alphabet === 'number' ? symbolNames(alphabet) : alphabet;
  const n = nStates;
  const k = names.length;
  if (!Number.isInteger(n) || n < 1) throw new InputError(`randomDfa: nStates must be a positive integer, got ${n}`);
  if (options.classes !== undefined && options.acceptProbability !== undefined)
    throw new InputError('randomDfa: give either classes or acceptProbability, not both');
  if (options.classes !== undefined && options.classes.length === 0) throw new InputError('randomDfa: classes is empty');
  const p = options.acceptProbability ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new InputError(`randomDfa: acceptProbability must lie in [0, 1], got ${p}`);

  const table = new Int32Array(n * k).fill(-1);
  if (k > 0) {
    // Free slots (state·k + symbol) of states already in the tree; swap-remove keeps picks O(1).
    const free = new Int32Array(n * k);
    let nFree = 0;
    for (let x = 0; x < k; x++) free[nFree++] = x;
    for (let s = 1; s < n; s++) {
      const i = rng.int(0, nFree - 1);
      table[free[i]] = s;
      free[i] = free[--nFree];
      for (let x = 0; x < k; x++) free[nFree++] = s * k + x;
    }
  }
  for (let t = 0; t < table.length; t++) if (table[t] < 0) table[t] = rng.int(0, n - 1);

  const labels = new Int32Array(n);
  const classes = options.classes;
  if (classes !== undefined) for (let s = 0; s < n; s++) labels[s] = rng.int(0, classes.length - 1);
  else for (let s = 0; s < n; s++) labels[s] = rng.chance(p) ? 1 : 0;
  return new Dfa({ alphabet: names, classes, table, labels });
}
