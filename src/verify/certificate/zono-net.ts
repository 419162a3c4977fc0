// The block checker's zonotope step for rnn-tanh networks of any depth, with RMS norms, MLPs and
// residuals (check-blocks.ts uses it for B2 where the network has more than one layer). Like the rest of
// the checker it shares nothing with the search: it is written from the executor's semantics
// (precision/exec/network.ts, rnn.ts, arith.ts):
//   x = embed[a];  per layer l:  u = norm1(x)  (layer 0: the Evaluator's enclosure of the fixed input),
//     h'_j = round(tanh(endDouble(Σ_i wx_ij u_i + Σ_i wh_ij h_i + b_j))),
//     and below the last layer  y = round(wo·h'),  x = round(x + y),  with an MLP
//     v = norm2(x),  t = max(0, round(w1·v + b1)),  y2 = round(w2·t + b2),  x = round(x + y2);
//   norm(x)_i = round(x_i·g_i·inv),  inv = 1/sqrt(endDouble(Σ x²)/d + 1e−6)  (identity without gains).
//
// A vector of values is a zonotope c + Σ_k g_k ε_k over ONE shared set of noise symbols ε_k ∈ [−1, 1]
// (a generator index means the same ε in every vector of the step, which is what keeps the relations
// between layers). Every operation below computes an exact real operation's image in float64; each
// computed value's difference from the exact one, each rounding of the executor and each non-linear
// remainder is bounded (rounded up) and added to the vector's own noise (a radius per coordinate, FRESH:
// shared with nothing), which becomes one fresh generator per coordinate where a linear map mixes the
// coordinates and at the end of the step; so the result always holds every value the executor can store:
//   linear  Σ_i w_i z_i + b: Higham's bound (m+4)·2^−52 of the computed Σ|terms|, plus m·2^−1074, for the
//           centre and for every generator coordinate (as in check-blocks.ts, step 1);
//   add     one rounding of each sum: 2^−52 of the computed magnitude, plus 2^−1074;
//   scale   one rounding of each product (likewise);
//   round   the format's rounding error for values of size at most M (the hull's bound): floats
//           (epsilon/2)·M + minSubnormal/2, fixed point ulp/2 (ulp for floor) plus the saturation;
//   endDouble  64·2^−52 of the hull's bound (+2^−1074), as the Evaluator's `pre`;
//   tanh    DeepZ: λ = min(sech²) on the hull [l, u] (times 1 − 1e−9), tanh(z) − λz nondecreasing there,
//           so tanh ∈ λz + μ ± β from its values at l and u (Math.tanh within 16 ulps); at a format the
//           executor's Math.tanh adds 16 ulps more;
//   relu    for any λ ∈ [0, 1], relu(z) − λz lies in [0, max(−λl, (1 − λ)u)] on [l, u]: λ = u/(u − l);
//   norm    inv is decreasing in Σx², so its range follows from the hull's bounds on Σx² (widened by
//           endDouble's 64 ulps and the 4 float64 operations' 8 ulps); x_i·g_i·inv = (g_i·m)·x_i +
//           g_i·x_i·(inv − m) with m the midpoint of inv's range: the first term scales the zonotope, the
//           second is at most |g_i|·max|x_i|·(radius of inv) (fresh), and the two float64 products
//           3·2^−52 of max|x_i·g_i|·max inv (fresh).
// Trusted, as in check-blocks.ts: Math.tanh within 16 ulps, Math.cosh within 1e−9, Math.sqrt and IEEE
// float64 operations correctly rounded, and the Evaluator's enclosure of the first layer's input.
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { Evaluator, type V } from './check.js';

const { abs, cosh, max, min, sqrt, tanh } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
const upper = (x: number) => x + (abs(x) * E + TINY);
const lower = (x: number) => x - (abs(x) * E + TINY);
const TANH_SLACK = 16 * E + TINY;
const gamma = (m: number) => (m + 4) * E;

function sech2(x: number): number {
  const ch = cosh(x);
  const s = 1 / (ch * ch);
  return s < 1e-300 ? 0 : s;
}

/** |round(v) − v| for |v| <= m at the format; null over the reals (no rounding). */
export function roundingError(fmt: NumberFormat | null): ((m: number) => number) | null {
  if (fmt === null) return null;
  if (fmt.kind === 'float') return (m) => upper((fmt.epsilon / 2) * m + fmt.minSubnormal / 2);
  const step = fmt.rounding === 'floor' ? fmt.ulp : fmt.ulp / 2;
  return (m) => upper(step + max(0, m - fmt.max, m + fmt.min));
}

/**
 * A zonotope vector: centre c (m values), rows g[k] (m values; holes are zero rows) over the shared noise
 * symbols, and e: a radius per coordinate of noise of its own (independent of everything, used by this
 * vector only). Coordinate-wise operations carry e along (scaled, summed); it becomes generators only where
 * coordinates mix (a linear map), which keeps the generators few. Using such a vector twice treats its e as
 * two independent noises: a superset, so sound.
 */
interface Z {
  c: Float64Array;
  g: (Float64Array | null)[];
  e: Float64Array;
}

/** The noise symbols of one block: fresh generators get the next indices. */
class Noise {
  count = 0;
  /** z with its own noise e turned into one fresh generator per coordinate (a new vector; z is not changed). */
  materialize(z: Z): Z {
    const m = z.c.length;
    const g = z.g.slice();
    for (let i = 0; i < m; i++) {
      if (!(z.e[i] > 0)) continue;
      const row = new Float64Array(m);
      row[i] = z.e[i];
      g[this.count++] = row;
    }
    return { c: z.c, g, e: new Float64Array(m) };
  }
}

/** z with r[i] more noise of its own on each coordinate (a new vector). */
function pend(z: Z, r: Float64Array): Z {
  return { c: z.c, g: z.g, e: Float64Array.from(z.e, (v, i) => upper(v + r[i])) };
}

/** Σ_k |g_k[i]| + e[i] rounded up, for every coordinate i (one pass over the rows). */
function radii(z: Z): Float64Array {
  const r = Float64Array.from(z.e);
  const m = r.length;
  for (const row of z.g) {
    // Holes of the sparse array read as undefined.
    if (row === undefined || row === null) continue;
    for (let i = 0; i < m; i++) if (row[i] !== 0) r[i] = upper(r[i] + abs(row[i]));
  }
  return r;
}

/** The interval hull, rounded outward. */
function hullOf(z: Z): V {
  const r = radii(z);
  return Array.from(z.c, (c, i) => [lower(c - r[i]), upper(c + r[i])] as [number, number]);
}

/** max |v| over the hull of every coordinate, rounded up. */
function bounds(z: Z): Float64Array {
  const r = radii(z);
  return r.map((v, i) => upper(abs(z.c[i]) + v));
}

/** The zonotope step of an rnn-tanh network of any depth at a format (null: the reals). */
export class NetZonotope {
  private readonly L: number;
  private readonly n: number;
  private readonly d: number;
  private readonly w: (name: string) => Float64Array;
  private readonly inputs: V[] = [];
  private readonly roundErr: ((m: number) => number) | null;
  private readonly exec: boolean;
  private readonly rms: boolean;
  private readonly mlp: number;

  /** The step of an rnn-tanh checkpoint (throws on another family). */
  constructor(ckpt: Checkpoint, fmt: NumberFormat | null) {
    const c = ckpt.config;
    if (c.family !== 'rnn-tanh') throw new Error(`zonotope step: rnn-tanh only, not ${c.family}`);
    const ev = new Evaluator(ckpt, fmt);
    const cache = new Map<string, Float64Array>();
    this.w = (name) => {
      let t = cache.get(name);
      if (t === undefined) cache.set(name, (t = ev.weight(name)));
      return t;
    };
    this.L = c.layers;
    this.n = c.state;
    this.d = c.width;
    this.rms = c.norm === 'rms';
    this.mlp = c.mlp;
    for (let a = 0; a < c.vocab; a++) this.inputs.push(ev.input(a));
    this.roundErr = roundingError(fmt);
    this.exec = fmt !== null;
  }

  /** The interval hull (rounded outward) of the zonotope image of the box [lo, hi] under the word. */
  image(lo: readonly number[], hi: readonly number[], word: readonly number[]): V {
    const noise = new Noise();
    let z = this.fromBox(noise, lo, hi);
    for (const a of word) z = this.step(noise, z, a);
    return hullOf(z);
  }

  /** `visit(w, hull)` for every word w of `len` symbols over `k`, lexicographically (prefixes stepped once); stops at the first false. */
  images(lo: readonly number[], hi: readonly number[], len: number, k: number, visit: (w: number[], hull: V) => boolean): boolean {
    const w: number[] = [];
    const walk = (noise: Noise, z: Z): boolean => {
      for (let a = 0; a < k; a++) {
        w.push(a);
        // Each branch continues the same noise symbols: a copy of the counter (rows are never mutated).
        const branch = new Noise();
        branch.count = noise.count;
        const next = this.step(branch, z, a);
        const ok = w.length === len ? visit([...w], hullOf(next)) : walk(branch, next);
        w.pop();
        if (!ok) return false;
      }
      return true;
    };
    const noise = new Noise();
    return walk(noise, this.fromBox(noise, lo, hi));
  }

  private fromBox(noise: Noise, lo: readonly number[], hi: readonly number[]): Z {
    const m = lo.length;
    const c = new Float64Array(m);
    const r = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      if (lo[i] === hi[i]) {
        c[i] = lo[i];
        continue;
      }
      c[i] = lo[i] / 2 + hi[i] / 2;
      r[i] = max(upper(hi[i] - c[i]), upper(c[i] - lo[i]));
    }
    return noise.materialize({ c, g: [], e: r });
  }

  /** One executor step on `symbol` (header): a zonotope holding every successor state. */
  private step(noise: Noise, state: Z, symbol: number): Z {
    const { n, d, L } = this;
    const emb = this.w('embed');
    let x: Z = { c: emb.slice(symbol * d, (symbol + 1) * d), g: [], e: new Float64Array(d) };
    const parts: Z[] = [];
    for (let l = 0; l < L; l++) {
      const p = `l${l}.`;
      // Without gains the norm is the identity and stores nothing new (no rounding).
      const u = l === 0 ? this.fromInterval(noise, this.inputs[symbol]) : this.rms ? this.round(noise, this.norm(noise, x, `${p}norm1`)) : x;
      const h = slice(state, l * n, (l + 1) * n);
      const pre = this.add(noise, this.linear(noise, this.w(`${p}mix.wx`), u, n, null), this.linear(noise, this.w(`${p}mix.wh`), h, n, this.w(`${p}mix.b`)));
      const next = this.round(noise, this.tanh(noise, pre));
      parts.push(next);
      if (l === L - 1) break;
      const y = this.round(noise, this.linear(noise, this.w(`${p}mix.wo`), next, d, null));
      x = this.round(noise, this.add(noise, x, y));
      if (this.mlp > 0) {
        const v = this.rms ? this.round(noise, this.norm(noise, x, `${p}norm2`)) : x;
        const t = this.relu(noise, this.round(noise, this.linear(noise, this.w(`${p}mlp.w1`), v, this.mlp, this.w(`${p}mlp.b1`))));
        const y2 = this.round(noise, this.linear(noise, this.w(`${p}mlp.w2`), t, d, this.w(`${p}mlp.b2`)));
        x = this.round(noise, this.add(noise, x, y2));
      }
    }
    return noise.materialize(concat(parts));
  }

  /** An interval vector as a zonotope: midpoints and one fresh generator per coordinate. */
  private fromInterval(noise: Noise, v: V): Z {
    return this.fromBox(
      noise,
      v.map((x) => x[0]),
      v.map((x) => x[1]),
    );
  }

  /** out_j = Σ_i w[j + i·out]·z_i (+ b_j), exactly (the float64 errors into fresh generators). */
  private linear(noise: Noise, w: Float64Array, input: Z, out: number, b: Float64Array | null): Z {
    const z = noise.materialize(input);
    const m = z.c.length;
    const c = b === null ? new Float64Array(out) : Float64Array.from(b);
    const cAbs = c.map((v) => abs(v));
    for (let i = 0; i < m; i++) {
      const ci = z.c[i];
      if (ci === 0) continue;
      for (let j = 0; j < out; j++) {
        const t = w[j + i * out] * ci;
        c[j] += t;
        cAbs[j] += abs(t);
      }
    }
    const err = new Float64Array(out);
    for (let j = 0; j < out; j++) err[j] = upper(upper(gamma(m + 1) * cAbs[j]) + (m + 1) * TINY);
    const g: (Float64Array | null)[] = [];
    const rAbs = new Float64Array(out);
    z.g.forEach((row, k) => {
      if (row === null || row === undefined) return;
      const r = new Float64Array(out);
      rAbs.fill(0);
      let any = false;
      for (let i = 0; i < m; i++) {
        const v = row[i];
        if (v === 0) continue;
        any = true;
        for (let j = 0; j < out; j++) {
          const t = w[j + i * out] * v;
          r[j] += t;
          rAbs[j] += abs(t);
        }
      }
      if (!any) return;
      g[k] = r;
      for (let j = 0; j < out; j++) if (rAbs[j] > 0) err[j] = upper(err[j] + upper(gamma(m) * rAbs[j]) + m * TINY);
    });
    return { c, g, e: err };
  }

  /** z1 + z2, each sum rounded once (into fresh generators). */
  private add(noise: Noise, a: Z, b: Z): Z {
    const m = a.c.length;
    const c = new Float64Array(m);
    const err = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      c[i] = a.c[i] + b.c[i];
      err[i] = upper(upper(a.e[i] + b.e[i]) + upper(abs(c[i]) * E + TINY));
    }
    const g: (Float64Array | null)[] = [];
    const rows = max(a.g.length, b.g.length);
    for (let k = 0; k < rows; k++) {
      const x = a.g[k] ?? null;
      const y = b.g[k] ?? null;
      if (x === null && y === null) continue;
      if (x === null || y === null) {
        g[k] = x ?? y;
        continue;
      }
      const r = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        r[i] = x[i] + y[i];
        if (r[i] !== 0) err[i] = upper(err[i] + upper(abs(r[i]) * E + TINY));
      }
      g[k] = r;
    }
    return { c, g, e: err };
  }

  /** z·s_i + μ_i per coordinate (λ scaling, DeepZ), the products' and sums' roundings plus extra[i] into fresh generators. */
  private affine(noise: Noise, z: Z, s: Float64Array, mu: Float64Array, extra: Float64Array): Z {
    const m = z.c.length;
    const c = new Float64Array(m);
    const err = Float64Array.from(extra);
    for (let i = 0; i < m; i++) {
      const q = s[i] * z.c[i];
      c[i] = q + mu[i];
      err[i] = upper(err[i] + upper(abs(s[i]) * z.e[i]) + upper(abs(q) * E) + upper(abs(c[i]) * E) + 2 * TINY);
    }
    const g: (Float64Array | null)[] = [];
    z.g.forEach((row, k) => {
      if (row === null || row === undefined) return;
      const r = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        r[i] = s[i] * row[i];
        if (r[i] !== 0) err[i] = upper(err[i] + upper(abs(r[i]) * E + TINY));
      }
      g[k] = r;
    });
    return { c, g, e: err };
  }

  /** The executor's stored value: its rounding to the format (nothing over the reals). */
  private round(noise: Noise, z: Z): Z {
    const re = this.roundErr;
    if (re === null) return z;
    return pend(
      z,
      bounds(z).map(re),
    );
  }

  /** Math.tanh(endDouble(z)) (at a format) or tanh(z) (the reals), by DeepZ. */
  private tanh(noise: Noise, pre: Z): Z {
    const m = pre.c.length;
    let z = pre;
    if (this.exec) z = pend(z, bounds(z).map((b) => upper(upper(64 * E * b) + TINY)));
    const rs = radii(z);
    const s = new Float64Array(m);
    const mu = new Float64Array(m);
    const extra = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const l = lower(z.c[i] - rs[i]);
      const u = upper(z.c[i] + rs[i]);
      const lambda = min(sech2(l), sech2(u)) * (1 - 1e-9);
      const gLo = lower(lower(tanh(l) - TANH_SLACK) - upper(lambda * l));
      const gHi = upper(upper(tanh(u) + TANH_SLACK) - lower(lambda * u));
      s[i] = lambda;
      mu[i] = gLo / 2 + gHi / 2;
      extra[i] = max(upper(gHi - mu[i]), upper(mu[i] - gLo));
      if (this.exec) extra[i] = upper(extra[i] + TANH_SLACK);
    }
    return this.affine(noise, z, s, mu, extra);
  }

  /** max(0, z) of stored values (exact in the executor), by the DeepZ relaxation. */
  private relu(noise: Noise, z: Z): Z {
    const m = z.c.length;
    const s = new Float64Array(m);
    const mu = new Float64Array(m);
    const extra = new Float64Array(m);
    const rs = radii(z);
    for (let i = 0; i < m; i++) {
      const l = lower(z.c[i] - rs[i]);
      const u = upper(z.c[i] + rs[i]);
      if (u <= 0) continue; // s = 0, μ = 0: the value is 0
      if (l >= 0) {
        s[i] = 1;
        continue;
      }
      const lambda = min(1, max(0, u / (u - l)));
      // relu(z) − λz ∈ [0, top] on [l, u].
      const top = max(upper(-lower(lambda * l)), upper(upper(u) - lower(lambda * u)));
      s[i] = lambda;
      mu[i] = top / 2;
      extra[i] = upper(top - mu[i]);
    }
    return this.affine(noise, z, s, mu, extra);
  }

  /** round-free RMS norm x_i·g_i·inv of the executor (header), identity without gains. */
  private norm(noise: Noise, x: Z, gain: string): Z {
    if (!this.rms) return x;
    const g = this.w(gain);
    const m = x.c.length;
    let sLo = 0;
    let sHi = 0;
    const big = new Float64Array(m);
    const rs = radii(x);
    for (let i = 0; i < m; i++) {
      const r = rs[i];
      const l = lower(x.c[i] - r);
      const u = upper(x.c[i] + r);
      big[i] = max(abs(l), abs(u));
      const small = l <= 0 && u >= 0 ? 0 : min(abs(l), abs(u));
      sLo = lower(sLo + lower(small * small));
      sHi = upper(sHi + upper(big[i] * big[i]));
    }
    // endDouble within 64 ulps; 1/sqrt(S/d + 1e−6) in four correctly rounded operations: within 8 ulps.
    const sHatLo = max(0, sLo * (1 - 64 * E) - TINY);
    const sHatHi = sHi * (1 + 64 * E) + TINY;
    const invHi = (1 / sqrt(sHatLo / m + 1e-6)) * (1 + 16 * E);
    const invLo = (1 / sqrt(sHatHi / m + 1e-6)) * (1 - 16 * E);
    const mid = invLo / 2 + invHi / 2;
    const rad = max(upper(invHi - mid), upper(mid - invLo));
    const s = new Float64Array(m);
    const extra = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      s[i] = g[i] * mid;
      const xg = upper(big[i] * abs(g[i]));
      // g_i·x_i·(inv − mid), the error of s_i = fl(g_i·mid), and the executor's two float64 products.
      extra[i] = upper(upper(xg * rad) + upper(xg * upper(abs(mid) * E)) + upper(3 * E * upper(xg * invHi)) + 3 * TINY);
    }
    return this.affine(noise, x, s, new Float64Array(m), extra);
  }
}

/** Coordinates [from, to) of z, the same noise symbols. */
function slice(z: Z, from: number, to: number): Z {
  const g: (Float64Array | null)[] = [];
  z.g.forEach((row, k) => {
    if (row === null || row === undefined) return;
    const r = row.slice(from, to);
    if (r.some((v) => v !== 0)) g[k] = r;
  });
  return { c: z.c.slice(from, to), g, e: z.e.slice(from, to) };
}

/** The vectors one after the other, over the same noise symbols. */
function concat(parts: Z[]): Z {
  const m = parts.reduce((t, p) => t + p.c.length, 0);
  const c = new Float64Array(m);
  const e = new Float64Array(m);
  const g: (Float64Array | null)[] = [];
  let off = 0;
  for (const p of parts) {
    c.set(p.c, off);
    e.set(p.e, off);
    p.g.forEach((row, k) => {
      if (row === null || row === undefined) return;
      let r = g[k];
      if (r === undefined || r === null) g[k] = r = new Float64Array(m);
      r.set(row, off);
    });
    off += p.c.length;
  }
  return { c, g, e };
}
