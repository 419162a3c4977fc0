import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Checkpoint } from '../../../src/models/checkpoint.js';
import type { ModelConfig } from '../../../src/models/config.js';
import type { NumberFormat } from '../../../src/precision/format.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { DeepZonotope } from '../../../src/verify/certificate/zono-deep.js';
import { networkRealStepper } from '../../abstract/network-real.js';
import { containmentCase, expectImageInside } from '../../abstract/reachable.js';
import { familyConfig, randomCheckpoint, twoLayerCheckpoint } from '../../fixtures/handbuilt.js';

const FAMILIES: ModelConfig['family'][] = ['lstm', 'lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex', 'deltanet-pos', 'deltanet-neg'];
const ARITHMETICS = ['fp32', 'bf16', 'fixed<2,6>', 'real'];

/** Throws where a sampled point of the box, stepped along the block by the executor at execFormat, leaves the checker's hull at zonoFormat. */
function encloses(ckpt: Checkpoint, zonoFormat: NumberFormat | null, execFormat: NumberFormat | null, seed: number, block: number[], pad: number): void {
  const c = containmentCase(ckpt, execFormat, networkRealStepper(ckpt), new Rng(seed + 7), pad);
  const lo = Array.from(c.lo);
  const hi = Array.from(c.hi);
  const hull = new DeepZonotope(ckpt, zonoFormat).image(lo, hi, block);
  const rng = new Rng(seed);
  const samples = [...c.points, c.lo, c.hi];
  for (let t = 0; t < 6; t++) samples.push(Float64Array.from(lo, (l, i) => (rng.float() < 0.5 ? l : hi[i])));
  expectImageInside(c, samples, block, hull);
}

describe("the block checker's zonotope step of networks of several layers (norms, MLP, residuals)", () => {
  const cases = FAMILIES.flatMap((f) => ARITHMETICS.map((a) => [f, a] as const));
  it.each(cases)('%s at %s holds the exact state after a block from every sampled point of a box', (family, arithmetic) => {
    const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 1e-4, 0.1), (seed, block, pad) => {
        encloses(twoLayerCheckpoint(family, seed), fmt, fmt, seed, block, pad);
      }),
      { numRuns: 5, seed: 43 },
    );
  });

  it('fails without the rounding terms: the step over the reals does not hold the executor at fixed<2,6>', () => {
    const run = () =>
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }), (seed, block) => {
          encloses(twoLayerCheckpoint('lrnn-neg', seed), null, parseFormat('fixed<2,6>'), seed, block, 0);
        }),
        { numRuns: 40, seed: 5 },
      );
    expect(run).toThrow(/Property failed/);
  });

  it('refuses one layer and rnn-tanh (zono-net.ts has it)', () => {
    expect(() => new DeepZonotope(randomCheckpoint(familyConfig('lrnn-neg'), 1), null)).toThrow(/not 1-layer lrnn-neg/);
    expect(() => new DeepZonotope(randomCheckpoint(familyConfig('rnn-tanh', { layers: 2 }), 1), null)).toThrow(/not 2-layer rnn-tanh/);
  });
});
