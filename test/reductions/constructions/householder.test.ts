import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/errors.js';
import { checkAgainstReference, type ExactCheck } from '../../../src/extract/exact.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { constructCheckpoint, provingFormat } from '../../../src/reductions/constructions/construct.js';
import { householderS3Checkpoint } from '../../../src/reductions/constructions/householder.js';
import { parseTask } from '../../../src/tasks/catalogue.js';

/** The exact search of every reachable (model state, task state) pair of the construction at a format. */
function search(name: string, format: string, maxStates = 100_000): ExactCheck {
  const task = parseTask(name);
  const ckpt = constructCheckpoint(task, 'deltanet-neg');
  return checkAgainstReference(checkpointMachine(ckpt, parseFormat(format)), task.reference!, { maxStates, seconds: 600 });
}

describe('S3 as products of Householder reflections (P3 Thm 3, deltanet-neg)', () => {
  it.each(['s3', 's3-identity', 's3-gen-identity'])('%s: exactly right on every word at bf16, fixed<4,8> and fixed<5,16>', (name) => {
    for (const format of ['bf16', 'fixed<4,8>', 'fixed<5,16>']) {
      expect({ format, verdict: search(name, format).verdict }).toEqual({ format, verdict: { equal: true } });
    }
  });

  it('is two layers of one reflection per step: every second-layer key is ±(e_p − e_q), a transposition', () => {
    const ckpt = householderS3Checkpoint(parseTask('s3'));
    expect(ckpt.config).toMatchObject({ family: 'deltanet-neg', layers: 2, state: 3, heads: 1, output: 'every', width: 20, mlp: 12 });
    const wk = ckpt.weights['l1.mix.wk'];
    const keys: number[][] = [];
    for (let row = 0; row < wk.shape[0]; row++) {
      const key = Array.from(wk.data.slice(row * 3, row * 3 + 3));
      if (key.some((x) => x !== 0)) keys.push(key);
    }
    // one key per (letter, parity): 12, each with one +R and one −R
    expect(keys).toHaveLength(12);
    for (const key of keys) expect([...key].sort((a, b) => a - b)).toEqual([-64, 0, 64]);
    expect(provingFormat('deltanet-neg')).toBe('bf16');
  });

  it('is wrong where the format cannot absorb the rounded 1/√2: a counterexample at fixed<4,6>, and no closed search at fp32', () => {
    const coarse = search('s3', 'fixed<4,6>');
    expect(coarse.verdict).toMatchObject({ equal: false });
    // fp32: the residues of the near-swap keep producing new states; no counterexample within the cap.
    const fine = search('s3-gen-identity', 'fp32', 3000);
    expect(fine.verdict).toBeNull();
    expect(fine.stopped).toBe('cap');
    expect(fine.checkedLength).toBeGreaterThanOrEqual(8);
  });

  it('refuses a task outside S3', () => {
    expect(() => constructCheckpoint(parseTask('s5'), 'deltanet-neg')).toThrow(InputError);
    expect(() => constructCheckpoint(parseTask('parity'), 'deltanet-neg')).toThrow(/S3's word problems only/);
  });
});
