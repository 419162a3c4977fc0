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
import { bisectWidest, type Box, join, pointBox, within } from '../../abstract/box.js';
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
  /** Whether a group may be cut by a general hyperplane (2-means) where that separates it better than one unit (default true). */
  hyperplanes?: boolean;
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

/** A half-space {x : w·x <= c} (a hyperplane cut). */
export interface Cut {
  w: Float64Array;
  c: number;
}

/** Guiding states on one side of every cut made so far (the cuts by general hyperplanes; an axis-aligned cut needs none, the hull is one). */
interface Group {
  states: Box[];
  cuts: Cut[];
}

/** The guiding states of one (q, w), grouped; group g seeds part g. */
interface SplitState {
  ref: number;
  suffix: Word;
  groups: Group[];
  extra: number;
}

interface Part {
  state: number;
  /** The group it was seeded from (-1: a state no run reached, seeded by an image). */
  group: number;
  box: Box;
  /** The half-spaces that cut the box (their bounds c grow with the box). */
  cuts: Cut[];
  updates: number;
  before: { box: Box; c: number[] } | null;
}

function trySplit(o: SplitOptions, runs: readonly Run[], j: number, deadline: number): BlockAttempt {
  const { net, dfa } = o;
  const k = dfa.nSymbols;
  const code = (ref: number, w: Word) => w.reduce((x, a) => x * k + a, ref);
  const states = new Map<number, SplitState>();
  const stateOf = (ref: number, suffix: Word): SplitState => {
    const id = code(ref, suffix);
    let s = states.get(id);
    if (s === undefined) states.set(id, (s = { ref, suffix: [...suffix], groups: [{ states: [], cuts: [] }], extra: 0 }));
    return s;
  };
  const fail = (f: InvariantFailure): BlockAttempt => ({ invariant: null, failure: f, states: states.size });
  const bad = walkBase(net, o.machine, dfa, j, o.minLength, (ref, suffix, box) => stateOf(ref, suffix).groups[0].states.push(box), o.clock);
  if (bad !== null) return fail(bad);
  const from = baseLength(j, o.minLength);
  for (const run of runs) {
    for (let i = from - 1; i < run.word.length; i++) {
      const s = stateOf(run.refs[i], run.word.slice(i + 1 - j, i + 1));
      if (s.extra++ < SAMPLES_PER_STATE) s.groups[0].states.push(run.states[i]);
    }
  }
  // Seeds: split each state's states while a group's hull fails the readout. Where the parts run out
  // before every group's hull reads out right, no iteration from these seeds can succeed: stop at once.
  for (const s of states.values()) {
    const last = s.suffix[j - 1];
    const c = dfa.labels[s.ref];
    for (let g = 0; g < s.groups.length; ) {
      if (o.clock.now() > deadline) return fail({ ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' });
      const seed = seedOf(s.groups[g]);
      if (readoutOnPart(net, last, seed.box, seed.cuts, c, o.readoutSplits, o.clock)) {
        g++;
        continue;
      }
      const halves = s.groups.length < o.maxParts ? cutGroup(s.groups[g], o.hyperplanes ?? true) : null;
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
    const halves = cutGroup(s.groups[p.group], o.hyperplanes ?? true);
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
  const add = (state: number, group: number, box: Box, cuts: Cut[]): void => {
    partsOf[state].push(parts.length);
    dirty.add(parts.length);
    parts.push({ state, group, box, cuts, updates: 0, before: null });
  };
  order.forEach((id, i) =>
    (states.get(id) as SplitState).groups.forEach((g, gi) => {
      const seed = seedOf(g);
      add(i, gi, seed.box, seed.cuts);
    }),
  );
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
      if (within(image, parts[p].box) && parts[p].cuts.every((h) => dotHi(h.w, image) <= h.c)) return;
      const g = growth(parts[p], image);
      if (g < least) {
        least = g;
        best = p;
      }
    }
    if (best < 0) return add(at, -1, image, []);
    const part = parts[best];
    if (part.before === null) part.before = { box: part.box, c: part.cuts.map((h) => h.c) };
    part.box = join(part.box, image);
    // A cut the image crosses moves out to hold it (the part stays box ∩ cuts, a little larger).
    for (const h of part.cuts) h.c = Math.max(h.c, dotHi(h.w, image));
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
      if (p.updates > WIDEN_AFTER) {
        const t = p.updates - WIDEN_AFTER;
        p.box = widen(p.before.box, p.box, t);
        const f = 2 ** Math.min(t, 40);
        p.cuts.forEach((h, i) => {
          const was = (p.before as { c: number[] }).c[i];
          if (h.c > was) h.c += (h.c - was) * f;
        });
      }
      p.before = null;
    }
  }
  const out: BlockState[] = [];
  for (const p of parts) {
    const s = stateAt(p);
    if (o.clock.now() > deadline) return { failure: { ref: s.ref, history: s.suffix, symbol: null, reason: 'budget' }, part: null };
    if (!readoutOnPart(net, s.suffix[j - 1], p.box, p.cuts, dfa.labels[s.ref], o.readoutSplits, o.clock)) return failAt(p, 'readout');
    out.push({ ref: s.ref, suffix: s.suffix, box: p.box, ...(p.cuts.length > 0 ? { cuts: p.cuts.map((h) => ({ w: h.w, c: h.c })) } : {}) });
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

/** Σ over the coordinates and the cuts of how far `image` sticks out of the part. */
function growth(part: Part, image: Box): number {
  const { box } = part;
  let g = 0;
  for (let i = 0; i < box.lo.length; i++) g += Math.max(0, box.lo[i] - image.lo[i]) + Math.max(0, image.hi[i] - box.hi[i]);
  for (const h of part.cuts) g += Math.max(0, dotHi(h.w, image) - h.c);
  return g;
}

/** The largest w·x over the box (a guide: the checker bounds it again with directed rounding). */
export function dotHi(w: Float64Array, box: Box): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.max(w[i] * box.lo[i], w[i] * box.hi[i]);
  return s;
}

/** The smallest w·x over the box. */
function dotLo(w: Float64Array, box: Box): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.min(w[i] * box.lo[i], w[i] * box.hi[i]);
  return s;
}

/** Relative slack on a cut's bound over its states, so that the checker's directed rounding (and its interval states) stay inside. */
const CUT_SLACK = 1e-9;

/**
 * The part a group seeds: the hull of its states, and its cuts with each bound c lowered to the largest
 * w·x over the group (plus a slack), the tightest half-space of that direction that holds them all.
 */
function seedOf(g: Group): { box: Box; cuts: Cut[] } {
  const box = hullOf(g.states);
  const cuts = g.cuts.map((h) => {
    let top = -Infinity;
    let size = 0;
    for (const b of g.states) {
      top = Math.max(top, dotHi(h.w, b));
      size = Math.max(size, dotHi(h.w.map(Math.abs), { lo: b.lo.map(Math.abs), hi: b.hi.map(Math.abs) }));
    }
    return { w: h.w, c: Math.min(h.c, top + CUT_SLACK * (1 + size)) };
  });
  return { box, cuts };
}

/**
 * The readout gives class c everywhere in box ∩ cuts: readoutHolds's bisection, but a sub-box wholly
 * outside some cut holds no point of the part and needs no readout.
 */
export function readoutOnPart(net: BoxNetwork, symbol: number, box: Box, cuts: readonly Cut[], c: number, depth: number, clock: Clock): boolean {
  if (cuts.length === 0) return readoutHolds(net, symbol, box, c, depth, clock);
  if (cuts.some((h) => dotLo(h.w, box) > h.c)) return true;
  if (readoutHolds(net, symbol, box, c, 0, clock)) return true;
  if (depth <= 0) return false;
  const halves = bisectWidest(box);
  if (halves === null) return false;
  return readoutOnPart(net, symbol, halves[0], cuts, c, depth - 1, clock) && readoutOnPart(net, symbol, halves[1], cuts, c, depth - 1, clock);
}

/** Lloyd iterations of the 2-means that finds the direction of a hyperplane cut. */
const KMEANS_ROUNDS = 8;

/**
 * Splits a group in two by the better of two cuts of its states' midpoints: the widest empty gap along one
 * unit (splitGroup; the halves' hulls already separate them, so no cut is recorded) and the widest empty
 * gap along the normal w between the centroids of a 2-means clustering (a general hyperplane w·x = c; the
 * halves record the half-spaces w·x <= c and −w·x <= −c). Gaps are compared along unit vectors. Null when
 * neither separates any two states.
 */
export function cutGroup(g: Group, hyperplanes = true): [Group, Group] | null {
  const axis = splitGroup(g.states);
  const axisGap = axis === null ? 0 : gapOf(axis);
  const plane = hyperplanes ? hyperplaneCut(g.states) : null;
  if (plane !== null && plane.gap > axisGap) {
    const { w, c, left, right } = plane;
    return [
      { states: left, cuts: [...g.cuts, { w, c }] },
      { states: right, cuts: [...g.cuts, { w: w.map((x) => -x), c: -c }] },
    ];
  }
  return axis === null ? null : [{ states: axis[0], cuts: g.cuts }, { states: axis[1], cuts: g.cuts }];
}

const midOf = (b: Box): Float64Array => b.lo.map((l, i) => l + (b.hi[i] - l) / 2);

/** The widest empty gap between two halves of an axis-aligned split (along the unit that separates them best). */
function gapOf([left, right]: [Box[], Box[]]): number {
  let best = 0;
  for (let i = 0; i < left[0].lo.length; i++) {
    const l = left.map((b) => midOf(b)[i]);
    const r = right.map((b) => midOf(b)[i]);
    best = Math.max(best, Math.min(...r) - Math.max(...l), Math.min(...l) - Math.max(...r));
  }
  return best;
}

/** The 2-means hyperplane cut of a group's midpoints: unit normal w, threshold c at the widest gap along w, the halves; null if no gap. */
export function hyperplaneCut(states: readonly Box[]): { w: Float64Array; c: number; gap: number; left: Box[]; right: Box[] } | null {
  if (states.length < 2) return null;
  const pts = states.map(midOf);
  const n = pts[0].length;
  const dist = (a: Float64Array, b: Float64Array) => a.reduce((t, x, i) => t + (x - b[i]) ** 2, 0);
  const mean = new Float64Array(n);
  for (const p of pts) p.forEach((x, i) => (mean[i] += x / pts.length));
  // Seeds: the point farthest from the mean, then the one farthest from it.
  const far = (from: Float64Array) => pts.reduce((best, p) => (dist(p, from) > dist(best, from) ? p : best), pts[0]);
  let a = Float64Array.from(far(mean));
  let b = Float64Array.from(far(a));
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    const sa = new Float64Array(n);
    const sb = new Float64Array(n);
    let na = 0;
    let nb = 0;
    for (const p of pts) {
      if (dist(p, a) <= dist(p, b)) {
        na++;
        p.forEach((x, i) => (sa[i] += x));
      } else {
        nb++;
        p.forEach((x, i) => (sb[i] += x));
      }
    }
    if (na === 0 || nb === 0) break;
    a = sa.map((x) => x / na);
    b = sb.map((x) => x / nb);
  }
  const d = b.map((x, i) => x - a[i]);
  const norm = Math.hypot(...d);
  if (!(norm > 0)) return null;
  const w = d.map((x) => x / norm);
  const proj = pts.map((p) => p.reduce((t, x, i) => t + w[i] * x, 0));
  const sorted = [...proj].sort((x, y) => x - y);
  let gap = 0;
  let c = 0;
  for (let t = 1; t < sorted.length; t++) {
    if (sorted[t] - sorted[t - 1] > gap) {
      gap = sorted[t] - sorted[t - 1];
      c = sorted[t - 1] + gap / 2;
    }
  }
  if (!(gap > 0)) return null;
  const left = states.filter((_, i) => proj[i] < c);
  const right = states.filter((_, i) => proj[i] >= c);
  return left.length > 0 && right.length > 0 ? { w, c, gap, left, right } : null;
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
