// Proof by an inductive invariant: one box of network states per abstract state (a task-DFA state q and
// the last j symbols read; words shorter than j are their own abstract state), such that
//   1. the state after each one-symbol word a lies in the box of (δ(q0, a), a);
//   2. step(box(q, h), a) lies inside box(δ(q, a), suffix_j(h·a)) for every abstract state and symbol;
//   3. the readout gives every point of box(q, h) the class of q.
// By induction on the length, every non-empty word then ends in a box whose readout is the task's label:
// the model is right on every length. Boxes grow by Kleene iteration with widening (a bound that keeps
// moving is pushed out geometrically), then shrink by a few narrowing passes; the three conditions are
// checked again on the result. A failed readout refines the abstraction (longer histories j).
import type { Dfa } from '../../automata/dfa.js';
import { bisectWidest, type Box, join, within } from '../../abstract/box.js';
import type { BoxNetwork } from '../../abstract/box-network.js';
import { AbstractOverflow } from '../../abstract/interval-arith.js';
import type { Word } from '../../machine.js';
import { type Clock, wallClock } from '../../clock.js';

/** One abstract state of the invariant and its box. */
export interface AbstractState {
  readonly ref: number;
  /** The last j symbols read (the whole word when shorter). */
  readonly history: Word;
  box: Box;
}

/** Where the proof failed: an abstract state and what went wrong there. */
export interface InvariantFailure {
  ref: number;
  history: Word;
  /** The symbol whose step left the finite range, or null for a readout failure. */
  symbol: number | null;
  reason: 'readout' | 'overflow' | 'budget';
  /** The class the task wants and the logit intervals the box gives (readout failures). */
  expected?: number;
  logits?: { lo: number[]; hi: number[] };
}

/** A successful invariant: every abstract state's box, and how it was found. */
export interface Invariant {
  history: number;
  states: AbstractState[];
}

/** Budget and shape of the search. */
export interface InvariantOptions {
  /** Longest history j tried (refinement rounds 1..maxHistory). */
  maxHistory: number;
  /** Depth of box bisection when checking the readout (2^depth pieces at most per abstract state). */
  readoutSplits: number;
  deadline: number;
  /** The clock the deadline is read on (default: the wall clock). */
  clock?: Clock;
  /** Only words of at least this length must be right (default 1): condition 3 then binds only the abstract states such words reach. */
  minLength?: number;
  onRound?: (history: number, states: number) => void;
}

/** The result: an invariant, or the last failure seen. */
export interface InvariantResult {
  invariant: Invariant | null;
  failure: InvariantFailure | null;
  rounds: number;
  abstractStates: number;
}

/** Class c wins logits l (intervals) for every point: argmax picks the first maximum (network.ts). */
export function readoutCertain(lo: ArrayLike<number>, hi: ArrayLike<number>, c: number): boolean {
  for (let k = 0; k < lo.length; k++) {
    if (k === c) continue;
    if (k < c ? !(lo[c] > hi[k]) : !(lo[c] >= hi[k])) return false;
  }
  return true;
}

/** Checks condition 3 on a box, bisecting the widest coordinate up to `depth` levels; one unit of work is charged to `clock` per readout evaluated. */
export function readoutHolds(net: BoxNetwork, symbol: number, box: Box, c: number, depth: number, clock: Clock = wallClock): boolean {
  clock.spend(1);
  const l = net.logits(symbol, box);
  if (readoutCertain(l.lo, l.hi, c)) return true;
  if (depth <= 0) return false;
  const halves = bisectWidest(box);
  if (halves === null) return false;
  return readoutHolds(net, symbol, halves[0], c, depth - 1, clock) && readoutHolds(net, symbol, halves[1], c, depth - 1, clock);
}

const key = (ref: number, history: Word) => `${ref}|${history.join(',')}`;

/** Steps before a moving bound is widened, and the most updates of one box before giving up. */
const WIDEN_AFTER = 3;
const MAX_UPDATES = 200;
const NARROWING_PASSES = 3;

/** Pushes every bound of `next` that moved past `prev` further out by 2^t times its move. */
export function widen(prev: Box, next: Box, t: number): Box {
  const f = 2 ** Math.min(t, 40);
  const lo = Float64Array.from(next.lo);
  const hi = Float64Array.from(next.hi);
  for (let i = 0; i < lo.length; i++) {
    if (lo[i] < prev.lo[i]) lo[i] -= (prev.lo[i] - lo[i]) * f;
    if (hi[i] > prev.hi[i]) hi[i] += (hi[i] - prev.hi[i]) * f;
  }
  return { lo, hi };
}

/** Tries histories 1..maxHistory (firstBoxes[a]: the states after the one-symbol word a); the first invariant whose three conditions hold is returned. */
export function searchInvariant(net: BoxNetwork, dfa: Dfa, firstBoxes: readonly Box[], options: InvariantOptions): InvariantResult {
  let failure: InvariantFailure | null = null;
  let rounds = 0;
  let abstractStates = 0;
  for (let j = 1; j <= options.maxHistory; j++) {
    rounds++;
    const attempt = tryHistory(net, dfa, firstBoxes, j, options);
    abstractStates = attempt.states;
    options.onRound?.(j, attempt.states);
    if (attempt.invariant !== null) return { invariant: attempt.invariant, failure: null, rounds, abstractStates };
    failure = attempt.failure;
    if (failure?.reason === 'budget') break;
  }
  return { invariant: null, failure, rounds, abstractStates };
}

interface Attempt {
  invariant: Invariant | null;
  failure: InvariantFailure | null;
  states: number;
}

function tryHistory(net: BoxNetwork, dfa: Dfa, firstBoxes: readonly Box[], j: number, options: InvariantOptions): Attempt {
  const k = dfa.nSymbols;
  // Work charged to the clock: one unit per abstract step and per readout evaluated.
  const clock = options.clock ?? wallClock;
  const states = new Map<string, AbstractState & { updates: number }>();
  const work: string[] = [];
  const successor = (s: AbstractState, a: number) => {
    const ref = dfa.table[s.ref * k + a];
    const history = [...s.history, a].slice(-j);
    return { ref, history };
  };
  const put = (ref: number, history: Word, box: Box): void => {
    const id = key(ref, history);
    const old = states.get(id);
    if (old === undefined) {
      states.set(id, { ref, history, box, updates: 0 });
      work.push(id);
      return;
    }
    if (within(box, old.box)) return;
    old.updates++;
    const joined = join(old.box, box);
    old.box = old.updates > WIDEN_AFTER ? widen(old.box, joined, old.updates - WIDEN_AFTER) : joined;
    work.push(id);
  };
  const fail = (f: InvariantFailure): Attempt => ({ invariant: null, failure: f, states: states.size });
  for (let a = 0; a < k; a++) put(dfa.table[dfa.start * k + a], [a], firstBoxes[a]);
  // Kleene iteration with widening.
  while (work.length > 0) {
    const id = work.shift() as string;
    const s = states.get(id);
    if (s === undefined) continue;
    if (s.updates > MAX_UPDATES) return fail({ ref: s.ref, history: s.history, symbol: null, reason: 'budget' });
    if (clock.now() > options.deadline) return fail({ ref: s.ref, history: s.history, symbol: null, reason: 'budget' });
    clock.spend(k);
    for (let a = 0; a < k; a++) {
      let img: Box;
      try {
        img = net.step(a, s.box);
      } catch (e) {
        if (e instanceof AbstractOverflow) return fail({ ref: s.ref, history: s.history, symbol: a, reason: 'overflow' });
        throw e;
      }
      const t = successor(s, a);
      put(t.ref, t.history, img);
    }
  }
  // Narrowing: recompute every box as the join of its one-symbol seeds and its predecessors' images.
  const all = [...states.values()];
  for (let pass = 0; pass < NARROWING_PASSES; pass++) {
    const fresh = new Map<string, Box>();
    const add = (id: string, b: Box) => {
      const old = fresh.get(id);
      fresh.set(id, old === undefined ? b : join(old, b));
    };
    for (let a = 0; a < k; a++) add(key(dfa.table[dfa.start * k + a], [a]), firstBoxes[a]);
    if (clock.now() > options.deadline) return fail({ ref: dfa.start, history: [], symbol: null, reason: 'budget' });
    clock.spend(all.length * k);
    try {
      for (const s of all) for (let a = 0; a < k; a++) {
        const t = successor(s, a);
        add(key(t.ref, t.history), net.step(a, s.box));
      }
    } catch (e) {
      if (e instanceof AbstractOverflow) break;
      throw e;
    }
    for (const s of all) {
      const b = fresh.get(key(s.ref, s.history));
      if (b !== undefined) s.box = b;
    }
  }
  // The three conditions, checked on the final boxes (narrowing may in principle lose inductiveness).
  const invariant: Invariant = { history: j, states: all.map((s) => ({ ref: s.ref, history: s.history, box: s.box })) };
  const bad = checkInductive(net, dfa, firstBoxes, invariant, options.deadline, clock);
  if (bad !== null) return fail(bad);
  for (const s of all) {
    if (clock.now() > options.deadline) return fail({ ref: s.ref, history: s.history, symbol: null, reason: 'budget' });
    // A history shorter than j is the whole word: below the minimum length its class does not matter.
    if (s.history.length < j && s.history.length < (options.minLength ?? 1)) continue;
    const c = dfa.labels[s.ref];
    const last = s.history[s.history.length - 1];
    if (!readoutHolds(net, last, s.box, c, options.readoutSplits, clock)) {
      const l = net.logits(last, s.box);
      return fail({ ref: s.ref, history: s.history, symbol: null, reason: 'readout', expected: c, logits: { lo: [...l.lo], hi: [...l.hi] } });
    }
  }
  return { invariant, failure: null, states: all.length };
}

/** Conditions 1 and 2 of an invariant; the first violation, or null. */
function checkInductive(net: BoxNetwork, dfa: Dfa, firstBoxes: readonly Box[], inv: Invariant, deadline: number, clock: Clock): InvariantFailure | null {
  const k = dfa.nSymbols;
  const byKey = new Map(inv.states.map((s) => [key(s.ref, s.history), s]));
  for (let a = 0; a < k; a++) {
    const s = byKey.get(key(dfa.table[dfa.start * k + a], [a]));
    if (s === undefined || !within(firstBoxes[a], s.box)) return { ref: dfa.start, history: [], symbol: a, reason: 'budget' };
  }
  for (const s of inv.states) {
    if (clock.now() > deadline) return { ref: s.ref, history: s.history, symbol: null, reason: 'budget' };
    clock.spend(k);
    for (let a = 0; a < k; a++) {
      const t = byKey.get(key(dfa.table[s.ref * k + a], [...s.history, a].slice(-inv.history)));
      let img: Box;
      try {
        img = net.step(a, s.box);
      } catch (e) {
        if (e instanceof AbstractOverflow) return { ref: s.ref, history: s.history, symbol: a, reason: 'overflow' };
        throw e;
      }
      if (t === undefined || !within(img, t.box)) return { ref: s.ref, history: s.history, symbol: a, reason: 'budget' };
    }
  }
  return null;
}
