import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { readCertificate, sha256OfFile } from '../../../src/verify/certificate/check.js';
import { MAX_PART_CUTS, type SplitBlockCertificate, type SplitCutsCertificate } from '../../../src/verify/certificate/format.js';
import { expectRejected, searchedSplitCutsCertificate } from './build-blocks.js';

// Split block certificates with hyperplane cuts (format.ts, `split-cuts`): the width-8 trained rnn-tanh
// (test/verify/checkpoint/split-invariant.test.ts says why one box per state fails), whose split search,
// allowed to cut by general hyperplanes, separates the two far-apart clusters of two states by a 2-means
// hyperplane instead of one unit.
const W8 = 'specs/checkpoints/parity-rnn-tanh-w8-trained.json';
const ckpt = readCheckpoint(W8);
const sha = sha256OfFile(W8);

describe('the split-cuts certificate checker', () => {
  let cert: SplitCutsCertificate;
  const copy = (): SplitCutsCertificate => JSON.parse(JSON.stringify(cert)) as SplitCutsCertificate;
  /** [state, part] of the first part with a cut. */
  const cutAt = (c: SplitCutsCertificate): [number, number] => {
    const i = c.states.findIndex((s) => s.parts.some((p) => p.cuts.length > 0));
    return [i, c.states[i].parts.findIndex((p) => p.cuts.length > 0)];
  };
  const firstCut = (c: SplitCutsCertificate) => {
    const [i, p] = cutAt(c);
    return c.states[i].parts[p].cuts[0];
  };
  beforeAll(() => {
    cert = searchedSplitCutsCertificate(ckpt, sha, 'parity', [3], 200_000);
  });

  it('accepts the certificate the split search finds with hyperplane cuts (block 3)', () => {
    expect(checkBlockCertificate(cert, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/^all \d+ parts \(\d+ cuts\) of 16 states \(block 3\)/) });
  });

  it('accepts the split-cuts certificate that verify wrote for this model (a golden file: later checkers must keep accepting it)', () => {
    const golden = readCertificate('test/golden/parity-rnn-tanh-w8.parity.fp32.split-cuts-cert.json');
    expect('kind' in golden && golden.kind).toBe('split-cuts');
    expect(checkBlockCertificate(golden as SplitCutsCertificate, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/^all 18 parts \(4 cuts\) of 16 states \(block 3\)/) });
  });

  it('reads the kind: relabelled split-blocks, the same parts count as their boxes alone (here still inductive: the cuts keep far-apart clusters apart that their boxes already separate)', () => {
    const relabelled = { ...copy(), kind: 'split-blocks' } as unknown as SplitBlockCertificate;
    expect(checkBlockCertificate(relabelled, ckpt, sha)).toEqual({ valid: true, reason: expect.stringMatching(/^all 18 parts of 16 states/) });
  });

  it('reads a split-cuts file as such; a bound that is not finite, or more cuts than the cap, are refused on read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cuts-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(cert));
    expect(readCertificate(join(dir, 'c.json'))).toEqual(cert);
    const many = copy();
    const [i, p] = cutAt(many);
    many.states[i].parts[p].cuts = Array.from({ length: MAX_PART_CUTS + 1 }, () => firstCut(cert));
    writeFileSync(join(dir, 'many.json'), JSON.stringify(many));
    expect(() => readCertificate(join(dir, 'many.json'))).toThrow(/cuts/);
    const inf = copy();
    inf.states[i].parts[p].cuts[0].c = Infinity;
    writeFileSync(join(dir, 'inf.json'), JSON.stringify(inf).replace('null', '"inf"'));
    expect(() => readCertificate(join(dir, 'inf.json'))).toThrow(/cuts/);
  });

  const corruptions: [string, (c: SplitCutsCertificate) => void, RegExp][] = [
    ['a cut moved past its states (c lowered by 1)', (c) => (firstCut(c).c -= 1), /^B[12]: .*(not in any part|leaves every part)/],
    ['a cut turned round (w negated)', (c) => (firstCut(c).w = firstCut(c).w.map((x) => -x)), /^B[12]: .*(not in any part|leaves every part)/],
    ['a cut swapped with the cut of the other part of its state', (c) => {
      const [i, p] = cutAt(c);
      const parts = c.states[i].parts;
      const other = parts.findIndex((q, t) => t !== p && q.cuts.length > 0);
      [parts[p].cuts, parts[other].cuts] = [parts[other].cuts, parts[p].cuts];
    }, /^B[12]: .*(not in any part|leaves every part)/],
    ['every cut made to exclude everything (c = -1e9)', (c) => c.states.forEach((s) => s.parts.forEach((p) => p.cuts.forEach((h) => (h.c = -1e9)))), /^B1: .*not in any part/],
    ['a cut with a coefficient missing', (c) => firstCut(c).w.pop(), /cuts\[0\]\.w: not 8 coefficients/],
    ['the part with a cut dropped', (c) => {
      const [i, p] = cutAt(c);
      c.states[i].parts.splice(p, 1);
    }, /^B[12]: .*(not in any part|leaves every part)/],
    ['the cut part narrowed to its middle', (c) => {
      const [i, p] = cutAt(c);
      const part = c.states[i].parts[p];
      const mid = part.lo.map((l, t) => l / 2 + part.hi[t] / 2);
      [part.lo, part.hi] = [mid, [...mid]];
    }, /^B[12]:/],
    ['every part widened to the whole cube, cuts kept', (c) => c.states.forEach((s) => s.parts.forEach((p) => { p.lo.fill(-1); p.hi.fill(1); })), /^B[23]:/],
    ['a state removed', (c) => c.states.splice(cutAt(c)[0], 1), /^B[12]: .*(no box for)/],
    ['a state given twice', (c) => c.states.push(c.states[0]), /a second state for task state/],
    ['a task state swapped', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^(B[123]|states)/],
    ['a block length of 2 with suffixes of 3', (c) => (c.block = 2), /suffix: not 2 symbols/],
    ['a part whose lower bound passes its upper', (c) => (c.states[0].parts[0].lo[0] = c.states[0].parts[0].hi[0] + 1), /parts\[0\]: box is not 8 ordered intervals/],
    ['a different checkpoint hash', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /sha256|SHA-256|checkpoint/i],
    ['a different arithmetic', (c) => (c.arithmetic = 'fp16'), /^B[123]:/],
  ];
  it.each(corruptions)('rejects a certificate with %s', (_what, corrupt, reason) => {
    const c = copy();
    corrupt(c);
    expectRejected(c, ckpt, sha, reason);
  });
});
