// The recurrent mixers of precision/exec lifted to boxes: each function encloses every stored value the
// exact executor can compute from any state in the input box, following the same formulas in the same
// order (the mixer files in precision/exec state them). Inputs u and states are interval vectors.
import { match } from 'ts-pattern';
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import { refuseShortConv } from '../models/config.js';
import type { Weights } from '../models/params.js';
import { permTable } from '../models/perm-table.js';
import { sigmoid, softplus } from '../precision/exec/mixer.js';
import { VectorMemo } from '../precision/exec/vector-memo.js';
import { icos, isin, type Interval } from './interval.js';
import type { IntervalArith } from './interval-arith.js';

/** An interval vector: lo[i] <= x_i <= hi[i]. */
export interface IVec {
  lo: Float64Array;
  hi: Float64Array;
}

/** A zero interval vector of size n. */
export function ivec(n: number): IVec {
  return { lo: new Float64Array(n), hi: new Float64Array(n) };
}

/** Float64 library error allowed around exp, softplus, sigmoid, tanh, sqrt compositions (units of max(|v|,1)). */
export const LIBRARY_ULPS = 16;

/** One layer's mixer over interval vectors. */
export interface BoxMixer {
  readonly stateSize: number;
  update(u: IVec, prev: IVec, off: number, next: IVec, nextOff: number): void;
  output(u: IVec, state: IVec, off: number, y: IVec): void;
}

/** The stored weights `name` (rounded once to the format, or the float32 values over the reals). */
export function boxWeight(weights: Weights, name: string, ia: IntervalArith): Float64Array {
  const w = weights[name];
  if (w === undefined) throw new InputError(`abstract executor: weight ${name} missing`);
  return Float64Array.from(w.data, (x) => ia.weight(x));
}

function set(v: IVec, i: number, x: Interval): void {
  v.lo[i] = x.lo;
  v.hi[i] = x.hi;
}

/** Σ_i w[wOff + i·stride]·x_i + bias over intervals (the exact sum, not yet rounded). */
function dotSum(ia: IntervalArith, w: Float64Array, wOff: number, stride: number, x: IVec, n: number, bias: number): IntervalArith {
  ia.begin();
  for (let i = 0; i < n; i++) {
    const c = w[wOff + i * stride];
    ia.add2(c, c, x.lo[i], x.hi[i]);
  }
  return ia.add1(bias, bias);
}

/** y = round(h·wo) per output unit over an interval state. */
function linearOut(ia: IntervalArith, wo: Float64Array, n: number, d: number, state: IVec, off: number, y: IVec): void {
  for (let j = 0; j < d; j++) {
    ia.begin();
    for (let i = 0; i < n; i++) ia.add2(wo[i * d + j], wo[i * d + j], state.lo[off + i], state.hi[off + i]);
    set(y, j, ia.end());
  }
}

function lrnn(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  const d = config.width;
  const n = config.state;
  const negative = config.family === 'lrnn-neg';
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wa, ca, wb, cb, wo] = [w('wa'), w('ca'), w('wb'), w('cb'), w('wo')];
  const ew = w('w').map(Math.exp);
  return {
    stateSize: n,
    update(u, prev, off, next, nextOff) {
      for (let j = 0; j < n; j++) {
        const z = dotSum(ia, wa, j, n, u, d, ca[j]).endDouble();
        const e = ew[j];
        // a decreases in z: softplus increases and exp(−s·e) decreases (e > 0).
        const a = ia.storeMonotone((x) => (negative ? 2 * Math.exp(-softplus(x) * e) - 1 : Math.exp(-softplus(x) * e)), z, false, LIBRARY_ULPS);
        const b = dotSum(ia, wb, j, n, u, d, cb[j]).end();
        const h = ia.begin().add2(a.lo, a.hi, prev.lo[off + j], prev.hi[off + j]).add1(b.lo, b.hi).end();
        set(next, nextOff + j, h);
      }
    },
    output: (_u, state, off, y) => linearOut(ia, wo, n, d, state, off, y),
  };
}

/**
 * The candidates c that can be the first argmax of a z with z_c in [lo_c, hi_c]: c is out when some c'
 * is always larger (lo_c' > hi_c) or, earlier and winning ties, never smaller (c' < c, lo_c' >= hi_c).
 */
export function possibleArgmax(z: readonly Interval[]): number[] {
  let bestLo = -Infinity;
  let bestAt = -1;
  z.forEach((x, c) => {
    if (x.lo > bestLo) {
      bestLo = x.lo;
      bestAt = c;
    }
  });
  return z.flatMap((x, c) => (x.hi < bestLo || (x.hi === bestLo && bestAt < c) ? [] : [c]));
}

/** lrnn-pd: the selection as the set of possible argmaxes, the gather as the hull over them (a and b read u only). */
function permDiagonal(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  const d = config.width;
  const n = config.state;
  const table = permTable(`abstract executor: weights ${prefix}mix.perm`, weights[`${prefix}mix.perm`]);
  const k = table.rows;
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wp, cp, wa, ca, wb, cb, wo] = [w('wp'), w('cp'), w('wa'), w('ca'), w('wb'), w('cb'), w('wo')];
  const ew = w('w').map(Math.exp);
  // (choices, a, b) depend on the input box only: memoised on its bounds, as the exact executor does.
  const memo = new VectorMemo<{ choices: number[]; a: Interval[]; b: Interval[] }>(4096);
  const key = new Float64Array(2 * d);
  const gates = (u: IVec) => {
    key.set(u.lo);
    key.set(u.hi, d);
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const z = Array.from({ length: k }, (_, c) => dotSum(ia, wp, c, k, u, d, cp[c]).end());
    const a = Array.from({ length: n }, (_, j) => {
      const pre = dotSum(ia, wa, j, n, u, d, ca[j]).endDouble();
      const e = ew[j];
      return ia.storeMonotone((x) => 2 * Math.exp(-softplus(x) * e) - 1, pre, false, LIBRARY_ULPS);
    });
    const b = Array.from({ length: n }, (_, j) => dotSum(ia, wb, j, n, u, d, cb[j]).end());
    const out = { choices: possibleArgmax(z), a, b };
    memo.set(key, out);
    return out;
  };
  return {
    stateSize: n,
    update(u, prev, off, next, nextOff) {
      const { choices, a, b } = gates(u);
      for (let j = 0; j < n; j++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const c of choices) {
          const from = off + table.perm[c * n + j];
          lo = Math.min(lo, prev.lo[from]);
          hi = Math.max(hi, prev.hi[from]);
        }
        set(next, nextOff + j, ia.begin().add2(a[j].lo, a[j].hi, lo, hi).add1(b[j].lo, b[j].hi).end());
      }
    },
    output: (_u, state, off, y) => linearOut(ia, wo, n, d, state, off, y),
  };
}

function complex(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  const d = config.width;
  const n = config.state;
  const blocks = n / 2;
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wa, ca, wt, ct, wb, cb, wo] = [w('wa'), w('ca'), w('wt'), w('ct'), w('wb'), w('cb'), w('wo')];
  const ew = w('w').map(Math.exp);
  return {
    stateSize: n,
    update(u, prev, off, next, nextOff) {
      for (let j = 0; j < blocks; j++) {
        const z = dotSum(ia, wa, j, blocks, u, d, ca[j]).endDouble();
        const theta = dotSum(ia, wt, j, blocks, u, d, ct[j]).endDouble();
        let p: Interval;
        let q: Interval;
        if (z.lo === z.hi && theta.lo === theta.hi && ia.exact !== null) {
          const r = Math.exp(-softplus(z.lo) * ew[j]);
          p = ia.store(r * Math.cos(theta.lo), r * Math.cos(theta.lo));
          q = ia.store(r * Math.sin(theta.lo), r * Math.sin(theta.lo));
        } else {
          const e = ew[j];
          const r = { lo: Math.exp(-softplus(z.hi) * e), hi: Math.exp(-softplus(z.lo) * e) };
          p = storeProduct(ia, r, icos(theta, LIBRARY_ULPS));
          q = storeProduct(ia, r, isin(theta, LIBRARY_ULPS));
        }
        const b0 = dotSum(ia, wb, 2 * j, n, u, d, cb[2 * j]).end();
        const b1 = dotSum(ia, wb, 2 * j + 1, n, u, d, cb[2 * j + 1]).end();
        const [h0lo, h0hi, h1lo, h1hi] = [prev.lo[off + 2 * j], prev.hi[off + 2 * j], prev.lo[off + 2 * j + 1], prev.hi[off + 2 * j + 1]];
        set(next, nextOff + 2 * j, ia.begin().add2(p.lo, p.hi, h0lo, h0hi).add2(-q.hi, -q.lo, h1lo, h1hi).add1(b0.lo, b0.hi).end());
        set(next, nextOff + 2 * j + 1, ia.begin().add2(q.lo, q.hi, h0lo, h0hi).add2(p.lo, p.hi, h1lo, h1hi).add1(b1.lo, b1.hi).end());
      }
    },
    output: (_u, state, off, y) => linearOut(ia, wo, n, d, state, off, y),
  };
}

/** round(r·t) for r, t intervals of float64 library values, widened by the library slack. */
function storeProduct(ia: IntervalArith, r: Interval, t: Interval): Interval {
  const rr = { lo: r.lo * (1 - 2 ** -48), hi: r.hi * (1 + 2 ** -48) };
  const c = [rr.lo * t.lo, rr.lo * t.hi, rr.hi * t.lo, rr.hi * t.hi];
  const s = 2 ** -52 * LIBRARY_ULPS;
  return ia.store(Math.min(...c) - s, Math.max(...c) + s);
}

function deltanet(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  refuseShortConv(config, 'the box domain');
  const d = config.width;
  const n = config.state;
  const heads = config.heads;
  const e = n / heads;
  const negative = config.family === 'deltanet-neg';
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wq, wk, wv, wbeta, cbeta, wo] = [w('wq'), w('wk'), w('wv'), w('wbeta'), w('cbeta'), w('wo')];
  const k = ivec(n);
  const q = ivec(n);
  const v = ivec(n);
  const r = ivec(e);
  const o = ivec(n);
  const normed = (wm: Float64Array, u: IVec, out: IVec): void => {
    for (let h = 0; h < heads; h++) {
      const raw: Interval[] = [];
      for (let i = 0; i < e; i++) raw.push(dotSum(ia, wm, h * e + i, n, u, d, 0).endDouble());
      if (raw.every((x) => x.lo === x.hi) && ia.exact !== null) {
        let sq = 0;
        for (const x of raw) sq += x.lo * x.lo;
        const inv = 1 / Math.sqrt(sq + 1e-6);
        for (let i = 0; i < e; i++) set(out, h * e + i, ia.store(raw[i].lo * inv, raw[i].lo * inv));
        continue;
      }
      let sqHi = 0;
      let sqLo = 0;
      for (const x of raw) {
        const m = Math.max(Math.abs(x.lo), Math.abs(x.hi));
        const l = x.lo <= 0 && x.hi >= 0 ? 0 : Math.min(Math.abs(x.lo), Math.abs(x.hi));
        sqHi += m * m;
        sqLo += l * l;
      }
      const invLo = (1 / Math.sqrt(sqHi * (1 + 2 ** -40) + 1e-6)) * (1 - 2 ** -40);
      const invHi = (1 / Math.sqrt(sqLo * (1 - 2 ** -40) + 1e-6)) * (1 + 2 ** -40);
      for (let i = 0; i < e; i++) set(out, h * e + i, storeProduct(ia, { lo: invLo, hi: invHi }, raw[i]));
    }
  };
  return {
    stateSize: heads * e * e,
    update(u, prev, off, next, nextOff) {
      normed(wk, u, k);
      for (let i = 0; i < n; i++) set(v, i, dotSum(ia, wv, i, n, u, d, 0).end());
      for (let h = 0; h < heads; h++) {
        const z = dotSum(ia, wbeta, h, heads, u, d, cbeta[h]).endDouble();
        const beta = ia.storeMonotone((x) => (negative ? 2 * sigmoid(x) : sigmoid(x)), z, true, LIBRARY_ULPS);
        const base = h * e * e;
        for (let i = 0; i < e; i++) {
          ia.begin().add1(v.lo[h * e + i], v.hi[h * e + i]);
          for (let m = 0; m < e; m++) ia.add2(-prev.hi[off + base + i * e + m], -prev.lo[off + base + i * e + m], k.lo[h * e + m], k.hi[h * e + m]);
          set(r, i, ia.end());
        }
        for (let i = 0; i < e; i++) {
          for (let j = 0; j < e; j++) {
            const at = base + i * e + j;
            ia.begin().add1(prev.lo[off + at], prev.hi[off + at]).add3(beta.lo, beta.hi, r.lo[i], r.hi[i], k.lo[h * e + j], k.hi[h * e + j]);
            set(next, nextOff + at, ia.end());
          }
        }
      }
    },
    output(u, state, off, y) {
      normed(wq, u, q);
      for (let h = 0; h < heads; h++) {
        const base = h * e * e;
        for (let i = 0; i < e; i++) {
          ia.begin();
          for (let m = 0; m < e; m++) ia.add2(state.lo[off + base + i * e + m], state.hi[off + base + i * e + m], q.lo[h * e + m], q.hi[h * e + m]);
          set(o, h * e + i, ia.end());
        }
      }
      linearOut(ia, wo, n, d, o, 0, y);
    },
  };
}

function rnnTanh(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  const d = config.width;
  const n = config.state;
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wx, wh, b, wo] = [w('wx'), w('wh'), w('b'), w('wo')];
  return {
    stateSize: n,
    update(u, prev, off, next, nextOff) {
      for (let j = 0; j < n; j++) {
        ia.begin();
        for (let i = 0; i < d; i++) ia.add2(wx[i * n + j], wx[i * n + j], u.lo[i], u.hi[i]);
        for (let i = 0; i < n; i++) ia.add2(wh[i * n + j], wh[i * n + j], prev.lo[off + i], prev.hi[off + i]);
        set(next, nextOff + j, ia.storeMonotone(Math.tanh, ia.add1(b[j], b[j]).endDouble(), true, LIBRARY_ULPS));
      }
    },
    output: (_u, state, off, y) => linearOut(ia, wo, n, d, state, off, y),
  };
}

function lstm(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  const d = config.width;
  const n = config.state;
  const m = 4 * n;
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wx, wh, b, wo] = [w('wx'), w('wh'), w('b'), w('wo')];
  const pre: Interval[] = new Array<Interval>(m);
  return {
    stateSize: 2 * n,
    update(u, prev, off, next, nextOff) {
      for (let j = 0; j < m; j++) {
        ia.begin();
        for (let i = 0; i < d; i++) ia.add2(wx[i * m + j], wx[i * m + j], u.lo[i], u.hi[i]);
        for (let i = 0; i < n; i++) ia.add2(wh[i * m + j], wh[i * m + j], prev.lo[off + i], prev.hi[off + i]);
        pre[j] = ia.add1(b[j], b[j]).endDouble();
      }
      for (let j = 0; j < n; j++) {
        const gi = ia.storeMonotone(sigmoid, pre[j], true, LIBRARY_ULPS);
        const gf = ia.storeMonotone(sigmoid, pre[n + j], true, LIBRARY_ULPS);
        const gg = ia.storeMonotone(Math.tanh, pre[2 * n + j], true, LIBRARY_ULPS);
        const go = ia.storeMonotone(sigmoid, pre[3 * n + j], true, LIBRARY_ULPS);
        const c = ia.begin().add2(gf.lo, gf.hi, prev.lo[off + n + j], prev.hi[off + n + j]).add2(gi.lo, gi.hi, gg.lo, gg.hi).end();
        const tc = ia.storeMonotone(Math.tanh, c, true, LIBRARY_ULPS);
        set(next, nextOff + j, ia.begin().add2(go.lo, go.hi, tc.lo, tc.hi).end());
        set(next, nextOff + n + j, c);
      }
    },
    output: (_u, state, off, y) => linearOut(ia, wo, n, d, state, off, y),
  };
}

/** The box mixer of a layer; InputError for the transformer (no finite recurrent state). */
export function boxMixer(config: ModelConfig, weights: Weights, prefix: string, ia: IntervalArith): BoxMixer {
  return match(config.family)
    .with('lrnn-pos', 'lrnn-neg', () => lrnn(config, weights, prefix, ia))
    .with('lrnn-complex', () => complex(config, weights, prefix, ia))
    .with('lrnn-pd', () => permDiagonal(config, weights, prefix, ia))
    .with('deltanet-pos', 'deltanet-neg', () => deltanet(config, weights, prefix, ia))
    .with('rnn-tanh', () => rnnTanh(config, weights, prefix, ia))
    .with('lstm', () => lstm(config, weights, prefix, ia))
    .with('transformer', () => {
      throw new InputError('all-lengths verification: a transformer has no finite recurrent state (out of scope)');
    })
    .exhaustive();
}
