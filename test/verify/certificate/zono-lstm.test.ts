import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { LstmZonotope } from '../../../src/verify/certificate/zono-lstm.js';
import { lstmRealStepper } from '../../abstract/linear-real.js';
import { containmentCase, expectImageInside } from '../../abstract/reachable.js';
import { lstmTomita1, lstmTomita1Contracting } from '../../fixtures/lstm-tomita1.js';
import { familyConfig, randomCheckpoint } from '../../fixtures/handbuilt.js';
import { searchedBlockCertificate, expectRejected } from './build-blocks.js';

describe("the block checker's zonotope step of the one-layer LSTM", () => {
  const cases = (['lstm'] as const).flatMap((f) => ['fp32', 'bf16', 'fixed<2,6>', 'real'].map((a) => [f, a] as const));
  it.each(cases)('%s at %s holds the exact state after a block from every sampled point of a box', (family, arithmetic) => {
    const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 1e-4, 0.1), (seed, block, pad) => {
        const ckpt = randomCheckpoint(familyConfig(family, { norm: seed % 2 === 0 ? 'rms' : 'none' }), seed, 1.5);
        const c = containmentCase(ckpt, fmt, lstmRealStepper(ckpt), new Rng(seed + 7), pad);
        const lo = Array.from(c.lo);
        const hi = Array.from(c.hi);
        const hull = new LstmZonotope(ckpt, fmt).image(lo, hi, block);
        const rng = new Rng(seed);
        const samples = [...c.points, c.lo, c.hi];
        for (let t = 0; t < 8; t++) samples.push(Float64Array.from(lo, (l, i) => (rng.float() < 0.5 ? l : hi[i])));
        expectImageInside(c, samples, block, hull);
      }),
      { numRuns: 12, seed: 41 },
    );
  });

  it('refuses another family or a deeper network', () => {
    expect(() => new LstmZonotope(randomCheckpoint(familyConfig('lstm', { layers: 2 }), 1), null)).toThrow(/one-layer LSTM only, not 2-layer lstm/);
    expect(() => new LstmZonotope(randomCheckpoint(familyConfig('lrnn-neg'), 1), null)).toThrow(/not 1-layer lrnn-neg/);
  });
});

describe('block certificates of a hand-built one-layer LSTM latch for tomita1', () => {
  const ckpt = lstmTomita1();
  const sha = 'a'.repeat(64);
  it.each(['fp32', 'bf16'])('is proved at %s with block 2 (5 boxes), and the checker accepts it', (arithmetic) => {
    const cert = searchedBlockCertificate(ckpt, sha, 'tomita1', arithmetic, 2);
    expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 5 boxes \(block 2\)/) });
  });

  it.each(['fp32', 'bf16', 'fixed<4,8>', 'real'])('a contracting LSTM (input gate reading h) is proved at %s with block 2 (5 boxes), and the checker accepts it', (arithmetic) => {
    const contracting = lstmTomita1Contracting();
    const cert = searchedBlockCertificate(contracting, sha, 'tomita1', arithmetic, 2);
    expect(checkBlockCertificate(cert, contracting, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 5 boxes \(block 2\)/) });
  });

  describe('corruptions of its fp32 certificate', () => {
    let cert: BlockCertificate;
    beforeAll(() => {
      cert = searchedBlockCertificate(ckpt, sha, 'tomita1', 'fp32', 2);
    });
    const accepting = (c: BlockCertificate) => c.states.findIndex((s) => s.hi[0] === 0);
    const corruptions: [string, (c: BlockCertificate) => void, RegExp][] = [
      ['the accepting box shifted by 10^−6', (c) => [(c.states[accepting(c)].lo = [1e-6, 1e-6]), (c.states[accepting(c)].hi = [1e-6, 1e-6])], /^B1: the state after/],
      ['a latched box without its upper end (c = 1)', (c) => (c.states[0].hi = c.states[0].hi.map((v) => v / 2)), /^B[12]|ordered/],
      ['swapped task states', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^B1|not a task state/],
      ['a dropped state', (c) => c.states.splice(accepting(c), 1), /^B1: no box/],
      ['two boxes for one key', (c) => (c.states[1] = { ...c.states[1], ref: c.states[0].ref, suffix: [...c.states[0].suffix] }), /second box/],
      ['boxes too wide for the readout', (c) => c.states.forEach((s) => [s.lo.fill(-1), s.hi.fill(1)]), /^B3/],
      ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
      ['another block length', (c) => (c.block = 3), /suffix: not 3 symbols/],
      ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => 1 - l)), /^dfa/],
      ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
      ['a box of the wrong size', (c) => [c.states[0].lo.pop(), c.states[0].hi.pop()], /not 2 ordered intervals/],
      ['the reals', (c) => (c.arithmetic = 'real'), /^B[123]/],
    ];
    it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
      const c = JSON.parse(JSON.stringify(cert)) as BlockCertificate;
      corrupt(c);
      expectRejected(c, ckpt, sha, reason);
    });
  });
});
