// The DeltaNet mixers deltanet-pos and deltanet-neg at a format. Per head (e = n/heads units):
//   k = round(l2norm(u·wk)), q = round(l2norm(u·wq)) (the norm evaluated in float64 on the exact
//   projections), v = round(u·wv), β = round(σ(u·wbeta + cbeta)) (deltanet-neg: round(2σ(…))),
//   r_i = round(v_i − Σ_m S_im k_m)             (the delta residual, a stored value)
//   S'_ij = round(S_ij + β·r_i·k_j)             (= S(I − βkkᵀ) + βvkᵀ with r stored once)
//   o_i = round(Σ_m S'_im q_m),  y = round(concat_heads(o)·wo).
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { BoundMixer, MixerExec } from './mixer.js';
import { linearOut, sigmoid, storedWeight } from './mixer.js';

/** The stored values of one input: keys k and values v (n each) and β per head. */
interface DeltaInputs {
  k: Float64Array;
  v: Float64Array;
  beta: Float64Array;
}

/** deltanet-pos / deltanet-neg at a format; state: per head an e×e matrix S, row-major (S[i][j] at i·e + j). */
export class DeltaNetExec implements MixerExec {
  readonly stateSize: number;
  private readonly d: number;
  private readonly n: number;
  private readonly heads: number;
  private readonly e: number;
  private readonly negative: boolean;
  private readonly wq: Float64Array;
  private readonly wk: Float64Array;
  private readonly wv: Float64Array;
  private readonly wbeta: Float64Array;
  private readonly cbeta: Float64Array;
  private readonly wo: Float64Array;
  private readonly inputs: DeltaInputs;
  private readonly q: Float64Array;
  private readonly r: Float64Array;
  private readonly o: Float64Array;
  private readonly raw: Float64Array;

  constructor(
    config: ModelConfig,
    weights: Weights,
    prefix: string,
    private readonly arith: Arith,
  ) {
    this.d = config.width;
    this.n = config.state;
    this.heads = config.heads;
    this.e = this.n / this.heads;
    this.stateSize = this.heads * this.e * this.e;
    this.negative = config.family === 'deltanet-neg';
    const w = (name: string) => storedWeight(weights, `${prefix}mix.${name}`, arith);
    this.wq = w('wq');
    this.wk = w('wk');
    this.wv = w('wv');
    this.wbeta = w('wbeta');
    this.cbeta = w('cbeta');
    this.wo = w('wo');
    this.inputs = { k: new Float64Array(this.n), v: new Float64Array(this.n), beta: new Float64Array(this.heads) };
    this.q = new Float64Array(this.n);
    this.r = new Float64Array(this.e);
    this.o = new Float64Array(this.n);
    this.raw = new Float64Array(this.e);
  }

  /** Writes round(l2norm(u·w)) per head into out. */
  private normed(w: Float64Array, u: Float64Array, out: Float64Array): void {
    const { e, n } = this;
    for (let h = 0; h < this.heads; h++) {
      let sq = 0;
      for (let i = 0; i < e; i++) {
        this.raw[i] = this.arith.dotDouble(w, h * e + i, n, u, this.d, 0);
        sq += this.raw[i] * this.raw[i];
      }
      const inv = 1 / Math.sqrt(sq + 1e-6);
      for (let i = 0; i < e; i++) out[h * e + i] = this.arith.round(this.raw[i] * inv);
    }
  }

  /** The stored k, v and β for a normalised input u (written into `out`). */
  private inputsOf(u: Float64Array, out: DeltaInputs): DeltaInputs {
    const { n, arith } = this;
    this.normed(this.wk, u, out.k);
    for (let i = 0; i < n; i++) out.v[i] = arith.dot(this.wv, i, n, u, this.d, 0);
    for (let h = 0; h < this.heads; h++) {
      const s = sigmoid(arith.dotDouble(this.wbeta, h, this.heads, u, this.d, this.cbeta[h]));
      out.beta[h] = arith.round(this.negative ? 2 * s : s);
    }
    return out;
  }

  /** The delta-rule step of every head with given k, v and β. */
  private apply({ k, v, beta }: DeltaInputs, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const { e, arith } = this;
    for (let h = 0; h < this.heads; h++) {
      const base = h * e * e;
      for (let i = 0; i < e; i++) {
        arith.begin().add1(v[h * e + i]);
        for (let m = 0; m < e; m++) arith.add2(-prev[off + base + i * e + m], k[h * e + m]);
        this.r[i] = arith.end();
      }
      for (let i = 0; i < e; i++) {
        for (let j = 0; j < e; j++) {
          const at = base + i * e + j;
          next[nextOff + at] = arith.begin().add1(prev[off + at]).add3(beta[h], this.r[i], k[h * e + j]).end();
        }
      }
    }
  }

  /** o = round(S'q) per head, then y = round(o·wo), with given stored queries q. */
  private readout(q: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    const { e, arith } = this;
    for (let h = 0; h < this.heads; h++) {
      const base = h * e * e;
      for (let i = 0; i < e; i++) {
        arith.begin();
        for (let m = 0; m < e; m++) arith.add2(state[off + base + i * e + m], q[h * e + m]);
        this.o[h * e + i] = arith.end();
      }
    }
    linearOut(arith, this.wo, this.n, this.d, this.o, 0, y);
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    this.apply(this.inputsOf(u, this.inputs), prev, off, next, nextOff);
  }

  output(u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    this.normed(this.wq, u, this.q);
    this.readout(this.q, state, off, y);
  }

  bind(u: Float64Array): BoundMixer {
    const { n } = this;
    const inputs = this.inputsOf(u, { k: new Float64Array(n), v: new Float64Array(n), beta: new Float64Array(this.heads) });
    const q = new Float64Array(n);
    this.normed(this.wq, u, q);
    return {
      update: (prev, off, next, nextOff) => this.apply(inputs, prev, off, next, nextOff),
      output: (state, off, y) => this.readout(q, state, off, y),
    };
  }
}
