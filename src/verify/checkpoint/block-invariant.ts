// Proof by a block invariant: one box per (task state q, last j symbols w) that holds the state after
// every word of length >= j reaching q and ending in w, inductive under blocks of j symbols followed with
// zonotopes (certificate/format.ts states the three conditions the checker verifies). Where a box
// invariant (invariant.ts) takes one interval step per symbol, and a network that keeps its state in
// saturated tanh units widens its boxes on every step, a zonotope follows the whole block relationally,
// so a network that forgets all but its task state within j symbols maps each box into a small one.
// The boxes start as the hulls of the exact states of words of length j..2j−1 and grow by Kleene
// iteration (a worklist of boxes whose images must be recomputed) with widening; the readout is then
// checked on every box. A failed readout or a runaway box tries the next block length. With a minimum
// length N the boxes hold the words of length >= max(j, N) instead (baseLength).
import type { Dfa } from '../../automata/dfa.js';
import { type Box, join, pointBox, within } from '../../abstract/box.js';
import type { BoxNetwork } from '../../abstract/box-network.js';
import { AbstractOverflow } from '../../abstract/interval-arith.js';
import type { ZonoStep } from '../../abstract/zono-lrnn.js';
import { Zonotope } from '../../abstract/zonotope.js';
import type { Word } from '../../machine.js';
import type { CheckpointMachine } from '../../precision/machine.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { NetZonotope } from '../certificate/zono-net.js';
import { type InvariantFailure, readoutHolds, widen } from './invariant.js';
import { type Clock, wallClock } from '../../clock.js';

/** One box of a block invariant. */
export interface BlockState {
  readonly ref: number;
  /** The last j symbols read. */
  readonly suffix: Word;
  box: Box;
  /** Half-spaces {x : w·x <= c} that cut the box (a split part's hyperplane cuts; none by default). */
  cuts?: { w: Float64Array; c: number }[];
}

/** A block invariant: the block length j and every box (a split invariant lists several boxes, its parts, for one (ref, suffix)). */
export interface BlockInvariant {
  block: number;
  states: BlockState[];
}

/** Budget and shape of the search. */
export interface BlockOptions {
  /** Block lengths tried, in order. */
  blocks: readonly number[];
  readoutSplits: number;
  deadline: number;
  /** The clock the deadline is read on (default: the wall clock). */
  clock?: Clock;
  /** The exact executor that the short words run in, or null over the reals (interval steps). */
  machine: CheckpointMachine | null;
  /** Only words of at least this length N must be right (default 1); the boxes then hold the words of length >= max(j, N). */
  minLength?: number;
  onRound?: (block: number, boxes: number) => void;
  /** A split search (split-invariant.ts) for the block lengths up to its `maxBlock` (and, right after their one-box attempt, up to `longest`), tried within a deadline. */
  split?: { maxBlock: number; longest?: number; search: (j: number, deadline: number) => BlockAttempt };
}

/** The share of the time left that the split searches may take together, once every one-box attempt up to their cap has failed. */
const SPLIT_SHARE = 1 / 3;
/** The share of the time left that one split search at a block length above `maxBlock` (up to `longest`) may take. */
const LONG_SPLIT_SHARE = 1 / 2;

/** The result: an invariant, or the last failure seen. */
export interface BlockResult {
  invariant: BlockInvariant | null;
  failure: InvariantFailure | null;
  rounds: number;
  abstractStates: number;
}

/** Updates of one box before its moving bounds are widened, and the most before giving up. */
const WIDEN_AFTER = 8;
const MAX_UPDATES = 40;

/**
 * The zonotope images of a box under every block of j symbols over k: `take(w, hull)` per block w, the
 * symbol of a step that left the finite range, or null. One-layer rnn-tanh: `zonotopeImages` below;
 * deeper rnn-tanh: the certificate checker's own step (all-lengths.ts), the one that must accept the boxes.
 */
export type BlockImages = (box: Box, j: number, k: number, take: (w: Word, image: Box) => void) => number | null;

/**
 * Tries each block length in turn; the first invariant whose readout holds everywhere is returned. With a
 * split search, the lengths it covers are tried with one box per state first, then split (sharing
 * SPLIT_SHARE of the time left then), and only then the longer ones, each longer one up to the split
 * search's `longest` split right after its one-box attempt fails (within LONG_SPLIT_SHARE of the time
 * left): a model proved with one box per state at some j <= the split search's `maxBlock` is proved
 * exactly as without it, and one proved with one box at a longer j as well unless a split proves it at
 * a shorter one above `maxBlock`.
 */
export function searchBlockInvariant(net: BoxNetwork, images: BlockImages, dfa: Dfa, options: BlockOptions): BlockResult {
  let failure: InvariantFailure | null = null;
  let rounds = 0;
  let abstractStates = 0;
  const clock = options.clock ?? wallClock;
  const split = options.split;
  const splitBlocks = split === undefined ? [] : options.blocks.filter((j) => j <= split.maxBlock);
  const longest = split === undefined ? 0 : (split.longest ?? split.maxBlock);
  const longer = options.blocks.filter((j) => !splitBlocks.includes(j)).flatMap((j) => (j <= longest ? [{ j, split: false }, { j, split: true }] : [{ j, split: false }]));
  const order = [...splitBlocks.map((j) => ({ j, split: false })), ...splitBlocks.map((j) => ({ j, split: true })), ...longer];
  let splitDeadline: number | null = null;
  let lastOneBox: BlockAttempt | null = null;
  for (const { j, split: splitting } of order) {
    let attempt: BlockAttempt;
    if (splitting && split !== undefined) {
      const now = clock.now();
      if (now > options.deadline) break;
      if (j > split.maxBlock) {
        // Above maxBlock a split follows only a one-box attempt that failed on a readout (boxes hold the
        // wrong states), not one that ran away or overflowed: splitting would not help those.
        if (lastOneBox?.failure?.reason !== 'readout') continue;
        attempt = split.search(j, now + (options.deadline - now) * LONG_SPLIT_SHARE);
      } else {
        splitDeadline ??= now + (options.deadline - now) * SPLIT_SHARE;
        if (now > splitDeadline) continue;
        attempt = split.search(j, splitDeadline);
      }
    } else {
      rounds++;
      attempt = tryBlock(net, images, dfa, j, options);
      lastOneBox = attempt;
    }
    abstractStates = attempt.states;
    options.onRound?.(j, attempt.states);
    if (attempt.invariant !== null) return { invariant: attempt.invariant, failure: null, rounds, abstractStates };
    // The one-box failure is the one reported (a split failure is reported only where no one-box one is).
    if (!splitting || failure === null) failure = attempt.failure;
    if (!splitting && attempt.failure?.reason === 'budget' && clock.now() > options.deadline) break;
  }
  return { invariant: null, failure, rounds, abstractStates };
}

/** One attempt at one block length: an invariant, or its failure; how many boxes (or states) it had. */
export interface BlockAttempt {
  invariant: BlockInvariant | null;
  failure: InvariantFailure | null;
  states: number;
}

function tryBlock(net: BoxNetwork, images: BlockImages, dfa: Dfa, j: number, options: BlockOptions): BlockAttempt {
  const k = dfa.nSymbols;
  // Work charged to the clock: one unit per step (exact, interval or zonotope) and per readout evaluated.
  const clock = options.clock ?? wallClock;
  const code = (w: Word) => w.reduce((x, a) => x * k + a, 0);
  const key = (ref: number, w: Word) => ref * k ** j + code(w);
  const boxes = new Map<number, BlockState & { updates: number; before: Box | null }>();
  let dirty = new Set<number>();
  const fail = (f: InvariantFailure): BlockAttempt => ({ invariant: null, failure: f, states: boxes.size });
  // Joins within a round; a box that grew in a round counts one update, and is widened against its box
  // at the round's start once it has grown in more than WIDEN_AFTER rounds.
  const put = (ref: number, suffix: Word, box: Box): void => {
    const id = key(ref, suffix);
    const old = boxes.get(id);
    if (old === undefined) {
      boxes.set(id, { ref, suffix, box, updates: 0, before: null });
      dirty.add(id);
      return;
    }
    if (within(box, old.box)) return;
    if (old.before === null) old.before = old.box;
    old.box = join(old.box, box);
    dirty.add(id);
  };
  const bad = walkBase(net, options.machine, dfa, j, options.minLength ?? 1, put, clock);
  if (bad !== null) return fail(bad);
  // Kleene iteration in rounds: the images of every box that grew in the last round, under every block.
  while (dirty.size > 0) {
    const sources = [...dirty].map((id) => boxes.get(id) as BlockState & { updates: number; before: Box | null });
    dirty = new Set();
    for (const s of sources) {
      if (clock.now() > options.deadline) return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' });
      clock.spend(blockSteps(j, k));
      const overflow = images(s.box, j, k, (w, image) => put(follow(dfa, s.ref, w), w, image));
      if (overflow !== null) return fail({ ref: s.ref, history: s.suffix, symbol: overflow, reason: 'overflow' });
    }
    for (const id of dirty) {
      const s = boxes.get(id) as BlockState & { updates: number; before: Box | null };
      if (s.before === null) continue;
      s.updates++;
      if (s.updates > MAX_UPDATES) return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' });
      if (s.updates > WIDEN_AFTER) s.box = widen(s.before, s.box, s.updates - WIDEN_AFTER);
      s.before = null;
    }
  }
  const states = [...boxes.values()].map(({ ref, suffix, box }) => ({ ref, suffix, box }));
  for (const s of states) {
    if (clock.now() > options.deadline) return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' });
    const c = dfa.labels[s.ref];
    const last = s.suffix[j - 1];
    if (!readoutHolds(net, last, s.box, c, options.readoutSplits, clock)) {
      const l = net.logits(last, s.box);
      return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'readout', expected: c, logits: { lo: [...l.lo], hi: [...l.hi] } });
    }
  }
  return { invariant: { block: j, states }, failure: null, states: states.length };
}

/**
 * The base: every word shorter than L0 + j, L0 = max(j, N), exactly (its class is checked from the
 * minimum length N on), calling `put` with the states of lengths L0..L0+j−1 (the seeds of the boxes, which
 * must hold them); the first wrong readout, or null.
 */
export function walkBase(net: BoxNetwork, machine: CheckpointMachine | null, dfa: Dfa, j: number, minLength: number, put: (ref: number, suffix: Word, state: Box) => void, clock: Clock = wallClock): InvariantFailure | null {
  const k = dfa.nSymbols;
  const from = baseLength(j, minLength);
  const base = (state: Box, ref: number, word: Word): InvariantFailure | null => {
    if (word.length > 0) {
      // Work charged to the clock: the step to this word and its readout.
      clock.spend(1);
      const last = word[word.length - 1];
      if (word.length >= minLength && !readoutHolds(net, last, state, dfa.labels[ref], 0, clock)) return { ref, history: word, symbol: null, reason: 'readout', expected: dfa.labels[ref] };
      if (word.length >= from) put(ref, word.slice(-j), state);
    }
    if (word.length === from + j - 1) return null;
    for (let a = 0; a < k; a++) {
      const f = base(shortStep(net, machine, a, state), dfa.table[ref * k + a], [...word, a]);
      if (f !== null) return f;
    }
    return null;
  };
  return base(pointBox(new Float64Array(net.stateSize)), dfa.start, []);
}

/**
 * The state after one more symbol of a short word: the exact executor's point at a format; over the
 * reals the interval step, padded by 10^−9 of its size so that the checker's own (slightly different)
 * interval evaluation of the same word lands inside too.
 */
export function shortStep(net: BoxNetwork, machine: CheckpointMachine | null, symbol: number, state: Box): Box {
  if (machine !== null) return pointBox(machine.step({ values: state.lo, symbol: -1, node: null }, symbol).values);
  const b = net.step(symbol, state);
  const pad = (x: number) => Math.max(Math.abs(x), 1) * 1e-9;
  return { lo: b.lo.map((x) => x - pad(x)), hi: b.hi.map((x) => x + pad(x)) };
}

/** L0 = max(j, N): the boxes of blocks of j symbols hold the states after the words of length >= L0 (the base checks the shorter ones, and those up to L0 + j − 1). */
export function baseLength(j: number, minLength: number): number {
  return Math.max(j, minLength);
}

/** The zonotope steps of one box's images under every block of j symbols over k, prefixes shared: k + k² + ... + k^j. */
export function blockSteps(j: number, k: number): number {
  let n = 0;
  for (let i = 1, p = k; i <= j; i++, p *= k) n += p;
  return n;
}

/** δ(q, w). */
export function follow(dfa: Dfa, q: number, w: Word): number {
  let r = q;
  for (const a of w) r = dfa.table[r * dfa.nSymbols + a];
  return r;
}

/**
 * The block images of an rnn-tanh of any depth by the certificate checker's own zonotope step
 * (certificate/zono-net.ts): where the search has no lift of its own, it grows its boxes with the very
 * images the checker's B2 will compare them with. A hull that is not finite stops at its last symbol.
 */
export function netZonotopeImages(ckpt: Checkpoint, format: NumberFormat | null): BlockImages {
  const nz = new NetZonotope(ckpt, format);
  return (box, j, k, take) => {
    let overflow: number | null = null;
    nz.images([...box.lo], [...box.hi], j, k, (w, hull) => {
      if (hull.some(([l, u]) => !Number.isFinite(l) || !Number.isFinite(u))) {
        overflow = w[w.length - 1];
        return false;
      }
      take(w, { lo: Float64Array.from(hull, (v) => v[0]), hi: Float64Array.from(hull, (v) => v[1]) });
      return true;
    });
    return overflow;
  };
}

/** The block images of a network by its zonotope step (one-layer rnn-tanh, the linear RNNs; prefixes shared, depth first). */
export function zonotopeImages(zono: ZonoStep): BlockImages {
  return (box, j, k, take) => images(zono, box, j, k, take);
}

/**
 * Calls `take(w, hull)` with the hull of the zonotope image of `box` under every block w of j symbols
 * (prefixes shared, depth first); the symbol of a step that left the finite range, or null.
 */
function images(zono: ZonoStep, box: Box, j: number, k: number, take: (w: Word, image: Box) => void): number | null {
  const word: number[] = [];
  const walk = (z: Zonotope): number | null => {
    for (let a = 0; a < k; a++) {
      let next: Zonotope;
      let image: Box | null = null;
      try {
        next = zono.step(z, a);
        if (word.length === j - 1) image = next.hull();
      } catch (e) {
        if (e instanceof AbstractOverflow) return a;
        throw e;
      }
      word.push(a);
      const r = image !== null ? (take([...word], image), null) : walk(next);
      word.pop();
      if (r !== null) return r;
    }
    return null;
  };
  return walk(Zonotope.fromBox(box));
}
