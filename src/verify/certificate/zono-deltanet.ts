// The block checker's zonotope step for one-layer DeltaNets (deltanet-pos, deltanet-neg), for B2. Written
// from the executor's semantics (precision/exec/deltanet.ts), sharing nothing with the search: per head of
// e units, with the input u of the one layer (the Evaluator's enclosure for the symbol),
//   k = round(l2norm(endDouble(u·wk))),  v = round(u·wv),  β = round(σ(endDouble(u·wbeta + cbeta)))
//   (deltanet-neg: round(2σ(…))),  r_i = round(v_i − Σ_m S_im·k_m),  S'_ij = round(S_ij + β·r_i·k_j).
// k, v and β depend on the symbol only, so the step is two affine stages (zono-linear.ts's Stage): S to
// (S, r), S copied exactly and r rounded; then (S, r) to S' with the coefficient β·k_j (an interval holding
// the exact product), rounded. The stage bounds every float64 error and every rounding in one fresh
// generator per unit, and the step is met with the Evaluator's interval step (the reduced product).
// Enclosures: l2norm's v/sqrt(v² + S + 1e−6) increases in v and its size falls as S (the other squares)
// grows, so its range follows from the ends, widened by 16 ulps for the float64 chain; σ increases; the
// library functions within 16 ulps of max(|v|, 1), as in check.ts.
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { Evaluator, type V } from './check.js';
import { AffineZonotope, type Stage, type Term } from './zono-linear.js';
import { roundingError } from './zono-net.js';

const { abs, exp, max, min, sqrt } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
const upper = (x: number) => x + (abs(x) * E + TINY);
const lower = (x: number) => x - (abs(x) * E + TINY);
const slack = (v: number) => max(abs(v), 1) * 16 * E + TINY;

/** The one-layer DeltaNet step over zonotopes at a format (null: the reals); throws on another network. */
export function deltanetZonotope(ckpt: Checkpoint, fmt: NumberFormat | null): AffineZonotope {
  const c = ckpt.config;
  if (c.layers !== 1 || (c.family !== 'deltanet-pos' && c.family !== 'deltanet-neg')) throw new Error(`zonotope step: one-layer DeltaNet only, not ${c.layers}-layer ${c.family}`);
  const ev = new Evaluator(ckpt, fmt);
  const stored = (lo: number, hi: number): [number, number] => (fmt === null ? [lo, hi] : [fmt.round(lo) + 0, fmt.round(hi) + 0]);
  const stages = Array.from({ length: c.vocab }, (_, a) => symbolStages(c.state, c.heads, c.family === 'deltanet-neg', ev.input(a), (name) => ev.weight(`l0.mix.${name}`), stored));
  return new AffineZonotope(stages, ev, roundingError(fmt));
}

/** [lo, hi] holding Σ_i w[j + i·stride]·u_i + bias exactly (outward float64). */
export function dot(w: Float64Array, j: number, stride: number, u: V, bias: number): [number, number] {
  let lo = bias;
  let hi = bias;
  for (let i = 0; i < u.length; i++) {
    const p = w[j + i * stride] * u[i][0];
    const q = w[j + i * stride] * u[i][1];
    lo = lower(lo + lower(min(p, q)));
    hi = upper(hi + upper(max(p, q)));
  }
  return [lo, hi];
}

/** The executor's float64 reading of an exact sum in [lo, hi]: within 64 ulps. */
const asDouble = ([lo, hi]: [number, number]): [number, number] => [lo - (abs(lo) * 64 * E + TINY), hi + (abs(hi) * 64 * E + TINY)];

export function symbolStages(n: number, heads: number, neg: boolean, u: V, w: (name: string) => Float64Array, stored: (lo: number, hi: number) => [number, number]): Stage[] {
  const e = n / heads;
  const size = heads * e * e;
  const [wk, wv, wbeta, cbeta] = [w('wk'), w('wv'), w('wbeta'), w('cbeta')];
  const k = unitKeys(n, heads, u, wk, stored);
  const v = Array.from({ length: n }, (_, i) => stored(...dot(wv, i, n, u, 0)));
  const sigma = (x: number) => (neg ? 2 : 1) / (1 + exp(-x));
  const beta = Array.from({ length: heads }, (_, h) => {
    const [zl, zh] = asDouble(dot(wbeta, h, heads, u, cbeta[h]));
    const lo = sigma(zl);
    const hi = sigma(zh);
    return stored(lo - slack(lo), hi + slack(hi));
  });
  const first: Stage = { nOut: size + heads * e, terms: [], b: [], rounded: [] };
  const second: Stage = { nOut: size, terms: [], b: [], rounded: [] };
  for (let h = 0; h < heads; h++) {
    const base = h * e * e;
    for (let i = 0; i < e; i++) {
      const at = size + h * e + i;
      first.terms[at] = Array.from({ length: e }, (_, m): Term => ({ src: [base + i * e + m], lo: -k[h * e + m][1], hi: -k[h * e + m][0] }));
      first.b[at] = v[h * e + i];
      first.rounded[at] = true;
      for (let j = 0; j < e; j++) {
        const s = base + i * e + j;
        first.terms[s] = [{ src: [s], lo: 1, hi: 1 }];
        first.b[s] = [0, 0];
        first.rounded[s] = false;
        const [bl, bh] = beta[h];
        const [kl, kh] = k[h * e + j];
        const xs = [bl * kl, bl * kh, bh * kl, bh * kh];
        const lo = min(...xs);
        const hi = max(...xs);
        // The float64 products, one rounding outward: an interval holding the exact β·k_j.
        second.terms[s] = [
          { src: [s], lo: 1, hi: 1 },
          { src: [at], lo: lower(lo), hi: upper(hi) },
        ];
        second.b[s] = [0, 0];
        second.rounded[s] = true;
      }
    }
  }
  return [first, second];
}

/** round(l2norm(endDouble(u·w))) per head of e = n/heads units (keys or queries), as intervals (header). */
export function unitKeys(n: number, heads: number, u: V, wk: Float64Array, stored: (lo: number, hi: number) => [number, number]): [number, number][] {
  const e = n / heads;
  const k: [number, number][] = [];
  for (let h = 0; h < heads; h++) {
    const raw = Array.from({ length: e }, (_, i) => asDouble(dot(wk, h * e + i, n, u, 0)));
    const sq = raw.map(([a, b]) => {
      const big = max(abs(a), abs(b));
      const small = a <= 0 && b >= 0 ? 0 : min(abs(a), abs(b));
      return [small * small, big * big];
    });
    const total = sq.reduce((t, [l, hh]) => [t[0] + l, t[1] + hh], [0, 0]);
    const f = (v: number, others: number) => v / sqrt(v * v + others + 1e-6);
    raw.forEach(([a, b], i) => {
      const lowS = max(0, total[0] - sq[i][0]) * (1 - 64 * E);
      const highS = (total[1] - sq[i][1]) * (1 + 64 * E) + TINY;
      const lo = f(a, a < 0 ? lowS : highS);
      const hi = f(b, b > 0 ? lowS : highS);
      k.push(stored(lo - (abs(lo) * 16 * E + TINY), hi + (abs(hi) * 16 * E + TINY)));
    });
  }
  return k;
}
