// The LSTM mixer at a format. Stored values: the gates σ(i), σ(f), tanh(g), σ(o) (each from its exact
// pre-activation u·wx + h·wh + b, evaluated in float64), the cell c' = round(σf·c + σi·tanh g), tanh(c'),
// and h' = round(σo·tanh c'). The state is [h, c]; y = round(h·wo).
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { MixerExec } from './mixer.js';
import { linearOut, sigmoid, storedWeight } from './mixer.js';

/** lstm at a format; state layout [h_0..h_{n−1}, c_0..c_{n−1}]. */
export class LstmExec implements MixerExec {
  readonly stateSize: number;
  private readonly n: number;
  private readonly d: number;
  private readonly wx: Float64Array;
  private readonly wh: Float64Array;
  private readonly b: Float64Array;
  private readonly wo: Float64Array;
  private readonly pre: Float64Array;

  constructor(
    config: ModelConfig,
    weights: Weights,
    prefix: string,
    private readonly arith: Arith,
  ) {
    this.d = config.width;
    this.n = config.state;
    this.stateSize = 2 * config.state;
    const w = (name: string) => storedWeight(weights, `${prefix}mix.${name}`, arith);
    this.wx = w('wx');
    this.wh = w('wh');
    this.b = w('b');
    this.wo = w('wo');
    this.pre = new Float64Array(4 * this.n);
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const n = this.n;
    const arith = this.arith;
    const m = 4 * n;
    for (let j = 0; j < m; j++) {
      arith.begin();
      for (let i = 0; i < this.d; i++) arith.add2(this.wx[i * m + j], u[i]);
      for (let i = 0; i < n; i++) arith.add2(this.wh[i * m + j], prev[off + i]);
      this.pre[j] = arith.add1(this.b[j]).endDouble();
    }
    for (let j = 0; j < n; j++) {
      const gi = arith.round(sigmoid(this.pre[j]));
      const gf = arith.round(sigmoid(this.pre[n + j]));
      const gg = arith.round(Math.tanh(this.pre[2 * n + j]));
      const go = arith.round(sigmoid(this.pre[3 * n + j]));
      const c = arith.begin().add2(gf, prev[off + n + j]).add2(gi, gg).end();
      const tc = arith.round(Math.tanh(c));
      next[nextOff + j] = arith.begin().add2(go, tc).end();
      next[nextOff + n + j] = c;
    }
  }

  output(_u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    linearOut(this.arith, this.wo, this.n, this.d, state, off, y);
  }
}
