// The block checker's zonotope step for the one-layer linear RNNs lrnn-pos, lrnn-neg, lrnn-pd and
// lrnn-complex (check-blocks.ts uses it for B2). Like the rest of the checker it shares nothing with the
// search: it is written from the executor's semantics (precision/exec/lrnn.ts, lrnn-pd.ts, complex.ts):
//   z = endDouble(u·wa + ca),  a = round(exp(−softplus(z)·e^w))   (lrnn-neg, lrnn-pd: round(2·exp(…) − 1)),
//   b = round(u·wb + cb),  h'_j = round(a_j·h_src(j) + b_j)  with src(j) = j, or perm[c*][j] for lrnn-pd
//   where c* is the first argmax of round(u·wp + cp);
//   complex, per block j:  r = exp(−softplus(z)·e^w),  θ = endDouble(u·wt + ct),  p = round(r·cos θ),
//   q = round(r·sin θ),  h'_2j = round(p·h_2j − q·h_2j+1 + b_2j),  h'_2j+1 = round(q·h_2j + p·h_2j+1 + b_2j+1).
// The input u of the one layer is the Evaluator's enclosure for the symbol, so every coefficient and offset
// is an interval that depends on the symbol only (a point, or nearly, at a format), and the step is affine in
// the state. Over a zonotope c + Σ_k g_k ε_k with coefficients A = mid ± rad and offset b = mid ± rad:
//   centre Σ_t mid_t·c_src + mid(b), generators Σ_t mid_t·g_k,src: float64 sums, each off by at most
//   Higham's (T+4)·2^−52 of its Σ|terms| plus T·2^−1074 (T terms);
//   the coefficients' spread Σ_t rad_t·max|h_src| and rad(b);
//   the format's rounding of the stored value, of size at most M = the hull's bound: floats
//   (epsilon/2)·M + minSubnormal/2, fixed point ulp/2 (ulp when flooring) plus the saturation; none over the reals.
// Everything but the zonotope part goes into one fresh generator per unit, rounded up, so the result holds
// every state the executor stores; a unit whose interval step (the Evaluator's) is narrower takes that
// interval instead (the reduced product, in step()). An lrnn-pd selection that is not surely one row uses the hull of the
// candidate sources (no generators for that unit). Trusted, as in check.ts: Math.exp, log1p, cos and sin
// within 16 ulps of max(|v|, 1), IEEE float64 rounded to nearest, and the Evaluator's enclosure of u.
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { Evaluator, type V } from './check.js';
import { roundingError } from './zono-net.js';

const { abs, ceil, cos, exp, floor, log1p, max, min, PI } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
const upper = (x: number) => x + (abs(x) * E + TINY);
const lower = (x: number) => x - (abs(x) * E + TINY);
/** Library slack: 16 ulps of max(|v|, 1). */
const slack = (v: number) => max(abs(v), 1) * 16 * E + TINY;
const softplus = (x: number) => (x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)));

/** The families this step covers (one layer). */
export const LINEAR_FAMILIES: readonly string[] = ['lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex'];

/** A flat zonotope over the state: centre c and k rows of n generator entries. */
export interface Zono {
  c: Float64Array;
  g: Float64Array;
  k: number;
  /** An interval per unit that holds every point too (the reduced product), or null. */
  box: V | null;
}

/** One term of unit j's affine map: coefficient [lo, hi] times h[src] (several sources: their hull). */
export interface Term {
  src: number[];
  lo: number;
  hi: number;
}

/** The affine map of one symbol: per unit, its terms and its offset interval. */
export interface Affine {
  terms: Term[][];
  b: [number, number][];
}

/** cos over [l, h] (outward, with the library slack): the ends, and ±1 where a multiple of π may lie inside. */
function cosRange(l: number, h: number): [number, number] {
  if (!(h - l < 4)) return [-1, 1];
  let lo = min(cos(l), cos(h));
  let hi = max(cos(l), cos(h));
  // Extrema at kπ; the index range is widened so that no extremum near an end is missed.
  for (let k = ceil(l / PI - 1e-6); k <= floor(h / PI + 1e-6); k++) {
    if (k % 2 === 0) hi = 1;
    else lo = -1;
  }
  return [max(-1, lo - slack(lo)), min(1, hi + slack(hi))];
}

/** The one-layer linear RNN step over zonotopes at a format (null: over the reals), for condition B2. */
export class LinearZonotope {
  private readonly inner: AffineZonotope;

  /** The step of a one-layer lrnn-pos/neg/pd/complex checkpoint (throws on another family or depth). */
  constructor(ckpt: Checkpoint, private readonly fmt: NumberFormat | null) {
    const c = ckpt.config;
    if (c.layers !== 1 || !LINEAR_FAMILIES.includes(c.family)) throw new Error(`zonotope step: one-layer linear RNN only, not ${c.layers}-layer ${c.family}`);
    const ev = new Evaluator(ckpt, fmt);
    const w = (name: string) => ev.weight(`l0.mix.${name}`);
    const perm = c.family === 'lrnn-pd' ? ckpt.weights['l0.mix.perm'].data : null;
    const stages = Array.from({ length: c.vocab }, (_, a) => {
      const map = linearAffine(c.family, c.state, c.vocab, ev.input(a), w, perm, fmt);
      return [{ nOut: c.state, terms: map.terms, b: map.b, rounded: map.b.map(() => true) }];
    });
    this.inner = new AffineZonotope(stages, ev, roundingError(fmt));
  }

  /** The interval hull (rounded outward) of the zonotope image of the box [lo, hi] under the word, `reduce` after each step (SteppedZonotope.image). */
  image(lo: readonly number[], hi: readonly number[], word: Iterable<number>, reduce?: (z: Zono) => Zono): V {
    return this.inner.image(lo, hi, word, reduce);
  }

  /** `visit(w, hull)` for every word w of `len` symbols over `k`, lexicographically (prefixes stepped once); stops at the first false. */
  images(lo: readonly number[], hi: readonly number[], len: number, k: number, visit: (w: number[], hull: V) => boolean): boolean {
    return this.inner.images(lo, hi, len, k, visit);
  }
}

  /** [lo, hi] holding Σ_i w[j + i·stride]·u_i + bias exactly (outward float64). */
function dotOf(w: Float64Array, j: number, stride: number, u: V, bias: number): [number, number] {
    let lo = bias;
    let hi = bias;
    for (let i = 0; i < u.length; i++) {
      const x = w[j + i * stride];
      const p = x * u[i][0];
      const q = x * u[i][1];
      lo = lower(lo + lower(min(p, q)));
      hi = upper(hi + upper(max(p, q)));
    }
    return [lo, hi];
  }

  /** The executor's float64 reading of an exact sum in [lo, hi]: within 64 ulps (+2^−1074). */
function asDouble([lo, hi]: [number, number]): [number, number] {
    return [lo - (abs(lo) * 64 * E + TINY), hi + (abs(hi) * 64 * E + TINY)];
  }

  /** The stored values of reals in [lo, hi] (rounding is monotone); the interval itself over the reals. */
function storedIn(fmt: NumberFormat | null, lo: number, hi: number): [number, number] {
    if (fmt === null) return [lo, hi];
    return [fmt.round(lo) + 0, fmt.round(hi) + 0];
  }

/** The affine map of a linear RNN layer (its gates read from the interval input u), its weights `w(name)` (header). */
export function linearAffine(family: string, n: number, vocab: number, u: V, w: (name: string) => Float64Array, perm: ArrayLike<number> | null, fmt: NumberFormat | null): Affine {
    const out: Affine = { terms: [], b: [] };
    const offset = (j: number, weight: string, bias: string, stride: number) => {
      const [lo, hi] = dotOf(w(weight), j, stride, u, w(bias)[j]);
      return storedIn(fmt, lo, hi);
    };
    if (family === 'lrnn-complex') {
      const blocks = n / 2;
      const [wa, ca, wt, ct, ws] = [w('wa'), w('ca'), w('wt'), w('ct'), w('w')];
      for (let j = 0; j < blocks; j++) {
        const [zl, zh] = asDouble(dotOf(wa, j, blocks, u, ca[j]));
        const [tl, th] = asDouble(dotOf(wt, j, blocks, u, ct[j]));
        const ew = exp(ws[j]);
        // r decreases in z; its float64 value within the slack.
        const r1 = exp(-softplus(zh) * ew);
        const r2 = exp(-softplus(zl) * ew);
        const rLo = max(0, r1 - slack(r1));
        const rHi = r2 + slack(r2);
        const [cl, ch] = cosRange(tl, th);
        // sin θ = cos(θ − π/2): the float64 shift is off by less than the widening.
        const [sl, sh] = cosRange(tl - PI / 2 - (abs(tl) * 4 * E + 1e-15), th - PI / 2 + (abs(th) * 4 * E + 1e-15));
        const prod = (a: number, b: number): [number, number] => {
          const xs = [rLo * a, rLo * b, rHi * a, rHi * b];
          const lo = min(...xs);
          const hi = max(...xs);
          return storedIn(fmt, lo - (abs(lo) * 2 * E + 16 * E + TINY), hi + (abs(hi) * 2 * E + 16 * E + TINY));
        };
        const p = prod(cl, ch);
        const q = prod(sl, sh);
        out.terms[2 * j] = [
          { src: [2 * j], lo: p[0], hi: p[1] },
          { src: [2 * j + 1], lo: -q[1], hi: -q[0] },
        ];
        out.terms[2 * j + 1] = [
          { src: [2 * j], lo: q[0], hi: q[1] },
          { src: [2 * j + 1], lo: p[0], hi: p[1] },
        ];
        out.b[2 * j] = offset(2 * j, 'wb', 'cb', n);
        out.b[2 * j + 1] = offset(2 * j + 1, 'wb', 'cb', n);
      }
      return out;
    }
    let rows: number[] = [];
    if (perm !== null) {
      // The rows that can be the first argmax of the stored selector values.
      const z = Array.from({ length: vocab }, (_, c) => offset(c, 'wp', 'cp', vocab));
      const top = max(...z.map((x) => x[0]));
      const first = z.findIndex((x) => x[0] === top);
      rows = z.flatMap((x, c) => (x[1] < top || (x[1] === top && c > first) ? [] : [c]));
    }
    const [wa, ca, ws] = [w('wa'), w('ca'), w('w')];
    const neg = family !== 'lrnn-pos';
    for (let j = 0; j < n; j++) {
      const [zl, zh] = asDouble(dotOf(wa, j, n, u, ca[j]));
      const ew = exp(ws[j]);
      const f = (x: number) => (neg ? 2 * exp(-softplus(x) * ew) - 1 : exp(-softplus(x) * ew));
      // a decreases in z.
      const lo = f(zh);
      const hi = f(zl);
      const [al, ah] = storedIn(fmt, lo - slack(lo), hi + slack(hi));
      const src = perm === null ? [j] : [...new Set(rows.map((c) => perm[c * n + j]))];
      if (src.some((s) => !Number.isInteger(s) || s < 0 || s >= n)) throw new Error(`l0.mix.perm: not a permutation table of 0..${n - 1}`);
      out.terms[j] = [{ src, lo: al, hi: ah }];
      out.b[j] = offset(j, 'wb', 'cb', n);
    }
    return out;
}

/** One stored stage of a step: nOut units, each Σ terms + offset, rounded to the format where `rounded[j]`. */
export interface Stage {
  nOut: number;
  terms: Term[][];
  b: [number, number][];
  rounded: boolean[];
}

/** Σ_k |g_kj| rounded up, over rows of n. */
function spread(z: Zono, n: number, j: number): number {
  let s = 0;
  for (let k = 0; k < z.k; k++) if (z.g[k * n + j] !== 0) s = upper(s + abs(z.g[k * n + j]));
  return s;
}

/** The interval hull, rounded outward, met with the unit intervals the zonotope is known to lie in. */
export function hullOf(z: Zono): V {
  const n = z.c.length;
  return Array.from(z.c, (c, j) => {
    const r = spread(z, n, j);
    const l = lower(c - r);
    const h = upper(c + r);
    if (z.box === null) return [l, h] as [number, number];
    return [max(l, z.box[j][0]), min(h, z.box[j][1])] as [number, number];
  });
}

/** The zonotope of the box [lo, hi]: its centre, one generator per coordinate, and the box itself. */
export function fromBox(lo: readonly number[], hi: readonly number[]): Zono {
  const n = lo.length;
  const c = new Float64Array(n);
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    c[i] = lo[i] / 2 + hi[i] / 2;
    g[i * n + i] = max(upper(hi[i] - c[i]), upper(c[i] - lo[i]));
  }
  return { c, g, k: n, box: Array.from(lo, (l, i) => [l, hi[i]] as [number, number]) };
}

/** The image of z under one stage (header): exact up to the bounded errors, one fresh generator per unit. */
export function stage(z: Zono, st: Stage, roundErr: ((m: number) => number) | null): Zono {
  const nIn = z.c.length;
  const n = st.nOut;
  const K = z.k;
  const hz = hullOf(z);
  const c = new Float64Array(n);
  const g = new Float64Array((K + n) * n);
  for (let j = 0; j < n; j++) {
    const terms = st.terms[j];
    const [bl, bh] = st.b[j];
    // A point is its own midpoint (halving a subnormal could round).
    const bm = bl === bh ? bl : bl / 2 + bh / 2;
    let err = bl === bh ? 0 : max(upper(bh - bm), upper(bm - bl));
    let cj = bm;
    let cAbs = abs(bm);
    // Terms with one source keep their generators (coefficient midpoint); a hull of sources does not.
    const linear: [number, number][] = [];
    for (const t of terms) {
      const m = t.lo === t.hi ? t.lo : t.lo / 2 + t.hi / 2;
      const rad = t.lo === t.hi ? 0 : max(upper(t.hi - m), upper(m - t.lo));
      let sl = Infinity;
      let sh = -Infinity;
      for (const s of t.src) {
        sl = min(sl, hz[s][0]);
        sh = max(sh, hz[s][1]);
      }
      const big = max(abs(sl), abs(sh));
      if (t.src.length === 1) {
        const s = t.src[0];
        const p = m * z.c[s];
        cj += p;
        cAbs += abs(p);
        if (rad > 0) err = upper(err + upper(rad * big));
        linear.push([m, s]);
      } else {
        // a·h for h anywhere in the hull [sl, sh]: its range, as an offset of its own.
        const xs = [t.lo * sl, t.lo * sh, t.hi * sl, t.hi * sh];
        const pl = lower(min(...xs));
        const ph = upper(max(...xs));
        const pm = pl / 2 + ph / 2;
        cj += pm;
        cAbs += abs(pm);
        err = upper(err + max(upper(ph - pm), upper(pm - pl)));
      }
    }
    const T = terms.length;
    // A unit that copies one source (coefficient 1, no offset, not rounded) is exact.
    const copy = !st.rounded[j] && T === 1 && terms[0].lo === 1 && terms[0].hi === 1 && terms[0].src.length === 1 && bl === 0 && bh === 0;
    if (!copy) err = upper(err + upper((T + 5) * E * cAbs) + (T + 1) * TINY);
    let radius = 0;
    for (let k = 0; k < K; k++) {
      let s = 0;
      let sAbs = 0;
      for (const [m, src] of linear) {
        const v = z.g[k * nIn + src];
        if (v === 0) continue;
        const p = m * v;
        s += p;
        sAbs += abs(p);
      }
      if (sAbs === 0) continue;
      g[k * n + j] = s;
      radius = upper(radius + abs(s));
      if (!copy) err = upper(err + upper((T + 4) * E * sAbs) + T * TINY);
    }
    if (roundErr !== null && st.rounded[j]) err = upper(err + roundErr(upper(abs(cj) + upper(radius + err))));
    c[j] = cj;
    g[(K + j) * n + j] = err;
  }
  return { c, g, k: K + n, box: null };
}

/**
 * The reduced product with an interval step of the same state: a unit whose interval is clearly narrower
 * keeps the interval alone (the successor lies in both sets, so in the zonotope's projection on the other
 * units times that interval), and the hull is met with the intervals. It rounds exact ends where the
 * zonotope adds a rounding error, which a map of gain 1 (a = ±1, a permutation, a reflection) would
 * otherwise accumulate step after step. z's last n rows are its fresh generators (stage's layout).
 */
export function meet(z: Zono, box: V): Zono {
  const n = z.c.length;
  const K = z.k - n;
  const { c, g } = z;
  for (let j = 0; j < n; j++) {
    const [bl, bh] = box[j];
    if (!(Number.isFinite(bl) && Number.isFinite(bh))) continue;
    const r = upper(spread(z, n, j));
    if (!(upper(bh - bl) < 2 * r * (1 - 1e-6))) continue;
    for (let k = 0; k < K + n; k++) g[k * n + j] = 0;
    c[j] = bl / 2 + bh / 2;
    g[(K + j) * n + j] = max(upper(bh - c[j]), upper(c[j] - bl));
  }
  return { c, g, k: z.k, box: box.map(([l, h]) => [Number.isFinite(l) ? l : -Infinity, Number.isFinite(h) ? h : Infinity] as [number, number]) };
}

/** Block images of a box under words, given a family's zonotope step on one symbol. */
export abstract class SteppedZonotope {
  /** One executor step on `symbol` over zonotopes (sound at the format). */
  protected abstract step(z: Zono, symbol: number): Zono;

  /** The interval hull (rounded outward) of the zonotope image of the box [lo, hi] under the word; `reduce` (sound: its result holds its argument) bounds the generators after each step. */
  image(lo: readonly number[], hi: readonly number[], word: Iterable<number>, reduce: (z: Zono) => Zono = (z) => z): V {
    let z = fromBox(lo, hi);
    for (const a of word) z = reduce(this.step(z, a));
    return hullOf(z);
  }

  /** `visit(w, hull)` for every word w of `len` symbols over `k`, lexicographically (prefixes stepped once); stops at the first false. */
  images(lo: readonly number[], hi: readonly number[], len: number, k: number, visit: (w: number[], hull: V) => boolean): boolean {
    const w: number[] = [];
    const walk = (z: Zono): boolean => {
      for (let a = 0; a < k; a++) {
        w.push(a);
        const next = this.step(z, a);
        const ok = w.length === len ? visit([...w], hullOf(next)) : walk(next);
        w.pop();
        if (!ok) return false;
      }
      return true;
    };
    return walk(fromBox(lo, hi));
  }
}

/** Block images by a list of stages per symbol, each step met with the Evaluator's interval step. */
export class AffineZonotope extends SteppedZonotope {
  constructor(
    private readonly stages: Stage[][],
    private readonly ev: Evaluator,
    private readonly roundErr: ((m: number) => number) | null,
  ) {
    super();
  }

  /** One executor step on `symbol`: the stages, then the meet with the interval step of the hull. */
  protected step(z: Zono, symbol: number): Zono {
    let out = z;
    for (const st of this.stages[symbol]) out = stage(out, st, this.roundErr);
    return meet(out, this.ev.step(symbol, hullOf(z)));
  }

}
