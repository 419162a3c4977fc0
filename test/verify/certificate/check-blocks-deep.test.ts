import { describe, expect, it } from '@jest/globals';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { readCertificate, sha256OfFile } from '../../../src/verify/certificate/check.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { expectRejected } from './build-blocks.js';

// A two-layer rnn-tanh (norms and residuals between the layers): the trained width-16 model and a second
// layer with zero mixer weights. Its certificate was written by `verify --all-lengths` (the block search
// following the network with the checker's zonotope step of any depth, zono-net.ts); here the checker
// alone must accept it, and reject every corruption.
const FILE = 'specs/checkpoints/parity-rnn-tanh-deadlayer.json';
const ckpt = readCheckpoint(FILE);
const sha = sha256OfFile(FILE);
const cert = readCertificate('test/golden/parity-rnn-tanh-deadlayer.parity.fp32.cert.json') as BlockCertificate;
const copy = (): BlockCertificate => JSON.parse(JSON.stringify(cert)) as BlockCertificate;

describe('the block checker on a two-layer rnn-tanh', () => {
  it('accepts the certificate of the search (32 boxes of 32 values, block 4)', () => {
    expect(cert.states[0].lo).toHaveLength(32);
    expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/all 32 boxes \(block 4\)/) as unknown as string });
  });

  const corruptions: [string, (c: BlockCertificate) => void, RegExp][] = [
    ['the second layer\'s coordinates of a box shrunk off 0 (a short word leaves it)', (c) => c.states.forEach((s) => (s.lo[20] = s.hi[20] = 0.5)), /^B1: the state after/],
    ['a first-layer coordinate of every box shrunk to a point (a state leaves it)', (c) => c.states.forEach((s) => { const m = s.lo[3] / 2 + s.hi[3] / 2; s.lo[3] = Math.max(s.lo[3], m - 1e-9); s.hi[3] = Math.min(s.hi[3], m + 1e-9); }), /^B[12]/],
    ['swapped task states', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^B1/],
    ['a changed ref (two boxes for one key)', (c) => (c.states[0].ref = 1 - c.states[0].ref), /second box/],
    ['a dropped state', (c) => c.states.splice(5, 1), /^B1: no box/],
    ['boxes too wide for the readout', (c) => c.states.forEach((s) => [s.lo.fill(-2), s.hi.fill(2)]), /^B3: the readout of states\[0\]/],
    ['boxes of one layer only', (c) => c.states.forEach((s) => [(s.lo = s.lo.slice(0, 16)), (s.hi = s.hi.slice(0, 16))]), /box is not 32 ordered intervals/],
    ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
    ['another block length', (c) => (c.block = 3), /suffix: not 3 symbols/],
    ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => 1 - l)), /^dfa/],
    ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
    ['a coarser arithmetic than the boxes were built for', (c) => (c.arithmetic = 'fixed<2,3>'), /^B[12]/],
    ['a minimum length whose base is too large to check', (c) => (c.minLength = 30), /^B1: 2\^33 words/],
  ];
  it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
    const c = copy();
    corrupt(c);
    expectRejected(c, ckpt, sha, reason);
  });
});
