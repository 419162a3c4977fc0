import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCheckpoint } from '../../src/models/checkpoint.js';
import { parityLrnn } from '../fixtures/handbuilt.js';
import { runCli } from './run-cli.js';

describe('eigenstate verify', () => {
  it('answers sat for lrnn-neg on parity and writes the witness and the SMT-LIB query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-verify-'));
    const witness = join(dir, 'w.json');
    const smt2 = join(dir, 'q.smt2');
    const r = await runCli('verify', 'parity', '--model', 'lrnn-neg', '--max-len', '6', '--witness', witness, '--smt2', smt2, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('sat');
    expect(out.bounds).toMatchObject({ task: 'parity', modelClass: 'lrnn-neg', dim: 1, maxLen: 6 });
    expect(JSON.parse(readFileSync(witness, 'utf8')).format).toBe('fixed<2,4>');
    expect(readFileSync(smt2, 'utf8')).toContain('(check-sat)');
  });

  it('--unbounded prints the cycle lemma as a proof whose step names its query', async () => {
    const r = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--unbounded', '--cycle', '2', '--format', 'fixed<2,2>');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('step 1: query cycle(lrnn-pos, dim 1, fixed<2,2>, L = 2): unsat');
    expect(r.stdout).toContain('proved');
  });

  it('refuses an unsupported class in one line', async () => {
    const r = await runCli('verify', 'parity', '--model', 'transformer');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("'transformer'");
  });

  it('requires exactly one of --model and --checkpoint', async () => {
    const r = await runCli('verify', 'parity');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give exactly one of --model CLASS and --checkpoint FILE');
  });

  it('--checkpoint proves a hand-built lrnn-neg is parity on every length and refutes lrnn-pos', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-verify-ckpt-'));
    const neg = join(dir, 'neg.json');
    const pos = join(dir, 'pos.json');
    writeCheckpoint(neg, parityLrnn('lrnn-neg'));
    writeCheckpoint(pos, parityLrnn('lrnn-pos'));
    const proved = await runCli('verify', 'parity', '--checkpoint', neg, '--format', 'fixed<2,6>', '--json');
    expect(proved.code).toBe(0);
    expect(JSON.parse(proved.stdout)).toMatchObject({ verdict: 'holds', allLengths: true });
    const refuted = await runCli('verify', 'parity', '--checkpoint', pos, '--format', 'bf16', '--max-len', '16');
    expect(refuted.code).toBe(1);
    expect(refuted.stdout).toContain('fails: lrnn-pos on parity at bf16');
    expect(refuted.stdout).toMatch(/shortest wrong word: '[01]+'/);
  });
});
