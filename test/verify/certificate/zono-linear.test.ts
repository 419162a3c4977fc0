import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import type { ModelConfig } from '../../../src/models/config.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { sha256OfFile } from '../../../src/verify/certificate/check.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { LinearZonotope } from '../../../src/verify/certificate/zono-linear.js';
import { linearRealStepper } from '../../abstract/linear-real.js';
import { containmentCase, expectImageInside } from '../../abstract/reachable.js';
import { familyConfig, randomCheckpoint } from '../../fixtures/handbuilt.js';
import { searchedBlockCertificate, expectRejected } from './build-blocks.js';

const FAMILIES: ModelConfig['family'][] = ['lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex'];

describe("the block checker's zonotope step of the one-layer linear RNNs", () => {
  const cases = FAMILIES.flatMap((f) => ['fp32', 'bf16', 'fixed<2,6>', 'real'].map((a) => [f, a] as const));
  it.each(cases)('%s at %s holds the exact state after a block from every sampled point of a box', (family, arithmetic) => {
    const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 1e-4, 0.1), (seed, block, pad) => {
        const ckpt = randomCheckpoint(familyConfig(family, { norm: seed % 2 === 0 ? 'rms' : 'none' }), seed, 1.5);
        const c = containmentCase(ckpt, fmt, linearRealStepper(ckpt), new Rng(seed + 7), pad);
        const lo = Array.from(c.lo);
        const hi = Array.from(c.hi);
        const hull = new LinearZonotope(ckpt, fmt).image(lo, hi, block);
        const rng = new Rng(seed);
        const samples = [...c.points, c.lo, c.hi];
        for (let t = 0; t < 8; t++) samples.push(Float64Array.from(lo, (l, i) => (rng.float() < 0.5 ? l : hi[i])));
        expectImageInside(c, samples, block, hull);
      }),
      { numRuns: 12, seed: 29 },
    );
  });

  it('refuses another family or a deeper network', () => {
    const deep = randomCheckpoint(familyConfig('lrnn-neg', { layers: 2 }), 1);
    expect(() => new LinearZonotope(deep, null)).toThrow(/one-layer linear RNN only, not 2-layer lrnn-neg/);
    expect(() => new LinearZonotope(randomCheckpoint(familyConfig('lstm'), 1), null)).toThrow(/not 1-layer lstm/);
  });
});

const NEG = 'specs/checkpoints/parity-lrnn-neg-handbuilt.json';
const PD = 'specs/checkpoints/s3-lrnn-pd-construction.json';

describe('block certificates of the linear RNNs', () => {
  it.each([
    [NEG, 'parity', 'fp32', 8],
    [NEG, 'parity', 'bf16', 8],
    [NEG, 'parity', 'fixed<2,6>', 8],
  ])('the search proves %s (%s) at %s with block 2, and the checker accepts it', (file, task, arithmetic, boxes) => {
    const ckpt = readCheckpoint(file);
    const sha = sha256OfFile(file);
    const cert = searchedBlockCertificate(ckpt, sha, task, arithmetic, 2);
    expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(new RegExp(`all ${boxes} boxes \\(block 2\\)`)) });
  });

  describe('the s3 lrnn-pd construction at fp32', () => {
    const ckpt = readCheckpoint(PD);
    const sha = sha256OfFile(PD);
    let cert: BlockCertificate;
    beforeAll(() => {
      cert = searchedBlockCertificate(ckpt, sha, 's3', 'fp32', 2);
    });

    it('is proved with block 2 (216 boxes), and the checker accepts the certificate', () => {
      expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 216 boxes \(block 2\)/) });
    });
    const corruptions: [string, (c: BlockCertificate) => void, RegExp][] = [
      ['a box shifted by 10^−6 (every box here is the point of its exact state)', (c) => [(c.states[3].lo = c.states[3].lo.map((v) => v + 1e-6)), (c.states[3].hi = c.states[3].hi.map((v) => v + 1e-6))], /^B1: the state after/],
      ['a box moved off its states', (c) => (c.states[0].lo = c.states[0].lo.map((v) => v + 0.5)), /^B[12]|ordered/],
      ['a dropped state', (c) => c.states.splice(7, 1), /^B1: no box/],
      ['two boxes for one key', (c) => (c.states[1] = { ...c.states[1], ref: c.states[0].ref, suffix: [...c.states[0].suffix] }), /second box/],
      ['a ref out of range', (c) => (c.states[0].ref = 99), /not a task state/],
      ['boxes too wide (for the readout, and for a permutation of gain 1 to map inside)', (c) => c.states.forEach((s) => [s.lo.fill(-5), s.hi.fill(5)]), /^B[23]/],
      ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
      ['another block length', (c) => (c.block = 3), /suffix: not 3 symbols/],
      ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => (l === 0 ? 1 : 0))), /^dfa/],
      ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
      ['a box of the wrong size', (c) => [c.states[0].lo.pop(), c.states[0].hi.pop()], /not 9 ordered intervals/],
      ['suffix symbols outside the alphabet', (c) => (c.states[0].suffix = [0, 9]), /suffix: not 2 symbols of the alphabet/],
      ['a coarser arithmetic than the boxes were built for', (c) => (c.arithmetic = 'fixed<2,2>'), /^B[123]/],
    ];
    it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
      const c = JSON.parse(JSON.stringify(cert)) as BlockCertificate;
      corrupt(c);
      expectRejected(c, ckpt, sha, reason);
    });
  });
});
