import { describe, expect, it } from '@jest/globals';
import { type Checkpoint, readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { checkCertificate, sha256OfFile } from '../../../src/verify/certificate/check.js';
import type { BlockCertificate, Certificate } from '../../../src/verify/certificate/format.js';
import { verifyAllLengths } from '../../../src/verify/checkpoint/all-lengths.js';
import { runLasso } from '../../../src/verify/checkpoint/replay.js';
import { workClock } from '../../../src/clock.js';

const CKPT = 'specs/checkpoints';
const parity = parseTask('parity');
const fp32 = parseFormat('fp32');
const file = (name: string) => `${CKPT}/${name}.json`;
// Budgets in work units (src/clock.ts), about 3x the least that gives the verdict asserted (measured).
const ask = (name: string, minLength: number, work = 3000, checkpoint = readCheckpoint(file(name)), task = parity) =>
  verifyAllLengths({ checkpoint, checkpointFile: file(name), task, format: fp32, budget: work / 1000, minLength, clock: workClock() });

/** The length of the shortest word of length >= n that the machine gets wrong, by enumerating every word. */
function bruteShortest(ckpt: Checkpoint, n: number, maxLen: number): number | null {
  const machine = checkpointMachine(ckpt, fp32);
  const dfa = parity.reference!;
  let layer = [{ s: machine.initial(), q: dfa.start as number }];
  for (let len = 1; len <= maxLen; len++) {
    const next: typeof layer = [];
    for (const { s, q } of layer) {
      for (let a = 0; a < 2; a++) {
        const t = machine.step(s, a);
        const r = dfa.table[q * 2 + a];
        if (len >= n && machine.classify(t) !== dfa.labels[r]) return len;
        next.push({ s: t, q: r });
      }
    }
    layer = next;
  }
  return null;
}

describe('verify --all-lengths --min-len', () => {
  const pos = readCheckpoint(file('parity-lrnn-pos-handbuilt'));
  it.each([1, 2, 3, 5, 8])('finds the shortest wrong word of length >= %i, as enumerating every word does', (n) => {
    const r = ask('parity-lrnn-pos-handbuilt', n);
    expect(r.verdict).toBe('refuted');
    expect(r.minLength).toBe(n);
    expect(r.counterexample?.length).toBe(bruteShortest(pos, n, 12));
    const replay = runLasso(checkpointMachine(pos, fp32), parity.reference!, r.counterexample!.lasso);
    expect(replay.got).not.toBe(replay.expected);
  });

  it('starts cycle detection at the minimum length: the trained lrnn-neg is refuted on a lasso of length >= 100', () => {
    const r = ask('parity-lrnn-neg-trained', 100, 5000);
    expect(r.verdict).toBe('refuted');
    expect(r.counterexample!.length).toBeGreaterThanOrEqual(100);
    const replay = runLasso(checkpointMachine(readCheckpoint(file('parity-lrnn-neg-trained')), fp32), parity.reference!, r.counterexample!.lasso);
    expect(replay.got).not.toBe(replay.expected);
  });

  it('proves the hand-built lrnn-neg from length 5 on; the box certificate records 5 and the checker accepts it', () => {
    const r = ask('parity-lrnn-neg-handbuilt', 5);
    expect(r.verdict).toBe('proved');
    const cert = r.certificate as Certificate;
    expect(cert.minLength).toBe(5);
    const outcome = checkCertificate(cert, readCheckpoint(file('parity-lrnn-neg-handbuilt')), sha256OfFile(file('parity-lrnn-neg-handbuilt')));
    expect(outcome).toEqual({ valid: true, reason: expect.stringMatching(/length >= 5/) as unknown as string });
  });

  it('proves the trained rnn-tanh from length 6 on with a block certificate (boxes from length max(j, 6)) that the checker accepts, and refuses one too costly to check', () => {
    const r = ask('parity-rnn-tanh-trained', 6, 138_000);
    expect(r.verdict).toBe('proved');
    expect(r.proof).toBe('block-invariant');
    const cert = r.certificate as BlockCertificate;
    expect(cert.minLength).toBe(6);
    const ckpt = readCheckpoint(file('parity-rnn-tanh-trained'));
    const sha = sha256OfFile(file('parity-rnn-tanh-trained'));
    expect(checkBlockCertificate(cert, ckpt, sha).valid).toBe(true);
    // A minimum length whose base has 2^43 words is refused before any work.
    const huge = checkBlockCertificate({ ...cert, minLength: 40 }, ckpt, sha);
    expect(huge.valid).toBe(false);
    expect(huge.reason).toMatch(/B1: 2\^/);
  });

  it('notes a counterexample shorter than the training lengths, and a task other than the checkpoint\'s', () => {
    const trained = readCheckpoint(file('parity-lrnn-neg-trained'));
    const withTraining: Checkpoint = { ...pos, training: { ...trained.training!, trainLengths: { min: 3, max: 40 } } };
    const r = ask('parity-lrnn-pos-handbuilt', 1, 3000, withTraining);
    expect(r.counterexample?.length).toBe(2);
    expect(r.notes.join('\n')).toMatch(/shorter than the checkpoint's training lengths 3\.\.40; --min-len 3/);
    expect(ask('parity-lrnn-pos-handbuilt', 3, 3000, withTraining).notes).toEqual([]);
    expect(ask('parity-lrnn-pos-handbuilt', 1, 3000, pos, parseTask('tomita1')).notes.join('\n')).toMatch(/trained on 'parity', not on 'tomita1'/);
  });

  it('times every decider, in order, and says at once why one is skipped', () => {
    const r = ask('parity-lrnn-neg-handbuilt', 1, 3000);
    const names = r.deciders.map((d) => d.name);
    expect(names[0]).toBe('exhaustive');
    expect(r.deciders.reduce((t, d) => t + d.seconds, 0)).toBeLessThanOrEqual(r.seconds + 1e-3);
    // With --min-len 20 the block invariant's base (every parity word shorter than 20 + j) passes its cap.
    const long = verifyAllLengths({ checkpoint: readCheckpoint(file('parity-lrnn-neg-handbuilt')), checkpointFile: file('parity-lrnn-neg-handbuilt'), task: parseTask('parity'), format: null, minLength: 20, budget: 0.02, clock: workClock() });
    const block = long.deciders.find((d) => d.name === 'block-invariant');
    expect(block?.outcome).toMatch(/^skipped: with --min-len 20 the words it must check first number more than/);
    expect(block?.seconds).toBeLessThan(0.01);
  });
});
