// The complex-diagonal (2×2 rotation block) LRNN mixer at a format. Per block j the stored gates are the
// transition entries p = round(r·cos θ) and q = round(r·sin θ), with r = exp(−softplus(z)·exp(w)),
// z = u·wa + ca and θ = u·wt + ct exact and evaluated in float64; then
//   h'_2j = round(p·h_2j − q·h_2j+1 + b_2j),  h'_2j+1 = round(q·h_2j + p·h_2j+1 + b_2j+1),  b = round(u·wb + cb).
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import type { Arith } from './arith.js';
import type { BoundMixer, MixerExec } from './mixer.js';
import { linearOut, softplus, storedWeight } from './mixer.js';

/** The stored gates of one input: per block j the rotation entries p_j, q_j; b per unit. */
interface RotationGates {
  p: Float64Array;
  q: Float64Array;
  b: Float64Array;
}

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
  private readonly scratch: RotationGates;

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
    this.scratch = { p: new Float64Array(this.stateSize / 2), q: new Float64Array(this.stateSize / 2), b: new Float64Array(this.stateSize) };
  }

  /** The stored gates p, q and b for a normalised input u (written into `out`). */
  private gates(u: Float64Array, out: RotationGates): RotationGates {
    const n = this.stateSize;
    const blocks = n / 2;
    const arith = this.arith;
    for (let j = 0; j < blocks; j++) {
      const z = arith.dotDouble(this.wa, j, blocks, u, this.d, this.ca[j]);
      const theta = arith.dotDouble(this.wt, j, blocks, u, this.d, this.ct[j]);
      const r = Math.exp(-softplus(z) * this.ew[j]);
      out.p[j] = arith.round(r * Math.cos(theta));
      out.q[j] = arith.round(r * Math.sin(theta));
    }
    for (let i = 0; i < n; i++) out.b[i] = arith.dot(this.wb, i, n, u, this.d, this.cb[i]);
    return out;
  }

  /** One rotation step per block with given gates. */
  private apply({ p, q, b }: RotationGates, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    const arith = this.arith;
    for (let j = 0; j < this.stateSize / 2; j++) {
      const h0 = prev[off + 2 * j];
      const h1 = prev[off + 2 * j + 1];
      next[nextOff + 2 * j] = arith.begin().add2(p[j], h0).add2(-q[j], h1).add1(b[2 * j]).end();
      next[nextOff + 2 * j + 1] = arith.begin().add2(q[j], h0).add2(p[j], h1).add1(b[2 * j + 1]).end();
    }
  }

  update(u: Float64Array, prev: Float64Array, off: number, next: Float64Array, nextOff: number): void {
    this.apply(this.gates(u, this.scratch), prev, off, next, nextOff);
  }

  bind(u: Float64Array): BoundMixer {
    const n = this.stateSize;
    const g = this.gates(u, { p: new Float64Array(n / 2), q: new Float64Array(n / 2), b: new Float64Array(n) });
    return {
      update: (prev, off, next, nextOff) => this.apply(g, prev, off, next, nextOff),
      output: (state, off, y) => this.output(u, state, off, y),
    };
  }

  output(_u: Float64Array, state: Float64Array, off: number, y: Float64Array): void {
    linearOut(this.arith, this.wo, this.stateSize, this.d, state, off, y);
  }
}
