// The block checker's zonotope step for one-layer LSTMs, for B2. Written from the executor's semantics
// (precision/exec/lstm.ts), sharing nothing with the search: on the state [h, c] and the Evaluator's
// enclosure u of the symbol's input,
//   pre = endDouble(u·wx + h·wh + b),  gi, gf, go = round(σ(pre)),  gg = round(tanh(pre)),
//   c' = round(gf·c + gi·gg),  tc = round(tanh(c')),  h' = round(go·tc).
// Each part is one stage (zono-linear.ts's Stage: interval coefficients, an offset interval, a rounding)
// whose coefficients are read off the hull of the zonotope so far:
//   σ, tanh: on the hull [l, u], s = min(f'(l), f'(u))·(1 − 1e−9) (f' falls with |z|, so s is at most the
//     least slope there) makes f(z) − s·z nondecreasing on [l, u], so f(z) lies in s·z + [f(l) − s·l,
//     f(u) − s·u], the ends pushed out by the library slack (16 ulps) and 4 roundings; at a format the
//     executor's float64 reading of pre (64 ulps of its size; f is 1-Lipschitz) and its own library error
//     (16 ulps) are added; tanh(c') reads a stored value, so only the library error;
//   x·y of two units with hulls x_m ± x_r, y_m ± y_r: x_m·y + y_m·x − x_m·y_m, plus at most x_r·y_r.
// The step is then met with the Evaluator's interval step (the reduced product, as for the linear RNNs).
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { Evaluator, type V } from './check.js';
import { hullOf, meet, type Stage, stage, SteppedZonotope, type Zono } from './zono-linear.js';
import { roundingError } from './zono-net.js';

const { abs, cosh, exp, max, min, tanh } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
const upper = (x: number) => x + (abs(x) * E + TINY);
const lower = (x: number) => x - (abs(x) * E + TINY);
const SLACK = 16 * E + TINY;
const sig = (x: number) => 1 / (1 + exp(-x));
const sigSlope = (x: number) => {
  const t = exp(-abs(x));
  return t / ((1 + t) * (1 + t));
};
const tanhSlope = (x: number) => {
  const ch = cosh(x);
  const s = 1 / (ch * ch);
  return s < 1e-300 ? 0 : s;
};

/** The one-layer LSTM step over zonotopes at a format (null: the reals), for condition B2. */
export class LstmZonotope extends SteppedZonotope {
  private readonly n: number;
  private readonly wh: Float64Array;
  /** Per symbol and gate unit: an interval holding the exact u·wx + b. */
  private readonly inputs: [number, number][][] = [];
  private readonly roundErr: ((m: number) => number) | null;
  private readonly ev: Evaluator;

  /** The step of a one-layer LSTM checkpoint (throws on another family or depth). */
  constructor(ckpt: Checkpoint, private readonly fmt: NumberFormat | null) {
    super();
    const c = ckpt.config;
    if (c.layers !== 1 || c.family !== 'lstm') throw new Error(`zonotope step: one-layer LSTM only, not ${c.layers}-layer ${c.family}`);
    this.ev = new Evaluator(ckpt, fmt);
    this.n = c.state;
    const m = 4 * c.state;
    this.wh = this.ev.weight('l0.mix.wh');
    const wx = this.ev.weight('l0.mix.wx');
    const b = this.ev.weight('l0.mix.b');
    for (let a = 0; a < c.vocab; a++) {
      const u = this.ev.input(a);
      this.inputs.push(
        Array.from({ length: m }, (_, j) => {
          let lo = b[j];
          let hi = b[j];
          for (let i = 0; i < u.length; i++) {
            const p = wx[i * m + j] * u[i][0];
            const q = wx[i * m + j] * u[i][1];
            lo = lower(lo + lower(min(p, q)));
            hi = upper(hi + upper(max(p, q)));
          }
          return [lo, hi] as [number, number];
        }),
      );
    }
    this.roundErr = roundingError(fmt);
  }

  /** [s, lo, hi]: f(z) ∈ s·z + [lo, hi] on [l, u] (header). */
  private relax(l: number, u: number, isTanh: boolean, readsDouble: boolean): [number, number, number] {
    return relax(l, u, isTanh, readsDouble, this.fmt !== null);
  }

  /** One executor step on `symbol` (header): a zonotope holding every successor state. */
  protected step(z: Zono, symbol: number): Zono {
    const n = this.n;
    const m = 4 * n;
    const ident = (s: number) => [{ src: [s], lo: 1, hi: 1 }];
    // pre (not stored) beside c.
    const a: Stage = { nOut: n + m, terms: [], b: [], rounded: [] };
    for (let j = 0; j < n; j++) [a.terms[j], a.b[j], a.rounded[j]] = [ident(n + j), [0, 0], false];
    for (let j = 0; j < m; j++) {
      a.terms[n + j] = Array.from({ length: n }, (_, i) => ({ src: [i], lo: this.wh[i * m + j], hi: this.wh[i * m + j] }));
      a.b[n + j] = this.inputs[symbol][j];
      a.rounded[n + j] = false;
    }
    const za = stage(z, a, this.roundErr);
    // The gates.
    const ha = hullOf(za);
    const b: Stage = { nOut: n + m, terms: [], b: [], rounded: [] };
    for (let j = 0; j < n; j++) [b.terms[j], b.b[j], b.rounded[j]] = [ident(j), [0, 0], false];
    for (let j = 0; j < m; j++) {
      const [s, lo, hi] = this.relax(ha[n + j][0], ha[n + j][1], j >= 2 * n && j < 3 * n, true);
      [b.terms[n + j], b.b[n + j], b.rounded[n + j]] = [[{ src: [n + j], lo: s, hi: s }], [lo, hi], true];
    }
    const zb = stage(za, b, this.roundErr);
    // c' = gf·c + gi·gg beside go.
    const hb = hullOf(zb);
    const c: Stage = { nOut: 2 * n, terms: [], b: [], rounded: [] };
    for (let j = 0; j < n; j++) {
      [c.terms[j], c.b[j], c.rounded[j]] = [ident(4 * n + j), [0, 0], false];
      const p = product(hb, 2 * n + j, j);
      const q = product(hb, n + j, 3 * n + j);
      c.terms[n + j] = [...p.terms, ...q.terms];
      c.b[n + j] = [lower(p.off[0] + q.off[0]), upper(p.off[1] + q.off[1])];
      c.rounded[n + j] = true;
    }
    const zc = stage(zb, c, this.roundErr);
    // tc = tanh(c') beside go and c'.
    const hc = hullOf(zc);
    const d: Stage = { nOut: 3 * n, terms: [], b: [], rounded: [] };
    for (let j = 0; j < 2 * n; j++) [d.terms[j], d.b[j], d.rounded[j]] = [ident(j), [0, 0], false];
    for (let j = 0; j < n; j++) {
      const [s, lo, hi] = this.relax(hc[n + j][0], hc[n + j][1], true, false);
      [d.terms[2 * n + j], d.b[2 * n + j], d.rounded[2 * n + j]] = [[{ src: [n + j], lo: s, hi: s }], [lo, hi], true];
    }
    const zd = stage(zc, d, this.roundErr);
    // h' = go·tc, and c'.
    const hd = hullOf(zd);
    const e: Stage = { nOut: 2 * n, terms: [], b: [], rounded: [] };
    for (let j = 0; j < n; j++) {
      const p = product(hd, j, 2 * n + j);
      [e.terms[j], e.b[j], e.rounded[j]] = [p.terms, p.off, true];
      [e.terms[n + j], e.b[n + j], e.rounded[n + j]] = [ident(n + j), [0, 0], false];
    }
    const ze = stage(zd, e, this.roundErr);
    return meet(ze, this.ev.step(symbol, hullOf(z)));
  }

}

/** x·y for units x, y of the hull h: terms x_m·y + y_m·x and the offset −x_m·y_m ± x_r·y_r (outward). */
export function product(h: V, x: number, y: number): { terms: { src: number[]; lo: number; hi: number }[]; off: [number, number] } {
  const xm = h[x][0] / 2 + h[x][1] / 2;
  const ym = h[y][0] / 2 + h[y][1] / 2;
  const xr = max(upper(h[x][1] - xm), upper(xm - h[x][0]));
  const yr = max(upper(h[y][1] - ym), upper(ym - h[y][0]));
  const p = xm * ym;
  const r = upper(xr * yr);
  return {
    terms: [
      { src: [y], lo: xm, hi: xm },
      { src: [x], lo: ym, hi: ym },
    ],
    off: [lower(lower(-p) - r), upper(upper(-p) + r)],
  };
}

/** [s, lo, hi] with f(z) ∈ s·z + [lo, hi] on [l, u] for f = σ or tanh (header); at a format (`exec`) with the executor's reading of z (`readsDouble`) and library error. */
export function relax(l: number, u: number, isTanh: boolean, readsDouble: boolean, exec: boolean): [number, number, number] {
  const f = isTanh ? tanh : sig;
  const s = l === u ? 0 : max(0, min((isTanh ? tanhSlope : sigSlope)(l), (isTanh ? tanhSlope : sigSlope)(u)) * (1 - 1e-9));
  let lo = f(l) - SLACK - s * l - (4 * E * (1 + abs(s * l)) + TINY);
  let hi = f(u) + SLACK - s * u + (4 * E * (1 + abs(s * u)) + TINY);
  if (exec) {
    const extra = upper((readsDouble ? 64 * E * max(abs(l), abs(u)) : 0) + SLACK);
    lo = lower(lo - extra);
    hi = upper(hi + extra);
  }
  return [s, lo, hi];
}
