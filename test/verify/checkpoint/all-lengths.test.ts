import { describe, expect, it } from '@jest/globals';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyAllLengths } from '../../../src/verify/checkpoint/all-lengths.js';
import { parseLasso } from '../../../src/verify/checkpoint/lasso-word.js';
import { runLasso } from '../../../src/verify/checkpoint/replay.js';

const CKPT = 'specs/checkpoints';
const parity = parseTask('parity');
const ask = (name: string, format: string, budget = 60) =>
  verifyAllLengths({ checkpoint: readCheckpoint(`${CKPT}/${name}.json`), checkpointFile: `${CKPT}/${name}.json`, task: parity, format: format === 'real' ? null : parseFormat(format), budget });

describe('verify --all-lengths', () => {
  it.each(['fp32', 'bf16', 'fixed<2,6>'])('proves the hand-built lrnn-neg parity model at %s, with a certificate', (format) => {
    const r = ask('parity-lrnn-neg-handbuilt', format);
    expect(r.verdict).toBe('proved');
    expect(r.certificate?.states.length).toBe(4);
    expect(r.counterexample).toBeNull();
  });

  it('refutes the hand-built lrnn-pos with the shortest wrong word, 11', () => {
    const r = ask('parity-lrnn-pos-handbuilt', 'fp32');
    expect(r.verdict).toBe('refuted');
    expect(r.counterexample?.text).toBe('11');
    expect(r.counterexample?.method).toBe('exhaustive');
  });

  it('refutes the trained width-32 lrnn-neg at fp32 with a long lasso that the exact executor confirms', () => {
    const r = ask('parity-lrnn-neg-trained', 'fp32');
    expect(r.verdict).toBe('refuted');
    const c = r.counterexample;
    expect(c?.method).toBe('lasso');
    expect(c?.length).toBeGreaterThan(40);
    const ckpt = readCheckpoint(`${CKPT}/parity-lrnn-neg-trained.json`);
    const replay = runLasso(checkpointMachine(ckpt, parseFormat('fp32')), parity.reference!, parseLasso(['0', '1'], c?.text ?? ''));
    expect(replay.got).not.toBe(replay.expected);
  });

  it('over the reals, refutes the hand-built lrnn-neg: its 0-gate is 1 − 6.4e-9, not 1, so 1·0^k forgets the 1', () => {
    const r = ask('parity-lrnn-neg-handbuilt', 'real');
    expect(r.verdict).toBe('refuted');
    const l = r.counterexample?.lasso;
    expect(l?.prefix).toEqual([1]);
    expect(l?.loop).toEqual([0]);
    // ln 2 / 6.4e-9 ≈ 1.08e8: the state 1 decays below the threshold 1/2.
    expect(l?.power).toBeGreaterThan(1.0e8);
    expect(l?.power).toBeLessThan(1.2e8);
  });

  it('says unknown, with a diagnosis, when the budget is too small to decide', () => {
    const r = ask('parity-deltanet-neg-trained', 'fp32', 0.5);
    expect(r.verdict).toBe('unknown');
    expect(r.diagnosis).not.toBeNull();
    expect(r.checkedUpTo).toBeGreaterThan(0);
  });

  it('refuses a non-regular task', () => {
    expect(() =>
      verifyAllLengths({ checkpoint: readCheckpoint(`${CKPT}/parity-lrnn-neg-handbuilt.json`), checkpointFile: `${CKPT}/parity-lrnn-neg-handbuilt.json`, task: parseTask('equality:n=4'), format: parseFormat('fp32'), budget: 5 }),
    ).toThrow(/reference automaton/);
  });
});
