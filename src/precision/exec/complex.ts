// The complex-diagonal (2×2 rotation block) LRNN mixer at a format. Per block j the stored gates are the
// transition entries p = round(r·cos θ) and q = round(r·sin θ), with r = exp(−softplus(z)·exp(w)),
// z = u·wa + ca and θ = u·wt + ct exact and evaluated in float64; then
//   h'_2j = round(p·h_2j − q·h_2j+1 + b_2j),  h'_2j+1 = round(q·h_2j + p·h_2j+1 + b_2j+1),  b = round(u·wb + cb).
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { MixerExec } from './mixer.js';
import { linearOut, softplus, storedWeight } from './mixer.js';

/** lrnn-complex at a format. */
export class LrnnComplexExec implements MixerExec {
  readonly stateSize: number;
  private readonly d: number;
  private readonly wa: Float64Array;
  private readonly ca: Float64Array;
  private readonly ew: Float64Array;
  private readonly wt: Float64Array;
  private readonly ct: Float64Array;
  private readonly wb: Float64Array;
  private readonly cb: Float64Array;
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
    this.wa = w('wa');
    this.ca = w('ca');
    this.ew = w('w').map(Math.exp);
    this.wt = w('wt');
    this.ct = w('ct');
    this.wb = w('wb');
    this.cb = w('cb');
    this.wo = w('wo');
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const n = this.stateSize;
    const blocks = n / 2;
    const arith = this.arith;
    for (let j = 0; j < blocks; j++) {
      const z = arith.dotDouble(this.wa, j, blocks, u, this.d, this.ca[j]);
      const theta = arith.dotDouble(this.wt, j, blocks, u, this.d, this.ct[j]);
      const r = Math.exp(-softplus(z) * this.ew[j]);
      const p = arith.round(r * Math.cos(theta));
      const q = arith.round(r * Math.sin(theta));
      const b0 = arith.dot(this.wb, 2 * j, n, u, this.d, this.cb[2 * j]);
      const b1 = arith.dot(this.wb, 2 * j + 1, n, u, this.d, this.cb[2 * j + 1]);
      const h0 = prev[off + 2 * j];
      const h1 = prev[off + 2 * j + 1];
      next[nextOff + 2 * j] = arith.begin().add2(p, h0).add2(-q, h1).add1(b0).end();
      next[nextOff + 2 * j + 1] = arith.begin().add2(q, h0).add2(p, h1).add1(b1).end();
    }
  }

  output(_u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    linearOut(this.arith, this.wo, this.stateSize, this.d, state, off, y);
  }
}
