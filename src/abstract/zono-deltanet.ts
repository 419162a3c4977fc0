// The DeltaNet mixers (deltanet-pos, deltanet-neg) over zonotopes, one layer. Keys, values and β read the
// input symbol only (precision/exec/deltanet.ts), so on a fixed symbol each head's update is affine in its
// state matrix S, in two stored stages:
//   r_i = round(v_i − Σ_m S_im·k_m)            (the delta residual),
//   S'_ij = round(S_ij + (β·k_j)·r_i)          (β·r_i·k_j exact in the executor, then one rounding).
// Both are affine maps of the zonotope (zono-lrnn.ts's affineImage): the first from S to (S, r), S copied
// exactly and r rounded, the second from (S, r) to S', rounded; at a format k, v and β are the executor's
// stored points and the coefficient β·k_j is a float64 product within half an ulp (its radius), over the
// reals they are the box executor's enclosures. r shares the noise symbols of S, so S' keeps the relation
// S(I − βkkᵀ) + βvkᵀ that a box loses. Each step is then met with the box step (meetBox), as for the
// linear RNNs: a Householder reflection (β = 2) has gain 1 and would otherwise accumulate rounding errors.
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import { shortConvSize } from '../models/config.js';
import type { Weights } from '../models/params.js';
import type { NumberFormat } from '../precision/format.js';
import { sigmoid } from '../precision/exec/mixer.js';
import type { BoxNetwork } from './box-network.js';
import { boxWeight, LIBRARY_ULPS } from './box-mixers.js';
import type { IntervalArith } from './interval-arith.js';
import type { Interval } from './interval.js';
import { up } from './interval.js';
import { type AffineMap, affineImage, meetBox, split, type ZonoStep } from './zono-lrnn.js';
import type { Zonotope } from './zonotope.js';

const { abs, max, min, sqrt } = Math;

/** True for the networks whose step this file lifts: one DeltaNet layer. */
export function deltanetZonotopeSupported(config: ModelConfig): boolean {
  // a short convolution makes k, v and q read the last K inputs, not the symbol alone: not modelled here
  return config.layers === 1 && (config.family === 'deltanet-pos' || config.family === 'deltanet-neg') && shortConvSize(config) === 0;
}

/** One-layer DeltaNet steps over zonotopes, at a format or over the reals (format null). */
export class ZonoDeltaNet implements ZonoStep {
  readonly n: number;
  /** Stored values of the state (heads·e²) and of the residuals (heads·e). */
  private readonly size: number;
  private readonly rs: number;
  private readonly first: AffineMap[] = [];
  private readonly second: AffineMap[] = [];

  constructor(
    config: ModelConfig,
    weights: Weights,
    private readonly format: NumberFormat | null,
    private readonly net: BoxNetwork,
  ) {
    if (!deltanetZonotopeSupported(config)) throw new InputError(`zonotope step: one DeltaNet layer only, not ${config.layers} × ${config.family}`);
    const { heads } = config;
    const e = config.state / heads;
    this.size = heads * e * e;
    this.rs = heads * e;
    this.n = this.size;
    for (let a = 0; a < config.vocab; a++) {
      const [first, second] = deltaMaps(config, weights, net.ia, net.input(a));
      this.first.push(first);
      this.second.push(second);
    }
  }

  step(z: Zonotope, symbol: number): Zonotope {
    const { size } = this;
    const withR = affineImage(z, this.first[symbol], size + this.rs, this.format, (j) => j >= size);
    const next = affineImage(withR, this.second[symbol], size, this.format, () => true);
    return meetBox(next, this.net.step(symbol, z.hull()));
  }
}

/** The two affine maps of the step of layer `prefix` on input u (header), from the box executor's enclosures of k, v and β. */
export function deltaMaps(config: ModelConfig, weights: Weights, ia: IntervalArith, u: { lo: Float64Array; hi: Float64Array }, prefix = 'l0.'): [AffineMap, AffineMap] {
  const d = config.width;
  const n = config.state;
  const { heads } = config;
  const e = n / heads;
  const size = heads * e * e;
  const w = (name: string) => boxWeight(weights, `${prefix}mix.${name}`, ia);
  const [wk, wv, wbeta, cbeta] = [w('wk'), w('wv'), w('wbeta'), w('cbeta')];
  const dot = (wm: Float64Array, j: number, stride: number, bias: number) => {
    ia.begin();
    for (let i = 0; i < d; i++) ia.add2(wm[j + i * stride], wm[j + i * stride], u.lo[i], u.hi[i]);
    return ia.add1(bias, bias);
  };
  const k = l2Normed(config, ia, wk, u);
  const v = Array.from({ length: n }, (_, i) => dot(wv, i, n, 0).end());
  const negative = config.family === 'deltanet-neg';
  const beta = Array.from({ length: heads }, (_, h) => ia.storeMonotone((x) => (negative ? 2 * sigmoid(x) : sigmoid(x)), dot(wbeta, h, heads, cbeta[h]).endDouble(), true, LIBRARY_ULPS));
  const empty = (units: number): AffineMap => ({ ambiguous: false, src: [], mid: [], rad: [], bMid: new Float64Array(units), bRad: new Float64Array(units) });
  const first = empty(size + heads * e);
  const second = empty(size);
  const term = (map: AffineMap, j: number, src: number[], coef: Interval[]) => {
    map.src[j] = src;
    const parts = coef.map(split);
    map.mid[j] = parts.map(([m]) => m);
    map.rad[j] = parts.map(([, r]) => r);
  };
  const one = { lo: 1, hi: 1 };
  for (let h = 0; h < heads; h++) {
    const base = h * e * e;
    for (let i = 0; i < e; i++) {
      // r_i = v_i − Σ_m S_im k_m.
      const j = size + h * e + i;
      term(
        first,
        j,
        Array.from({ length: e }, (_, m) => base + i * e + m),
        Array.from({ length: e }, (_, m) => ({ lo: -k[h * e + m].hi, hi: -k[h * e + m].lo })),
      );
      [first.bMid[j], first.bRad[j]] = split(v[h * e + i]);
      for (let jj = 0; jj < e; jj++) {
        const at = base + i * e + jj;
        term(first, at, [at], [one]);
        // S'_ij = S_ij + (β·k_j)·r_i: the product's range, one float64 rounding wide.
        const b = beta[h];
        const kj = k[h * e + jj];
        const c = [b.lo * kj.lo, b.lo * kj.hi, b.hi * kj.lo, b.hi * kj.hi];
        const lo = min(...c);
        const hi = max(...c);
        term(second, at, [at, size + h * e + i], [one, { lo: lo - up(abs(lo) * 2 ** -53), hi: hi + up(abs(hi) * 2 ** -53) }]);
      }
    }
  }
  return [first, second];
}

/** round(l2norm(u·w)) per head (the keys, or the queries): the executor's float64 formula on a point u at a format, else the exact range, stored. */
export function l2Normed(config: ModelConfig, ia: IntervalArith, wm: Float64Array, u: { lo: Float64Array; hi: Float64Array }): Interval[] {
  const d = config.width;
  const n = config.state;
  const { heads } = config;
  const e = n / heads;
  const dot = (j: number) => {
    ia.begin();
    for (let i = 0; i < d; i++) ia.add2(wm[j + i * n], wm[j + i * n], u.lo[i], u.hi[i]);
    return ia.add1(0, 0);
  };
  const k: Interval[] = [];
  for (let h = 0; h < heads; h++) {
    const raw = Array.from({ length: e }, (_, i) => dot(h * e + i).endDouble());
    if (ia.exact !== null && raw.every((x) => x.lo === x.hi)) {
      let sq = 0;
      for (const x of raw) sq += x.lo * x.lo;
      const inv = 1 / sqrt(sq + 1e-6);
      for (const x of raw) k.push(ia.store(x.lo * inv, x.lo * inv));
      continue;
    }
    let sqLo = 0;
    let sqHi = 0;
    for (const x of raw) {
      const big = max(abs(x.lo), abs(x.hi));
      const small = x.lo <= 0 && x.hi >= 0 ? 0 : min(abs(x.lo), abs(x.hi));
      sqLo += small * small;
      sqHi += big * big;
    }
    const invLo = (1 / sqrt(sqHi * (1 + 2 ** -40) + 1e-6)) * (1 - 2 ** -40);
    const invHi = (1 / sqrt(sqLo * (1 - 2 ** -40) + 1e-6)) * (1 + 2 ** -40);
    for (const x of raw) {
      const c = [invLo * x.lo, invLo * x.hi, invHi * x.lo, invHi * x.hi];
      const s = 2 ** -52 * LIBRARY_ULPS;
      k.push(ia.store(min(...c) - s, max(...c) + s));
    }
  }
  return k;
}
