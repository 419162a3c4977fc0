// Refutation by lassos: at a finite format the model is a finite machine, so for fixed words u and v the
// joint state (model state, task-DFA state) after u·v^k is eventually periodic in k. Stepping k upward
// with Brent's cycle detection therefore decides the model against the task on u·v^k for every k at
// once: the first k whose labels differ is the smallest counterexample power, and a closed cycle without
// one clears the lasso for all k. Lassos are tried by iterative deepening on their length and their power
// cap; among lassos of one length, those whose readout margin came closest to zero go first (structured
// words where a decaying state drifts across the decision boundary).
import type { Dfa } from '../../automata/dfa.js';
import type { Machine, Word } from '../../machine.js';
import type { Lasso } from './lasso-word.js';
import { type Clock, wallClock } from '../../clock.js';

/** A lasso the model labels differently from the task, with both labels (class indices). */
export interface LassoCounterexample {
  lasso: Lasso;
  expected: number;
  got: number;
}

/** Bounds of the search; every loop is capped. */
export interface LassoSearchOptions<S> {
  /** Longest prefix u. */
  maxPrefix: number;
  /** Longest loop v (primitive loops only: v is not a power of a shorter word). */
  maxLoop: number;
  /** The power cap of the first iteration (each later one multiplies it by 4). */
  probePower: number;
  /** Most powers k tried per lasso. */
  maxPower: number;
  /** The clock reading past which the search stops. */
  deadline: number;
  /** The clock the deadline is read on (default: the wall clock). */
  clock?: Clock;
  /**
   * The class of a state and how far it is from the readout's decision boundary (smaller: closer), from one
   * readout evaluation; the margin orders lassos of one length. Without it: machine.classify, no ordering.
   */
  readout?: (state: S) => { cls: number; margin: number };
  /** Exact equality of two model states (faster than comparing keys); keys are compared without it. */
  sameState?: (a: S, b: S) => boolean;
  /** Only words of at least this length count (default 1); cycle detection starts at the first such power. */
  minLength?: number;
  /** Called now and then with the lasso advances done so far and the number of lassos. */
  onProgress?: (done: number, total: number) => void;
}

/** What the search found and how much of the space it covered. */
export interface LassoSearchResult {
  counterexample: LassoCounterexample | null;
  /** Lassos (distinct prefix state × loop) considered. */
  lassos: number;
  /** Lassos whose joint state sequence closed a cycle: cleared for every power. */
  closed: number;
  /** Lassos left open at the power cap or the deadline. */
  open: number;
  /** Model steps taken. */
  steps: number;
  stoppedByTime: boolean;
}

/** Most lassos (prefix × loop pairs) one search holds, shortest first: large alphabets (S5's 120 symbols) would otherwise ask for billions. */
export const MAX_LASSOS = 200_000;

/** Primitive words of length 1..maxLen over k symbols, shortest first, lexicographic within a length; at most `cap` of them. */
export function primitiveWords(k: number, maxLen: number, cap = Infinity): Word[] {
  const out: Word[] = [];
  for (let len = 1; len <= maxLen; len++) {
    const total = k ** len;
    for (let n = 0; n < total && out.length < cap; n++) {
      const w: number[] = [];
      for (let i = 0, x = n; i < len; i++, x = Math.floor(x / k)) w.unshift(x % k);
      if (isPrimitive(w)) out.push(w);
    }
  }
  return out;
}

function isPrimitive(w: readonly number[]): boolean {
  const n = w.length;
  for (let p = 1; p < n; p++) {
    if (n % p !== 0) continue;
    let periodic = true;
    for (let i = p; i < n && periodic; i++) periodic = w[i] === w[i - p];
    if (periodic) return false;
  }
  return true;
}

interface Prefix<S> {
  word: Word;
  state: S;
  ref: number;
}

/** Prefixes up to maxLen, one per distinct (model state, task state) pair, shortest first. */
function distinctPrefixes<S>(machine: Machine<S>, dfa: Dfa, maxLen: number): Prefix<S>[] {
  const k = machine.alphabet.length;
  const out: Prefix<S>[] = [{ word: [], state: machine.initial(), ref: dfa.start }];
  const seen = new Set<string>([`${dfa.start}|${machine.key(out[0].state)}`]);
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    if (p.word.length >= maxLen) continue;
    for (let x = 0; x < k; x++) {
      const state = machine.step(p.state, x);
      const ref = dfa.table[p.ref * k + x];
      const key = `${ref}|${machine.key(state)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ word: [...p.word, x], state, ref });
    }
  }
  return out;
}

interface Run<S> {
  prefix: Prefix<S>;
  loop: Word;
  /** The state and task state after prefix·loop^power. */
  state: S;
  ref: number;
  power: number;
  /** Brent: the saved joint state, and the steps until the next save. */
  savedState: S;
  savedRef: number;
  lam: number;
  limit: number;
  closed: boolean;
  minMargin: number;
  /** The first power that counts has been checked and saved (cycle detection under way). */
  started: boolean;
}

/** Searches lassos u·v^k for a word the model labels differently from the task (non-empty words only). */
export function searchLassos<S>(machine: Machine<S>, dfa: Dfa, options: LassoSearchOptions<S>): LassoSearchResult {
  const k = machine.alphabet.length;
  const loopsOfLength: Word[][] = Array.from({ length: options.maxLoop + 1 }, () => []);
  for (const loop of primitiveWords(k, options.maxLoop, MAX_LASSOS)) loopsOfLength[loop.length].push(loop);
  const prefixes = distinctPrefixes(machine, dfa, options.maxPrefix);
  const prefixSteps = prefixes.reduce((n, p) => (p.word.length < options.maxPrefix ? n + k : n), 0);
  const runs: Run<S>[] = [];
  // Shortest lassos first (the counterexample reported is then short in |u| + |v|), prefix-major within a
  // length, and at most MAX_LASSOS of them.
  for (let total = 1; total <= options.maxPrefix + options.maxLoop; total++) {
    for (const prefix of prefixes) {
      const want = total - prefix.word.length;
      if (want < 1 || want > options.maxLoop) continue;
      for (const loop of loopsOfLength[want]) {
        if (runs.length >= MAX_LASSOS) break;
        runs.push({ prefix, loop, state: prefix.state, ref: prefix.ref, power: 0, savedState: prefix.state, savedRef: prefix.ref, lam: 0, limit: 1, closed: false, minMargin: Infinity, started: false });
      }
    }
  }
  const result: LassoSearchResult = { counterexample: null, lassos: runs.length, closed: 0, open: 0, steps: 0, stoppedByTime: false };

  const minLength = Math.max(1, options.minLength ?? 1);
  // Work charged to the clock: one unit per model step (its readout included), in batches of 64 or more.
  const clock = options.clock ?? wallClock;
  clock.spend(prefixSteps);
  let charged = 0;
  const charge = (): void => {
    clock.spend(result.steps - charged);
    charged = result.steps;
  };
  const outOfTime = (): boolean => {
    if (result.steps - charged < 64) return false;
    charge();
    result.stoppedByTime = clock.now() > options.deadline;
    return result.stoppedByTime;
  };
  const stepLoop = (run: Run<S>): void => {
    for (const x of run.loop) {
      run.state = machine.step(run.state, x);
      run.ref = dfa.table[run.ref * k + x];
      result.steps++;
    }
    run.power++;
  };
  /** Advances a run up to `cap` powers; returns a counterexample, or null when closed or capped. */
  const advance = (run: Run<S>, cap: number): LassoCounterexample | null => {
    if (!run.started) {
      // Powers whose word is shorter than minLength do not count: cycle detection starts after them, so
      // a closed cycle clears exactly the powers that count (a state seen before them may not recur).
      while (run.prefix.word.length + run.power * run.loop.length < minLength) {
        if (outOfTime()) return null;
        stepLoop(run);
      }
      run.started = true;
      const c = check(run);
      if (c !== null) return c;
      save(run);
    }
    while (run.power < cap) {
      if (outOfTime()) return null;
      stepLoop(run);
      const c = check(run);
      if (c !== null) return c;
      if (run.ref === run.savedRef && same(run.state, run.savedState)) {
        run.closed = true;
        return null;
      }
      if (++run.lam === run.limit) {
        save(run);
        run.limit *= 2;
        run.lam = 0;
      }
    }
    return null;
  };
  const same = options.sameState ?? ((a: S, b: S) => machine.key(a) === machine.key(b));
  const save = (run: Run<S>): void => {
    run.savedState = run.state;
    run.savedRef = run.ref;
  };
  const check = (run: Run<S>): LassoCounterexample | null => {
    if (run.prefix.word.length + run.power * run.loop.length < minLength) return null;
    let got: number;
    if (options.readout === undefined) got = machine.classify(run.state);
    else {
      const r = options.readout(run.state);
      got = r.cls;
      run.minMargin = Math.min(run.minMargin, r.margin);
    }
    const expected = dfa.labels[run.ref];
    if (got === expected) return null;
    return { lasso: { prefix: run.prefix.word, loop: run.loop, power: run.power }, expected, got };
  };

  // Iterative deepening on both axes: iteration i advances every open lasso with |u| + |v| <= i + 1 to
  // the power cap probePower·4^i, shortest lassos first and, among equals, those whose readout margin came
  // closest to zero. Short cycles close early, and an expensive model spends its budget on the shortest
  // lassos with long powers before it widens to longer prefixes and loops.
  const maxTier = options.maxPrefix + options.maxLoop;
  const length = (r: Run<S>) => r.prefix.word.length + r.loop.length;
  let done = 0;
  for (let i = 0, cap = Math.min(options.probePower, options.maxPower); ; i++, cap = Math.min(cap * 4, options.maxPower)) {
    const tier = Math.min(i + 1, maxTier);
    const open = runs.filter((r) => !r.closed && r.power < cap && length(r) <= tier);
    open.sort((a, b) => length(a) - length(b) || a.minMargin - b.minMargin);
    for (const run of open) {
      const c = advance(run, cap);
      done++;
      if ((done & 15) === 0) options.onProgress?.(done, runs.length);
      if (c !== null) {
        result.counterexample = c;
        break;
      }
      if (result.stoppedByTime) break;
    }
    if (result.counterexample !== null || result.stoppedByTime) break;
    if (tier === maxTier && cap === options.maxPower) break;
  }
  charge();
  result.closed = runs.filter((r) => r.closed).length;
  result.open = runs.length - result.closed;
  return result;
}
