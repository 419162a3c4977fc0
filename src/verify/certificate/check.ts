// The independent checker of all-lengths certificates (`eigenstate check-certificate CERT CKPT`). It
// shares nothing with the search but the checkpoint reader, the format definitions (format.round) and
// the task catalogue: its interval evaluation of the network is its own, written directly from the
// semantics in precision/machine.ts. It checks, for the boxes of the certificate,
//   0. the certificate is about this checkpoint file (SHA-256), this task's automaton and an arithmetic;
//   1. the state after each one-symbol word a lies in the box of (δ(q0, a), a);
//   2. every box's image under every symbol lies in its successor's box;
//   3. the readout gives every point of every box its task state's class (with bisection).
// Every recurrent family, any depth, norms and MLPs (the transformer has no certificate to check).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { readJsonFile } from '../../files.js';
import type { Dfa } from '../../automata/dfa.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import { refuseShortConv } from '../../models/config.js';
import type { NumberFormat } from '../../precision/format.js';
import { parseFormat } from '../../precision/parse.js';
import { taskFromArgument } from '../../tasks/file.js';
import { parseWithSchema } from '../../validate.js';
import { type AnyCertificate, blockCertificateSchema, type Certificate, certificateSchema, splitBlockCertificateSchema, splitCutsCertificateSchema } from './format.js';

/** The checker's answer: valid, or the first reason it is not. */
export interface CheckOutcome {
  valid: boolean;
  reason: string;
}

/** Reads and validates a certificate file of any kind (InputError naming the file and field). */
export function readCertificate(file: string): AnyCertificate {
  const data: unknown = readJsonFile(file);
  const kind = data !== null && typeof data === 'object' ? (data as { kind?: unknown }).kind : undefined;
  if (kind === 'blocks') return parseWithSchema(blockCertificateSchema, data, file);
  if (kind === 'split-blocks') return parseWithSchema(splitBlockCertificateSchema, data, file);
  if (kind === 'split-cuts') return parseWithSchema(splitCutsCertificateSchema, data, file);
  return parseWithSchema(certificateSchema, data, file);
}

/** Families whose certificates this checker can verify. */
export const CHECKED_FAMILIES: readonly string[] = ['lrnn-pos', 'lrnn-neg', 'lrnn-complex', 'lrnn-pd', 'deltanet-pos', 'deltanet-neg', 'rnn-tanh', 'lstm'];

/** An interval vector: [lo, hi] per value. */
export type V = [number, number][];
const E = 2 ** -52;
const lower = (x: number) => x - (Math.abs(x) * E + Number.MIN_VALUE);
const upper = (x: number) => x + (Math.abs(x) * E + Number.MIN_VALUE);
/** Library-function slack: 16 ulps of max(|v|, 1). */
const SLACK = (v: number) => Math.max(Math.abs(v), 1) * E * 16 + Number.MIN_VALUE;

/** Exact product test by Veltkamp splitting: true when a·b is exactly a double. */
function exactProduct(a: number, b: number): boolean {
  const p = a * b;
  if (!Number.isFinite(p)) return false;
  const split = (x: number): [number, number] => {
    const t = 134217729 * x;
    const hi = t - (t - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return al * bl - (p - ah * bh - al * bh - ah * bl) === 0;
}

/** An interval sum of products that stays a point while every operation is exact in float64. */
class Sum {
  lo = 0;
  hi = 0;
  exact = true;
  /** Adds x·y·z. */
  add3(x: [number, number], y: [number, number], z: [number, number]): this {
    const [xy, zz] = triple(x, y, z);
    return this.add(xy, zz);
  }
  add(a: [number, number], b: [number, number] = [1, 1]): this {
    if (this.exact && a[0] === a[1] && b[0] === b[1] && exactProduct(a[0], b[0])) {
      const p = a[0] * b[0];
      const s = this.lo + p;
      if (s - this.lo === p && s - p === this.lo) {
        this.lo = this.hi = s;
        return this;
      }
    }
    this.exact = false;
    const c = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]].map((x) => (Number.isNaN(x) ? 0 : x));
    this.lo = lower(this.lo + lower(Math.min(...c)));
    this.hi = upper(this.hi + upper(Math.max(...c)));
    return this;
  }
}

/** The smallest interval holding every given one. */
function hull(xs: readonly [number, number][]): [number, number] {
  return [Math.min(...xs.map((x) => x[0])), Math.max(...xs.map((x) => x[1]))];
}

/** x·y·z as an interval pair, exact when both products are (error-free test), else outward. */
function triple(x: [number, number], y: [number, number], z: [number, number]): [[number, number], [number, number]] {
  if (x[0] === x[1] && y[0] === y[1] && exactProduct(x[0], y[0])) return [[x[0] * y[0], x[0] * y[0]], z];
  const c = [x[0] * y[0], x[0] * y[1], x[1] * y[0], x[1] * y[1]].map((v) => (Number.isNaN(v) ? 0 : v));
  return [[lower(Math.min(...c)), upper(Math.max(...c))], z];
}

/** Evaluates the network over interval vectors at a format (or the reals when fmt is null). */
export class Evaluator {
  private readonly w: Record<string, Float64Array> = {};
  private readonly permMemo = new Map<string, { rows: number[][]; a: [number, number][]; b: [number, number][] }>();
  /** The checker's own evaluator of a checkpoint at a format (null: the reals). */
  constructor(
    private readonly ckpt: Checkpoint,
    private readonly fmt: NumberFormat | null,
  ) {
    for (const [name, t] of Object.entries(ckpt.weights)) this.w[name] = Float64Array.from(t.data, (x) => (fmt === null ? x : fmt.round(x) + 0));
  }

  /** A stored weight tensor (the checkpoint's float32 values rounded to the format), as a copy. */
  weight(name: string): Float64Array {
    return Float64Array.from(this.w[name]);
  }

  /** The first layer's normalised input for a symbol (points when the executor's norm is exact here). */
  input(symbol: number): V {
    return this.norm(this.embed(symbol), 'l0.norm1');
  }

  private store(s: Sum): [number, number] {
    if (this.fmt === null) return [s.lo, s.hi];
    return [this.fmt.round(s.lo) + 0, this.fmt.round(s.hi) + 0];
  }

  private storeD(lo: number, hi: number): [number, number] {
    const s = new Sum();
    s.lo = lo;
    s.hi = hi;
    s.exact = lo === hi;
    return this.store(s);
  }

  /** f (monotone increasing if inc) of a pre-activation interval, as the executor computes and rounds it. */
  private gate(z: [number, number], f: (x: number) => number, inc: boolean, exactPoint: boolean): [number, number] {
    if (z[0] === z[1] && exactPoint && this.fmt !== null) {
      const v = this.fmt.round(f(z[0])) + 0;
      return [v, v];
    }
    const a = f(inc ? z[0] : z[1]);
    const b = f(inc ? z[1] : z[0]);
    return this.storeD(a - SLACK(a), b + SLACK(b));
  }

  private dot(name: string, j: number, stride: number, x: V, bias?: [number, number]): Sum {
    const w = this.w[name];
    const s = new Sum();
    for (let i = 0; i < x.length; i++) s.add([w[j + i * stride], w[j + i * stride]], x[i]);
    if (bias !== undefined) s.add(bias);
    return s;
  }

  /** Pre-activation as the executor's float64: a point when exact, else widened for the summation. */
  private pre(s: Sum): [[number, number], boolean] {
    if (s.exact) return [[s.lo, s.hi], true];
    return [[s.lo - Math.abs(s.lo) * E * 64 - Number.MIN_VALUE, s.hi + Math.abs(s.hi) * E * 64 + Number.MIN_VALUE], false];
  }

  private norm(x: V, g: string | null): V {
    if (g === null || this.ckpt.config.norm !== 'rms') return x;
    const d = x.length;
    const gain = this.w[g];
    const point = x.every((v) => v[0] === v[1]);
    const fmt = this.fmt;
    if (point && fmt !== null) {
      // The executor's mean of squares: the exact Σx² rounded to float64 (exact here when it fits).
      const s = new Sum();
      for (const v of x) s.add(v, v);
      if (s.exact) {
        const inv = 1 / Math.sqrt(s.lo / d + 1e-6);
        return x.map((v, i) => {
          const r = fmt.round(v[0] * gain[i] * inv) + 0;
          return [r, r];
        });
      }
    }
    // The exact range of x_i / sqrt((x_i² + S)/d + ε) (monotone in x_i; |·| falls as S, the others' squares, grows).
    const squares = x.map(([a, b]) => {
      const big = Math.max(Math.abs(a), Math.abs(b));
      const small = a <= 0 && b >= 0 ? 0 : Math.min(Math.abs(a), Math.abs(b));
      return [small * small, big * big];
    });
    const total = squares.reduce((t, [l, h]) => [t[0] + l, t[1] + h], [0, 0]);
    const f = (v: number, others: number) => v / Math.sqrt((v * v + others) / d + 1e-6);
    if (!Number.isFinite(total[1])) {
      // A square overflowed (v/∞ would read 0): each x_i·inv is only known to lie in [−√d, √d].
      const root = Math.sqrt(d) * (1 + 64 * E);
      return Array.from(gain, (w) => this.storeD(-root * Math.abs(w) - Number.MIN_VALUE, root * Math.abs(w) + Number.MIN_VALUE));
    }
    return x.map(([a, b], i) => {
      const lowS = Math.max(0, total[0] - squares[i][0]) * (1 - 64 * E);
      const highS = (total[1] - squares[i][1]) * (1 + 64 * E) + Number.MIN_VALUE;
      const lo = f(a, a < 0 ? lowS : highS) * gain[i];
      const hi = f(b, b > 0 ? lowS : highS) * gain[i];
      const [l, h] = gain[i] >= 0 ? [lo, hi] : [hi, lo];
      return this.storeD(l - Math.abs(l) * 64 * E - Number.MIN_VALUE, h + Math.abs(h) * 64 * E + Number.MIN_VALUE);
    });
  }

  private embed(symbol: number): V {
    const d = this.ckpt.config.width;
    return Array.from({ length: d }, (_, i) => [this.w.embed[symbol * d + i], this.w.embed[symbol * d + i]] as [number, number]);
  }

  private mixerUpdate(l: number, u: V, h: V): V {
    const c = this.ckpt.config;
    const n = c.state;
    const p = `l${l}.mix.`;
    if (c.family === 'deltanet-pos' || c.family === 'deltanet-neg') {
      const e = n / c.heads;
      const k = this.unitKeys(`${p}wk`, u);
      const v = Array.from({ length: n }, (_, i) => this.store(this.dot(`${p}wv`, i, n, u)));
      const next: V = [];
      for (let head = 0; head < c.heads; head++) {
        const [z, exact] = this.pre(this.dot(`${p}wbeta`, head, c.heads, u, [this.w[`${p}cbeta`][head], this.w[`${p}cbeta`][head]]));
        const beta = this.gate(z, (x) => (c.family === 'deltanet-neg' ? 2 : 1) / (1 + Math.exp(-x)), true, exact);
        const base = head * e * e;
        const r = Array.from({ length: e }, (_, i) => {
          const s = new Sum().add(v[head * e + i]);
          for (let m = 0; m < e; m++) s.add([-h[base + i * e + m][1], -h[base + i * e + m][0]], k[head * e + m]);
          return this.store(s);
        });
        for (let i = 0; i < e; i++) {
          for (let j = 0; j < e; j++) next.push(this.store(new Sum().add(h[base + i * e + j]).add3(beta, r[i], k[head * e + j])));
        }
      }
      return next;
    }
    if (c.family === 'lrnn-complex') {
      const blocks = n / 2;
      const sp = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
      const out: V = [];
      for (let j = 0; j < blocks; j++) {
        const ew = Math.exp(this.w[`${p}w`][j]);
        const [z, zExact] = this.pre(this.dot(`${p}wa`, j, blocks, u, [this.w[`${p}ca`][j], this.w[`${p}ca`][j]]));
        const [t, tExact] = this.pre(this.dot(`${p}wt`, j, blocks, u, [this.w[`${p}ct`][j], this.w[`${p}ct`][j]]));
        let pp: [number, number];
        let qq: [number, number];
        if (this.fmt !== null && zExact && tExact && z[0] === z[1] && t[0] === t[1]) {
          const r = Math.exp(-sp(z[0]) * ew);
          pp = this.storeD(r * Math.cos(t[0]), r * Math.cos(t[0]));
          qq = this.storeD(r * Math.sin(t[0]), r * Math.sin(t[0]));
        } else {
          // |p|, |q| <= r <= exp(−softplus(z.lo)·e^w) (1 + slack): crude and sound.
          const r = Math.exp(-sp(z[0]) * ew) * (1 + 64 * E);
          pp = this.storeD(-r, r);
          qq = this.storeD(-r, r);
        }
        const b0 = this.store(this.dot(`${p}wb`, 2 * j, n, u, [this.w[`${p}cb`][2 * j], this.w[`${p}cb`][2 * j]]));
        const b1 = this.store(this.dot(`${p}wb`, 2 * j + 1, n, u, [this.w[`${p}cb`][2 * j + 1], this.w[`${p}cb`][2 * j + 1]]));
        const [h0, h1] = [h[2 * j], h[2 * j + 1]];
        out.push(this.store(new Sum().add(pp, h0).add([-qq[1], -qq[0]], h1).add(b0)));
        out.push(this.store(new Sum().add(qq, h0).add(pp, h1).add(b1)));
      }
      return out;
    }
    if (c.family === 'lstm') {
      const m = 4 * n;
      const sig = (x: number) => 1 / (1 + Math.exp(-x));
      const pre = Array.from({ length: m }, (_, j) => {
        const s = this.dot(`${p}wx`, j, m, u);
        for (let i = 0; i < n; i++) s.add([this.w[`${p}wh`][j + i * m], this.w[`${p}wh`][j + i * m]], h[i]);
        return this.pre(s.add([this.w[`${p}b`][j], this.w[`${p}b`][j]]));
      });
      const hs: V = [];
      const cs: V = [];
      for (let j = 0; j < n; j++) {
        const g = (t: number, f: (x: number) => number) => this.gate(pre[t * n + j][0], f, true, pre[t * n + j][1]);
        const [gi, gf, gg, go] = [g(0, sig), g(1, sig), g(2, Math.tanh), g(3, sig)];
        const cell = this.store(new Sum().add(gf, h[n + j]).add(gi, gg));
        const tc = this.gate(cell, Math.tanh, true, cell[0] === cell[1]);
        hs.push(this.store(new Sum().add(go, tc)));
        cs.push(cell);
      }
      return [...hs, ...cs];
    }
    if (c.family === 'rnn-tanh') {
      return Array.from({ length: n }, (_, j) => {
        const s = this.dot(`${p}wx`, j, n, u);
        for (let i = 0; i < n; i++) s.add([this.w[`${p}wh`][j + i * n], this.w[`${p}wh`][j + i * n]], h[i]);
        s.add([this.w[`${p}b`][j], this.w[`${p}b`][j]]);
        const [z, exact] = this.pre(s);
        return this.gate(z, Math.tanh, true, exact);
      });
    }
    if (c.family === 'lrnn-pd') {
      // h_j = a_j·h_{perm[c][j]} + b_j, hulled over every row c that can be the first argmax of the stored z.
      const { rows, a, b } = this.permInput(l, u);
      return Array.from({ length: n }, (_, j) => this.store(new Sum().add(a[j], hull(rows.map((row) => h[row[j]]))).add(b[j])));
    }
    const neg = c.family === 'lrnn-neg';
    return Array.from({ length: n }, (_, j) => {
      const ew = Math.exp(this.w[`${p}w`][j]);
      const sp = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
      const [z, exact] = this.pre(this.dot(`${p}wa`, j, n, u, [this.w[`${p}ca`][j], this.w[`${p}ca`][j]]));
      // a decreases in z (softplus increases, exp(−s·e^w) decreases).
      const a = this.gate(z, (x) => (neg ? 2 * Math.exp(-sp(x) * ew) - 1 : Math.exp(-sp(x) * ew)), false, exact);
      const b = this.store(this.dot(`${p}wb`, j, n, u, [this.w[`${p}cb`][j], this.w[`${p}cb`][j]]));
      return this.store(new Sum().add(a, h[j]).add(b));
    });
  }

  /**
   * lrnn-pd's part of a step that reads the input box only: the rows of the permutation table (read
   * unrounded) that can be the first argmax of the stored z, the gates a (as lrnn-neg) and the offsets b.
   * Memoised on (layer, box): a one-layer model has one box per symbol, and S5 has 120 rows to compare.
   */
  private permInput(l: number, u: V): { rows: number[][]; a: [number, number][]; b: [number, number][] } {
    const key = `${l}|${u.map((x) => `${x[0]},${x[1]}`).join(';')}`;
    const hit = this.permMemo.get(key);
    if (hit !== undefined) return hit;
    const k = this.ckpt.config.vocab;
    const n = this.ckpt.config.state;
    const p = `l${l}.mix.`;
    const z = Array.from({ length: k }, (_, c) => this.store(this.dot(`${p}wp`, c, k, u, [this.w[`${p}cp`][c], this.w[`${p}cp`][c]])));
    const top = Math.max(...z.map((x) => x[0]));
    const first = z.findIndex((x) => x[0] === top);
    const table = this.ckpt.weights[`${p}perm`].data;
    const rows = z.flatMap((x, c) => {
      if (x[1] < top || (x[1] === top && c > first)) return [];
      const row = Array.from(table.subarray(c * n, c * n + n));
      if (!row.every((v) => Number.isInteger(v) && v >= 0 && v < n) || new Set(row).size !== n) throw new InputError(`weights: ${p}perm: row ${c} is not a permutation of 0..${n - 1}`);
      return [row];
    });
    const sp = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
    const a = Array.from({ length: n }, (_, j) => {
      const ew = Math.exp(this.w[`${p}w`][j]);
      const [z, exact] = this.pre(this.dot(`${p}wa`, j, n, u, [this.w[`${p}ca`][j], this.w[`${p}ca`][j]]));
      return this.gate(z, (x) => 2 * Math.exp(-sp(x) * ew) - 1, false, exact);
    });
    const b = Array.from({ length: n }, (_, j) => this.store(this.dot(`${p}wb`, j, n, u, [this.w[`${p}cb`][j], this.w[`${p}cb`][j]])));
    const out = { rows, a, b };
    if (this.permMemo.size < 4096) this.permMemo.set(key, out);
    return out;
  }

  private mixerOutput(l: number, u: V, state: V): V {
    const c = this.ckpt.config;
    const d = c.width;
    let h = state.slice(0, c.state);
    if (c.family === 'deltanet-pos' || c.family === 'deltanet-neg') {
      // o_i = round(Σ_m S_im q_m) per head, then y = round(o·wo).
      const e = c.state / c.heads;
      const q = this.unitKeys(`l${l}.mix.wq`, u);
      h = Array.from({ length: c.state }, (_, at) => {
        const head = Math.floor(at / e);
        const i = at % e;
        const s = new Sum();
        for (let m = 0; m < e; m++) s.add(state[head * e * e + i * e + m], q[head * e + m]);
        return this.store(s);
      });
    }
    return Array.from({ length: d }, (_, j) => this.store(this.dot(`l${l}.mix.wo`, j, d, h)));
  }

  /** round(l2norm(u·w)) per head (DeltaNet keys and queries): the executor's float64 formula on points, else the exact range. */
  private unitKeys(name: string, u: V): V {
    const c = this.ckpt.config;
    const e = c.state / c.heads;
    const out: V = [];
    for (let head = 0; head < c.heads; head++) {
      const raw = Array.from({ length: e }, (_, i) => this.pre(this.dot(name, head * e + i, c.state, u)));
      if (this.fmt !== null && raw.every(([z, exact]) => exact && z[0] === z[1])) {
        let sq = 0;
        for (const [z] of raw) sq += z[0] * z[0];
        const inv = 1 / Math.sqrt(sq + 1e-6);
        for (const [z] of raw) out.push(this.storeD(z[0] * inv, z[0] * inv));
        continue;
      }
      // v / sqrt(v² + S + ε) increases in v; its size falls as S (the others' squares) grows.
      const squares = raw.map(([[a, b]]) => {
        const small = a <= 0 && b >= 0 ? 0 : Math.min(Math.abs(a), Math.abs(b));
        return [small * small, Math.max(a * a, b * b)];
      });
      const total = squares.reduce((t, [l, h]) => [t[0] + l, t[1] + h], [0, 0]);
      const f = (v: number, others: number) => v / Math.sqrt(v * v + others + 1e-6);
      raw.forEach(([[a, b]], i) => {
        const lowS = Math.max(0, total[0] - squares[i][0]) * (1 - 64 * E);
        const highS = (total[1] - squares[i][1]) * (1 + 64 * E) + Number.MIN_VALUE;
        const lo = f(a, a < 0 ? lowS : highS);
        const hi = f(b, b > 0 ? lowS : highS);
        out.push(this.storeD(lo - Math.abs(lo) * 64 * E - Number.MIN_VALUE, hi + Math.abs(hi) * 64 * E + Number.MIN_VALUE));
      });
    }
    return out;
  }

  private residual(l: number, x: V, y: V): V {
    const c = this.ckpt.config;
    let out = x.map((v, i) => this.store(new Sum().add(v).add(y[i])));
    if (c.mlp > 0) {
      const v = this.norm(out, `l${l}.norm2`);
      const hidden = Array.from({ length: c.mlp }, (_, j) => {
        const r = this.store(this.dot(`l${l}.mlp.w1`, j, c.mlp, v, [this.w[`l${l}.mlp.b1`][j], this.w[`l${l}.mlp.b1`][j]]));
        return [Math.max(0, r[0]) + 0, Math.max(0, r[1]) + 0] as [number, number];
      });
      const y2 = Array.from({ length: c.width }, (_, i) => this.store(this.dot(`l${l}.mlp.w2`, i, c.width, hidden, [this.w[`l${l}.mlp.b2`][i], this.w[`l${l}.mlp.b2`][i]])));
      out = out.map((v2, i) => this.store(new Sum().add(v2).add(y2[i])));
    }
    return out;
  }

  /** Stored values in one layer's state (an LSTM keeps h and c). */
  get layerSize(): number {
    const c = this.ckpt.config;
    if (c.family === 'lstm') return 2 * c.state;
    if (c.family === 'deltanet-pos' || c.family === 'deltanet-neg') return c.state * (c.state / c.heads);
    return c.state;
  }

  /** One layer's part of the flat state. */
  private layer(state: V, l: number): V {
    return state.slice(l * this.layerSize, (l + 1) * this.layerSize);
  }

  /** Intervals holding every state the executor reaches on `symbol` from a state in `state`. */
  step(symbol: number, state: V): V {
    const c = this.ckpt.config;
    let x = this.embed(symbol);
    const next: V = [];
    for (let l = 0; l < c.layers; l++) {
      const u = this.norm(x, `l${l}.norm1`);
      const h = this.mixerUpdate(l, u, this.layer(state, l));
      next.push(...h);
      if (l < c.layers - 1) x = this.residual(l, x, this.mixerOutput(l, u, h));
    }
    return next;
  }

  /** Intervals holding every stored logit of a state in `state` whose last symbol is `symbol`. */
  logits(symbol: number, state: V): V {
    const c = this.ckpt.config;
    let x = this.embed(symbol);
    for (let l = 0; l < c.layers; l++) {
      const u = this.norm(x, `l${l}.norm1`);
      x = this.residual(l, x, this.mixerOutput(l, u, this.layer(state, l)));
    }
    const f = this.norm(x, 'normf');
    return Array.from({ length: c.classes }, (_, k) => this.store(this.dot('out.w', k, c.classes, f, [this.w['out.b'][k], this.w['out.b'][k]])));
  }
}

/** True when the interval logits surely give class c (ties go to the lower class). */
export function wins(l: V, c: number): boolean {
  return l.every((v, k) => k === c || (k < c ? l[c][0] > v[1] : l[c][0] >= v[1]));
}

/** True when the readout gives every state of the box (last symbol `symbol`) class c, bisecting up to `depth` times. */
export function readoutOk(ev: Evaluator, symbol: number, box: V, c: number, depth: number): boolean {
  if (wins(ev.logits(symbol, box), c)) return true;
  if (depth === 0) return false;
  let i = -1;
  let width = 0;
  box.forEach(([a, b], j) => {
    if (b - a > width) {
      width = b - a;
      i = j;
    }
  });
  if (i < 0) return false;
  const mid = box[i][0] + width / 2;
  const left = box.map((v, j) => (j === i ? ([v[0], mid] as [number, number]) : v));
  const right = box.map((v, j) => (j === i ? ([mid, v[1]] as [number, number]) : v));
  return readoutOk(ev, symbol, left, c, depth - 1) && readoutOk(ev, symbol, right, c, depth - 1);
}

const inside = (a: V, lo: number[], hi: number[]) => a.every(([x, y], i) => Number.isFinite(x) && Number.isFinite(y) && x >= lo[i] && y <= hi[i]);

/** SHA-256 of a file's bytes, hex: what a certificate names its checkpoint by. */
export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The task automaton and arithmetic of a certificate whose header checks pass, or the first reason why not. */
export type Header = { dfa: Dfa; fmt: NumberFormat | null } | CheckOutcome;

/** The header checks every certificate kind shares, in order: SHA-256, the family (a reason or null), the task's automaton, the alphabet, the arithmetic. */
export function checkHeader(cert: AnyCertificate, ckpt: Checkpoint, sha: string, familyProblem: string | null): Header {
  refuseShortConv(ckpt.config, 'the certificate checker');
  const no = (reason: string): CheckOutcome => ({ valid: false, reason });
  if (sha !== cert.checkpoint.sha256) return no(`checkpoint.sha256: the certificate is for another checkpoint (file hashes to ${sha.slice(0, 12)}…)`);
  if (familyProblem !== null) return no(familyProblem);
  const dfa = taskFromArgument(cert.task).reference;
  if (dfa === undefined) return no(`task: '${cert.task}' has no reference automaton`);
  const same = (a: ArrayLike<unknown>, b: ArrayLike<unknown>) => a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
  if (!same(dfa.table, cert.dfa.table) || !same(dfa.labels, cert.dfa.labels) || dfa.start !== cert.dfa.start || !same(dfa.alphabet, cert.dfa.alphabet) || !same(dfa.classes, cert.dfa.classes)) {
    return no(`dfa: not the automaton of task '${cert.task}'`);
  }
  if (!same(ckpt.task.alphabet, dfa.alphabet)) return no(`task: the checkpoint's alphabet is not the task's`);
  return { dfa, fmt: cert.arithmetic === 'real' ? null : parseFormat(cert.arithmetic) };
}

/** Re-verifies a certificate against a checkpoint (and its file's SHA-256): all three conditions, or the first reason why not. */
export function checkCertificate(cert: Certificate, ckpt: Checkpoint, sha: string): CheckOutcome {
  const no = (reason: string): CheckOutcome => ({ valid: false, reason });
  const c = ckpt.config;
  const header = checkHeader(cert, ckpt, sha, CHECKED_FAMILIES.includes(c.family) ? null : `the checker covers ${CHECKED_FAMILIES.join(', ')}, not ${c.family}`);
  if ('valid' in header) return header;
  const { dfa, fmt } = header;
  const ev = new Evaluator(ckpt, fmt);
  const k = dfa.nSymbols;
  const n = ev.layerSize * c.layers;
  const states = cert.states;
  const m = states.length;
  if (cert.initial.length !== k || cert.initial.some((i) => i >= m)) return no(`initial: not one abstract state in [0, ${m}) per symbol`);
  for (const [i, s] of states.entries()) {
    if (s.ref >= dfa.nStates || s.last >= k) return no(`states[${i}]: task state or last symbol out of range`);
    if (s.next.length !== k || s.next.some((t) => t >= m)) return no(`states[${i}].next: not one abstract state in [0, ${m}) per symbol`);
    if (s.lo.length !== n || s.hi.length !== n || s.lo.some((v, t) => !(v <= s.hi[t]))) return no(`states[${i}]: box is not ${n} ordered intervals`);
  }
  // The abstract automaton must follow the task's: successors carry δ(q, a) and the symbol a.
  const follows = (from: number | null, a: number, to: number) => states[to].last === a && states[to].ref === dfa.table[(from === null ? dfa.start : states[from].ref) * k + a];
  const zero: V = Array.from({ length: n }, () => [0, 0]);
  for (let a = 0; a < k; a++) {
    const s = states[cert.initial[a]];
    if (!follows(null, a, cert.initial[a])) return no(`initial[${a}]: does not follow the task's automaton on '${dfa.alphabet[a]}'`);
    if (!inside(ev.step(a, zero), s.lo, s.hi)) return no(`condition 1: the state after '${dfa.alphabet[a]}' is not in its box`);
  }
  for (const [i, s] of states.entries()) {
    for (let a = 0; a < k; a++) if (!follows(i, a, s.next[a])) return no(`states[${i}].next[${a}]: does not follow the task's automaton`);
  }
  const bound = reachedFrom(cert, cert.minLength ?? 1);
  for (const [i, s] of states.entries()) {
    const box: V = s.lo.map((v, t) => [v, s.hi[t]]);
    for (let a = 0; a < k; a++) {
      const t = states[s.next[a]];
      if (!inside(ev.step(a, box), t.lo, t.hi)) return no(`condition 2: the image of states[${i}] on '${dfa.alphabet[a]}' leaves the box of states[${s.next[a]}]`);
    }
    if (bound[i] && !readoutOk(ev, s.last, box, dfa.labels[s.ref], cert.readoutSplits)) return no(`condition 3: the readout of states[${i}] is not always '${dfa.classes[dfa.labels[s.ref]]}'`);
  }
  const from = cert.minLength === undefined ? '' : `, every readout of a word of length >= ${cert.minLength}`;
  return { valid: true, reason: `all ${m} boxes: initial states inside, every step inside, every readout right${from}` };
}

/**
 * Which abstract states a word of length >= N can end in: those of length exactly N (N − 1 steps of the
 * abstract automaton from `initial`), closed under every successor. Condition 3 binds only these: every
 * word of length >= N ends in one (conditions 1, 2 and induction), and no other word matters.
 */
function reachedFrom(cert: Certificate, minLength: number): boolean[] {
  const m = cert.states.length;
  // Stopping early at a length L < N is sound (the words of length N end in the closure of layer L, so
  // more readouts are checked, never fewer): the walk is capped at about 10^7 successor visits.
  let layer = new Set(cert.initial);
  let work = 0;
  for (let len = 1; len < minLength && work < 10_000_000; len++) {
    const next = new Set<number>();
    for (const i of layer) for (const t of cert.states[i].next) next.add(t);
    work += layer.size * cert.dfa.alphabet.length;
    layer = next;
  }
  const bound = new Array<boolean>(m).fill(false);
  const todo = [...layer];
  for (const i of todo) bound[i] = true;
  while (todo.length > 0) {
    for (const t of cert.states[todo.pop() as number].next) {
      if (!bound[t]) {
        bound[t] = true;
        todo.push(t);
      }
    }
  }
  return bound;
}
