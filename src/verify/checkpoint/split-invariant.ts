// Split block invariants, found CEGAR-style: where one box per (task state q, last j symbols w) cannot be
// shown to read out right (its states spread over both classes' sides although every reachable one is
// right: a network that keeps an irrelevant period, say, counting zeros mod 2), the set of (q, w) becomes
// a union of boxes (parts), each inductive on its own: the zonotope image of every part under every block
// lies inside ONE part of the successor (certificate/format.ts, `split-blocks`, and its checker).
// The parts are guided by the concrete states that reach (q, w): the exact executor runs the base words
// (every word of length L0..L0+j−1, whose states the parts must hold) and seeded random words and lassos;
// the states of (q, w) are split into groups at the widest gap of one unit (a hyperplane orthogonal to
// that unit), as long as a group's hull fails the readout. Each group's hull seeds a part; the parts grow
// by Kleene iteration, an image joining the part it enlarges least, with widening; a part whose readout
// fails, or that runs away, has its group split once more and the iteration starts again (a refinement).
// Caps: parts per state, refinements per block length, sampled words, and the deadline on the clock.
// Family-independent: it needs only the block images (BlockImages), the box readout and the executor.
import type { Dfa } from '../../automata/dfa.js';
import { type Box, join, pointBox, within } from '../../abstract/box.js';
import type { BoxNetwork } from '../../abstract/box-network.js';
import type { Clock } from '../../clock.js';
import type { Word } from '../../machine.js';
import type { CheckpointMachine } from '../../precision/machine.js';
import { Rng } from '../../random.js';
import { type BlockAttempt, type BlockImages, type BlockState, baseLength, blockSteps, follow, shortStep, walkBase } from './block-invariant.js';
import { type InvariantFailure, readoutHolds, widen } from './invariant.js';

/** What the split search needs and its caps. */
export interface SplitOptions {
  net: BoxNetwork;
  images: BlockImages;
  dfa: Dfa;
  /** The exact executor (null over the reals: interval steps, their midpoints as guides). */
  machine: CheckpointMachine | null;
  minLength: number;
  readoutSplits: number;
  clock: Clock;
  /** Most parts of one (q, w). */
  maxParts: number;
  /** Largest block length split (k^j block images per part). */
  maxBlock: number;
  /** Most refinements (re-splits followed by a fresh iteration) per block length. */
  refinements: number;
  /** Random words (and lassos) run by the executor to guide the splits. */
  words: number;
  seed: number;
}

/** Updates of one part before its moving bounds are widened, and the most before it counts as runaway. */
const WIDEN_AFTER = 8;
const MAX_UPDATES = 40;
/** Most guiding states kept per (q, w), besides the base states (which the parts must hold). */
const SAMPLES_PER_STATE = 256;

/** A split search for the block lengths up to `maxBlock`, each within a deadline (searchBlockInvariant's `split`). */
export interface SplitSearch {
  maxBlock: number;
  search: (j: number, deadline: number) => BlockAttempt;
}

/** The split search over the options' network; the guiding runs are sampled once, at its first use. */
export function splitSearch(o: SplitOptions): SplitSearch {
  let runs: Run[] | null = null;
  return {
    maxBlock: o.maxBlock,
    search: (j, deadline) => {
      runs ??= sampleRuns(o, deadline);
      return trySplit(o, runs, j, deadline);
    },
  };
}

/** The guiding states of one (q, w), grouped; group g seeds part g. */
interface SplitState {
  ref: number;
  suffix: Word;
  groups: Box[][];
  extra: number;
}

interface Part {
  state: number;
  /** The group it was seeded from (-1: a state no run reached, seeded by an image). */
  group: number;
  box: Box;
  updates: number;
  before: Box | null;
}

function trySplit(o: SplitOptions, runs: readonly Run[], j: number, deadline: number): BlockAttempt {
  const { net, dfa } = o;
  const k = dfa.nSymbols;
  const code = (ref: number, w: Word) => w.reduce((x, a) => x * k + a, ref);
  const states = new Map<number, SplitState>();
  const stateOf = (ref: number, suffix: Word): SplitState => {
    const id = code(ref, suffix);
    let s = states.get(id);
    if (s === undefined) states.set(id, (s = { ref, suffix: [...suffix], groups: [[]], extra: 0 }));
    return s;
  };
  const fail = (f: InvariantFailure): BlockAttempt => ({ invariant: null, failure: f, states: states.size });
  const bad = walkBase(net, o.machine, dfa, j, o.minLength, (ref, suffix, box) => stateOf(ref, suffix).groups[0].push(box), o.clock);
  if (bad !== null) return fail(bad);
  const from = baseLength(j, o.minLength);
  for (const run of runs) {
    for (let i = from - 1; i < run.word.length; i++) {
      const s = stateOf(run.refs[i], run.word.slice(i + 1 - j, i + 1));
      if (s.extra++ < SAMPLES_PER_STATE) s.groups[0].push(run.states[i]);
    }
  }
  // Seeds: split each state's states while a group's hull fails the readout. Where the parts run out
  // before every group's hull reads out right, no iteration from these seeds can succeed: stop at once.
  for (const s of states.values()) {
    const last = s.suffix[j - 1];
    const c = dfa.labels[s.ref];
    for (let g = 0; g < s.groups.length; ) {
      if (o.clock.now() > deadline) return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' });
      if (readoutHolds(net, last, hullOf(s.groups[g]), c, o.readoutSplits, o.clock)) {
        g++;
        continue;
      }
      const halves = s.groups.length < o.maxParts ? splitGroup(s.groups[g]) : null;
      if (halves === null) return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'readout', expected: c });
      s.groups.splice(g, 1, ...halves);
    }
  }
  let last: InvariantFailure | null = null;
  for (let round = 0; round <= o.refinements; round++) {
    const r = iterate(o, j, states, code, deadline);
    if ('invariant' in r) return { invariant: { block: j, states: r.invariant }, failure: null, states: r.invariant.length };
    last = r.failure;
    if (r.failure.reason === 'budget' && r.part === null) break;
    // Refine: split the group behind the failing part once more (a state no run reached cannot be split).
    const p = r.part;
    if (p === null || p.group < 0) break;
    const s = [...states.values()][p.state];
    if (s.groups.length >= o.maxParts) break;
    const halves = splitGroup(s.groups[p.group]);
    if (halves === null) break;
    s.groups.splice(p.group, 1, ...halves);
  }
  return fail(last ?? { ref: dfa.start, history: [], symbol: null, reason: 'budget' });
}

type Iteration = { invariant: BlockState[] } | { failure: InvariantFailure; part: Part | null };

/** One Kleene iteration over parts seeded by the groups' hulls: an invariant, or the part that failed. */
function iterate(o: SplitOptions, j: number, states: Map<number, SplitState>, code: (ref: number, w: Word) => number, deadline: number): Iteration {
  const { net, dfa } = o;
  const k = dfa.nSymbols;
  const order = [...states.keys()];
  const position = new Map(order.map((id, i) => [id, i]));
  const parts: Part[] = [];
  const partsOf: number[][] = order.map(() => []);
  let dirty = new Set<number>();
  const add = (state: number, group: number, box: Box): void => {
    partsOf[state].push(parts.length);
    dirty.add(parts.length);
    parts.push({ state, group, box, updates: 0, before: null });
  };
  order.forEach((id, i) => (states.get(id) as SplitState).groups.forEach((g, gi) => add(i, gi, hullOf(g))));
  const put = (ref: number, suffix: Word, image: Box): void => {
    const id = code(ref, suffix);
    let at = position.get(id);
    if (at === undefined) {
      // A state no run reached (an over-approximation's): its own part, never split.
      at = order.length;
      order.push(id);
      position.set(id, at);
      partsOf.push([]);
      states.set(id, { ref, suffix: [...suffix], groups: [], extra: 0 });
    }
    let best = -1;
    let least = Infinity;
    for (const p of partsOf[at]) {
      if (within(image, parts[p].box)) return;
      const g = growth(parts[p].box, image);
      if (g < least) {
        least = g;
        best = p;
      }
    }
    if (best < 0) return add(at, -1, image);
    const part = parts[best];
    if (part.before === null) part.before = part.box;
    part.box = join(part.box, image);
    dirty.add(best);
  };
  const stateAt = (p: Part) => states.get(order[p.state]) as SplitState;
  const failAt = (p: Part, reason: InvariantFailure['reason'], symbol: number | null = null): Iteration => {
    const s = stateAt(p);
    return { failure: { ref: s.ref, history: s.suffix, symbol, reason, expected: dfa.labels[s.ref] }, part: p };
  };
  while (dirty.size > 0) {
    const sources = [...dirty];
    dirty = new Set();
    for (const id of sources) {
      const p = parts[id];
      const s = stateAt(p);
      if (o.clock.now() > deadline) return { failure: { ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' }, part: null };
      o.clock.spend(blockSteps(j, k));
      const overflow = o.images(p.box, j, k, (w, image) => put(follow(dfa, s.ref, w), w, image));
      if (overflow !== null) return failAt(p, 'overflow', overflow);
    }
    for (const id of dirty) {
      const p = parts[id];
      if (p.before === null) continue;
      p.updates++;
      if (p.updates > MAX_UPDATES) return failAt(p, 'budget');
      if (p.updates > WIDEN_AFTER) p.box = widen(p.before, p.box, p.updates - WIDEN_AFTER);
      p.before = null;
    }
  }
  const out: BlockState[] = [];
  for (const p of parts) {
    const s = stateAt(p);
    if (o.clock.now() > deadline) return { failure: { ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' }, part: null };
    if (!readoutHolds(net, s.suffix[j - 1], p.box, dfa.labels[s.ref], o.readoutSplits, o.clock)) return failAt(p, 'readout');
    out.push({ ref: s.ref, suffix: s.suffix, box: p.box });
  }
  return { invariant: out };
}

/** A sampled run: its word, and the executor's state and task state after each prefix. */
interface Run {
  word: Word;
  states: Box[];
  refs: number[];
}

/**
 * Runs seeded random words and lassos u·v^t (lengths 8..71) with the executor, once per search (every
 * block length reads the same runs): the guides of the splits, not part of any proof. Stops at the deadline.
 */
function sampleRuns(o: SplitOptions, deadline: number): Run[] {
  const { net, dfa } = o;
  const k = dfa.nSymbols;
  const rng = new Rng(o.seed);
  const runs: Run[] = [];
  for (let r = 0; r < o.words; r++) {
    if (o.clock.now() > deadline) break;
    const length = rng.int(8, 71);
    const word: number[] = [];
    if (r % 2 === 0) for (let i = 0; i < length; i++) word.push(rng.int(0, k - 1));
    else {
      const prefix = Array.from({ length: rng.int(0, 3) }, () => rng.int(0, k - 1));
      const loop = Array.from({ length: rng.int(1, 3) }, () => rng.int(0, k - 1));
      word.push(...prefix);
      while (word.length < length) word.push(loop[(word.length - prefix.length) % loop.length]);
    }
    let state = pointBox(new Float64Array(net.stateSize));
    let ref: number = dfa.start;
    const run: Run = { word, states: [], refs: [] };
    // Work charged to the clock: one unit per step of the run.
    o.clock.spend(word.length);
    for (const a of word) {
      const next = shortStep(net, o.machine, a, state);
      // Over the reals an interval run widens: its midpoint guides as well (guides need not be sound).
      state = o.machine !== null ? next : pointBox(Float64Array.from(next.lo, (lo, t) => lo + (next.hi[t] - lo) / 2));
      ref = dfa.table[ref * k + a];
      run.states.push(state);
      run.refs.push(ref);
    }
    runs.push(run);
  }
  return runs;
}

/** The box that holds every box of a non-empty group. */
function hullOf(group: readonly Box[]): Box {
  return group.slice(1).reduce((h, b) => join(h, b), group[0]);
}

/** Σ over the coordinates of how far `image` sticks out of `box`. */
function growth(box: Box, image: Box): number {
  let g = 0;
  for (let i = 0; i < box.lo.length; i++) g += Math.max(0, box.lo[i] - image.lo[i]) + Math.max(0, image.hi[i] - box.hi[i]);
  return g;
}

/**
 * Splits a group of states at the widest empty gap along one unit (by the boxes' midpoints, every box
 * on one side): the two halves, or null when no unit separates any two of them.
 */
export function splitGroup(group: readonly Box[]): [Box[], Box[]] | null {
  if (group.length < 2) return null;
  const n = group[0].lo.length;
  const mid = (b: Box, i: number) => b.lo[i] + (b.hi[i] - b.lo[i]) / 2;
  let bestUnit = -1;
  let bestGap = 0;
  let bestCut = 0;
  for (let i = 0; i < n; i++) {
    const v = group.map((b) => mid(b, i)).sort((x, y) => x - y);
    for (let t = 1; t < v.length; t++) {
      const gap = v[t] - v[t - 1];
      if (gap > bestGap) {
        bestGap = gap;
        bestUnit = i;
        bestCut = v[t - 1] + gap / 2;
      }
    }
  }
  if (bestUnit < 0) return null;
  const left = group.filter((b) => mid(b, bestUnit) < bestCut);
  const right = group.filter((b) => mid(b, bestUnit) >= bestCut);
  return left.length > 0 && right.length > 0 ? [left, right] : null;
}
