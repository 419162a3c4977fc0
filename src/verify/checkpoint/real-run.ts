// The class a checkpoint gives one word over the exact reals (`eigenstate run CKPT WORD --real`), certified:
// the logits of the state after the word are enclosed in outward-rounded intervals, and a class is named
// only when it wins on every point of them; otherwise the answer is "undecided" with the interval of the
// margin (the best class's logit minus the largest other). The enclosure is the tightest the project has
// for the network: the closed form of the loop by repeated squaring for one-layer diagonal LRNNs (any
// power), zonotopes for every other family and depth (abstract/zono-step.ts: rnn-tanh, lrnn-pd/complex,
// DeltaNet, LSTM; several layers with norms and MLPs), their order reduced along the word (abstract/zono-order.ts)
// so that a word of any length costs the same per step, and interval steps for the networks no zonotope step
// lifts (or for words too long for a zonotope of the network's size: MAX_ZONOTOPE_WORK).
import { type Box, pointBox } from '../../abstract/box.js';
import { BoxNetwork } from '../../abstract/box-network.js';
import { AbstractOverflow } from '../../abstract/interval-arith.js';
import { orderCapFor, reduceOrder } from '../../abstract/zono-order.js';
import { zonoStep } from '../../abstract/zono-step.js';
import { Zonotope } from '../../abstract/zonotope.js';
import { down, up } from '../../abstract/interval.js';
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import { readoutCertain } from './invariant.js';
import { type Lasso, lassoLength } from './lasso-word.js';
import { lassoBoxBySquaring } from './real-lasso.js';

/** Most symbols stepped one by one over the reals in intervals. */
const MAX_INTERVAL_STEPS = 2_000_000;
/**
 * Most zonotope work, symbols × n² × max(1, n/256) for a state of n values: a step maps at most 2n
 * generators of n entries, and a unit's terms grow with n for a DeltaNet (one per entry of a state row).
 * A DeltaNet of 256 values follows 3,051 symbols (about 10 s), a width-64 rnn-tanh 48,828; a longer word
 * is stepped in intervals instead.
 */
export const MAX_ZONOTOPE_WORK = 200_000_000;

/** The zonotope work of a word of `length` symbols on n state values (see MAX_ZONOTOPE_WORK). */
function zonotopeWork(length: number, n: number): number {
  return length * n * n * Math.max(1, n / 256);
}

/** A certified real readout: the class (null: undecided), the logit intervals and the margin interval. */
export interface RealRun {
  cls: number | null;
  logits: { lo: number[]; hi: number[] };
  /** [lo, hi] of (logit of `leader`) − (largest other logit): the class is certain when lo > 0 (>= 0 where ties favour it). */
  margin: [number, number];
  /** The class with the largest lower bound (the one the margin is about). */
  leader: number;
  /** How the state was enclosed. */
  method: 'closed-form' | 'zonotope' | 'intervals';
}

/** The certified class of the lasso word over the reals (InputError when it is too long for the network's route, or the enclosure overflows). */
export function realRun(ckpt: Checkpoint, l: Lasso): RealRun {
  const c = ckpt.config;
  const net = new BoxNetwork(c, ckpt.weights, null);
  const length = lassoLength(l);
  const last = l.loop.length > 0 && l.power > 0 ? l.loop[l.loop.length - 1] : l.prefix[l.prefix.length - 1];
  let state: Box;
  let method: RealRun['method'];
  // Built only where it may be used (an rnn-tanh step precomputes per symbol).
  const zono = zonotopeWork(length, net.stateSize) <= MAX_ZONOTOPE_WORK ? zonoStep(c, ckpt.weights, null, net) : null;
  try {
    if (c.layers === 1 && (c.family === 'lrnn-pos' || c.family === 'lrnn-neg')) {
      state = lassoBoxBySquaring(net, l);
      method = 'closed-form';
    } else if (zono !== null) {
      const n = net.stateSize;
      const order = orderCapFor(n);
      let z = Zonotope.fromBox(pointBox(new Float64Array(n)));
      for (const x of symbols(l)) z = reduceOrder(zono.step(z, x), order);
      state = z.hull();
      method = 'zonotope';
    } else {
      if (length > MAX_INTERVAL_STEPS) throw new InputError(`run --real: ${length} symbols is more than the ${MAX_INTERVAL_STEPS} stepped in intervals for ${c.layers}-layer ${c.family}`);
      state = pointBox(new Float64Array(net.stateSize));
      for (const x of symbols(l)) state = net.step(x, state);
      method = 'intervals';
    }
  } catch (e) {
    if (e instanceof AbstractOverflow) throw new InputError(`run --real: the enclosure of the state left the finite range (${e.message})`);
    throw e;
  }
  const logits = net.logits(last, state);
  const lo = [...logits.lo];
  const hi = [...logits.hi];
  let leader = 0;
  for (let k = 1; k < lo.length; k++) if (lo[k] > lo[leader]) leader = k;
  let otherHi = -Infinity;
  let otherLo = -Infinity;
  for (let k = 0; k < lo.length; k++) {
    if (k === leader) continue;
    otherHi = Math.max(otherHi, hi[k]);
    otherLo = Math.max(otherLo, lo[k]);
  }
  const cls = readoutCertain(lo, hi, leader) ? leader : null;
  return { cls, logits: { lo, hi }, margin: [down(lo[leader] - otherHi), up(hi[leader] - otherLo)], leader, method };
}

/** The symbols of the lasso, one at a time (never built as an array). */
function* symbols(l: Lasso): Generator<number> {
  yield* l.prefix;
  for (let i = 0; i < l.power; i++) yield* l.loop;
}
