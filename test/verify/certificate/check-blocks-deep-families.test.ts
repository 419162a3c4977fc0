import { beforeAll, describe, expect, it } from '@jest/globals';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { withDeadLayer } from '../../fixtures/handbuilt.js';
import { lstmTomita1Contracting } from '../../fixtures/lstm-tomita1.js';
import { expectRejected, searchedBlockCertificate } from './build-blocks.js';

// Two-layer networks of the other families (the hand-built lrnn-neg parity and the contracting LSTM latch,
// each with a second layer of zero weights): the search follows them with ZonoNetwork (abstract/), the
// checker with its own DeepZonotope (certificate/zono-deep.ts), and must accept what the search finds.
const lrnn = withDeadLayer(readCheckpoint('specs/checkpoints/parity-lrnn-neg-handbuilt.json'));
const lstm = withDeadLayer(lstmTomita1Contracting());
const sha = 'b'.repeat(64);

describe('block certificates of two-layer networks of every family', () => {
  it.each(['fp32', 'bf16', 'fixed<2,6>'])('the two-layer lrnn-neg parity is proved at %s with block 2, and the checker accepts it', (arithmetic) => {
    const cert = searchedBlockCertificate(lrnn, sha, 'parity', arithmetic, 2);
    expect(cert.states[0].lo).toHaveLength(2);
    expect(checkBlockCertificate(cert, lrnn, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 8 boxes \(block 2\)/) as unknown as string });
  });

  it.each(['fp32', 'bf16', 'real'])('the two-layer contracting LSTM latch is proved at %s with block 2, and the checker accepts it', (arithmetic) => {
    const cert = searchedBlockCertificate(lstm, sha, 'tomita1', arithmetic, 2);
    expect(cert.states[0].lo).toHaveLength(4);
    expect(checkBlockCertificate(cert, lstm, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 5 boxes \(block 2\)/) as unknown as string });
  });

  describe('corruptions of the two-layer LSTM certificate at fp32', () => {
    let cert: BlockCertificate;
    beforeAll(() => {
      cert = searchedBlockCertificate(lstm, sha, 'tomita1', 'fp32', 2);
    });
    const latched = (c: BlockCertificate) => c.states.findIndex((s) => s.hi[1] > 1);
    const corruptions: [string, (c: BlockCertificate) => void, RegExp][] = [
      ["the second layer's cell shrunk off 0 (a short word leaves it)", (c) => c.states.forEach((s) => (s.lo[3] = s.hi[3] = 0.25)), /^B1: the state after/],
      ['a latched box without its upper end', (c) => (c.states[latched(c)].hi[1] = c.states[latched(c)].lo[1]), /^B[12]/],
      ['swapped task states', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^B1|not a task state/],
      ['a dropped state', (c) => c.states.splice(latched(c), 1), /^B1: no box/],
      ['two boxes for one key', (c) => (c.states[1] = { ...c.states[1], ref: c.states[0].ref, suffix: [...c.states[0].suffix] }), /second box/],
      ['boxes too wide for the readout', (c) => c.states.forEach((s) => [s.lo.fill(-3), s.hi.fill(3)]), /^B[23]/],
      ['boxes of the first layer only', (c) => c.states.forEach((s) => [(s.lo = s.lo.slice(0, 2)), (s.hi = s.hi.slice(0, 2))]), /not 4 ordered intervals/],
      ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
      ['another block length', (c) => (c.block = 3), /suffix: not 3 symbols/],
      ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => 1 - l)), /^dfa/],
      ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
      ['a coarser arithmetic than the boxes were built for', (c) => (c.arithmetic = 'fixed<2,3>'), /^B[123]/],
    ];
    it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
      const c = JSON.parse(JSON.stringify(cert)) as BlockCertificate;
      corrupt(c);
      expectRejected(c, lstm, sha, reason);
    });
  });
});
