// The linear RNN mixers (lrnn-pos, lrnn-neg, lrnn-pd, lrnn-complex) over zonotopes, one layer. Their gates
// read the input symbol only (precision/exec/lrnn.ts, lrnn-pd.ts, complex.ts), so on a fixed symbol the
// step is affine in the state:  h'_j = round(Σ_t A_jt·h_{i_t} + b_j)  with at most two terms per unit
// (diagonal: a_j·h_j; lrnn-pd: a_j·h_{perm[c*][j]}; complex: p·h_2j − q·h_2j+1 and q·h_2j + p·h_2j+1),
// the exact sum rounded once to the format. At a format the coefficients are the executor's own stored
// points (the gates of a point input are points); over the reals they are intervals A = mid ± rad. The
// image of a zonotope is then c' = Σ mid·c + mid(b), g'_k = Σ mid·g_k, exactly up to float64 rounding,
// and a fresh generator per unit carries, rounded up: Σ rad·max|h_i| (the coefficients' spread) + rad(b),
// Higham's γ bound of the float64 sums, and the format's rounding of a value of the hull's size. So the
// result contains every state the executor stores. lrnn-pd over the reals, where the argmax of the
// selector can be ambiguous, falls back on the box step (sound, not relational).
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import { permTable } from '../models/perm-table.js';
import type { NumberFormat } from '../precision/format.js';
import { softplus } from '../precision/exec/mixer.js';
import type { BoxNetwork } from './box-network.js';
import { boxWeight, LIBRARY_ULPS, possibleArgmax } from './box-mixers.js';
import type { Box } from './box.js';
import { AbstractOverflow, type IntervalArith } from './interval-arith.js';
import { icos, type Interval, isin, up } from './interval.js';
import { BoxedZonotope, roundingErrorBound, sumErrorFactor, Zonotope } from './zonotope.js';

const { abs, exp, max, min } = Math;

/** A zonotope step on one symbol: the lift the block invariant follows. */
export interface ZonoStep {
  readonly n: number;
  /** A zonotope containing every state the executor reaches from a point of `z` on `symbol`. */
  step(z: Zonotope, symbol: number): Zonotope;
}

/** The families this file lifts. */
const LINEAR = ['lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex'];

/** True for the networks whose step this file lifts: one linear RNN layer. */
export function linearZonotopeSupported(config: ModelConfig): boolean {
  return config.layers === 1 && LINEAR.includes(config.family);
}

/** The affine map of one symbol: per unit j, its terms (source, coefficient mid and radius) and offset. */
export interface AffineMap {
  /** The box step stands in where the map is not one affine map (an ambiguous lrnn-pd selection). */
  ambiguous: boolean;
  src: number[][];
  mid: number[][];
  rad: number[][];
  bMid: Float64Array;
  bRad: Float64Array;
}

/**
 * The image of z (dimension z.n) under the affine map (nOut units): centre and generators exactly up to
 * float64 (Higham's bound), the coefficients' spread, and the format's rounding where `rounded(j)`, in one
 * fresh generator per unit; a unit that only copies a source (coefficient exactly 1, no offset, not
 * rounded) is exact and takes none. Generators that end all zero are dropped.
 */
export function affineImage(z: Zonotope, map: AffineMap, nOut: number, format: NumberFormat | null, rounded: (j: number) => boolean): Zonotope {
  const nIn = z.n;
  const m = z.m;
  // max |h_i| over the input, for the coefficients' spread.
  const big = new Float64Array(nIn);
  if (map.rad.some((r) => r.some((x) => x > 0))) {
    const h = z.hull();
    for (let i = 0; i < nIn; i++) big[i] = max(abs(h.lo[i]), abs(h.hi[i]));
  }
  const c = new Float64Array(nOut);
  const g = new Float64Array((m + nOut) * nOut);
  for (let j = 0; j < nOut; j++) {
    const src = map.src[j];
    const mid = map.mid[j];
    const terms = src.length;
    const round = rounded(j);
    const copy = !round && terms === 1 && mid[0] === 1 && map.rad[j][0] === 0 && map.bMid[j] === 0 && map.bRad[j] === 0;
    let cj = map.bMid[j];
    let size = abs(cj);
    let spread = map.bRad[j];
    for (let t = 0; t < terms; t++) {
      const p = mid[t] * z.c[src[t]];
      cj += p;
      size += abs(p);
      spread = up(spread + up(map.rad[j][t] * big[src[t]]));
    }
    let radius = 0;
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let t = 0; t < terms; t++) {
        const p = mid[t] * z.g[k * nIn + src[t]];
        s += p;
        size += abs(p);
      }
      g[k * nOut + j] = s;
      radius += abs(s);
    }
    if (!Number.isFinite(cj)) throw new AbstractOverflow(`zonotope unit ${j} is not finite`);
    c[j] = cj;
    if (copy) continue;
    const err = up(up(size * sumErrorFactor(terms + 1)) + spread);
    // |Σ A·h + b| is at most the hull's bound: what the format rounds.
    const vMax = up(abs(cj) + up(radius * (1 + sumErrorFactor(m))) + err);
    const fresh = up(err + (round ? roundingErrorBound(format, vMax) : 0) + Number.MIN_VALUE);
    if (!Number.isFinite(fresh)) throw new AbstractOverflow(`zonotope unit ${j} is not finite`);
    g[(m + j) * nOut + j] = fresh;
  }
  return compact(new Zonotope(nOut, c, g, m + nOut));
}

/**
 * The reduced product of a zonotope and a box that both hold every point: a unit whose box is clearly
 * narrower than the zonotope's hull keeps the box alone (its generator entries zeroed, one new generator
 * of the box's half-width); the hull of the result is the meet of both (BoxedZonotope).
 */
export function meetBox(z: Zonotope, box: Box): Zonotope {
  const h = z.hull();
  const { n, m } = z;
  const lo = Float64Array.from(h.lo);
  const hi = Float64Array.from(h.hi);
  const c = Float64Array.from(z.c);
  const extra: number[] = [];
  const g = Float64Array.from(z.g);
  for (let j = 0; j < n; j++) {
    lo[j] = max(lo[j], box.lo[j]);
    hi[j] = min(hi[j], box.hi[j]);
    // Only a clearly narrower box: a tie (a rotation's first step) keeps the generators.
    if (!(box.hi[j] - box.lo[j] < (h.hi[j] - h.lo[j]) * (1 - 1e-6))) continue;
    for (let k = 0; k < m; k++) g[k * n + j] = 0;
    c[j] = box.lo[j] + (box.hi[j] - box.lo[j]) / 2;
    extra.push(j, up(max(box.hi[j] - c[j], c[j] - box.lo[j])));
  }
  const rows = extra.length / 2;
  const out = new Float64Array((m + rows) * n);
  out.set(g);
  for (let r = 0; r < rows; r++) out[(m + r) * n + extra[2 * r]] = extra[2 * r + 1];
  return new BoxedZonotope(compact(new Zonotope(n, c, out, m + rows)), { lo, hi });
}

/** The zonotope without its all-zero generators. */
function compact(z: Zonotope): Zonotope {
  const { n, m, g } = z;
  const keep: number[] = [];
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) {
      if (g[k * n + i] !== 0) {
        keep.push(k);
        break;
      }
    }
  }
  if (keep.length === m) return z;
  const out = new Float64Array(keep.length * n);
  keep.forEach((k, r) => out.set(g.subarray(k * n, k * n + n), r * n));
  return new Zonotope(n, z.c, out, keep.length);
}

/** Midpoint and radius (rounded up) of an interval. */
export function split(x: Interval): [number, number] {
  if (x.lo === x.hi) return [x.lo, 0];
  const m = x.lo + (x.hi - x.lo) / 2;
  return [m, up(max(x.hi - m, m - x.lo))];
}

/** One-layer linear RNN steps over zonotopes, at a format or over the reals (format null). */
export class ZonoLinear implements ZonoStep {
  readonly n: number;
  private readonly maps: AffineMap[] = [];

  constructor(
    config: ModelConfig,
    weights: Weights,
    private readonly format: NumberFormat | null,
    private readonly net: BoxNetwork,
  ) {
    if (!linearZonotopeSupported(config)) throw new InputError(`zonotope step: one linear RNN layer only, not ${config.layers} × ${config.family}`);
    this.n = config.state;
    for (let a = 0; a < config.vocab; a++) this.maps.push(affineMap(config, weights, net.ia, net.input(a)));
  }

  step(z: Zonotope, symbol: number): Zonotope {
    if (this.maps[symbol].ambiguous) return Zonotope.fromBox(this.net.step(symbol, z.hull()));
    return this.meet(this.affineStep(z, symbol), this.net.step(symbol, z.hull()));
  }

  /**
   * The reduced product with the box step: a unit whose box image (which rounds its exact ends, where the
   * zonotope adds a rounding error that never shrinks on a map of gain 1) is clearly narrower than the
   * zonotope's hull keeps the box alone (no generators). Sound: the successor lies in both, so its unit j lies in the
   * box and the other units in the zonotope's projection.
   */
  private meet(z: Zonotope, box: Box): Zonotope {
    return meetBox(z, box);
  }


  private affineStep(z: Zonotope, symbol: number): Zonotope {
    return affineImage(z, this.maps[symbol], this.n, this.format, () => true);
  }

}

/** The gates of one input u of layer `prefix`, as the box executor encloses them (points at a format for a point u), as an affine map. */
export function affineMap(config: ModelConfig, weights: Weights, ia: IntervalArith, u: { lo: Float64Array; hi: Float64Array }, prefix = 'l0.'): AffineMap {
  const d = config.width;
  const n = config.state;
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const dot = (wm: Float64Array, j: number, stride: number, bias: number) => {
    ia.begin();
    for (let i = 0; i < d; i++) ia.add2(wm[j + i * stride], wm[j + i * stride], u.lo[i], u.hi[i]);
    return ia.add1(bias, bias);
  };
  const map: AffineMap = { ambiguous: false, src: [], mid: [], rad: [], bMid: new Float64Array(n), bRad: new Float64Array(n) };
  const setB = (j: number, b: Interval) => {
    [map.bMid[j], map.bRad[j]] = split(b);
  };
  const push = (j: number, terms: [number, Interval][]) => {
    map.src[j] = terms.map(([i]) => i);
    const parts = terms.map(([, x]) => split(x));
    map.mid[j] = parts.map(([m]) => m);
    map.rad[j] = parts.map(([, r]) => r);
  };
  if (config.family === 'lrnn-complex') {
    const blocks = n / 2;
    const [wa, ca, wt, ct, wb, cb] = [w('wa'), w('ca'), w('wt'), w('ct'), w('wb'), w('cb')];
    const ew = w('w').map(exp);
    for (let j = 0; j < blocks; j++) {
      const z = dot(wa, j, blocks, ca[j]).endDouble();
      const theta = dot(wt, j, blocks, ct[j]).endDouble();
      let p: Interval;
      let q: Interval;
      if (z.lo === z.hi && theta.lo === theta.hi && ia.exact !== null) {
        // The executor's own float64 values, rounded once.
        const r = exp(-softplus(z.lo) * ew[j]);
        p = ia.store(r * Math.cos(theta.lo), r * Math.cos(theta.lo));
        q = ia.store(r * Math.sin(theta.lo), r * Math.sin(theta.lo));
      } else {
        const r = { lo: exp(-softplus(z.hi) * ew[j]) * (1 - 2 ** -48), hi: exp(-softplus(z.lo) * ew[j]) * (1 + 2 ** -48) };
        p = product(ia, r, icos(theta, LIBRARY_ULPS));
        q = product(ia, r, isin(theta, LIBRARY_ULPS));
      }
      const minusQ = { lo: -q.hi, hi: -q.lo };
      push(2 * j, [
        [2 * j, p],
        [2 * j + 1, minusQ],
      ]);
      push(2 * j + 1, [
        [2 * j, q],
        [2 * j + 1, p],
      ]);
      setB(2 * j, dot(wb, 2 * j, n, cb[2 * j]).end());
      setB(2 * j + 1, dot(wb, 2 * j + 1, n, cb[2 * j + 1]).end());
    }
    return map;
  }
  const negative = config.family !== 'lrnn-pos';
  const [wa, ca, wb, cb] = [w('wa'), w('ca'), w('wb'), w('cb')];
  const ew = w('w').map(exp);
  let source = (j: number) => j;
  if (config.family === 'lrnn-pd') {
    const table = permTable(`zonotope step: weights ${prefix}mix.perm`, weights[`${prefix}mix.perm`]);
    const k = table.rows;
    const [wp, cp] = [w('wp'), w('cp')];
    const choices = possibleArgmax(Array.from({ length: k }, (_, c) => dot(wp, c, k, cp[c]).end()));
    if (choices.length !== 1) map.ambiguous = true;
    const row = choices[0] * n;
    source = (j) => table.perm[row + j];
  }
  for (let j = 0; j < n; j++) {
    const z = dot(wa, j, n, ca[j]).endDouble();
    const e = ew[j];
    // a decreases in z: softplus increases and exp(−s·e) decreases (e > 0).
    const a = ia.storeMonotone((x) => (negative ? 2 * exp(-softplus(x) * e) - 1 : exp(-softplus(x) * e)), z, false, LIBRARY_ULPS);
    push(j, [[source(j), a]]);
    setB(j, dot(wb, j, n, cb[j]).end());
  }
  return map;
}

/** round(r·t) for r, t intervals of float64 library values, widened by the library slack (as box-mixers.ts). */
function product(ia: IntervalArith, r: Interval, t: Interval): Interval {
  const c = [r.lo * t.lo, r.lo * t.hi, r.hi * t.lo, r.hi * t.hi];
  const s = 2 ** -52 * LIBRARY_ULPS;
  return ia.store(min(...c) - s, max(...c) + s);
}
