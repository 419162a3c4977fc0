import { describe, expect, it } from '@jest/globals';
import { BoxNetwork } from '../../src/abstract/box-network.js';
import { readCheckpoint } from '../../src/models/checkpoint.js';
import { Rng } from '../../src/random.js';
import { Evaluator, type V } from '../../src/verify/certificate/check.js';

// A state box wider than 1e154 squares past the float64 range in the RMS norm of the readout; v/∞ read as 0
// once gave tight (wrong) logits there. Points of the box whose squares still fit must get logits inside.
const ckpt = readCheckpoint('bench/models/allengths/deltanet-neg-w16-s242.json');

describe('the RMS norm of a readout past the float64 range of squares', () => {
  it('encloses the logits of points of a box of radius 1e159, in the search and in the checker', () => {
    const net = new BoxNetwork(ckpt.config, ckpt.weights, null);
    const ev = new Evaluator(ckpt, null);
    const n = net.stateSize;
    const r = 1e159;
    const big = net.logits(1, { lo: new Float64Array(n).fill(-r), hi: new Float64Array(n).fill(r) });
    const bigV = ev.logits(1, Array.from({ length: n }, () => [-r, r] as [number, number]));
    const rng = new Rng(7);
    for (let t = 0; t < 8; t++) {
      const p = Float64Array.from({ length: n }, () => (rng.float() * 2 - 1) * 10 ** rng.int(0, 150));
      const at = net.logits(1, { lo: p, hi: p });
      const atV: V = ev.logits(1, Array.from(p, (v) => [v, v] as [number, number]));
      for (let k = 0; k < big.lo.length; k++) {
        expect(big.lo[k]).toBeLessThanOrEqual(at.lo[k]);
        expect(big.hi[k]).toBeGreaterThanOrEqual(at.hi[k]);
        expect(bigV[k][0]).toBeLessThanOrEqual(atV[k][0]);
        expect(bigV[k][1]).toBeGreaterThanOrEqual(atV[k][1]);
      }
    }
  });
});
