import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Box } from '../../src/abstract/box.js';
import { BoxNetwork } from '../../src/abstract/box-network.js';
import { deltanetZonotopeSupported, ZonoDeltaNet } from '../../src/abstract/zono-deltanet.js';
import { Zonotope } from '../../src/abstract/zonotope.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { familyConfig, randomCheckpoint } from '../fixtures/handbuilt.js';
import { deltanetRealStepper } from './linear-real.js';
import { containmentCase, expectZonotopeEncloses } from './reachable.js';

describe('zonotope step of the one-layer DeltaNets', () => {
  const cases = (['deltanet-pos', 'deltanet-neg'] as const).flatMap((f) => ['fp32', 'bf16', 'fixed<2,6>', 'real'].map((a) => [f, a] as const));
  it.each(cases)('%s at %s encloses the exact step along every block from points of the box (soundness)', (family, arithmetic) => {
    const format = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 1e-3, 0.1), (seed, block, pad) => {
        const ckpt = randomCheckpoint(familyConfig(family, { norm: seed % 2 === 0 ? 'rms' : 'none', heads: 1 + (seed % 2) }), seed, 1.5);
        const zono = new ZonoDeltaNet(ckpt.config, ckpt.weights, format, new BoxNetwork(ckpt.config, ckpt.weights, format));
        expectZonotopeEncloses(containmentCase(ckpt, format, deltanetRealStepper(ckpt), new Rng(seed + 1), pad), block, (z, a) => zono.step(z, a));
      }),
      { numRuns: 12, seed: 31 },
    );
  });

  it('is relational: over a block its hull is narrower than the box executor’s', () => {
    const ckpt = randomCheckpoint(familyConfig('deltanet-neg', { heads: 1 }), 4, 1.5);
    const format = parseFormat('fp32');
    const net = new BoxNetwork(ckpt.config, ckpt.weights, format);
    const zono = new ZonoDeltaNet(ckpt.config, ckpt.weights, format, net);
    const start: Box = { lo: new Float64Array(16).fill(-0.5), hi: new Float64Array(16).fill(0.5) };
    let z = Zonotope.fromBox(start);
    let box = start;
    for (const a of [0, 1, 1, 0]) {
      z = zono.step(z, a);
      box = net.step(a, box);
    }
    const width = (b: Box) => b.hi.reduce((s, h, i) => s + h - b.lo[i], 0);
    expect(width(z.hull())).toBeLessThan(width(box));
  });

  it('covers one DeltaNet layer only', () => {
    expect(deltanetZonotopeSupported(familyConfig('deltanet-pos'))).toBe(true);
    expect(deltanetZonotopeSupported(familyConfig('deltanet-neg', { layers: 2 }))).toBe(false);
    expect(deltanetZonotopeSupported(familyConfig('lrnn-neg'))).toBe(false);
    expect(() => new ZonoDeltaNet(familyConfig('lstm'), {}, null, null as unknown as BoxNetwork)).toThrow(/one DeltaNet layer only/);
  });
});
