// Refutation over the exact reals (--real) for one-layer diagonal LRNNs. For a fixed loop v each state
// unit evolves by an affine map h ↦ A·h + B (A, B: products and sums of the per-symbol gates), so after
// u·v^k the unit holds A^k·h_u + B·(1 − A^k)/(1 − A): a closed form for every k at once. With |A| < 1 the
// state converges, so a label the task makes alternate (parity on an odd loop) cannot keep alternating:
// the readout at the limit fixes one class. We certify, in outward-rounded interval arithmetic, a power
// k at which the model's class differs from the task's, searching small k first and then by doubling and
// bisection. Where the limit's margin cannot be separated from zero we say nothing (no guess).
import type { Dfa } from '../../automata/dfa.js';
import { type Box, pointBox } from '../../abstract/box.js';
import type { BoxNetwork } from '../../abstract/box-network.js';
import { down, iadd, imul, type Interval, up } from '../../abstract/interval.js';
import type { Word } from '../../machine.js';
import { readoutCertain } from './invariant.js';
import type { Lasso } from './lasso-word.js';
import { primitiveWords } from './lasso-search.js';
import { taskClass } from './replay.js';
import { orbitPeriod, orbitState, taskOrbit } from './task-orbit.js';
import { type Clock, wallClock } from '../../clock.js';

/** A certified real counterexample: the model is certainly `got`, the task says `expected`. */
export interface RealCounterexample {
  lasso: Lasso;
  got: number;
  expected: number;
}

/** Per-unit affine map h ↦ A·h + B with interval coefficients. */
interface Affine {
  a: Interval[];
  b: Interval[];
}

function runBox(net: BoxNetwork, start: Box, word: Word): Box {
  let box = start;
  for (const x of word) box = net.step(x, box);
  return box;
}

/** The affine map of a word on a one-layer diagonal network: B = f(0), A = f(1) − f(0) per unit. */
function affineOf(net: BoxNetwork, word: Word): Affine {
  const n = net.stateSize;
  const f0 = runBox(net, pointBox(new Float64Array(n)), word);
  const f1 = runBox(net, pointBox(new Float64Array(n).fill(1)), word);
  const a: Interval[] = [];
  const b: Interval[] = [];
  for (let i = 0; i < n; i++) {
    a.push({ lo: down(f1.lo[i] - f0.hi[i]), hi: up(f1.hi[i] - f0.lo[i]) });
    b.push({ lo: f0.lo[i], hi: f0.hi[i] });
  }
  return { a, b };
}

const REL = 2 ** -46;

/** x^k for an interval x and an integer k >= 0, outward (Math.pow's error covered by a relative slack). */
export function ipow(x: Interval, k: number): Interval {
  if (k === 0) return { lo: 1, hi: 1 };
  const p = (v: number) => Math.pow(v, k);
  if (x.lo >= 0) return { lo: Math.max(0, p(x.lo) * (1 - REL) - Number.MIN_VALUE), hi: p(x.hi) * (1 + REL) + Number.MIN_VALUE };
  if (x.hi <= 0) {
    const m = ipow({ lo: -x.hi, hi: -x.lo }, k);
    return k % 2 === 0 ? m : { lo: -m.hi, hi: -m.lo };
  }
  const m = p(Math.max(-x.lo, x.hi)) * (1 + REL) + Number.MIN_VALUE;
  return k % 2 === 0 ? { lo: 0, hi: m } : { lo: -m, hi: m };
}

/** The state box after prefix·loop^k by the closed form; null when some |A| may reach 1. */
function closedForm(h: Box, f: Affine, k: number): Box | null {
  const n = h.lo.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = f.a[i];
    if (!(a.hi < 1)) return null;
    const ak = ipow(a, k);
    const oneMinus = { lo: down(1 - a.hi), hi: up(1 - a.lo) };
    const num = { lo: down(1 - ak.hi), hi: up(1 - ak.lo) };
    const q = [num.lo / oneMinus.lo, num.lo / oneMinus.hi, num.hi / oneMinus.lo, num.hi / oneMinus.hi];
    const s = { lo: down(Math.min(...q)), hi: up(Math.max(...q)) };
    const v = iadd(imul(ak, { lo: h.lo[i], hi: h.hi[i] }), imul(f.b[i], s));
    lo[i] = v.lo;
    hi[i] = v.hi;
  }
  return { lo, hi };
}

/** The state box after prefix·loop^k by repeated squaring of the affine map (the replay's route). */
function bySquaring(h: Box, f: Affine, k: number): Box {
  const n = h.lo.length;
  let acc: Affine = { a: Array.from({ length: n }, () => ({ lo: 1, hi: 1 })), b: Array.from({ length: n }, () => ({ lo: 0, hi: 0 })) };
  let sq = f;
  // (A2, B2)∘(A1, B1) = (A2·A1, A2·B1 + B2).
  const compose = (g: Affine, first: Affine): Affine => ({
    a: g.a.map((a2, i) => imul(a2, first.a[i])),
    b: g.b.map((b2, i) => iadd(imul(g.a[i], first.b[i]), b2)),
  });
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) acc = compose(sq, acc);
    sq = compose(sq, sq);
  }
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = iadd(imul(acc.a[i], { lo: h.lo[i], hi: h.hi[i] }), acc.b[i]);
    lo[i] = v.lo;
    hi[i] = v.hi;
  }
  return { lo, hi };
}

/** The class the readout certainly gives every point of the box, or -1. */
function certainClass(net: BoxNetwork, symbol: number, box: Box): number {
  const l = net.logits(symbol, box);
  for (let c = 0; c < net.classes; c++) if (readoutCertain(l.lo, l.hi, c)) return c;
  return -1;
}

/** Options: lasso shape bounds and a deadline. */
export interface RealLassoOptions {
  maxPrefix: number;
  maxLoop: number;
  deadline: number;
  /** The clock the deadline is read on (default: the wall clock). */
  clock?: Clock;
  /** Only words of at least this length count (default 1). */
  minLength?: number;
}

const MAX_POWER = 2 ** 52;

/** Searches lassos for a certified real counterexample (one-layer diagonal networks only). */
export function searchRealLassos(net: BoxNetwork, dfa: Dfa, options: RealLassoOptions): { counterexample: RealCounterexample | null; tried: number; undecided: number } {
  const k = dfa.nSymbols;
  const loops = primitiveWords(k, options.maxLoop);
  const prefixes: Word[] = [[]];
  for (let i = 0; i < prefixes.length; i++) if (prefixes[i].length < options.maxPrefix) for (let x = 0; x < k; x++) prefixes.push([...prefixes[i], x]);
  const zero = pointBox(new Float64Array(net.stateSize));
  let tried = 0;
  let undecided = 0;
  const lassos = prefixes.flatMap((u) => loops.map((v) => ({ u, v }))).sort((p, q) => p.u.length + p.v.length - (q.u.length + q.v.length));
  // Work charged to the clock: one unit per interval step, per closed-form state and per readout; a
  // replay by squaring, one per squaring.
  const clock = options.clock ?? wallClock;
  let units = 0;
  const replayed = (h: Box, f: Affine, c: RealCounterexample): boolean => {
    units += Math.ceil(Math.log2(c.lasso.power + 1)) + 1;
    return replays(net, dfa, h, f, c);
  };
  for (const { u, v } of lassos) {
    clock.spend(units);
    units = 0;
    if (clock.now() > options.deadline) break;
    tried++;
    units += u.length + 2 * v.length;
    const h = runBox(net, zero, u);
    const f = affineOf(net, v);
    const last = v[v.length - 1];
    const orbit = taskOrbit(dfa, u, v);
    const wrongAt = (power: number): RealCounterexample | null => {
      if (u.length + power * v.length < (options.minLength ?? 1)) return null;
      units += 2;
      const box = closedForm(h, f, power);
      if (box === null) return null;
      const got = certainClass(net, last, box);
      const expected = dfa.labels[orbitState(orbit, power)];
      return got >= 0 && got !== expected ? { lasso: { prefix: u, loop: v, power }, got, expected } : null;
    };
    let found: RealCounterexample | null = null;
    for (let power = 1; power <= 64 && found === null; power++) found = wrongAt(power);
    // Doubling, then bisection between the last power that did not certify and the first that did,
    // within one residue class of the task's period p so the expected label stays the same.
    const period = orbitPeriod(orbit);
    for (let span = 64 * period; found === null && span <= MAX_POWER; span *= 2) {
      for (let r = 0; r < period && found === null; r++) {
        const c = wrongAt(span + r);
        if (c === null) continue;
        let lo = span / 2 + r;
        let hi = span + r;
        while (hi - lo > period) {
          const mid = lo + period * Math.floor((hi - lo) / (2 * period));
          if (wrongAt(mid)?.expected === c.expected) hi = mid;
          else lo = mid;
        }
        found = wrongAt(hi) ?? c;
      }
    }
    if (found === null) {
      undecided++;
      continue;
    }
    // The replay (repeated squaring) is a little looser than the closed form near the switching power:
    // step further into the wrong region, within the residue class, until both certify.
    let confirmed: RealCounterexample | null = null;
    for (let extra = 0; confirmed === null && extra <= 2 ** 40; extra = extra === 0 ? 1 : extra * 2) {
      const power = found.lasso.power + period * extra;
      if (power > MAX_POWER) break;
      const c = wrongAt(power);
      if (c !== null && c.expected === found.expected && replayed(h, f, c)) confirmed = c;
    }
    if (confirmed === null) {
      undecided++;
      continue;
    }
    // The smallest power of the residue class between the bisection's and the confirmed one at which
    // both computations certify (bisection: past the switching power the state only moves further in).
    const ok = (power: number): RealCounterexample | null => {
      const c = wrongAt(power);
      return c !== null && c.expected === found.expected && replayed(h, f, c) ? c : null;
    };
    let lo = found.lasso.power - period;
    let hi = confirmed.lasso.power;
    while (hi - lo > period) {
      const mid = lo + period * Math.floor((hi - lo) / (2 * period));
      const c = mid >= 1 ? ok(mid) : null;
      if (c !== null) {
        confirmed = c;
        hi = mid;
      } else lo = mid;
    }
    clock.spend(units);
    return { counterexample: confirmed, tried, undecided };
  }
  clock.spend(units);
  return { counterexample: null, tried, undecided };
}

/** The replay: the counterexample's state re-derived by repeated squaring, its class certified again. */
function replays(net: BoxNetwork, dfa: Dfa, h: Box, f: Affine, c: RealCounterexample): boolean {
  const box = bySquaring(h, f, c.lasso.power);
  const got = certainClass(net, c.lasso.loop[c.lasso.loop.length - 1], box);
  const expected = taskClass(dfa, c.lasso);
  return got === c.got && expected === c.expected;
}

/** The state box after a lasso over the reals on a one-layer diagonal network: the prefix stepped in intervals, the loop's affine map raised to the power by repeated squaring. */
export function lassoBoxBySquaring(net: BoxNetwork, l: Lasso): Box {
  const h = runBox(net, pointBox(new Float64Array(net.stateSize)), l.prefix);
  if (l.loop.length === 0 || l.power === 0) return h;
  return bySquaring(h, affineOf(net, l.loop), l.power);
}
