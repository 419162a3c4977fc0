import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BoxNetwork } from '../../src/abstract/box-network.js';
import { zonoStep } from '../../src/abstract/zono-step.js';
import { networkZonotopeSupported, ZonoNetwork } from '../../src/abstract/zono-network.js';
import { Zonotope } from '../../src/abstract/zonotope.js';
import type { Checkpoint } from '../../src/models/checkpoint.js';
import type { ModelConfig } from '../../src/models/config.js';
import type { NumberFormat } from '../../src/precision/format.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { familyConfig, randomCheckpoint, twoLayerCheckpoint } from '../fixtures/handbuilt.js';
import { networkRealStepper } from './network-real.js';
import { containmentCase, expectZonotopeEncloses } from './reachable.js';

const FAMILIES: ModelConfig['family'][] = ['rnn-tanh', 'lstm', 'lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex', 'deltanet-pos', 'deltanet-neg'];
const ARITHMETICS = ['fp32', 'bf16', 'fixed<2,6>', 'real'];

/** Fails (throws) where a stepped point leaves a hull. */
function encloses(ckpt: Checkpoint, zonoFormat: NumberFormat | null, execFormat: NumberFormat | null, seed: number, block: number[], pad: number): void {
  const zono = new ZonoNetwork(ckpt.config, ckpt.weights, zonoFormat, new BoxNetwork(ckpt.config, ckpt.weights, zonoFormat));
  expectZonotopeEncloses(containmentCase(ckpt, execFormat, networkRealStepper(ckpt), new Rng(seed + 1), pad), block, (z, a) => zono.step(z, a));
}

describe('zonotope step of two-layer networks of every family (norms, MLP, residuals)', () => {
  const cases = FAMILIES.flatMap((f) => ARITHMETICS.map((a) => [f, a] as const));
  it.each(cases)('%s at %s encloses the exact step along every block from points of the box (soundness)', (family, arithmetic) => {
    const format = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 1e-3, 0.1), (seed, block, pad) => {
        encloses(twoLayerCheckpoint(family, seed), format, format, seed, block, pad);
      }),
      { numRuns: 5, seed: 29 },
    );
  });

  it('fails without the rounding terms: the step over the reals does not enclose the executor at fixed<2,6>', () => {
    const run = () =>
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }), (seed, block) => {
          encloses(twoLayerCheckpoint('lrnn-neg', seed), null, parseFormat('fixed<2,6>'), seed, block, 0);
        }),
        { numRuns: 40, seed: 5 },
      );
    expect(run).toThrow(/Property failed/);
  });

  it('is relational: a small box stays small over a block, where the box step widens it', () => {
    const ckpt = randomCheckpoint(familyConfig('lrnn-neg', { layers: 2, mlp: 3, norm: 'rms' }), 4, 0.6);
    const format = parseFormat('fp32');
    const net = new BoxNetwork(ckpt.config, ckpt.weights, format);
    const zono = new ZonoNetwork(ckpt.config, ckpt.weights, format, net);
    const c = containmentCase(ckpt, format, networkRealStepper(ckpt), new Rng(2), 0.05);
    let z = zono.step(zonoFrom(c.lo, c.hi), 0);
    let box = net.step(0, { lo: c.lo, hi: c.hi });
    for (const a of [1, 1, 0, 1]) {
      z = zono.step(z, a);
      box = net.step(a, box);
    }
    const width = (b: { lo: Float64Array; hi: Float64Array }) => b.hi.reduce((s, h, i) => s + h - b.lo[i], 0);
    expect(width(z.hull())).toBeLessThanOrEqual(width(box));
  });

  it('is what the dispatch gives for several layers of every recurrent family, and nothing else', () => {
    for (const f of FAMILIES) {
      const c = familyConfig(f, { layers: 2 });
      expect(networkZonotopeSupported(c)).toBe(true);
      expect(zonoStep(c, randomCheckpoint(c, 1).weights, null, new BoxNetwork(c, randomCheckpoint(c, 1).weights, null))).toBeInstanceOf(ZonoNetwork);
      expect(networkZonotopeSupported(familyConfig(f))).toBe(false);
    }
    expect(networkZonotopeSupported(familyConfig('transformer', { layers: 2 }))).toBe(false);
  });
});

function zonoFrom(lo: Float64Array, hi: Float64Array): Zonotope {
  return Zonotope.fromBox({ lo, hi });
}
