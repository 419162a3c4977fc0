// The DeltaNet mixers deltanet-pos and deltanet-neg at a format. Per head (e = n/heads units):
//   k = round(l2norm(u·wk)), q = round(l2norm(u·wq)) (the norm evaluated in float64 on the exact
//   projections), v = round(u·wv), β = round(σ(u·wbeta + cbeta)) (deltanet-neg: round(2σ(…))),
//   r_i = round(v_i − Σ_m S_im k_m)             (the delta residual, a stored value)
//   S'_ij = round(S_ij + β·r_i·k_j)             (= S(I − βkkᵀ) + βvkᵀ with r stored once)
//   o_i = round(Σ_m S'_im q_m),  y = round(concat_heads(o)·wo).
// With a short convolution (conv = K > 0) the projections are stored, p = round(u·wq), round(u·wk), round(u·wv),
// and the convolution and SiLU are evaluated in float64 on the exact sum of stored values,
//   c_i = Σ_j conv_i,j·p_{t−K+1+j},i  (exact, then float64),   a = silu(c) = c·σ(c),
//   k = round(l2norm(a^k)), q = round(l2norm(a^q)) per head, v_i = round(a^v_i);  β as without.
// The layer's state then holds, after S, the last K − 1 stored projections (rows [pq | pk | pv] of 3n values,
// oldest first; zeros before the first symbol: the left zero padding) and the stored query q_t of the step
// (the readout needs it, and its oldest tap has left the window).
import type { ModelConfig } from '../../models/config.js';
import { shortConvSize } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { BoundMixer, MixerExec } from './mixer.js';
import { linearOut, sigmoid, storedWeight } from './mixer.js';

/** The stored values of one step: keys k and values v (n each) and β per head. */
interface DeltaInputs {
  k: Float64Array;
  v: Float64Array;
  beta: Float64Array;
}

/**
 * deltanet-pos / deltanet-neg at a format; state: per head an e×e matrix S, row-major (S[i][j] at i·e + j), then
 * with a short convolution the window of stored projections and the stored query (the header above).
 */
export class DeltaNetExec implements MixerExec {
  readonly stateSize: number;
  /** The short convolution's kernel size (0: none). */
  private readonly K: number;
  /** Offsets in a layer's state: the projection window (K − 1 rows of 3n) and the stored query (n). */
  private readonly windowAt: number;
  private readonly queryAt: number;
  /** The kernels of [q | k | v] channels: conv[c·K + j] for channel c < 3n (null without a convolution). */
  private readonly conv: Float64Array | null;
  /** The stored projections [pq | pk | pv] of the current step, and the SiLU outputs of the convolution. */
  private readonly proj: Float64Array;
  private readonly act: Float64Array;
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
    this.K = shortConvSize(config);
    this.windowAt = this.heads * this.e * this.e;
    this.queryAt = this.windowAt + Math.max(0, this.K - 1) * 3 * this.n;
    this.stateSize = this.K > 0 ? this.queryAt + this.n : this.windowAt;
    this.negative = config.family === 'deltanet-neg';
    const w = (name: string) => storedWeight(weights, `${prefix}mix.${name}`, arith);
    this.conv = this.K > 0 ? Float64Array.of(...w('convq'), ...w('convk'), ...w('convv')) : null;
    this.proj = new Float64Array(3 * this.n);
    this.act = new Float64Array(3 * this.n);
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
  private normed(w: Float64Array, u: Float64Array, out: Float64Array, outOff = 0): void {
    const { e, n } = this;
    for (let h = 0; h < this.heads; h++) {
      for (let i = 0; i < e; i++) this.raw[i] = this.arith.dotDouble(w, h * e + i, n, u, this.d, 0);
      this.unit(this.raw, 0, h, out, outOff);
    }
  }

  /** round(l2norm) of head h's e float64 values src[from ..] into out[outOff + h·e ..]. */
  private unit(src: Float64Array, from: number, h: number, out: Float64Array, outOff: number): void {
    const { e } = this;
    let sq = 0;
    for (let i = 0; i < e; i++) sq += src[from + i] * src[from + i];
    const inv = 1 / Math.sqrt(sq + 1e-6);
    for (let i = 0; i < e; i++) out[outOff + h * e + i] = this.arith.round(src[from + i] * inv);
  }

  /** The stored β per head for a normalised input u. */
  private betasOf(u: Float64Array, beta: Float64Array): void {
    for (let h = 0; h < this.heads; h++) {
      const s = sigmoid(this.arith.dotDouble(this.wbeta, h, this.heads, u, this.d, this.cbeta[h]));
      beta[h] = this.arith.round(this.negative ? 2 * s : s);
    }
  }

  /** The stored k, v and β for a normalised input u (written into `out`); no short convolution. */
  private inputsOf(u: Float64Array, out: DeltaInputs): DeltaInputs {
    const { n, arith } = this;
    this.normed(this.wk, u, out.k);
    for (let i = 0; i < n; i++) out.v[i] = arith.dot(this.wv, i, n, u, this.d, 0);
    this.betasOf(u, out.beta);
    return out;
  }

  /** The stored projections [round(u·wq) | round(u·wk) | round(u·wv)] (3n) of a normalised input u. */
  private projectionsOf(u: Float64Array, out: Float64Array): Float64Array {
    const { n, arith } = this;
    for (let i = 0; i < n; i++) {
      out[i] = arith.dot(this.wq, i, n, u, this.d, 0);
      out[n + i] = arith.dot(this.wk, i, n, u, this.d, 0);
      out[2 * n + i] = arith.dot(this.wv, i, n, u, this.d, 0);
    }
    return out;
  }

  /**
   * The convolved step: k, v (into `out`) and the query (into next's query slot) from the stored projections p of
   * this step and prev's window, then next's window (prev's shifted by one, p appended). β must be in out already.
   */
  private convolve(p: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number, out: DeltaInputs): void {
    const { K, n, arith, act, heads } = this;
    const conv = this.conv as Float64Array;
    const rows = K - 1;
    const win = off + this.windowAt;
    for (let c = 0; c < 3 * n; c++) {
      arith.begin();
      for (let j = 0; j < rows; j++) arith.add2(conv[c * K + j], prev[win + j * 3 * n + c]);
      const z = arith.add2(conv[c * K + rows], p[c]).endDouble();
      act[c] = z * sigmoid(z);
    }
    for (let h = 0; h < heads; h++) {
      this.unit(act, h * this.e, h, next, nextOff + this.queryAt);
      this.unit(act, n + h * this.e, h, out.k, 0);
    }
    for (let i = 0; i < n; i++) out.v[i] = arith.round(act[2 * n + i]);
    // the window moves on: rows 1 .. K − 2 of prev, then this step's projections
    const nextWin = nextOff + this.windowAt;
    for (let j = 0; j + 1 < rows; j++) for (let c = 0; c < 3 * n; c++) next[nextWin + j * 3 * n + c] = prev[win + (j + 1) * 3 * n + c];
    if (rows > 0) for (let c = 0; c < 3 * n; c++) next[nextWin + (rows - 1) * 3 * n + c] = p[c];
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

  /** o = round(S'q) per head, then y = round(o·wo), with given stored queries q (at q[qOff ..]). */
  private readout(q: Float64Array, qOff: number, state: Float64Array, off: number, y: Float64Array): void {
    const { e, arith } = this;
    for (let h = 0; h < this.heads; h++) {
      const base = h * e * e;
      for (let i = 0; i < e; i++) {
        arith.begin();
        for (let m = 0; m < e; m++) arith.add2(state[off + base + i * e + m], q[qOff + h * e + m]);
        this.o[h * e + i] = arith.end();
      }
    }
    linearOut(arith, this.wo, this.n, this.d, this.o, 0, y);
  }

  /** The update with a short convolution from this step's stored projections p and β. */
  private convolvedUpdate(p: Float64Array, beta: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const inputs = this.inputs;
    inputs.beta.set(beta);
    this.convolve(p, prev, off, next, nextOff, inputs);
    this.apply(inputs, prev, off, next, nextOff);
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    if (this.K === 0) {
      this.apply(this.inputsOf(u, this.inputs), prev, off, next, nextOff);
      return;
    }
    this.betasOf(u, this.inputs.beta);
    this.convolvedUpdate(this.projectionsOf(u, this.proj), this.inputs.beta, prev, off, next, nextOff);
  }

  output(u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    if (this.K > 0) {
      // the query of the step is in the state (stored by update)
      this.readout(state, off + this.queryAt, state, off, y);
      return;
    }
    this.normed(this.wq, u, this.q);
    this.readout(this.q, 0, state, off, y);
  }

  bind(u: Float64Array): BoundMixer {
    const { n } = this;
    if (this.K > 0) {
      // what depends on u alone: the stored projections and β (the convolution reads the state's window)
      const p = this.projectionsOf(u, new Float64Array(3 * n));
      const beta = new Float64Array(this.heads);
      this.betasOf(u, beta);
      return {
        update: (prev, off, next, nextOff) => this.convolvedUpdate(p, beta, prev, off, next, nextOff),
        output: (state, off, y) => this.readout(state, off + this.queryAt, state, off, y),
      };
    }
    const inputs = this.inputsOf(u, { k: new Float64Array(n), v: new Float64Array(n), beta: new Float64Array(this.heads) });
    const q = new Float64Array(n);
    this.normed(this.wq, u, q);
    return {
      update: (prev, off, next, nextOff) => this.apply(inputs, prev, off, next, nextOff),
      output: (state, off, y) => this.readout(q, 0, state, off, y),
    };
  }
}
