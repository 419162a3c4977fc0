import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, readCheckpoint, writeCheckpoint } from '../../../src/models/checkpoint.js';
import { initWeights } from '../../../src/models/init.js';
import { Rng } from '../../../src/random.js';
import { workClock } from '../../../src/clock.js';
import { familyConfig } from '../../fixtures/handbuilt.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyAllLengths } from '../../../src/verify/checkpoint/all-lengths.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { sha256OfFile } from '../../../src/verify/certificate/check.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { parseLasso } from '../../../src/verify/checkpoint/lasso-word.js';
import { runLasso } from '../../../src/verify/checkpoint/replay.js';

const CKPT = 'specs/checkpoints';
const parity = parseTask('parity');
// A work clock, not the wall clock: no load on the machine can change a verdict asserted here. Each budget
// is in work units (src/clock.ts), about 3x the least that gives the verdict asserted (measured).
const ask = (name: string, format: string, work: number) =>
  verifyAllLengths({ checkpoint: readCheckpoint(`${CKPT}/${name}.json`), checkpointFile: `${CKPT}/${name}.json`, task: parity, format: format === 'real' ? null : parseFormat(format), budget: work / 1000, clock: workClock() });

describe('verify --all-lengths', () => {
  it.each(['fp32', 'bf16', 'fixed<2,6>'])('proves the hand-built lrnn-neg parity model at %s, with a certificate', (format) => {
    const r = ask('parity-lrnn-neg-handbuilt', format, 3000);
    expect(r.verdict).toBe('proved');
    expect(r.certificate?.states.length).toBe(4);
    expect(r.counterexample).toBeNull();
  });

  it('refutes the hand-built lrnn-pos with the shortest wrong word, 11', () => {
    const r = ask('parity-lrnn-pos-handbuilt', 'fp32', 1000);
    expect(r.verdict).toBe('refuted');
    expect(r.counterexample?.text).toBe('11');
    expect(r.counterexample?.method).toBe('exhaustive');
  });

  it('refutes the trained width-32 lrnn-neg at fp32 with a long lasso that the exact executor confirms', () => {
    const r = ask('parity-lrnn-neg-trained', 'fp32', 5000);
    expect(r.verdict).toBe('refuted');
    const c = r.counterexample;
    expect(c?.method).toBe('lasso');
    expect(c?.length).toBeGreaterThan(40);
    const ckpt = readCheckpoint(`${CKPT}/parity-lrnn-neg-trained.json`);
    const replay = runLasso(checkpointMachine(ckpt, parseFormat('fp32')), parity.reference!, parseLasso(['0', '1'], c?.text ?? ''));
    expect(replay.got).not.toBe(replay.expected);
  });

  it('over the reals, refutes the hand-built lrnn-neg: its 0-gate is 1 − 6.4e-9, not 1, so 1·0^k forgets the 1', () => {
    const r = ask('parity-lrnn-neg-handbuilt', 'real', 64_000);
    expect(r.verdict).toBe('refuted');
    const l = r.counterexample?.lasso;
    expect(l?.prefix).toEqual([1]);
    expect(l?.loop).toEqual([0]);
    // ln 2 / 6.4e-9 ≈ 1.08e8: the state 1 decays below the threshold 1/2.
    expect(l?.power).toBeGreaterThan(1.0e8);
    expect(l?.power).toBeLessThan(1.2e8);
  });

  it('says unknown, with a diagnosis, when the budget is too small to decide', () => {
    const r = ask('parity-deltanet-neg-trained', 'fp32', 20);
    expect(r.verdict).toBe('unknown');
    expect(r.diagnosis).not.toBeNull();
    expect(r.checkedUpTo).toBeGreaterThan(0);
  });

  it.each(['lrnn-complex', 'lstm', 'deltanet-neg'] as const)('decides a multi-class task (s3) for a two-layer %s with MLPs and norms, at fp32 and over the reals', (family) => {
    const task = parseTask('s3');
    const ref = task.reference!;
    const config = { ...familyConfig(family, { layers: 2, mlp: 4, norm: 'rms' }), vocab: ref.alphabet.length, classes: ref.classes.length };
    const checkpoint: Checkpoint = { config, task: { name: task.name, alphabet: [...ref.alphabet], classes: [...ref.classes] }, training: null, origin: 'test', weights: initWeights(config, new Rng(5)) };
    const file = join(mkdtempSync(join(tmpdir(), 'eigenstate-s3-')), 'm.json');
    writeCheckpoint(file, checkpoint);
    for (const format of [parseFormat('fp32'), null]) {
      const r = verifyAllLengths({ checkpoint, checkpointFile: file, task, format, budget: 30, clock: workClock() });
      expect(r.verdict).toBe('refuted');
      const l = r.counterexample!.lasso;
      if (format !== null) {
        const replay = runLasso(checkpointMachine(checkpoint, format), ref, l);
        expect(ref.classes[replay.got]).toBe(r.counterexample?.model);
      }
    }
  });

  it.each(['fp32', 'real'])('proves the trained rnn-tanh at %s by a block invariant followed with zonotopes, which the independent checker accepts', (format) => {
    const r = ask('parity-rnn-tanh-trained', format, 110_000);
    expect(r.verdict).toBe('proved');
    expect(r.proof).toBe('block-invariant');
    const cert = r.certificate as BlockCertificate;
    expect(cert.kind).toBe('blocks');
    expect(cert.block).toBe(4);
    expect(cert.states).toHaveLength(32);
    const file = `${CKPT}/parity-rnn-tanh-trained.json`;
    expect(checkBlockCertificate(cert, readCheckpoint(file), sha256OfFile(file)).valid).toBe(true);
    // The same boxes one block shorter are not inductive: the checker must say so.
    const shorter = { ...cert, block: 3, states: cert.states.map((s) => ({ ...s, suffix: s.suffix.slice(1) })) };
    expect(checkBlockCertificate(shorter, readCheckpoint(file), sha256OfFile(file)).valid).toBe(false);
  });

  it('refutes a width-32 rnn-tanh whose sampled accuracy is 1.0000 at 1(0)^44, by a lasso', () => {
    const r = ask('parity-rnn-tanh-w32-trained', 'fp32', 3000);
    expect(r.verdict).toBe('refuted');
    expect(r.counterexample?.text).toBe('1(0)^44');
  });

  it('over the reals, refutes the width-32 rnn-tanh at 1(0)^44: the fp32 lasso, certified with zonotopes', () => {
    const r = ask('parity-rnn-tanh-w32-trained', 'real', 3000);
    expect(r.verdict).toBe('refuted');
    expect(r.counterexample?.text).toBe('1(0)^44');
    expect(r.counterexample?.method).toBe('zonotope');
  });

  it('shares the budget: a two-layer rnn-tanh (the checker\'s zonotope step) leaves the block invariant half of what the box invariant may use; every unit is counted per decider', () => {
    const r = ask('parity-rnn-tanh-deadlayer', 'fp32', 2000);
    expect(r.verdict).toBe('unknown');
    const [inv, block] = ['invariant', 'block-invariant'].map((name) => r.deciders.find((d) => d.name === name));
    expect(block?.outcome).toBe('out of budget');
    expect(block?.work).toBeGreaterThan(0);
    expect(Math.abs((inv?.work ?? 0) - (block?.work ?? 0))).toBeLessThanOrEqual(64);
    expect(r.deciders.reduce((n, d) => n + d.work, 0)).toBe(r.work);
    expect(r.work).toBeGreaterThanOrEqual(2000);
  });

  it('refuses a non-regular task', () => {
    expect(() =>
      verifyAllLengths({ checkpoint: readCheckpoint(`${CKPT}/parity-lrnn-neg-handbuilt.json`), checkpointFile: `${CKPT}/parity-lrnn-neg-handbuilt.json`, task: parseTask('equality:n=4'), format: parseFormat('fp32'), budget: 5, clock: workClock() }),
    ).toThrow(/reference automaton/);
  });
});
