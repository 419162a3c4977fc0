import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { deltanetZonotope } from '../../../src/verify/certificate/zono-deltanet.js';
import { deltanetRealStepper } from '../../abstract/linear-real.js';
import { containmentCase, expectImageInside } from '../../abstract/reachable.js';
import { deltanetParity } from '../../fixtures/deltanet-parity.js';
import { familyConfig, randomCheckpoint } from '../../fixtures/handbuilt.js';
import { searchedBlockCertificate, expectRejected } from './build-blocks.js';

describe("the block checker's zonotope step of the one-layer DeltaNets", () => {
  const cases = (['deltanet-pos', 'deltanet-neg'] as const).flatMap((f) => ['fp32', 'bf16', 'fixed<2,6>', 'real'].map((a) => [f, a] as const));
  it.each(cases)('%s at %s holds the exact state after a block from every sampled point of a box', (family, arithmetic) => {
    const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 1e-4, 0.1), (seed, block, pad) => {
        const ckpt = randomCheckpoint(familyConfig(family, { norm: seed % 2 === 0 ? 'rms' : 'none', heads: 1 + (seed % 2) }), seed, 1.5);
        const c = containmentCase(ckpt, fmt, deltanetRealStepper(ckpt), new Rng(seed + 7), pad);
        const lo = Array.from(c.lo);
        const hi = Array.from(c.hi);
        const hull = deltanetZonotope(ckpt, fmt).image(lo, hi, block);
        const rng = new Rng(seed);
        const samples = [...c.points, c.lo, c.hi];
        for (let t = 0; t < 8; t++) samples.push(Float64Array.from(lo, (l, i) => (rng.float() < 0.5 ? l : hi[i])));
        expectImageInside(c, samples, block, hull);
      }),
      { numRuns: 12, seed: 37 },
    );
  });

  it('refuses another family or a deeper network', () => {
    expect(() => deltanetZonotope(randomCheckpoint(familyConfig('deltanet-neg', { layers: 2 }), 1), null)).toThrow(/one-layer DeltaNet only, not 2-layer deltanet-neg/);
    expect(() => deltanetZonotope(randomCheckpoint(familyConfig('lrnn-neg'), 1), null)).toThrow(/not 1-layer lrnn-neg/);
  });
});

describe('block certificates of a hand-built one-layer deltanet-neg for parity (a Householder reflection per 1)', () => {
  const ckpt = deltanetParity();
  const sha = 'a'.repeat(64);
  it.each(['fp32', 'bf16', 'fixed<3,4>'])('is proved at %s with block 2 (8 boxes), and the checker accepts it', (arithmetic) => {
    const cert = searchedBlockCertificate(ckpt, sha, 'parity', arithmetic, 2);
    expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 8 boxes \(block 2\)/) });
  });

  describe('corruptions of its fp32 certificate', () => {
    let cert: BlockCertificate;
    beforeAll(() => {
      cert = searchedBlockCertificate(ckpt, sha, 'parity', 'fp32', 2);
    });
    const corruptions: [string, (c: BlockCertificate) => void, RegExp][] = [
      ['a box shifted by 10^−6', (c) => [(c.states[2].lo = c.states[2].lo.map((v) => v + 1e-6)), (c.states[2].hi = c.states[2].hi.map((v) => v + 1e-6))], /^B1: the state after/],
      ['a box moved off its states', (c) => (c.states[0].lo = c.states[0].lo.map((v) => v + 0.5)), /^B1|ordered/],
      ['swapped task states', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^B1/],
      ['a dropped state', (c) => c.states.splice(3, 1), /^B1: no box/],
      ['two boxes for one key', (c) => (c.states[1] = { ...c.states[1], ref: c.states[0].ref, suffix: [...c.states[0].suffix] }), /second box/],
      ['boxes too wide (the reflection maps [−5, 5] beyond itself, and the readout fails)', (c) => c.states.forEach((s) => [s.lo.fill(-5), s.hi.fill(5)]), /^B[23]/],
      ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
      ['another block length', (c) => (c.block = 3), /suffix: not 3 symbols/],
      ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => 1 - l)), /^dfa/],
      ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
      ['a box of the wrong size', (c) => [c.states[0].lo.pop(), c.states[0].hi.pop()], /not 4 ordered intervals/],
      ['the reals, where β < 2 and the parity fades', (c) => (c.arithmetic = 'real'), /^B[123]/],
    ];
    it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
      const c = JSON.parse(JSON.stringify(cert)) as BlockCertificate;
      corrupt(c);
      expectRejected(c, ckpt, sha, reason);
    });
  });
});
