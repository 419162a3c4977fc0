// The tanh RNN mixer at a format: h' = round(tanh(z)) with z = u·wx + h·wh + b exact in float64;
// y = round(h·wo).
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { MixerExec } from './mixer.js';
import { linearOut, storedWeight } from './mixer.js';

/** rnn-tanh at a format. */
export class RnnTanhExec implements MixerExec {
  readonly stateSize: number;
  private readonly d: number;
  private readonly wx: Float64Array;
  private readonly wh: Float64Array;
  private readonly b: Float64Array;
  private readonly wo: Float64Array;

  constructor(
    config: ModelConfig,
    weights: Weights,
    prefix: string,
    private readonly arith: Arith,
  ) {
    this.d = config.width;
    this.stateSize = config.state;
    const w = (name: string) => storedWeight(weights, `${prefix}mix.${name}`, arith);
    this.wx = w('wx');
    this.wh = w('wh');
    this.b = w('b');
    this.wo = w('wo');
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const n = this.stateSize;
    const arith = this.arith;
    for (let j = 0; j < n; j++) {
      arith.begin();
      for (let i = 0; i < this.d; i++) arith.add2(this.wx[i * n + j], u[i]);
      for (let i = 0; i < n; i++) arith.add2(this.wh[i * n + j], prev[off + i]);
      next[nextOff + j] = arith.round(Math.tanh(arith.add1(this.b[j]).endDouble()));
    }
  }

  output(_u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    linearOut(this.arith, this.wo, this.stateSize, this.d, state, off, y);
  }
}
