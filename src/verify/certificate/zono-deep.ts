// The block checker's zonotope step for networks of several layers of lstm, lrnn-pos/neg/pd/complex and
// deltanet-pos/neg, with RMS norms, residuals and MLPs between the layers (check-blocks.ts uses it for B2;
// rnn-tanh of any depth has zono-net.ts). Like the rest of the checker it shares nothing with the search:
// it is written from the executor's semantics (precision/exec/network.ts and the mixers):
//   x = embed[a];  per layer l:  u = norm1(x)  (layer 0: the Evaluator's enclosure of the fixed input),
//     the layer's new state from u and its old state, and below the last layer  y = the layer output,
//     x = round(x + y),  with an MLP  t = max(0, round(w1·norm2(x) + b1)),  x = round(x + round(w2·t + b2));
//   norm(x)_i = round(x_i·g_i·inv),  inv = 1/sqrt(endDouble(Σ x²)/d + 1e−6)  (identity without gains).
//
// Every vector of one step is a set of units of ONE zonotope over one set of noise symbols (a Zono of
// zono-linear.ts): each operation is a Stage (zono-linear.ts: interval coefficients, an offset interval,
// the format's rounding where stored) that keeps every unit exactly and appends the new ones, so a layer's
// input keeps its relation to the layers below. `stage` bounds every float64 error, the coefficients'
// spread and each rounding in one fresh generator per unit. The non-linear operations are linear
// relaxations on the current hull:
//   σ, tanh: zono-lstm.ts's relax (slope at most the least derivative on [l, u], the range of f − s·z
//     from the ends, the library slack, and at a format the executor's 64-ulp reading of the exact sum);
//   x·y (lstm): zono-lstm.ts's product, x_m·y + y_m·x − x_m·y_m ± x_r·y_r;
//   relu: λ = u/(u − l) on [l, u] ∋ 0, relu(z) − λz ∈ [0, max(−λl, (1 − λ)u)] (outward); exact off 0;
//   norm: inv falls in Σx², so it lies in [1/sqrt(Ŝ_hi/d + 1e−6), 1/sqrt(Ŝ_lo/d + 1e−6)] from the hull's
//     bounds on Σx² (Ŝ: padded by 2^−40 relative, far above the 64-ulp reading and the four float64
//     operations); the unit is the interval coefficient g_i·inv times x_i, plus at a format the executor's
//     two float64 products (4·2^−52 of max|x_i·g_i|·inv_hi);
//   the gates that read u through exp, cos, sin, l2norm, σ or an argmax (a, p, q, the lrnn-pd selection,
//     k, q, β): zono-linear.ts's linearAffine and zono-deltanet.ts's symbolStages and unitKeys on the
//     interval hull of u, as interval coefficients; b = round(u·wb + cb) of the linear RNNs and u·wx of
//     lstm stay relational (terms over u's units).
// The new state is then met with the Evaluator's interval step of the whole network (zono-linear.ts's meet).
// Trusted, as in check.ts: the library functions within 16 ulps, IEEE float64 rounded to nearest, and the
// Evaluator's enclosure of the first layer's input.
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { Evaluator, type V } from './check.js';
import { dot, symbolStages, unitKeys } from './zono-deltanet.js';
import { hullOf, linearAffine, meet, stage, SteppedZonotope, type Term, type Zono } from './zono-linear.js';
import { product, relax } from './zono-lstm.js';
import { roundingError } from './zono-net.js';

const { abs, max, min, sqrt } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
const upper = (x: number) => x + (abs(x) * E + TINY);
const lower = (x: number) => x - (abs(x) * E + TINY);

/** The families of several layers this step covers. */
export const DEEP_FAMILIES: readonly string[] = ['lstm', 'lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex', 'deltanet-pos', 'deltanet-neg'];

/** A vector of one step: units of the zonotope, or a constant interval vector. */
type Vec = { units: number[] } | { box: V };

/** A new unit: Σ terms + b, stored (rounded) or not. */
interface Unit {
  terms: Term[];
  b: [number, number];
  rounded: boolean;
}

const ident = (s: number): Term[] => [{ src: [s], lo: 1, hi: 1 }];

/** The zonotope of one step with its units appended stage by stage. */
class Units {
  constructor(
    public z: Zono,
    private readonly roundErr: ((m: number) => number) | null,
  ) {}

  /** Appends the units, keeping every unit so far exactly; their indices. */
  push(units: readonly Unit[]): number[] {
    const n0 = this.z.c.length;
    const kept = Array.from({ length: n0 }, (_, j): Unit => ({ terms: ident(j), b: [0, 0], rounded: false }));
    const all = [...kept, ...units];
    this.z = dropZeroRows(stage(this.z, { nOut: all.length, terms: all.map((u) => u.terms), b: all.map((u) => u.b), rounded: all.map((u) => u.rounded) }, this.roundErr));
    return units.map((_, t) => n0 + t);
  }

  /** The units listed, exactly, as a zonotope of the stage's layout (its last rows fresh), for the meet. */
  project(keep: readonly number[]): Zono {
    return stage(this.z, { nOut: keep.length, terms: keep.map(ident), b: keep.map(() => [0, 0]), rounded: keep.map(() => false) }, this.roundErr);
  }

  hull(): V {
    return hullOf(this.z);
  }

  /** The interval hull of a vector. */
  boxOf(v: Vec): V {
    if ('box' in v) return v.box;
    const h = this.hull();
    return v.units.map((i) => h[i]);
  }
}

/** z without its all-zero generator rows (the set is the same). */
function dropZeroRows(z: Zono): Zono {
  const n = z.c.length;
  const rows: number[] = [];
  for (let k = 0; k < z.k; k++) {
    for (let i = 0; i < n; i++) {
      if (z.g[k * n + i] !== 0) {
        rows.push(k);
        break;
      }
    }
  }
  if (rows.length === z.k) return z;
  const g = new Float64Array(rows.length * n);
  rows.forEach((k, r) => g.set(z.g.subarray(k * n, k * n + n), r * n));
  return { c: z.c, g, k: rows.length, box: z.box };
}

/** The zonotope step of a network of several layers of a DEEP_FAMILIES family at a format (null: the reals). */
export class DeepZonotope extends SteppedZonotope {
  private readonly ev: Evaluator;
  private readonly w: (name: string) => Float64Array;
  private readonly roundErr: ((m: number) => number) | null;
  private readonly exec: boolean;
  private readonly size: number;

  /** The step of such a checkpoint (throws on another family or one layer). */
  constructor(
    private readonly ckpt: Checkpoint,
    private readonly fmt: NumberFormat | null,
  ) {
    super();
    const c = ckpt.config;
    if (c.layers < 2 || !DEEP_FAMILIES.includes(c.family)) throw new Error(`zonotope step: several layers of ${DEEP_FAMILIES.join(', ')} only, not ${c.layers}-layer ${c.family}`);
    this.ev = new Evaluator(ckpt, fmt);
    const cache = new Map<string, Float64Array>();
    this.w = (name) => {
      let t = cache.get(name);
      if (t === undefined) cache.set(name, (t = this.ev.weight(name)));
      return t;
    };
    this.roundErr = roundingError(fmt);
    this.exec = fmt !== null;
    this.size = this.ev.layerSize;
  }

  private stored(lo: number, hi: number): [number, number] {
    return this.fmt === null ? [lo, hi] : [this.fmt.round(lo) + 0, this.fmt.round(hi) + 0];
  }

  /** One executor step on `symbol` (header): a zonotope holding every successor state. */
  protected step(z: Zono, symbol: number): Zono {
    const c = this.ckpt.config;
    const d = c.width;
    const units = new Units(z, this.roundErr);
    const emb = this.w('embed');
    let x: Vec = { box: Array.from({ length: d }, (_, i) => [emb[symbol * d + i], emb[symbol * d + i]] as [number, number]) };
    const fresh: number[] = [];
    for (let l = 0; l < c.layers; l++) {
      const p = `l${l}.`;
      const u: Vec = l === 0 ? { box: this.ev.input(symbol) } : this.norm(units, x, `${p}norm1`);
      const old = Array.from({ length: this.size }, (_, i) => l * this.size + i);
      const next = this.mixer(units, p, u, old);
      fresh.push(...next);
      if (l === c.layers - 1) break;
      x = this.add(units, x, this.output(units, p, u, next));
      if (c.mlp > 0) {
        const v = this.norm(units, x, `${p}norm2`);
        const t = this.relu(units, this.linear(units, this.w(`${p}mlp.w1`), v, c.mlp, this.w(`${p}mlp.b1`), true));
        x = this.add(units, x, this.linear(units, this.w(`${p}mlp.w2`), t, d, this.w(`${p}mlp.b2`), true));
      }
    }
    return meet(units.project(fresh), this.ev.step(symbol, hullOf(z)));
  }

  /** out_j = Σ_i w[j + i·out]·v_i + b_j: stored where `round`, else the exact sum. */
  private linear(units: Units, w: Float64Array, v: Vec, out: number, b: Float64Array | null, round: boolean): { units: number[] } {
    const bias = (j: number) => (b === null ? 0 : b[j]);
    if ('box' in v) {
      return {
        units: units.push(
          Array.from({ length: out }, (_, j) => {
            const s = dot(w, j, out, v.box, bias(j));
            return { terms: [], b: round ? this.stored(...s) : s, rounded: false };
          }),
        ),
      };
    }
    const src = v.units;
    return { units: units.push(Array.from({ length: out }, (_, j) => ({ terms: src.map((s, i) => ({ src: [s], lo: w[j + i * out], hi: w[j + i * out] })), b: [bias(j), bias(j)], rounded: round }))) };
  }

  /** round(a + b) per coordinate. */
  private add(units: Units, a: Vec, b: Vec): Vec {
    const d = this.ckpt.config.width;
    const part = (v: Vec, i: number): [Term[], number, number] => ('units' in v ? [ident(v.units[i]), 0, 0] : [[], v.box[i][0], v.box[i][1]]);
    return {
      units: units.push(
        Array.from({ length: d }, (_, i) => {
          const [t1, l1, h1] = part(a, i);
          const [t2, l2, h2] = part(b, i);
          const terms = [...t1, ...t2];
          const lo = lower(l1 + l2);
          const hi = upper(h1 + h2);
          if (terms.length === 0) return { terms, b: this.stored(lo, hi), rounded: false };
          return { terms, b: [lo, hi], rounded: true };
        }),
      ),
    };
  }

  /** The executor's RMS norm (header); the identity without gains. */
  private norm(units: Units, x: Vec, gain: string): Vec {
    if (this.ckpt.config.norm !== 'rms') return x;
    const g = this.w(gain);
    const h = units.boxOf(x);
    const d = h.length;
    let sLo = 0;
    let sHi = 0;
    const big = h.map(([l, u]) => max(abs(l), abs(u)));
    for (let i = 0; i < d; i++) {
      const [l, u] = h[i];
      const small = l <= 0 && u >= 0 ? 0 : min(abs(l), abs(u));
      sLo += small * small;
      sHi += big[i] * big[i];
    }
    const invLo = (1 / sqrt((sHi * (1 + 2 ** -40)) / d + 1e-6)) * (1 - 2 ** -40);
    const invHi = (1 / sqrt((sLo * (1 - 2 ** -40)) / d + 1e-6)) * (1 + 2 ** -40);
    const src = 'units' in x ? x.units : units.push(h.map(([l, u]) => ({ terms: [], b: [l, u], rounded: false })));
    return {
      units: units.push(
        src.map((s, i) => {
          const xs = [g[i] * invLo, g[i] * invHi];
          const err = this.exec ? upper(4 * E * upper(upper(big[i] * abs(g[i])) * invHi)) + TINY : 0;
          return { terms: [{ src: [s], lo: lower(min(...xs)), hi: upper(max(...xs)) }], b: [-err, err], rounded: true };
        }),
      ),
    };
  }

  /** max(0, t) of stored values (exact in the executor), relaxed (header). */
  private relu(units: Units, t: { units: number[] }): Vec {
    const h = units.boxOf(t);
    return {
      units: units.push(
        t.units.map((s, i): Unit => {
          const [l, u] = h[i];
          if (u <= 0) return { terms: [], b: [0, 0], rounded: false };
          if (l >= 0) return { terms: ident(s), b: [0, 0], rounded: false };
          const lambda = u / (u - l);
          const top = upper(upper(max(upper(-lower(lambda * l)), upper(u - lower(lambda * u)))) * (1 + 4 * E));
          return { terms: [{ src: [s], lo: lambda, hi: lambda }], b: [0, top], rounded: false };
        }),
      ),
    };
  }

  /** The layer's new state (its units) from input u and its old state. */
  private mixer(units: Units, p: string, u: Vec, old: number[]): number[] {
    const c = this.ckpt.config;
    const mw = (name: string) => this.w(`${p}mix.${name}`);
    if (c.family === 'lstm') return this.lstm(units, mw, u, old);
    if (c.family === 'deltanet-pos' || c.family === 'deltanet-neg') {
      const [first, second] = symbolStages(c.state, c.heads, c.family === 'deltanet-neg', units.boxOf(u), mw, (lo, hi) => this.stored(lo, hi));
      const n = c.state;
      const r = units.push(Array.from({ length: n }, (_, i) => ({ terms: first.terms[this.size + i].map((t) => ({ ...t, src: t.src.map((s) => old[s]) })), b: first.b[this.size + i], rounded: true })));
      const at = (s: number) => (s < this.size ? old[s] : r[s - this.size]);
      return units.push(Array.from({ length: this.size }, (_, j) => ({ terms: second.terms[j].map((t) => ({ ...t, src: t.src.map(at) })), b: second.b[j], rounded: true })));
    }
    const perm = c.family === 'lrnn-pd' ? this.ckpt.weights[`${p}mix.perm`].data : null;
    const map = linearAffine(c.family, c.state, c.vocab, units.boxOf(u), mw, perm, this.fmt);
    const b = 'units' in u ? this.linear(units, mw('wb'), u, c.state, mw('cb'), true).units : null;
    return units.push(
      Array.from({ length: c.state }, (_, j) => {
        const terms = map.terms[j].map((t) => ({ ...t, src: t.src.map((s) => old[s]) }));
        if (b === null) return { terms, b: map.b[j], rounded: true };
        return { terms: [...terms, ...ident(b[j])], b: [0, 0], rounded: true };
      }),
    );
  }

  private lstm(units: Units, mw: (name: string) => Float64Array, u: Vec, old: number[]): number[] {
    const n = this.ckpt.config.state;
    const m = 4 * n;
    const [wx, wh, bias] = [mw('wx'), mw('wh'), mw('b')];
    const ux = this.linear(units, wx, u, m, bias, false).units;
    const pre = units.push(Array.from({ length: m }, (_, j) => ({ terms: [...ident(ux[j]), ...old.slice(0, n).map((s, i) => ({ src: [s], lo: wh[i * m + j], hi: wh[i * m + j] }))], b: [0, 0], rounded: false })));
    let h = units.hull();
    const gates = units.push(
      pre.map((s, j) => {
        const [k, lo, hi] = relax(h[s][0], h[s][1], j >= 2 * n && j < 3 * n, true, this.exec);
        return { terms: [{ src: [s], lo: k, hi: k }], b: [lo, hi], rounded: true };
      }),
    );
    const gate = (b: number, j: number) => gates[b * n + j];
    h = units.hull();
    const cell = units.push(
      Array.from({ length: n }, (_, j) => {
        const p = product(h, gate(1, j), old[n + j]);
        const q = product(h, gate(0, j), gate(2, j));
        return { terms: [...p.terms, ...q.terms], b: [lower(p.off[0] + q.off[0]), upper(p.off[1] + q.off[1])], rounded: true };
      }),
    );
    h = units.hull();
    const tc = units.push(
      cell.map((s) => {
        const [k, lo, hi] = relax(h[s][0], h[s][1], true, false, this.exec);
        return { terms: [{ src: [s], lo: k, hi: k }], b: [lo, hi], rounded: true };
      }),
    );
    h = units.hull();
    const hNew = units.push(
      tc.map((s, j) => {
        const p = product(h, gate(3, j), s);
        return { terms: p.terms, b: p.off, rounded: true };
      }),
    );
    return [...hNew, ...cell];
  }

  /** The layer output y = round(h·wo) (DeltaNet: o = round(S'q) per head, y = round(o·wo)). */
  private output(units: Units, p: string, u: Vec, next: number[]): Vec {
    const c = this.ckpt.config;
    const n = c.state;
    const wo = this.w(`${p}mix.wo`);
    if (c.family === 'lstm') return this.linear(units, wo, { units: next.slice(0, n) }, c.width, null, true);
    if (c.family !== 'deltanet-pos' && c.family !== 'deltanet-neg') return this.linear(units, wo, { units: next }, c.width, null, true);
    const q = unitKeys(n, c.heads, units.boxOf(u), this.w(`${p}mix.wq`), (lo, hi) => this.stored(lo, hi));
    const e = n / c.heads;
    const o = units.push(
      Array.from({ length: n }, (_, t) => {
        const head = Math.floor(t / e);
        const i = t % e;
        return { terms: Array.from({ length: e }, (_, mm) => ({ src: [next[head * e * e + i * e + mm]], lo: q[head * e + mm][0], hi: q[head * e + mm][1] })), b: [0, 0] as [number, number], rounded: true };
      }),
    );
    return this.linear(units, wo, { units: o }, c.width, null, true);
  }
}
