import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/errors.js';
import { checkAgainstReference, type ExactCheck } from '../../../src/extract/exact.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { constructCheckpoint } from '../../../src/reductions/constructions/construct.js';
import { householderS3Checkpoint } from '../../../src/reductions/constructions/householder.js';
import { parseTask } from '../../../src/tasks/catalogue.js';

/** The exact search of every reachable (model state, task state) pair of the construction at a format. */
function search(name: string, format: string, maxStates = 100_000): ExactCheck {
  const task = parseTask(name);
  const ckpt = constructCheckpoint(task, 'deltanet-neg');
  return checkAgainstReference(checkpointMachine(ckpt, parseFormat(format)), task.reference!, { maxStates, seconds: 600 });
}

describe('S3 as products of Householder reflections (P3 Thm 3, deltanet-neg)', () => {
  it.each(['s3', 's3-identity', 's3-gen-identity'])('%s: exactly right on every word at fp32 and bf16 (and s3-gen-identity at fixed<4,8>)', (name) => {
    for (const format of name === 's3-gen-identity' ? ['fp32', 'bf16', 'fixed<4,8>'] : ['fp32', 'bf16']) {
      expect({ format, verdict: search(name, format).verdict }).toEqual({ format, verdict: { equal: true } });
    }
  });

  it('is two layers of one reflection per step: after the first letter every second-layer key is ±(e_p − e_q), a transposition', () => {
    const ckpt = householderS3Checkpoint(parseTask('s3'));
    expect(ckpt.config).toMatchObject({ family: 'deltanet-neg', layers: 2, state: 6, heads: 2, output: 'every', width: 27, mlp: 18 });
    const wk = ckpt.weights['l1.mix.wk'];
    const row = (r: number) => Array.from(wk.data.slice(r * 6, r * 6 + 3));
    // slots 8..19: one key per (letter, parity), each with one +R and one −R
    for (let r = 8; r < 20; r++) expect([...row(r)].sort((a, b) => a - b)).toEqual([-64, 0, 64]);
    // slots 20..25: the first letter's rank-one write of B·1 + z − z·ρ(M_1): every entry near 2^18·2^−12
    for (let r = 20; r < 26; r++) for (const x of row(r)) expect(Math.abs(x - 64)).toBeLessThan(0.01);
    // the second layer's second head is unused
    for (let r = 0; r < 27; r++) expect(Array.from(wk.data.slice(r * 6 + 3, r * 6 + 6))).toEqual([0, 0, 0]);
  });

  it('is wrong where the format cannot absorb the rounded 1/√2 (fixed<4,6>), and fp32 needs the offset start', () => {
    expect(search('s3', 'fixed<4,6>').verdict).toMatchObject({ equal: false });
    // without the first-step flag (its gate at 0: β = 1, so the flag head reads 1 from the first step) the
    // fp32 tracker starts at 0, and the residues of the near-swap keep making new states: no closed search.
    const task = parseTask('s3-gen-identity');
    const ckpt = householderS3Checkpoint(task);
    const plain = { ...ckpt, weights: { ...ckpt.weights, 'l0.mix.cbeta': { shape: [2], data: Float32Array.from([40, 0]) } } };
    const check = checkAgainstReference(checkpointMachine(plain, parseFormat('fp32')), task.reference!, { maxStates: 3000, seconds: 600 });
    expect(check.verdict).toBeNull();
    expect(check.stopped).toBe('cap');
  });

  it('refuses a task outside S3', () => {
    expect(() => constructCheckpoint(parseTask('s5'), 'deltanet-neg')).toThrow(InputError);
    expect(() => constructCheckpoint(parseTask('parity'), 'deltanet-neg')).toThrow(/S3's word problems only/);
  });
});
