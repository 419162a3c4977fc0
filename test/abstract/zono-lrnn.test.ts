import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Box } from '../../src/abstract/box.js';
import { BoxNetwork } from '../../src/abstract/box-network.js';
import { linearZonotopeSupported, ZonoLinear } from '../../src/abstract/zono-lrnn.js';
import { Zonotope } from '../../src/abstract/zonotope.js';
import type { ModelConfig } from '../../src/models/config.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { familyConfig, randomCheckpoint } from '../fixtures/handbuilt.js';
import { linearRealStepper } from './linear-real.js';
import { containmentCase, expectZonotopeEncloses } from './reachable.js';

const FAMILIES: ModelConfig['family'][] = ['lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex'];
const ARITHMETICS = ['fp32', 'bf16', 'fixed<2,6>', 'real'];

describe('zonotope step of the one-layer linear RNNs', () => {
  const cases = FAMILIES.flatMap((f) => ARITHMETICS.map((a) => [f, a] as const));
  it.each(cases)('%s at %s encloses the exact step along every block from points of the box (soundness)', (family, arithmetic) => {
    const format = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 1e-3, 0.1), (seed, block, pad) => {
        const ckpt = randomCheckpoint(familyConfig(family, { norm: seed % 2 === 0 ? 'rms' : 'none' }), seed, 1.5);
        const zono = new ZonoLinear(ckpt.config, ckpt.weights, format, new BoxNetwork(ckpt.config, ckpt.weights, format));
        expectZonotopeEncloses(containmentCase(ckpt, format, linearRealStepper(ckpt), new Rng(seed + 1), pad), block, (z, a) => zono.step(z, a));
      }),
      { numRuns: 12, seed: 23 },
    );
  });

  it('is relational for lrnn-complex: a rotation keeps the zonotope, where the box of a box grows', () => {
    const ckpt = randomCheckpoint(familyConfig('lrnn-complex'), 3, 1.5);
    // Radius near 1 (softplus(−20)·e^w ≈ 0) and angle 0.7 whatever the input: a pure rotation plus offset.
    for (const [name, v] of [['l0.mix.wa', 0], ['l0.mix.wt', 0], ['l0.mix.ca', -20], ['l0.mix.ct', 0.7]] as const) ckpt.weights[name].data.fill(v);
    const format = parseFormat('fp32');
    const net = new BoxNetwork(ckpt.config, ckpt.weights, format);
    const zono = new ZonoLinear(ckpt.config, ckpt.weights, format, net);
    const start: Box = { lo: new Float64Array(4).fill(-0.5), hi: new Float64Array(4).fill(0.5) };
    let z = Zonotope.fromBox(start);
    let box = start;
    for (const a of [0, 1, 1, 0, 1, 0]) {
      z = zono.step(z, a);
      box = net.step(a, box);
    }
    const width = (b: Box) => b.hi.reduce((s, h, i) => s + h - b.lo[i], 0);
    expect(width(z.hull())).toBeLessThan(width(box));
  });

  it('covers one layer of lrnn-pos, lrnn-neg, lrnn-pd and lrnn-complex only', () => {
    for (const f of FAMILIES) expect(linearZonotopeSupported(familyConfig(f))).toBe(true);
    expect(linearZonotopeSupported(familyConfig('lrnn-neg', { layers: 2 }))).toBe(false);
    expect(linearZonotopeSupported(familyConfig('rnn-tanh'))).toBe(false);
    expect(() => new ZonoLinear(familyConfig('lstm'), {}, null, null as unknown as BoxNetwork)).toThrow(/one linear RNN layer only/);
  });
});
