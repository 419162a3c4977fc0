// What every recurrent mixer executor offers the network composition (network.ts): an exact update of
// its stored state and an exact readout of the layer output from that state. Splitting the two lets the
// machine classify a state (last symbol + every layer's state) without stepping it again.
import type { Weights } from '../../models/params.js';
import { InternalError } from '../../errors.js';
import type { Arith } from './arith.js';

/** One layer's recurrent mixer at a format. */
export interface MixerExec {
  /** Stored values in the layer's state. */
  readonly stateSize: number;
  /** Writes the state after reading u (the normalised input, width d) from the state at prev[off..]. */
  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void;
  /** Writes the layer output y (width d) given u and the layer's new state at state[off..]. */
  output(u: Float64Array, state: Float64Array, off: number, y: Float64Array): void;
  /**
   * The mixer at one fixed input u with every stored value that depends on u alone (gates, keys, values,
   * queries) computed once: its update and output equal update(u, …) and output(u, …) bit for bit. Absent
   * where the mixer has no input-only stored values (rnn-tanh and LSTM mix u and h in every gate).
   */
  bind?(u: Float64Array): BoundMixer;
}

/** A mixer bound to one input u (MixerExec.bind): the update and output at u without recomputing its gates. */
export interface BoundMixer {
  /** update(u, prev, off, next, nextOff) at the bound u. */
  update(prev: Float64Array, off: number, next: Float64Array, nextOff: number): void;
  /** output(u, state, off, y) at the bound u. */
  output(state: Float64Array, off: number, y: Float64Array): void;
}

/** The weight `name` of layer prefix `prefix`, every value rounded once to the format. */
export function storedWeight(weights: Weights, name: string, arith: Arith): Float64Array {
  const w = weights[name];
  if (w === undefined) throw new InternalError(`exact executor: weight ${name} missing (checkpoint not validated?)`);
  const out = new Float64Array(w.data.length);
  for (let i = 0; i < out.length; i++) out[i] = arith.round(w.data[i]);
  return out;
}

/** y = round(h·wo) per output unit, h read from state[off .. off + n). */
export function linearOut(arith: Arith, wo: Float64Array, n: number, d: number, state: Float64Array, off: number, y: Float64Array): void {
  for (let j = 0; j < d; j++) {
    arith.begin();
    for (let i = 0; i < n; i++) arith.add2(wo[i * d + j], state[off + i]);
    y[j] = arith.end();
  }
}

/** log(1 + e^z) without overflow. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** 1 / (1 + e^−z). */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
