import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { readCertificate, sha256OfFile } from '../../../src/verify/certificate/check.js';
import { MAX_SPLIT_PARTS, type SplitBlockCertificate } from '../../../src/verify/certificate/format.js';
import { searchedBlockCertificate, searchedSplitCertificate, expectRejected } from './build-blocks.js';

// Split block certificates (format.ts, `split-blocks`): the width-8 trained rnn-tanh, proved only with
// parts (test/verify/checkpoint/split-invariant.test.ts says why), and the width-16 one, whose one-box
// block certificate must check the same way as before and as a split certificate of one part per state.
const W8 = 'specs/checkpoints/parity-rnn-tanh-w8-trained.json';
const W16 = 'specs/checkpoints/parity-rnn-tanh-trained.json';
const ckpt = readCheckpoint(W8);
const sha = sha256OfFile(W8);

describe('the split block certificate checker', () => {
  let cert: SplitBlockCertificate;
  const copy = (): SplitBlockCertificate => JSON.parse(JSON.stringify(cert)) as SplitBlockCertificate;
  /** The index of a state with more than one part. */
  const splitState = (c: SplitBlockCertificate) => c.states.findIndex((s) => s.parts.length > 1);
  beforeAll(() => {
    cert = searchedSplitCertificate(ckpt, sha, 'parity', [3], 200_000);
  });

  it('accepts the certificate the split search finds for the width-8 model at fp32 (block 3)', () => {
    expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/^all \d+ parts of 16 states \(block 3\)/) });
  });

  it('accepts the split certificate that verify wrote for this model (a golden file: later checkers must keep accepting it)', () => {
    const golden = readCertificate('test/golden/parity-rnn-tanh-w8.parity.fp32.split-cert.json');
    expect('kind' in golden && golden.kind).toBe('split-blocks');
    expect(checkBlockCertificate(golden as SplitBlockCertificate, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/^all 18 parts of 16 states \(block 3\)/) });
  });

  it('reads a split certificate file as such; more parts than the cap, or none, are refused on read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'split-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(cert));
    expect(readCertificate(join(dir, 'c.json'))).toEqual(cert);
    const many = copy();
    many.states[0].parts = Array.from({ length: MAX_SPLIT_PARTS + 1 }, () => many.states[0].parts[0]);
    writeFileSync(join(dir, 'many.json'), JSON.stringify(many));
    expect(() => readCertificate(join(dir, 'many.json'))).toThrow(/parts/);
    const none = copy();
    none.states[0].parts = [];
    writeFileSync(join(dir, 'none.json'), JSON.stringify(none));
    expect(() => readCertificate(join(dir, 'none.json'))).toThrow(/parts/);
  });

  it('one box per state is not enough: the hull of the parts of a split state fails', () => {
    const c = copy();
    const s = c.states[splitState(c)];
    const lo = s.parts[0].lo.map((_, i) => Math.min(...s.parts.map((p) => p.lo[i])));
    const hi = s.parts[0].hi.map((_, i) => Math.max(...s.parts.map((p) => p.hi[i])));
    s.parts = [{ lo, hi }];
    expect(checkBlockCertificate(c, ckpt, sha).valid).toBe(false);
  });

  const corruptions: [string, (c: SplitBlockCertificate) => void, RegExp][] = [
    ['a part of a split state dropped', (c) => c.states[splitState(c)].parts.pop(), /^B[12]: .*(not in any part|leaves every part)/],
    ['the first part of a split state dropped', (c) => c.states[splitState(c)].parts.shift(), /^B[12]: .*(not in any part|leaves every part)/],
    ['every part shrunk to its lower corner', (c) => c.states.forEach((s) => s.parts.forEach((p) => (p.hi = [...p.lo]))), /^B[12]:/],
    ['one part narrowed to its middle', (c) => {
      const p = c.states[splitState(c)].parts[0];
      const mid = p.lo.map((l, i) => l / 2 + p.hi[i] / 2);
      [p.lo, p.hi] = [mid, [...mid]];
    }, /^B[12]:/],
    ['a part widened to the whole cube', (c) => c.states.forEach((s) => { s.parts[0].lo.fill(-1); s.parts[0].hi.fill(1); }), /^B3: the readout of states\[\d+\]\.parts\[0\]/],
    ['a state removed', (c) => c.states.splice(splitState(c), 1), /^B[12]: .*(no box for)/],
    ['a state given twice', (c) => c.states.push(c.states[0]), /a second state for task state/],
    ['a task state swapped', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^(B[123]|states)/],
    ['a suffix one symbol short', (c) => c.states[0].suffix.pop(), /suffix: not 3 symbols/],
    ['a part whose lower bound passes its upper', (c) => (c.states[splitState(c)].parts[1].lo[0] = c.states[splitState(c)].parts[1].hi[0] + 1), /parts\[1\]: box is not 8 ordered intervals/],
    ['a part of the wrong dimension', (c) => c.states[0].parts[0].lo.pop(), /parts\[0\]: box is not 8 ordered intervals/],
    ['a block length of 2 with suffixes of 3', (c) => (c.block = 2), /suffix: not 2 symbols/],
    ['a different checkpoint hash', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /sha256|SHA-256|checkpoint/i],
    ['a different arithmetic', (c) => (c.arithmetic = 'fp16'), /^B[123]:/],
  ];
  it.each(corruptions)('rejects a certificate with %s', (_what, corrupt, reason) => {
    const c = copy();
    corrupt(c);
    expectRejected(c, ckpt, sha, reason);
  });
});

describe('block certificates of one box per state (the old kind)', () => {
  const w16 = readCheckpoint(W16);
  const sha16 = sha256OfFile(W16);
  it('a block certificate checks as before, and as a split certificate of one part per state', () => {
    const old = searchedBlockCertificate(w16, sha16, 'parity', 'fp32', 4);
    expect(checkBlockCertificate(old, w16, sha16)).toEqual({ valid: true, reason: expect.stringMatching(/^all 32 boxes \(block 4\)/) });
    const { states, kind: _kind, ...header } = old;
    const split: SplitBlockCertificate = { ...header, kind: 'split-blocks', states: states.map((s) => ({ ref: s.ref, suffix: s.suffix, parts: [{ lo: s.lo, hi: s.hi }] })) };
    expect(checkBlockCertificate(split, w16, sha16)).toEqual({ valid: true, reason: expect.stringMatching(/^all 32 parts of 32 states \(block 4\)/) });
  });
});
