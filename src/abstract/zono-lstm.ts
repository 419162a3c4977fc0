// The LSTM mixer over zonotopes, one layer (precision/exec/lstm.ts): on state [h, c],
//   pre = endDouble(u·wx + h·wh + b) (4n units),  gi, gf, go = round(σ(pre)),  gg = round(tanh(pre)),
//   c' = round(gf·c + gi·gg),  tc = round(tanh(c')),  h' = round(go·tc).
// Every stage is an affine map of the zonotope (zono-lrnn.ts's affineImage) whose coefficients and offset
// interval are read off the current hull, so the relations between h, c and the gates are kept:
//   σ and tanh: DeepZ. On the hull [l, u] of a pre-activation, λ = the least slope at an end (σ' and tanh'
//     fall with |z|, so their least value on [l, u] is at an end), times 1 − 1e−9; f(z) − λz is then
//     nondecreasing, so f(z) ∈ λz + μ ± β with μ ± β its range from f(l), f(u) (library slack 16 ulps).
//     At a format the executor reads pre as a float64 within 64 ulps of the exact sum (f is 1-Lipschitz)
//     and its library value is within 16 ulps more;
//   products x·y of two units: x·y = x_m·y + y_m·x − x_m·y_m + (x − x_m)(y − y_m), the last term at most
//     x_r·y_r in size (x ∈ x_m ± x_r, y ∈ y_m ± y_r on the hull): affine, with that as an offset radius.
// The offset radii, the float64 errors and the format's rounding of each stored value go into fresh
// generators (affineImage), so the result holds every state the executor stores; the step is then met with
// the box step (meetBox).
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import type { NumberFormat } from '../precision/format.js';
import type { BoxNetwork } from './box-network.js';
import { boxWeight } from './box-mixers.js';
import type { Interval } from './interval.js';
import { up } from './interval.js';
import { type AffineMap, affineImage, meetBox, split, type ZonoStep } from './zono-lrnn.js';
import type { Zonotope } from './zonotope.js';

const { abs, cosh, exp, max, min, tanh } = Math;
const E = 2 ** -52;
/** Library error of one float64 call of σ or tanh (values in [−1, 1]). */
const LIB = 16 * E + Number.MIN_VALUE;

const sigmoid = (x: number) => 1 / (1 + exp(-x));
/** σ'(x) = σ(x)(1 − σ(x)), as e^−|x| / (1 + e^−|x|)² (no cancellation). */
const sigmoidSlope = (x: number) => {
  const t = exp(-abs(x));
  return t / ((1 + t) * (1 + t));
};
const tanhSlope = (x: number) => {
  const ch = cosh(x);
  return 1 / (ch * ch);
};

/** True for the networks whose step this file lifts: one LSTM layer. */
export function lstmZonotopeSupported(config: ModelConfig): boolean {
  return config.layers === 1 && config.family === 'lstm';
}

/** A map whose units all start empty. */
function emptyMap(units: number): AffineMap {
  return { ambiguous: false, src: [], mid: [], rad: [], bMid: new Float64Array(units), bRad: new Float64Array(units) };
}

/** Unit j of the map copies unit s exactly. */
function copy(map: AffineMap, j: number, s: number): void {
  map.src[j] = [s];
  map.mid[j] = [1];
  map.rad[j] = [0];
}

/** One-layer LSTM steps over zonotopes, at a format or over the reals (format null). */
export class ZonoLstm implements ZonoStep {
  readonly n: number;
  private readonly units: number;
  private readonly wh: Float64Array;
  /** Per symbol: u·wx + b per gate unit (an interval, a point at a format). */
  private readonly inputs: Interval[][] = [];

  constructor(
    config: ModelConfig,
    weights: Weights,
    private readonly format: NumberFormat | null,
    private readonly net: BoxNetwork,
  ) {
    if (!lstmZonotopeSupported(config)) throw new InputError(`zonotope step: one LSTM layer only, not ${config.layers} × ${config.family}`);
    const { ia } = net;
    const n = config.state;
    const m = 4 * n;
    this.units = n;
    this.n = 2 * n;
    const w = (name: string) => boxWeight(weights, `l0.mix.${name}`, ia);
    const [wx, b] = [w('wx'), w('b')];
    this.wh = w('wh');
    for (let a = 0; a < config.vocab; a++) {
      const u = net.input(a);
      this.inputs.push(
        Array.from({ length: m }, (_, j) => {
          ia.begin();
          for (let i = 0; i < config.width; i++) ia.add2(wx[i * m + j], wx[i * m + j], u.lo[i], u.hi[i]);
          // endDouble: a float64 value of the exact sum (a point), or an enclosure; the exact sum is within
          // 64 ulps of that value's size (as in zono-rnn-tanh.ts).
          const k = ia.add1(b[j], b[j]).endDouble();
          const pad = max(abs(k.lo), abs(k.hi)) * 64 * E + Number.MIN_VALUE;
          return { lo: k.lo - pad, hi: k.hi + pad };
        }),
      );
    }
  }

  step(z: Zonotope, symbol: number): Zonotope {
    const n = this.units;
    const m = 4 * n;
    const fmt = this.format;
    // A: [h, c] -> [c, pre] (pre not stored: its float64 reading is bounded in B).
    const a = emptyMap(n + m);
    for (let j = 0; j < n; j++) copy(a, j, n + j);
    for (let j = 0; j < m; j++) {
      a.src[n + j] = Array.from({ length: n }, (_, i) => i);
      a.mid[n + j] = Array.from({ length: n }, (_, i) => this.wh[i * m + j]);
      a.rad[n + j] = new Array<number>(n).fill(0);
      [a.bMid[n + j], a.bRad[n + j]] = split(this.inputs[symbol][j]);
    }
    const za = affineImage(z, a, n + m, fmt, () => false);
    // B: [c, pre] -> [c, gi, gf, gg, go], DeepZ per gate, rounded.
    const ha = za.hull();
    const b = emptyMap(n + m);
    for (let j = 0; j < n; j++) copy(b, j, j);
    for (let j = 0; j < m; j++) {
      const isTanh = j >= 2 * n && j < 3 * n;
      const [lambda, mu, beta] = deepZ(ha.lo[n + j], ha.hi[n + j], isTanh, fmt !== null);
      b.src[n + j] = [n + j];
      b.mid[n + j] = [lambda];
      b.rad[n + j] = [0];
      b.bMid[n + j] = mu;
      b.bRad[n + j] = beta;
    }
    const zb = affineImage(za, b, n + m, fmt, (j) => j >= n);
    // C: -> [go, c'] with c' = gf·c + gi·gg (two product relaxations), rounded.
    const hb = zb.hull();
    const c = emptyMap(2 * n);
    for (let j = 0; j < n; j++) {
      copy(c, j, n + 3 * n + j);
      const [x1, y1, x2, y2] = [n + n + j, j, n + j, n + 2 * n + j];
      const p1 = product(hb, x1, y1);
      const p2 = product(hb, x2, y2);
      c.src[n + j] = [y1, x1, y2, x2];
      c.mid[n + j] = [p1.xm, p1.ym, p2.xm, p2.ym];
      c.rad[n + j] = [0, 0, 0, 0];
      c.bMid[n + j] = p1.offset + p2.offset;
      c.bRad[n + j] = up(up(p1.radius + p2.radius) + up((abs(p1.offset) + abs(p2.offset)) * E));
    }
    const zc = affineImage(zb, c, 2 * n, fmt, (j) => j >= n);
    // D: -> [go, c', tc], tanh by DeepZ on the stored c', rounded.
    const hc = zc.hull();
    const d = emptyMap(3 * n);
    for (let j = 0; j < 2 * n; j++) copy(d, j, j);
    for (let j = 0; j < n; j++) {
      // c' is a stored value: the executor's tanh reads it exactly (no float64 reading error).
      const [lambda, mu, beta] = deepZ(hc.lo[n + j], hc.hi[n + j], true, false);
      const lib = fmt === null ? 0 : LIB;
      d.src[2 * n + j] = [n + j];
      d.mid[2 * n + j] = [lambda];
      d.rad[2 * n + j] = [0];
      d.bMid[2 * n + j] = mu;
      d.bRad[2 * n + j] = up(beta + lib);
    }
    const zd = affineImage(zc, d, 3 * n, fmt, (j) => j >= 2 * n);
    // E: -> [h', c'], h' = go·tc rounded.
    const hd = zd.hull();
    const e = emptyMap(2 * n);
    for (let j = 0; j < n; j++) {
      const p = product(hd, j, 2 * n + j);
      e.src[j] = [2 * n + j, j];
      e.mid[j] = [p.xm, p.ym];
      e.rad[j] = [0, 0];
      e.bMid[j] = p.offset;
      e.bRad[j] = up(p.radius + up(abs(p.offset) * E));
      copy(e, n + j, n + j);
    }
    const ze = affineImage(zd, e, 2 * n, fmt, (j) => j < n);
    return meetBox(ze, this.net.step(symbol, z.hull()));
  }
}

/**
 * DeepZ for σ (or tanh) on [l, u]: [λ, μ, β] with f(z) ∈ λz + μ ± β there; at a format (`exec`) β also
 * holds the executor's float64 reading of z (64 ulps, f 1-Lipschitz) and its library error.
 */
export function deepZ(l: number, u: number, isTanh: boolean, exec: boolean): [number, number, number] {
  const f = isTanh ? tanh : sigmoid;
  const slope = isTanh ? tanhSlope : sigmoidSlope;
  const lambda = l === u ? 0 : max(0, min(slope(l), slope(u)) * (1 - 1e-9));
  // Each float64 operation below is off by at most 2^−52 of its operands' size: 4 of them, padded.
  const gLo = f(l) - LIB - lambda * l - (4 * E * (1 + abs(lambda * l)) + Number.MIN_VALUE);
  const gHi = f(u) + LIB - lambda * u + (4 * E * (1 + abs(lambda * u)) + Number.MIN_VALUE);
  const mu = gLo + (gHi - gLo) / 2;
  let beta = up(max(gHi - mu, mu - gLo) + abs(mu) * E);
  if (exec) beta = up(beta + up(64 * E * max(abs(l), abs(u))) + LIB);
  return [lambda, mu, beta];
}

/** x·y = x_m·y + y_m·x + offset ± radius for units x, y of the hull (header). */
export function product(h: { lo: Float64Array; hi: Float64Array }, x: number, y: number): { xm: number; ym: number; offset: number; radius: number } {
  const xm = h.lo[x] + (h.hi[x] - h.lo[x]) / 2;
  const ym = h.lo[y] + (h.hi[y] - h.lo[y]) / 2;
  const xr = up(max(h.hi[x] - xm, xm - h.lo[x]));
  const yr = up(max(h.hi[y] - ym, ym - h.lo[y]));
  const offset = -(xm * ym);
  return { xm, ym, offset, radius: up(up(xr * yr) + up(abs(offset) * E)) };
}
