// The step of a recurrent network of several layers over zonotopes, for every family (rnn-tanh, lstm,
// lrnn-pos/neg/pd/complex, deltanet-pos/neg), with RMS norms, residuals and MLPs between the layers
// (precision/exec/network.ts). The state is every layer's state, one after the other.
//
// Every vector of one step (each layer's old and new state, the stream x, the normalised input u, the
// pre-activations, the MLP's hidden units) is a set of units of ONE zonotope, the carrier, over one set of
// noise symbols: each stage is an affine map of the carrier (zono-lrnn.ts's affineImage) that keeps every
// unit it had exactly (copies take no fresh generator) and appends the new units, each an affine form of
// earlier units with interval coefficients and an offset interval. So a layer's input keeps its relation
// to the state of the layers below (the reason to use zonotopes at all). Soundness is affineImage's: the
// new unit holds Σ A·x + b for every point of the carrier, plus the format's rounding where the executor
// stores the value. Every non-linear operation is a sound linear relaxation on the current hull:
//   tanh, σ (rnn-tanh, lstm gates): DeepZ (zono-lstm.ts's deepZ), with the executor's float64 reading of
//     the exact pre-activation (64 ulps) and its library error (16 ulps) at a format;
//   products of two units (lstm): x·y = x_m·y + y_m·x − x_m·y_m ± x_r·y_r (zono-lstm.ts's product);
//   relu (MLP): for λ = u/(u − l) on [l, u] ∋ 0, relu(z) − λz ∈ [0, max(−λl, (1 − λ)u)]; exact outside;
//   RMS norm x_i·g_i·inv: inv = 1/sqrt(Σx²/d + 1e−6) falls in Σx², so it lies in an interval read off the
//     hull's bounds on Σx² (padded by the executor's 64-ulp reading and its four float64 operations); the
//     unit is the interval coefficient g_i·inv times x_i (affineImage adds the coefficient's spread times
//     max|x_i|) plus the executor's two float64 products (2^−52 of max|x_i·g_i|·inv);
//   the gates of the linear RNNs and DeltaNet (a, p, q, the selection, k, q, β), which read u through
//     exp, cos, sin, l2norm and σ: the box executor's enclosure on the hull of u (points on layer 0 at a
//     format), as intervals; what is linear in u (b, v, u·wx) stays relational.
// An lrnn-pd selection that is not surely one row falls back on the box step (sound, not relational).
// The new state is reduced to 4n generators (Girard: the rest become a box, a superset) and met with the
// box step of the whole network (meetBox): each unit keeps the narrower of the two.
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import type { NumberFormat } from '../precision/format.js';
import type { BoxNetwork } from './box-network.js';
import { boxWeight } from './box-mixers.js';
import type { Box } from './box.js';
import type { Interval } from './interval.js';
import { up } from './interval.js';
import { deltaMaps, l2Normed } from './zono-deltanet.js';
import { affineImage, affineMap, type AffineMap, meetBox, split, type ZonoStep } from './zono-lrnn.js';
import { deepZ, product } from './zono-lstm.js';
import { reduceOrder } from './zono-order.js';
import { Zonotope } from './zonotope.js';

const { abs, max, min, sqrt } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
/** Generators kept per state unit at the end of a step (the rest are boxed: zono-order.ts). */
const KEEP_PER_UNIT = 4;
/** Library error of one float64 call of tanh (values in [−1, 1]). */
const LIB = 16 * E + TINY;

/** The families whose layers this file lifts. */
const FAMILIES = ['rnn-tanh', 'lstm', 'lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex', 'deltanet-pos', 'deltanet-neg'];

/** True for the networks this file lifts: more than one layer of a recurrent family. */
export function networkZonotopeSupported(config: ModelConfig): boolean {
  return config.layers > 1 && FAMILIES.includes(config.family);
}

/** A vector of one step: units of the carrier, or a constant box (the embedding, the first layer's input). */
type Vec = { units: number[] } | { box: Box };

/** A new unit: Σ_t A_t·x[src_t] + b, A_t = mid_t ± rad_t, b = bMid ± bRad, stored (rounded) or not. */
interface Unit {
  src: number[];
  mid: number[];
  rad: number[];
  bMid: number;
  bRad: number;
  round: boolean;
}

const constant = (x: Interval): Unit => {
  const [m, r] = split(x);
  return { src: [], mid: [], rad: [], bMid: m, bRad: r, round: false };
};

/** The zonotope every vector of one step lives in (one set of noise symbols). */
class Carrier {
  private hullCache: Box | null = null;

  constructor(
    public z: Zonotope,
    private readonly format: NumberFormat | null,
  ) {}

  /** Appends the units (affine forms of existing units); every existing unit is kept exactly. Their indices. */
  push(units: readonly Unit[]): number[] {
    const n0 = this.z.n;
    const nOut = n0 + units.length;
    const map: AffineMap = { ambiguous: false, src: [], mid: [], rad: [], bMid: new Float64Array(nOut), bRad: new Float64Array(nOut) };
    for (let j = 0; j < n0; j++) {
      map.src[j] = [j];
      map.mid[j] = [1];
      map.rad[j] = [0];
    }
    units.forEach((u, t) => {
      map.src[n0 + t] = u.src;
      map.mid[n0 + t] = u.mid;
      map.rad[n0 + t] = u.rad;
      map.bMid[n0 + t] = u.bMid;
      map.bRad[n0 + t] = u.bRad;
    });
    this.z = affineImage(this.z, map, nOut, this.format, (j) => j >= n0 && units[j - n0].round);
    this.hullCache = null;
    return units.map((_, t) => n0 + t);
  }

  /** Keeps only the listed vectors' units (exact copies), in order; their new indices. */
  project(keep: readonly number[][]): number[][] {
    const all = keep.flat();
    const map: AffineMap = { ambiguous: false, src: all.map((i) => [i]), mid: all.map(() => [1]), rad: all.map(() => [0]), bMid: new Float64Array(all.length), bRad: new Float64Array(all.length) };
    this.z = affineImage(this.z, map, all.length, this.format, () => false);
    this.hullCache = null;
    let at = 0;
    return keep.map((v) => v.map(() => at++));
  }

  hull(): Box {
    this.hullCache ??= this.z.hull();
    return this.hullCache;
  }

  /** The hull of a vector's units (or the constant box). */
  boxOf(v: Vec): Box {
    if ('box' in v) return v.box;
    const h = this.hull();
    return { lo: Float64Array.from(v.units, (i) => h.lo[i]), hi: Float64Array.from(v.units, (i) => h.hi[i]) };
  }
}

/** One layer's stored weights (at the format) and where its state lies. */
interface Layer {
  prefix: string;
  offset: number;
  size: number;
  w: (name: string) => Float64Array;
}

/** Steps of a recurrent network of any depth over zonotopes, at a format or over the reals (format null). */
export class ZonoNetwork implements ZonoStep {
  readonly n: number;
  private readonly layers: Layer[] = [];
  private readonly d: number;
  private readonly exec: boolean;

  constructor(
    private readonly config: ModelConfig,
    private readonly weights: Weights,
    private readonly format: NumberFormat | null,
    private readonly net: BoxNetwork,
  ) {
    if (!FAMILIES.includes(config.family)) throw new InputError(`zonotope step: no zonotope lift of ${config.family}`);
    this.d = config.width;
    this.exec = format !== null;
    const cache = new Map<string, Float64Array>();
    const stored = (name: string) => {
      let t = cache.get(name);
      if (t === undefined) cache.set(name, (t = boxWeight(weights, name, net.ia)));
      return t;
    };
    const n = config.state;
    const size = config.family === 'lstm' ? 2 * n : config.family.startsWith('deltanet') ? n * (n / config.heads) : n;
    for (let l = 0; l < config.layers; l++) this.layers.push({ prefix: `l${l}.`, offset: l * size, size, w: (name) => stored(`l${l}.${name}`) });
    this.n = size * config.layers;
    this.embed = stored('embed');
  }

  private readonly embed: Float64Array;

  step(z: Zonotope, symbol: number): Zonotope {
    const { config, d } = this;
    const box = this.net.step(symbol, z.hull());
    const carrier = new Carrier(z, this.format);
    let x: Vec = { box: { lo: this.embed.slice(symbol * d, (symbol + 1) * d), hi: this.embed.slice(symbol * d, (symbol + 1) * d) } };
    let fresh: number[][] = [];
    // The old states of the layers not stepped yet.
    let olds = this.layers.map((layer) => Array.from({ length: layer.size }, (_, i) => layer.offset + i));
    const last = this.layers.length - 1;
    for (const [l, layer] of this.layers.entries()) {
      const u: Vec = l === 0 ? { box: this.net.input(symbol) } : this.norm(carrier, x, layer, 'norm1');
      const next = this.mixer(carrier, layer, u, olds[l]);
      if (next === null) return Zonotope.fromBox(box);
      fresh.push(next);
      if (l === last) break;
      const y = this.output(carrier, layer, u, next);
      x = this.add(carrier, x, y);
      if (config.mlp > 0) {
        const v = this.norm(carrier, x, layer, 'norm2');
        const t = this.relu(carrier, this.linear(carrier, layer.w('mlp.w1'), v, config.mlp, layer.w('mlp.b1'), true));
        x = this.add(carrier, x, this.linear(carrier, layer.w('mlp.w2'), t, d, layer.w('mlp.b2'), true));
      }
      // Only what the layers above read stays in the carrier (fewer units to carry through their stages).
      const stream = (x as { units: number[] }).units;
      const kept = carrier.project([...olds.slice(l + 1), ...fresh, stream]);
      olds = [...olds.slice(0, l + 1), ...kept.slice(0, last - l)];
      fresh = kept.slice(last - l, last - l + fresh.length);
      x = { units: kept[kept.length - 1] };
    }
    carrier.project(fresh);
    // Every stage adds fresh generators (hundreds a step); Girard's reduction keeps 4n of them and boxes the
    // rest (measured: 3 to 7 times faster over blocks of 4 on two-layer trained models, hulls within 1.1%).
    const keep = KEEP_PER_UNIT * this.n;
    return meetBox(reduceOrder(carrier.z, { keep, cap: keep + this.n }), box);
  }

  /** out_j = Σ_i w[j + i·out]·v_i (+ b_j): stored (`round`), or the exact sum (a pre-activation, read by the relaxation). */
  private linear(carrier: Carrier, w: Float64Array, v: Vec, out: number, b: Float64Array | null, round: boolean): Vec {
    const ia = this.net.ia;
    if ('box' in v) {
      const { lo, hi } = v.box;
      return {
        units: carrier.push(
          Array.from({ length: out }, (_, j) => {
            ia.begin();
            for (let i = 0; i < lo.length; i++) ia.add2(w[j + i * out], w[j + i * out], lo[i], hi[i]);
            const bias = b === null ? 0 : b[j];
            ia.add1(bias, bias);
            if (round) return constant(ia.end());
            // endDouble: a float64 value of the exact sum, within 64 ulps of it (as zono-lstm.ts).
            const k = ia.endDouble();
            const pad = max(abs(k.lo), abs(k.hi)) * 64 * E + TINY;
            return constant({ lo: k.lo - pad, hi: k.hi + pad });
          }),
        ),
      };
    }
    const src = v.units;
    return {
      units: carrier.push(
        Array.from({ length: out }, (_, j) => ({
          src,
          mid: src.map((_, i) => w[j + i * out]),
          rad: src.map(() => 0),
          bMid: b === null ? 0 : b[j],
          bRad: 0,
          round,
        })),
      ),
    };
  }

  /** round(a + b), coordinate by coordinate. */
  private add(carrier: Carrier, a: Vec, b: Vec): Vec {
    const ia = this.net.ia;
    const part = (v: Vec, i: number): [number[], number, number] => {
      if ('units' in v) return [[v.units[i]], 0, 0];
      return [[], v.box.lo[i], v.box.hi[i]];
    };
    return {
      units: carrier.push(
        Array.from({ length: this.d }, (_, i) => {
          const [s1, l1, h1] = part(a, i);
          const [s2, l2, h2] = part(b, i);
          if (s1.length + s2.length === 0) return constant(ia.begin().add1(l1, h1).add1(l2, h2).end());
          const [m, r] = split({ lo: l1 + l2, hi: h1 + h2 });
          const src = [...s1, ...s2];
          return { src, mid: src.map(() => 1), rad: src.map(() => 0), bMid: m, bRad: up(r + up(abs(m) * E)), round: true };
        }),
      ),
    };
  }

  /** The executor's RMS norm (header); the identity without gains. */
  private norm(carrier: Carrier, x: Vec, layer: Layer, gain: string): Vec {
    if (this.config.norm !== 'rms') return x;
    const g = layer.w(gain);
    const units = 'units' in x ? x.units : carrier.push(Array.from({ length: this.d }, (_, i) => constant({ lo: x.box.lo[i], hi: x.box.hi[i] })));
    const h = carrier.boxOf({ units });
    const d = units.length;
    let sLo = 0;
    let sHi = 0;
    const big = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const [l, u] = [h.lo[i], h.hi[i]];
      big[i] = max(abs(l), abs(u));
      const small = l <= 0 && u >= 0 ? 0 : min(abs(l), abs(u));
      sLo += small * small;
      sHi += big[i] * big[i];
    }
    // The float64 sums above, the executor's 64-ulp reading of Σx² and its four operations: padded by far more.
    const invLo = (1 / sqrt((sHi * (1 + 2 ** -40)) / d + 1e-6)) * (1 - 2 ** -40);
    const invHi = (1 / sqrt(max(0, sLo * (1 - 2 ** -40)) / d + 1e-6)) * (1 + 2 ** -40);
    return {
      units: carrier.push(
        units.map((s, i) => {
          const c = [g[i] * invLo, g[i] * invHi];
          const [m, r] = split({ lo: min(...c) * (1 + (min(...c) < 0 ? 2 ** -50 : -(2 ** -50))), hi: max(...c) * (1 + (max(...c) > 0 ? 2 ** -50 : -(2 ** -50))) });
          // The executor's two float64 products x·g and (x·g)·inv.
          const products = this.exec ? up(4 * E * up(big[i] * abs(g[i]) * invHi)) + TINY : 0;
          return { src: [s], mid: [m], rad: [r], bMid: 0, bRad: products, round: true };
        }),
      ),
    };
  }

  /** max(0, t) of stored values (exact in the executor), by the relaxation of the header. */
  private relu(carrier: Carrier, t: Vec): Vec {
    if ('box' in t) return { box: { lo: t.box.lo.map((v) => max(0, v)), hi: t.box.hi.map((v) => max(0, v)) } };
    const h = carrier.boxOf(t);
    return {
      units: carrier.push(
        t.units.map((s, i) => {
          const [l, u] = [h.lo[i], h.hi[i]];
          if (u <= 0) return { src: [], mid: [], rad: [], bMid: 0, bRad: 0, round: false };
          if (l >= 0) return { src: [s], mid: [1], rad: [0], bMid: 0, bRad: 0, round: false };
          const lambda = u / (u - l);
          // relu(z) − λz ∈ [0, top] on [l, u]; the float64 errors of λ and top padded.
          const top = up(max(-lambda * l, (1 - lambda) * u) * (1 + 8 * E) + TINY);
          return { src: [s], mid: [lambda], rad: [0], bMid: top / 2, bRad: up(top / 2 + up(top * E)), round: false };
        }),
      ),
    };
  }

  /** The layer's new state from input u and its old state (units `old`), or null where only the box step applies. */
  private mixer(carrier: Carrier, layer: Layer, u: Vec, old: number[]): number[] | null {
    const f = this.config.family;
    if (f === 'rnn-tanh') return this.rnnTanh(carrier, layer, u, old);
    if (f === 'lstm') return this.lstm(carrier, layer, u, old);
    if (f.startsWith('deltanet')) return this.deltanet(carrier, layer, u, old);
    return this.linearRnn(carrier, layer, u, old);
  }

  /** The exact pre-activations u·wx + h·wh + b (`units` of them) of rnn-tanh and lstm. */
  private pre(carrier: Carrier, layer: Layer, u: Vec, h: number[], units: number): number[] {
    const [wx, wh, b] = [layer.w('mix.wx'), layer.w('mix.wh'), layer.w('mix.b')];
    const input = this.linear(carrier, wx, u, units, b, false);
    const ux = (input as { units: number[] }).units;
    return carrier.push(
      Array.from({ length: units }, (_, j) => ({
        src: [ux[j], ...h],
        mid: [1, ...h.map((_, i) => wh[i * units + j])],
        rad: new Array<number>(h.length + 1).fill(0),
        bMid: 0,
        bRad: 0,
        round: false,
      })),
    );
  }

  /** f(pre) by DeepZ, stored: σ, or tanh where `isTanh(j)`. */
  private activation(carrier: Carrier, pre: number[], isTanh: (j: number) => boolean): number[] {
    const h = carrier.hull();
    return carrier.push(
      pre.map((s, j) => {
        const [lambda, mu, beta] = deepZ(h.lo[s], h.hi[s], isTanh(j), this.exec);
        return { src: [s], mid: [lambda], rad: [0], bMid: mu, bRad: beta, round: true };
      }),
    );
  }

  private rnnTanh(carrier: Carrier, layer: Layer, u: Vec, old: number[]): number[] {
    return this.activation(carrier, this.pre(carrier, layer, u, old, layer.size), () => true);
  }

  private lstm(carrier: Carrier, layer: Layer, u: Vec, old: number[]): number[] {
    const n = layer.size / 2;
    const h = old.slice(0, n);
    const c = old.slice(n);
    const gates = this.activation(carrier, this.pre(carrier, layer, u, h, 4 * n), (j) => j >= 2 * n && j < 3 * n);
    const [gi, gf, gg, go] = [0, 1, 2, 3].map((b) => gates.slice(b * n, (b + 1) * n));
    const productUnit = (hull: Box, x: number, y: number, extra: Unit | null = null): Unit => {
      const p = product(hull, x, y);
      const src = [y, x];
      const mid = [p.xm, p.ym];
      let bMid = p.offset;
      let bRad = up(p.radius + up(abs(p.offset) * E));
      if (extra !== null) {
        src.push(...extra.src);
        mid.push(...extra.mid);
        bMid += extra.bMid;
        bRad = up(up(bRad + extra.bRad) + up(abs(bMid) * E));
      }
      return { src, mid, rad: src.map(() => 0), bMid, bRad, round: true };
    };
    let hull = carrier.hull();
    const cell = carrier.push(
      Array.from({ length: n }, (_, j) => {
        const second = productUnit(hull, gi[j], gg[j]);
        return productUnit(hull, gf[j], c[j], { ...second, round: true });
      }),
    );
    hull = carrier.hull();
    // c' is stored: the executor's tanh reads it exactly; its library error at a format.
    const tc = carrier.push(
      cell.map((s) => {
        const [lambda, mu, beta] = deepZ(hull.lo[s], hull.hi[s], true, false);
        return { src: [s], mid: [lambda], rad: [0], bMid: mu, bRad: up(beta + (this.exec ? LIB : 0)), round: true };
      }),
    );
    hull = carrier.hull();
    const hNew = carrier.push(tc.map((s, j) => productUnit(hull, go[j], s)));
    return [...hNew, ...cell];
  }

  /** lrnn-pos/neg/pd/complex: gates from the hull of u, b = round(u·wb + cb) relational. */
  private linearRnn(carrier: Carrier, layer: Layer, u: Vec, old: number[]): number[] | null {
    const map = affineMap(this.config, this.weights, this.net.ia, carrier.boxOf(u), layer.prefix);
    if (map.ambiguous) return null;
    const b = 'units' in u ? (this.linear(carrier, layer.w('mix.wb'), u, layer.size, layer.w('mix.cb'), true) as { units: number[] }).units : null;
    return carrier.push(
      Array.from({ length: layer.size }, (_, j) => {
        const src = map.src[j].map((s) => old[s]);
        if (b === null) return { src, mid: map.mid[j], rad: map.rad[j], bMid: map.bMid[j], bRad: map.bRad[j], round: true };
        return { src: [...src, b[j]], mid: [...map.mid[j], 1], rad: [...map.rad[j], 0], bMid: 0, bRad: 0, round: true };
      }),
    );
  }

  /** deltanet-pos/neg: k and β from the hull of u, v = round(u·wv) relational (zono-deltanet.ts's two stages). */
  private deltanet(carrier: Carrier, layer: Layer, u: Vec, old: number[]): number[] {
    const size = layer.size;
    const n = this.config.state;
    const [first, second] = deltaMaps(this.config, this.weights, this.net.ia, carrier.boxOf(u), layer.prefix);
    const v = 'units' in u ? (this.linear(carrier, layer.w('mix.wv'), u, n, null, true) as { units: number[] }).units : null;
    const r = carrier.push(
      Array.from({ length: n }, (_, i) => {
        const j = size + i;
        const src = first.src[j].map((s) => old[s]);
        if (v === null) return { src, mid: first.mid[j], rad: first.rad[j], bMid: first.bMid[j], bRad: first.bRad[j], round: true };
        return { src: [...src, v[i]], mid: [...first.mid[j], 1], rad: [...first.rad[j], 0], bMid: 0, bRad: 0, round: true };
      }),
    );
    const at = (s: number) => (s < size ? old[s] : r[s - size]);
    return carrier.push(
      Array.from({ length: size }, (_, j) => ({ src: second.src[j].map(at), mid: second.mid[j], rad: second.rad[j], bMid: second.bMid[j], bRad: second.bRad[j], round: true })),
    );
  }

  /** The layer output y = round(h·wo) (DeltaNet: o = round(S'q) per head, then y = round(o·wo)). */
  private output(carrier: Carrier, layer: Layer, u: Vec, next: number[]): Vec {
    const { config, d } = this;
    const wo = layer.w('mix.wo');
    const n = config.state;
    if (config.family === 'lstm') return this.linear(carrier, wo, { units: next.slice(0, n) }, d, null, true);
    if (!config.family.startsWith('deltanet')) return this.linear(carrier, wo, { units: next }, d, null, true);
    const q = l2Normed(config, this.net.ia, layer.w('mix.wq'), carrier.boxOf(u));
    const e = n / config.heads;
    const o = carrier.push(
      Array.from({ length: n }, (_, t) => {
        const h = Math.floor(t / e);
        const i = t % e;
        const parts = Array.from({ length: e }, (_, m) => split(q[h * e + m]));
        return { src: parts.map((_, m) => next[h * e * e + i * e + m]), mid: parts.map(([m]) => m), rad: parts.map(([, r]) => r), bMid: 0, bRad: 0, round: true };
      }),
    );
    return this.linear(carrier, wo, { units: o }, d, null, true);
  }
}
