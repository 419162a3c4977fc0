// The exact executor of a recurrent network: embedding, the layers (norm, mixer, residual, MLP) and the
// readout, composed from the mixer executors at one format. The state of the network after a word is
// the last symbol and every layer's mixer state: the stream at the last position (hence the logits) is a
// function of exactly these, so `logits` recomputes it instead of storing it.
import { match } from 'ts-pattern';
import { InputError } from '../../errors.js';
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { NumberFormat } from '../format.js';
import { Arith } from './arith.js';
import { LrnnComplexExec } from './complex.js';
import { DeltaNetExec } from './deltanet.js';
import { LrnnPdExec } from './lrnn-pd.js';
import { LrnnExec } from './lrnn.js';
import { LstmExec } from './lstm.js';
import type { BoundMixer, MixerExec } from './mixer.js';
import { storedWeight } from './mixer.js';
import { RnnTanhExec } from './rnn.js';

/** norm(x) = round(x_i·g_i / sqrt(mean(x²) + 1e-6)), mean(x²) from the exact Σx² in float64; identity without gains. */
export function rmsNorm(arith: Arith, x: Float64Array, g: Float64Array | null, out: Float64Array): Float64Array {
  if (g === null) {
    out.set(x);
    return out;
  }
  const d = x.length;
  arith.begin();
  for (let i = 0; i < d; i++) arith.add2(x[i], x[i]);
  const inv = 1 / Math.sqrt(arith.endDouble() / d + 1e-6);
  for (let i = 0; i < d; i++) out[i] = arith.round(x[i] * g[i] * inv);
  return out;
}

interface Layer {
  norm1: Float64Array | null;
  mixer: MixerExec;
  offset: number;
  mlp: { norm2: Float64Array | null; w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array } | null;
}

/** How the executor runs; the default is the fast route, the other exists to test it against. */
export interface ExecOptions {
  /**
   * Bind the first layer's mixer once per symbol (MixerExec.bind), so its input-only gates are not
   * recomputed at every step (default true). The first layer's input depends on the symbol alone; deeper
   * layers read the stream, which depends on the state, so they are never bound. Bit-identical either way.
   */
  readonly inputCache?: boolean;
}

/** A recurrent checkpoint (every family but the transformer) at a format, on Float64Array value vectors. */
export class RecurrentNetworkExec {
  readonly arith: Arith;
  /** Stored values in the whole state (all layers). */
  readonly stateSize: number;
  readonly layers: readonly Layer[];
  private readonly d: number;
  private readonly embed: Float64Array;
  private readonly normf: Float64Array | null;
  private readonly outW: Float64Array;
  private readonly outB: Float64Array;
  private readonly x: Float64Array;
  private readonly u: Float64Array;
  private readonly y: Float64Array;
  private readonly hidden: Float64Array;
  /** The first layer's mixer bound per symbol, filled on first use; null where not cached. */
  private readonly bound: (BoundMixer | undefined)[] | null;
  /** Whether the first layer's input-only gates are computed once per symbol (ExecOptions.inputCache). */
  readonly inputCached: boolean;

  constructor(
    readonly config: ModelConfig,
    weights: Weights,
    readonly format: NumberFormat,
    options: ExecOptions = {},
  ) {
    if (config.family === 'transformer') throw new InputError('exact executor: a transformer has no recurrent state (use the attention executor)');
    const arith = new Arith(format);
    this.arith = arith;
    const d = config.width;
    this.d = d;
    const rms = config.norm === 'rms';
    const w = (name: string) => storedWeight(weights, name, arith);
    this.embed = w('embed');
    const layers: Layer[] = [];
    let offset = 0;
    for (let l = 0; l < config.layers; l++) {
      const p = `l${l}.`;
      const mixer = makeMixer(config, weights, p, arith);
      layers.push({
        norm1: rms ? w(`${p}norm1`) : null,
        mixer,
        offset,
        mlp:
          config.mlp > 0
            ? { norm2: rms ? w(`${p}norm2`) : null, w1: w(`${p}mlp.w1`), b1: w(`${p}mlp.b1`), w2: w(`${p}mlp.w2`), b2: w(`${p}mlp.b2`) }
            : null,
      });
      offset += mixer.stateSize;
    }
    this.layers = layers;
    this.stateSize = offset;
    this.normf = rms ? w('normf') : null;
    this.outW = w('out.w');
    this.outB = w('out.b');
    this.x = new Float64Array(d);
    this.u = new Float64Array(d);
    this.y = new Float64Array(d);
    this.hidden = new Float64Array(config.mlp);
    this.bound = options.inputCache !== false && layers[0].mixer.bind !== undefined ? [] : null;
    this.inputCached = this.bound !== null;
  }

  /** The first layer's mixer bound to the symbol's input (made on first use), or null where not cached. */
  private boundFirst(symbol: number): BoundMixer | null {
    const cache = this.bound;
    if (cache === null) return null;
    // An index outside [0, vocab) finds nothing and reaches load's check through firstInput.
    const hit = Number.isInteger(symbol) && symbol >= 0 ? cache[symbol] : undefined;
    if (hit !== undefined) return hit;
    const mixer = this.layers[0].mixer;
    const made = mixer.bind?.(this.firstInput(symbol)) ?? null;
    if (made !== null) cache[symbol] = made;
    return made;
  }

  /** The stored embedding row of a symbol, copied into the stream. */
  private load(symbol: number): void {
    if (!Number.isInteger(symbol) || symbol < 0 || symbol >= this.config.vocab) {
      throw new InputError(`exact executor: symbol index ${symbol} is outside the vocabulary [0, ${this.config.vocab})`);
    }
    // A loop, not set(subarray): this runs once per classified state and must not allocate.
    const { x, embed, d } = this;
    for (let i = 0; i < d; i++) x[i] = embed[symbol * d + i];
  }

  /** Adds round(x + y) into the stream, then the MLP block when there is one. */
  private residual(layer: Layer): void {
    const { arith, x, y, d } = this;
    for (let i = 0; i < d; i++) x[i] = arith.begin().add1(x[i]).add1(y[i]).end();
    const mlp = layer.mlp;
    if (mlp === null) return;
    const v = rmsNorm(arith, x, mlp.norm2, this.u);
    const m = this.config.mlp;
    for (let j = 0; j < m; j++) this.hidden[j] = Math.max(0, arith.dot(mlp.w1, j, m, v, d, mlp.b1[j])) + 0;
    for (let i = 0; i < d; i++) y[i] = arith.dot(mlp.w2, i, d, this.hidden, m, mlp.b2[i]);
    for (let i = 0; i < d; i++) x[i] = arith.begin().add1(x[i]).add1(y[i]).end();
  }

  /** The normalised input of the first layer for a symbol: what its gates read (a copy). */
  firstInput(symbol: number): Float64Array {
    this.load(symbol);
    return Float64Array.from(rmsNorm(this.arith, this.x, this.layers[0].norm1, this.u));
  }

  /** The state after reading `symbol` in state `prev` (written into next; prev and next must differ). */
  step(symbol: number, prev: Float64Array, next: Float64Array): void {
    const last = this.layers.length - 1;
    const bound = this.boundFirst(symbol);
    let from = 0;
    if (bound !== null) {
      const first = this.layers[0];
      bound.update(prev, first.offset, next, first.offset);
      if (last === 0) return;
      this.load(symbol);
      bound.output(next, first.offset, this.y);
      this.residual(first);
      from = 1;
    } else {
      this.load(symbol);
    }
    for (let l = from; l <= last; l++) {
      const layer = this.layers[l];
      const u = rmsNorm(this.arith, this.x, layer.norm1, this.u);
      layer.mixer.update(u, prev, layer.offset, next, layer.offset);
      // The last layer's output only feeds the readout, which `logits` recomputes from the state.
      if (l === last) break;
      layer.mixer.output(u, next, layer.offset, this.y);
      this.residual(layer);
    }
  }

  /** The logits of a one-layer network whose (last) mixer output y at `symbol` is given: what follows y. */
  logitsAfterOutput(symbol: number, y: Float64Array, out: Float64Array): Float64Array {
    const { arith, d } = this;
    const c = this.config.classes;
    this.load(symbol);
    this.y.set(y);
    this.residual(this.layers[this.layers.length - 1]);
    const f = rmsNorm(arith, this.x, this.normf, this.u);
    for (let k = 0; k < c; k++) out[k] = arith.dot(this.outW, k, c, f, d, this.outB[k]);
    return out;
  }

  /** The stored logits at the position of `symbol` in `state`; symbol −1 (no input yet) gives round(out.b). */
  logits(symbol: number, state: Float64Array, out: Float64Array): Float64Array {
    const { arith, d } = this;
    const c = this.config.classes;
    if (symbol < 0) {
      out.set(this.outB);
      return out;
    }
    const bound = this.boundFirst(symbol);
    this.load(symbol);
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      if (l === 0 && bound !== null) bound.output(state, layer.offset, this.y);
      else layer.mixer.output(rmsNorm(arith, this.x, layer.norm1, this.u), state, layer.offset, this.y);
      this.residual(layer);
    }
    const f = rmsNorm(arith, this.x, this.normf, this.u);
    for (let k = 0; k < c; k++) out[k] = arith.dot(this.outW, k, c, f, d, this.outB[k]);
    return out;
  }
}

/** The index of the largest logit (the first on ties; NaN never wins). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < logits.length; k++) if (logits[k] > logits[best] || Number.isNaN(logits[best])) best = k;
  return best;
}

function makeMixer(config: ModelConfig, weights: Weights, prefix: string, arith: Arith): MixerExec {
  return match(config.family)
    .with('rnn-tanh', () => new RnnTanhExec(config, weights, prefix, arith))
    .with('lstm', () => new LstmExec(config, weights, prefix, arith))
    .with('lrnn-pos', 'lrnn-neg', () => new LrnnExec(config, weights, prefix, arith))
    .with('lrnn-complex', () => new LrnnComplexExec(config, weights, prefix, arith))
    .with('lrnn-pd', () => new LrnnPdExec(config, weights, prefix, arith))
    .with('deltanet-pos', 'deltanet-neg', () => new DeltaNetExec(config, weights, prefix, arith))
    .with('transformer', () => {
      throw new InputError('exact executor: a transformer has no recurrent mixer');
    })
    .exhaustive();
}
