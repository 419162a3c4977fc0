// The diagonal linear RNN mixers lrnn-pos and lrnn-neg at a format (config.ts has the math):
//   a = round(exp(−softplus(z)·exp(w))) (lrnn-neg: round(2·exp(…) − 1)) with z = u·wa + ca exact in float64,
//   b = round(u·wb + cb),  h' = round(a·h + b) per unit,  y = round(h·wo).
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { BoundMixer, MixerExec } from './mixer.js';
import { linearOut, softplus, storedWeight } from './mixer.js';

/** The transition gates of one input: h' = round(a ⊙ h + b). */
export interface DiagonalGates {
  a: Float64Array;
  b: Float64Array;
}

/** lrnn-pos / lrnn-neg at a format (and the diagonal part of lrnn-pd, whose gate is lrnn-neg's). */
export class LrnnExec implements MixerExec {
  readonly stateSize: number;
  private readonly d: number;
  private readonly negative: boolean;
  private readonly wa: Float64Array;
  private readonly ca: Float64Array;
  private readonly ew: Float64Array;
  private readonly wb: Float64Array;
  private readonly cb: Float64Array;
  private readonly wo: Float64Array;
  private readonly scratch: DiagonalGates;

  constructor(
    config: ModelConfig,
    weights: Weights,
    prefix: string,
    private readonly arith: Arith,
  ) {
    this.d = config.width;
    this.stateSize = config.state;
    this.negative = config.family !== 'lrnn-pos';
    const w = (name: string) => storedWeight(weights, `${prefix}mix.${name}`, arith);
    this.wa = w('wa');
    this.ca = w('ca');
    // exp(w) is part of the gate's float64 formula, not a stored value of its own.
    this.ew = w('w').map(Math.exp);
    this.wb = w('wb');
    this.cb = w('cb');
    this.wo = w('wo');
    this.scratch = { a: new Float64Array(this.stateSize), b: new Float64Array(this.stateSize) };
  }

  /** The stored gates a and b for a normalised input u (written into `out`). */
  gates(u: Float64Array, out: DiagonalGates): DiagonalGates {
    const n = this.stateSize;
    const arith = this.arith;
    for (let j = 0; j < n; j++) {
      const z = arith.dotDouble(this.wa, j, n, u, this.d, this.ca[j]);
      const decay = Math.exp(-softplus(z) * this.ew[j]);
      out.a[j] = arith.round(this.negative ? 2 * decay - 1 : decay);
      out.b[j] = arith.dot(this.wb, j, n, u, this.d, this.cb[j]);
    }
    return out;
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    this.apply(this.gates(u, this.scratch), prev, off, next, nextOff);
  }

  /** h' = round(a ⊙ h + b) with given gates. */
  private apply({ a, b }: DiagonalGates, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const arith = this.arith;
    for (let j = 0; j < this.stateSize; j++) next[nextOff + j] = arith.begin().add2(a[j], prev[off + j]).add1(b[j]).end();
  }

  bind(u: Float64Array): BoundMixer {
    const n = this.stateSize;
    const g = this.gates(u, { a: new Float64Array(n), b: new Float64Array(n) });
    return {
      update: (prev, off, next, nextOff) => this.apply(g, prev, off, next, nextOff),
      output: (state, off, y) => this.output(u, state, off, y),
    };
  }

  /** The stored readout matrix wo (row-major [n, d]). */
  get readout(): Float64Array {
    return this.wo;
  }

  output(_u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    linearOut(this.arith, this.wo, this.stateSize, this.d, state, off, y);
  }
}
