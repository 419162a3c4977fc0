// The one-layer tanh RNN's step over zonotopes: h' = round(tanh(z)), z = u·wx + h·wh + b computed exactly
// and rounded once to float64 (precision/exec/rnn.ts), where u, the normed embedding of the symbol, is
// the same point for every state. The affine part maps the generators exactly up to float64 rounding;
// tanh is the DeepZ parallelogram: on [l, u] with λ at most the least slope there, tanh(z) − λz is
// nondecreasing, so tanh(z) ∈ λz + μ ± β with μ ± β the range of that difference; every error (float64
// arithmetic here, the executor's float64 rounding of z and its tanh library error, the format's
// rounding of the result) goes into one fresh generator per coordinate, rounded up.
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import type { NumberFormat } from '../precision/format.js';
import type { BoxNetwork } from './box-network.js';
import { boxWeight, LIBRARY_ULPS } from './box-mixers.js';
import { AbstractOverflow } from './interval-arith.js';
import { up } from './interval.js';
import { roundingErrorBound, sumErrorFactor, Zonotope } from './zonotope.js';

// Bound once: a global Math lookup per call is many times slower under jest's module sandbox.
const { abs, cosh, max, min, tanh } = Math;

const U = 2 ** -53;
/** The executor's float64 value of an exact sum (its expansion summed in float64, not correctly rounded)
 *  is within this many ulps of the sum, the margin IntervalArith.endDouble allows too. */
const SUM_TO_DOUBLE = 64 * 2 * U;
/** Error of one float64 library call of tanh, in absolute terms (|tanh| <= 1). */
const TANH_SLACK = LIBRARY_ULPS * 2 * U;

/** True for the networks whose step this file lifts: one rnn-tanh layer. */
export function zonotopeStepSupported(config: ModelConfig): boolean {
  return config.family === 'rnn-tanh' && config.layers === 1;
}

/** One-layer rnn-tanh steps over zonotopes, at a format or over the reals (format null). */
export class ZonoRnnTanh {
  readonly n: number;
  private readonly wh: Float64Array;
  /** Per symbol and unit: the midpoint and radius of an enclosure of u·wx + b. */
  private readonly inMid: Float64Array[];
  private readonly inRad: Float64Array[];

  constructor(
    config: ModelConfig,
    weights: Weights,
    private readonly format: NumberFormat | null,
    net: BoxNetwork,
  ) {
    if (!zonotopeStepSupported(config)) throw new InputError(`zonotope step: one rnn-tanh layer only, not ${config.layers} × ${config.family}`);
    const ia = net.ia;
    const n = config.state;
    const d = config.width;
    this.n = n;
    const w = (name: string) => boxWeight(weights, `l0.mix.${name}`, ia);
    const wx = w('wx');
    const b = w('b');
    this.wh = w('wh');
    this.inMid = [];
    this.inRad = [];
    for (let a = 0; a < config.vocab; a++) {
      const u = net.input(a);
      const mid = new Float64Array(n);
      const rad = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        ia.begin();
        for (let i = 0; i < d; i++) ia.add2(wx[i * n + j], wx[i * n + j], u.lo[i], u.hi[i]);
        // endDouble: the executor's float64 value of the exact sum (a point), or an enclosure of it; the
        // exact real sum is within SUM_TO_DOUBLE of that value's size.
        const k = ia.add1(b[j], b[j]).endDouble();
        mid[j] = k.lo + (k.hi - k.lo) / 2;
        rad[j] = up(max(k.hi - mid[j], mid[j] - k.lo) + max(abs(k.lo), abs(k.hi)) * SUM_TO_DOUBLE + Number.MIN_VALUE);
      }
      this.inMid.push(mid);
      this.inRad.push(rad);
    }
  }

  /** A zonotope containing every state the executor reaches from a point of `z` on `symbol`. */
  step(z: Zonotope, symbol: number): Zonotope {
    const { n, wh } = this;
    const m = z.m;
    const mOut = m + n;
    const c = new Float64Array(n);
    const g = new Float64Array(mOut * n);
    const gamma = sumErrorFactor(n + 1);
    const kMid = this.inMid[symbol];
    const kRad = this.inRad[symbol];
    for (let j = 0; j < n; j++) {
      // The affine part, centre and generators, with the size of every sum for its rounding error.
      let zc = kMid[j];
      let size = abs(kMid[j]);
      for (let i = 0; i < n; i++) {
        const p = wh[i * n + j] * z.c[i];
        zc += p;
        size += abs(p);
      }
      let radius = 0;
      for (let k = 0; k < m; k++) {
        let s = 0;
        let terms = 0;
        const row = k * n;
        for (let i = 0; i < n; i++) {
          const p = wh[i * n + j] * z.g[row + i];
          s += p;
          terms += abs(p);
        }
        g[row + j] = s;
        radius += abs(s);
        size += terms;
      }
      const err = up(up(size * gamma) + kRad[j]);
      const r = up(up(radius * (1 + sumErrorFactor(m))) + err);
      const lo = zc - r - abs(zc) * 2 * U;
      const hi = zc + r + abs(zc) * 2 * U;
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new AbstractOverflow(`zonotope pre-activation of unit ${j} is not finite`);
      // λ at most the least slope of tanh on [lo, hi] (sech² is smallest at an end), computed as 1/cosh²
      // (no cancellation) and shrunk by far more than its rounding error.
      const lambda = max(0, min(1 / cosh(lo) ** 2, 1 / cosh(hi) ** 2) * (1 - 1e-9));
      const gLo = tanh(lo) - lambda * lo - (TANH_SLACK + 4 * U * (1 + abs(lambda * lo)));
      const gHi = tanh(hi) - lambda * hi + (TANH_SLACK + 4 * U * (1 + abs(lambda * hi)));
      const mu = gLo + (gHi - gLo) / 2;
      const beta = up(max(gHi - mu, mu - gLo));
      // The new centre and generators: λ times the affine part, plus μ.
      c[j] = lambda * zc + mu;
      let scaled = abs(lambda * zc) + abs(mu);
      for (let k = 0; k < m; k++) {
        const v = lambda * g[k * n + j];
        g[k * n + j] = v;
        scaled += abs(v);
      }
      // What the executor adds to tanh(z): its float64 value of z (tanh is 1-Lipschitz) and its library error.
      const executor = max(abs(lo), abs(hi)) * SUM_TO_DOUBLE + TANH_SLACK;
      // The largest |v| the format rounds: tanh_lib stays in [−1, 1].
      const vMax = min(1, max(abs(lambda * lo + mu), abs(lambda * hi + mu)) + beta + executor);
      const rounding = roundingErrorBound(this.format, vMax);
      const fresh = up(beta + up(lambda * err) + up(scaled * 4 * U) + executor + rounding + Number.MIN_VALUE);
      if (!Number.isFinite(fresh)) throw new AbstractOverflow(`zonotope error term of unit ${j} is not finite`);
      g[(m + j) * n + j] = fresh;
    }
    return new Zonotope(n, c, g, mOut);
  }
}
