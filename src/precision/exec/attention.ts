// The exact executor of a transformer (causal softmax attention). Its state is the whole prefix: a chain
// of nodes, each holding the stored values later positions read (per layer k and v) and its final
// stream. Stored values: x = round(embed + pos), q, k, v = round(u·w), the softmax weights (float64 from
// the exact scores, rounded once), the attention output round(Σ w_τ·v_τ), y = round(·wo), residuals, MLP.
import { InputError } from '../../errors.js';
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { NumberFormat } from '../format.js';
import { Arith } from './arith.js';
import { storedWeight } from './mixer.js';
import { rmsNorm } from './network.js';

/** One position of a prefix: its symbol, its cached stored values and a parent link to the position before. */
export interface TransformerNode {
  readonly parent: TransformerNode | null;
  readonly symbol: number;
  /** 0-based position. */
  readonly pos: number;
  /** The prefix's symbols joined by commas: equal keys are equal states. */
  readonly key: string;
  /** Per layer: this position's stored keys and values (width d each). */
  readonly k: Float64Array[];
  readonly v: Float64Array[];
  /** The final stream after normf (width d), which the readout reads. */
  readonly features: Float64Array;
}

/** The sinusoidal position value of row p, column j, as float32 (the same table as models/layers.ts). */
function sinusoid(p: number, j: number, d: number): number {
  const angle = p / Math.pow(10000, (j - (j % 2)) / d);
  return Math.fround(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
}

/** A transformer checkpoint at a format. */
export class TransformerExec {
  private readonly arith: Arith;
  private readonly d: number;
  private readonly w: (name: string) => Float64Array;
  private readonly cache = new Map<string, Float64Array>();

  constructor(
    private readonly config: ModelConfig,
    weights: Weights,
    format: NumberFormat,
  ) {
    this.arith = new Arith(format);
    this.d = config.width;
    this.w = (name) => {
      let t = this.cache.get(name);
      if (t === undefined) {
        t = storedWeight(weights, name, this.arith);
        this.cache.set(name, t);
      }
      return t;
    };
  }

  private gain(name: string): Float64Array | null {
    return this.config.norm === 'rms' ? this.w(name) : null;
  }

  /** The node of prefix·symbol. */
  append(parent: TransformerNode | null, symbol: number): TransformerNode {
    const { arith, d, config } = this;
    if (!Number.isInteger(symbol) || symbol < 0 || symbol >= config.vocab) {
      throw new InputError(`exact executor: symbol index ${symbol} is outside the vocabulary [0, ${config.vocab})`);
    }
    const pos = parent === null ? 0 : parent.pos + 1;
    const x = new Float64Array(d);
    const embed = this.w('embed');
    for (let i = 0; i < d; i++) {
      let p = 0;
      if (config.positions === 'learned') {
        if (pos >= config.maxLen) throw new InputError(`exact executor: length ${pos + 1} exceeds the learned positions (config.maxLen ${config.maxLen})`);
        p = this.w('pos')[pos * d + i];
      } else if (config.positions === 'sinusoidal') p = arith.round(sinusoid(pos, i, d));
      x[i] = arith.begin().add1(embed[symbol * d + i]).add1(p).end();
    }
    const ks: Float64Array[] = [];
    const vs: Float64Array[] = [];
    const u = new Float64Array(d);
    const y = new Float64Array(d);
    const heads = config.heads;
    const e = d / heads;
    const scale = 1 / Math.sqrt(e);
    for (let l = 0; l < config.layers; l++) {
      const p = `l${l}.`;
      rmsNorm(arith, x, this.gain(`${p}norm1`), u);
      const q = new Float64Array(d);
      const k = new Float64Array(d);
      const v = new Float64Array(d);
      const wq = this.w(`${p}mix.wq`);
      const wk = this.w(`${p}mix.wk`);
      const wv = this.w(`${p}mix.wv`);
      for (let j = 0; j < d; j++) {
        q[j] = arith.dot(wq, j, d, u, d, 0);
        k[j] = arith.dot(wk, j, d, u, d, 0);
        v[j] = arith.dot(wv, j, d, u, d, 0);
      }
      ks.push(k);
      vs.push(v);
      // Positions t..0: this one first, then the chain back to the start.
      const keys: Float64Array[] = [k];
      const values: Float64Array[] = [v];
      for (let node = parent; node !== null; node = node.parent) {
        keys.push(node.k[l]);
        values.push(node.v[l]);
      }
      const attn = new Float64Array(d);
      const scores = new Float64Array(keys.length);
      const weightsOf = new Float64Array(keys.length);
      for (let h = 0; h < heads; h++) {
        let max = -Infinity;
        for (let t = 0; t < keys.length; t++) {
          arith.begin();
          for (let i = h * e; i < (h + 1) * e; i++) arith.add2(q[i], keys[t][i]);
          scores[t] = arith.endDouble() * scale;
          if (scores[t] > max) max = scores[t];
        }
        let total = 0;
        for (let t = 0; t < keys.length; t++) total += Math.exp(scores[t] - max);
        for (let t = 0; t < keys.length; t++) weightsOf[t] = arith.round(Math.exp(scores[t] - max) / total);
        for (let i = h * e; i < (h + 1) * e; i++) {
          arith.begin();
          for (let t = 0; t < keys.length; t++) arith.add2(weightsOf[t], values[t][i]);
          attn[i] = arith.end();
        }
      }
      const wo = this.w(`${p}mix.wo`);
      for (let j = 0; j < d; j++) y[j] = arith.dot(wo, j, d, attn, d, 0);
      for (let i = 0; i < d; i++) x[i] = arith.begin().add1(x[i]).add1(y[i]).end();
      if (config.mlp > 0) {
        const m = config.mlp;
        rmsNorm(arith, x, this.gain(`${p}norm2`), u);
        const hidden = new Float64Array(m);
        const w1 = this.w(`${p}mlp.w1`);
        const b1 = this.w(`${p}mlp.b1`);
        const w2 = this.w(`${p}mlp.w2`);
        const b2 = this.w(`${p}mlp.b2`);
        for (let j = 0; j < m; j++) hidden[j] = Math.max(0, arith.dot(w1, j, m, u, d, b1[j])) + 0;
        for (let i = 0; i < d; i++) y[i] = arith.dot(w2, i, d, hidden, m, b2[i]);
        for (let i = 0; i < d; i++) x[i] = arith.begin().add1(x[i]).add1(y[i]).end();
      }
    }
    const features = rmsNorm(arith, x, this.gain('normf'), new Float64Array(d));
    const key = parent === null ? `${symbol}` : `${parent.key},${symbol}`;
    return { parent, symbol, pos, key, k: ks, v: vs, features };
  }

  /** The stored logits at the end of a prefix (null: the empty prefix, round(out.b)). */
  logits(node: TransformerNode | null, out: Float64Array): Float64Array {
    const c = this.config.classes;
    const b = this.w('out.b');
    if (node === null) {
      out.set(b);
      return out;
    }
    const w = this.w('out.w');
    for (let k = 0; k < c; k++) out[k] = this.arith.dot(w, k, c, node.features, this.d, b[k]);
    return out;
  }
}
