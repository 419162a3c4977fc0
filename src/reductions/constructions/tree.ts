// P0's parallel form of a linear RNN: each step h ↦ a ⊙ h + b is an affine map, affine maps compose,
// (a₁, b₁) then (a₂, b₂) = (a₁a₂, a₂b₁ + b₂), and composing them along a balanced binary tree gives the
// state after T steps with depth ⌈log₂ T⌉ and T − 1 compositions. For a diagonal LRNN checkpoint the
// gates a, b of each symbol are the stored values at a format (precision/ computes them); the tree is
// evaluated in exact dyadic arithmetic and must equal the exact (unrounded) sequential run bit for bit.
// The rounded executor is a different machine (rounding is not associative); its distance is reported.
import { InputError } from '../../errors.js';
import type { Word } from '../../machine.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { Dyadic } from '../../precision/dyadic.js';
import { toDyadic } from '../../precision/dyadic.js';
import { LrnnExec } from '../../precision/exec/lrnn.js';
import { RecurrentNetworkExec } from '../../precision/exec/network.js';
import type { NumberFormat } from '../../precision/format.js';

/** An exact diagonal affine map h ↦ a ⊙ h + b. */
export interface AffineMap {
  readonly a: readonly Dyadic[];
  readonly b: readonly Dyadic[];
}

const norm = (m: bigint, e: number): Dyadic => {
  if (m === 0n) return { m: 0n, e: 0 };
  let mm = m;
  let ee = e;
  while ((mm & 1n) === 0n) {
    mm >>= 1n;
    ee++;
  }
  return { m: mm, e: ee };
};
const mul = (x: Dyadic, y: Dyadic): Dyadic => norm(x.m * y.m, x.e + y.e);
const add = (x: Dyadic, y: Dyadic): Dyadic => {
  const e = Math.min(x.e, y.e);
  return norm((x.m << BigInt(x.e - e)) + (y.m << BigInt(y.e - e)), e);
};
/** Exact equality of dyadics (both normalised). */
export const dyadicEqual = (x: Dyadic, y: Dyadic): boolean => x.m === y.m && x.e === y.e;

/** f then g. */
export function compose(f: AffineMap, g: AffineMap): AffineMap {
  return { a: f.a.map((x, j) => mul(x, g.a[j])), b: f.b.map((x, j) => add(mul(g.a[j], x), g.b[j])) };
}

/** The tree's result with its depth and number of compositions. */
export interface TreeResult {
  readonly map: AffineMap;
  readonly depth: number;
  readonly compositions: number;
}

/** Composes maps[0..] (in reading order) along a balanced binary tree. */
export function composeTree(maps: readonly AffineMap[]): TreeResult {
  if (maps.length === 0) throw new InputError('tree composition of an empty word');
  const go = (lo: number, hi: number): TreeResult => {
    if (hi - lo === 1) return { map: maps[lo], depth: 0, compositions: 0 };
    const mid = lo + Math.ceil((hi - lo) / 2);
    const l = go(lo, mid);
    const r = go(mid, hi);
    return { map: compose(l.map, r.map), depth: 1 + Math.max(l.depth, r.depth), compositions: l.compositions + r.compositions + 1 };
  };
  return go(0, maps.length);
}

/** The exact sequential state after the maps, from h = 0. */
export function sequentialExact(maps: readonly AffineMap[]): Dyadic[] {
  let h: Dyadic[] = maps.length === 0 ? [] : maps[0].a.map(() => ({ m: 0n, e: 0 }));
  for (const f of maps) h = h.map((x, j) => add(mul(f.a[j], x), f.b[j]));
  return h;
}

/** The stored gates of each symbol of a one-layer lrnn-pos/neg checkpoint at a format. */
export function symbolMaps(ckpt: Checkpoint, format: NumberFormat): AffineMap[] {
  const net = new RecurrentNetworkExec(ckpt.config, ckpt.weights, format);
  const mixer = net.layers.length === 1 ? net.layers[0].mixer : null;
  if (!(mixer instanceof LrnnExec)) throw new InputError(`tree composition needs a one-layer lrnn-pos/lrnn-neg checkpoint (got ${ckpt.config.family}, ${ckpt.config.layers} layers)`);
  const n = mixer.stateSize;
  return Array.from({ length: ckpt.config.vocab }, (_, s) => {
    const g = mixer.gates(net.firstInput(s), { a: new Float64Array(n), b: new Float64Array(n) });
    return { a: Array.from(g.a, toDyadic), b: Array.from(g.b, toDyadic) };
  });
}

/** One row of the depth/size table: T, tree depth and compositions, and whether tree = sequential exactly. */
export interface TreeCheck {
  length: number;
  depth: number;
  compositions: number;
  sequentialSteps: number;
  equal: boolean;
  /** Bits of the largest exact mantissa (what exact arithmetic costs). */
  maxMantissaBits: number;
}

/** Checks the tree against the sequential run on one word. */
export function checkTree(maps: readonly AffineMap[], word: Word): TreeCheck {
  const steps = word.map((s) => maps[s]);
  const tree = composeTree(steps);
  const seq = sequentialExact(steps);
  // Applied to h0 = 0 the composed map's output is its b part.
  const equal = seq.every((x, j) => dyadicEqual(x, tree.map.b[j]));
  const maxMantissaBits = Math.max(...tree.map.b.map((x) => (x.m < 0n ? -x.m : x.m).toString(2).length));
  return { length: word.length, depth: tree.depth, compositions: tree.compositions, sequentialSteps: word.length, equal, maxMantissaBits };
}
