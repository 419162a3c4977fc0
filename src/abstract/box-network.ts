// The exact executor's network composition (precision/exec/network.ts) over boxes: embedding, RMS norms,
// the mixers of box-mixers.ts, residuals, MLPs and the readout. `step` encloses every state the executor
// can reach from a state in the box on one symbol; `logits` encloses every stored logit vector.
import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import type { NumberFormat } from '../precision/format.js';
import type { Box } from './box.js';
import { boxMixer, boxWeight, ivec, LIBRARY_ULPS, type BoxMixer, type IVec } from './box-mixers.js';
import { IntervalArith } from './interval-arith.js';

interface BoxLayer {
  norm1: Float64Array | null;
  mixer: BoxMixer;
  offset: number;
  mlp: { norm2: Float64Array | null; w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array } | null;
}

/** A recurrent checkpoint at a format (or over the reals: format null) as a box transformer. */
export class BoxNetwork {
  readonly ia: IntervalArith;
  readonly stateSize: number;
  readonly classes: number;
  private readonly d: number;
  private readonly layers: BoxLayer[];
  private readonly embed: Float64Array;
  private readonly normf: Float64Array | null;
  private readonly outW: Float64Array;
  private readonly outB: Float64Array;
  private readonly x: IVec;
  private readonly u: IVec;
  private readonly y: IVec;

  constructor(
    readonly config: ModelConfig,
    weights: Weights,
    format: NumberFormat | null,
  ) {
    if (config.family === 'transformer') throw new InputError('all-lengths verification: a transformer has no finite recurrent state (out of scope)');
    const ia = new IntervalArith(format);
    this.ia = ia;
    this.d = config.width;
    this.classes = config.classes;
    const rms = config.norm === 'rms';
    const w = (name: string) => boxWeight(weights, name, ia);
    this.embed = w('embed');
    this.layers = [];
    let offset = 0;
    for (let l = 0; l < config.layers; l++) {
      const p = `l${l}.`;
      const mixer = boxMixer(config, weights, p, ia);
      this.layers.push({
        norm1: rms ? w(`${p}norm1`) : null,
        mixer,
        offset,
        mlp: config.mlp > 0 ? { norm2: rms ? w(`${p}norm2`) : null, w1: w(`${p}mlp.w1`), b1: w(`${p}mlp.b1`), w2: w(`${p}mlp.w2`), b2: w(`${p}mlp.b2`) } : null,
      });
      offset += mixer.stateSize;
    }
    this.stateSize = offset;
    this.normf = rms ? w('normf') : null;
    this.outW = w('out.w');
    this.outB = w('out.b');
    this.x = ivec(this.d);
    this.u = ivec(this.d);
    this.y = ivec(this.d);
  }

  private load(symbol: number): void {
    const { d, x, embed } = this;
    for (let i = 0; i < d; i++) x.lo[i] = x.hi[i] = embed[symbol * d + i];
  }

  /** norm(x)_i = round(x_i·g_i·inv), inv = 1/sqrt(mean(x²) + 1e-6) in float64 (the executor's rmsNorm). */
  private rmsNorm(x: IVec, g: Float64Array | null, out: IVec): IVec {
    const d = this.d;
    if (g === null) {
      out.lo.set(x.lo);
      out.hi.set(x.hi);
      return out;
    }
    const ia = this.ia;
    const point = x.lo.every((v, i) => v === x.hi[i]);
    if (point && ia.exact !== null) {
      ia.begin();
      for (let i = 0; i < d; i++) ia.add2(x.lo[i], x.lo[i], x.lo[i], x.lo[i]);
      const inv = 1 / Math.sqrt(ia.endDouble().lo / d + 1e-6);
      for (let i = 0; i < d; i++) out.lo[i] = out.hi[i] = ia.store(x.lo[i] * g[i] * inv, x.lo[i] * g[i] * inv).lo;
      return out;
    }
    // x_i / sqrt((x_i² + S)/d + ε) increases in x_i and, for fixed x_i, moves toward 0 as S (the other
    // coordinates' squares) grows: its exact range over the box takes x_i at an end and S at an extreme.
    const sq = (a: number, b: number): [number, number] => {
      const m = Math.max(Math.abs(a), Math.abs(b));
      const l = a <= 0 && b >= 0 ? 0 : Math.min(Math.abs(a), Math.abs(b));
      return [l * l, m * m];
    };
    let sumLo = 0;
    let sumHi = 0;
    for (let i = 0; i < d; i++) {
      const [l, h] = sq(x.lo[i], x.hi[i]);
      sumLo += l;
      sumHi += h;
    }
    const rel = 2 ** -52 * LIBRARY_ULPS;
    const ratio = (v: number, others: number) => v / Math.sqrt((v * v + others) / d + 1e-6);
    // A square past the float64 range (a box wider than 1e154) would make v/∞ = 0 or ∞ − ∞ = NaN: then
    // only |x_i|/sqrt(Σx²/d + ε) <= √d is used (x_i² <= Σx²).
    if (!Number.isFinite(sumHi)) {
      const root = Math.sqrt(d) * (1 + rel);
      for (let i = 0; i < d; i++) {
        const r = ia.store(-root * Math.abs(g[i]) - Number.MIN_VALUE, root * Math.abs(g[i]) + Number.MIN_VALUE);
        out.lo[i] = r.lo;
        out.hi[i] = r.hi;
      }
      return out;
    }
    for (let i = 0; i < d; i++) {
      const [l, h] = sq(x.lo[i], x.hi[i]);
      const othersLo = Math.max(0, sumLo - l) * (1 - rel);
      const othersHi = (sumHi - h) * (1 + rel) + Number.MIN_VALUE;
      const a = x.lo[i];
      const b = x.hi[i];
      const lo = ratio(a, a < 0 ? othersLo : othersHi);
      const hi = ratio(b, b > 0 ? othersLo : othersHi);
      const [glo, ghi] = g[i] >= 0 ? [lo * g[i], hi * g[i]] : [hi * g[i], lo * g[i]];
      const r = ia.store(glo - Math.abs(glo) * rel - Number.MIN_VALUE, ghi + Math.abs(ghi) * rel + Number.MIN_VALUE);
      out.lo[i] = r.lo;
      out.hi[i] = r.hi;
    }
    return out;
  }

  private residual(layer: BoxLayer): void {
    const { ia, x, y, d } = this;
    for (let i = 0; i < d; i++) {
      const r = ia.begin().add1(x.lo[i], x.hi[i]).add1(y.lo[i], y.hi[i]).end();
      x.lo[i] = r.lo;
      x.hi[i] = r.hi;
    }
    const mlp = layer.mlp;
    if (mlp === null) return;
    const v = this.rmsNorm(x, mlp.norm2, this.u);
    const m = this.config.mlp;
    const hidden = ivec(m);
    for (let j = 0; j < m; j++) {
      ia.begin();
      for (let i = 0; i < d; i++) ia.add2(mlp.w1[j + i * m], mlp.w1[j + i * m], v.lo[i], v.hi[i]);
      const h = ia.add1(mlp.b1[j], mlp.b1[j]).end();
      hidden.lo[j] = Math.max(0, h.lo) + 0;
      hidden.hi[j] = Math.max(0, h.hi) + 0;
    }
    for (let i = 0; i < d; i++) {
      ia.begin();
      for (let j = 0; j < m; j++) ia.add2(mlp.w2[i + j * d], mlp.w2[i + j * d], hidden.lo[j], hidden.hi[j]);
      const r = ia.add1(mlp.b2[i], mlp.b2[i]).end();
      y.lo[i] = r.lo;
      y.hi[i] = r.hi;
    }
    for (let i = 0; i < d; i++) {
      const r = ia.begin().add1(x.lo[i], x.hi[i]).add1(y.lo[i], y.hi[i]).end();
      x.lo[i] = r.lo;
      x.hi[i] = r.hi;
    }
  }

  /** The first layer's input on `symbol` (the normed embedding): a point at a format, an enclosure over the reals. */
  input(symbol: number): IVec {
    this.load(symbol);
    return this.rmsNorm(this.x, this.layers[0].norm1, ivec(this.d));
  }

  /** A box containing every state the executor reaches from a state in `prev` on `symbol`. */
  step(symbol: number, prev: Box): Box {
    const next: IVec = ivec(this.stateSize);
    this.load(symbol);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l];
      const u = this.rmsNorm(this.x, layer.norm1, this.u);
      layer.mixer.update(u, prev as IVec, layer.offset, next, layer.offset);
      if (l === last) break;
      layer.mixer.output(u, next, layer.offset, this.y);
      this.residual(layer);
    }
    return next;
  }

  /** Intervals containing every stored logit the executor gives a state in `state` whose last symbol is `symbol`. */
  logits(symbol: number, state: Box): IVec {
    const { ia, d } = this;
    const c = this.classes;
    this.load(symbol);
    for (const layer of this.layers) {
      const u = this.rmsNorm(this.x, layer.norm1, this.u);
      layer.mixer.output(u, state as IVec, layer.offset, this.y);
      this.residual(layer);
    }
    const f = this.rmsNorm(this.x, this.normf, this.u);
    const out = ivec(c);
    for (let k = 0; k < c; k++) {
      ia.begin();
      for (let i = 0; i < d; i++) ia.add2(this.outW[k + i * c], this.outW[k + i * c], f.lo[i], f.hi[i]);
      const r = ia.add1(this.outB[k], this.outB[k]).end();
      out.lo[k] = r.lo;
      out.hi[k] = r.hi;
    }
    return out;
  }
}
