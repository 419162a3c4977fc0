import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, writeCheckpoint } from '../../src/models/checkpoint.js';
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

  it('--strategy full solves every word at once; the lazy default says how many words its proof needed', async () => {
    const full = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--max-len', '8', '--strategy', 'full', '--engine', 'z3', '--json');
    expect(full.code).toBe(0);
    const out = JSON.parse(full.stdout);
    expect(out.verdict).toBe('unsat');
    expect(out.bounds).toMatchObject({ strategy: 'full', rounds: 1, subsetWords: 9, wordCount: 9 });
    const lazy = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--max-len', '8', '--engine', 'z3');
    expect(lazy.code).toBe(0);
    expect(lazy.stdout).toMatch(/^lazy word sets: \d+ solver calls?, the last on \d+ of 9 words \(its unsat is the proof/m);
    const bad = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--strategy', 'eager', '--engine', 'z3');
    expect(bad.code).toBe(2);
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

describe('eigenstate verify --checkpoint-out', () => {
  it('writes an lrnn-neg witness as a checkpoint that verify --checkpoint and extract --method exact accept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-verify-out-'));
    const ckpt = join(dir, 'neg.json');
    // All words up to length 3, so the checkpoint is right on every one of them, not only on 1^k.
    const r = await runCli('verify', 'parity', '--model', 'lrnn-neg', '--words', 'all', '--max-len', '3', '--checkpoint-out', ckpt);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`checkpoint: ${ckpt}`);
    const loaded = readCheckpoint(ckpt);
    expect(loaded.config.family).toBe('lrnn-neg');
    expect(loaded.task.name).toBe('parity');
    const checked = await runCli('verify', 'parity', '--checkpoint', ckpt, '--format', 'fixed<2,4>', '--max-len', '3', '--json');
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout).verdict).toBe('holds');
    const extracted = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fixed<2,4>', '--samples', '20', '--out', join(dir, 'neg-extract'));
    expect(extracted.code).toBe(0);
  });

  it('writes an lrnn-pos witness that loads and that eval runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-verify-out-'));
    const ckpt = join(dir, 'pos.json');
    // A small instance (ε rejected, 1 accepted): the witness-to-checkpoint path, not Z3, is under test here.
    const r = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--max-len', '1', '--checkpoint-out', ckpt, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'sat', checkpoint: ckpt });
    expect(readCheckpoint(ckpt).config).toMatchObject({ family: 'lrnn-pos', state: 1 });
    const evaluated = await runCli('eval', ckpt, '--lengths', '1:8', '--buckets', '1', '--samples-per-bucket', '10', '--backend', 'cpu');
    expect(evaluated.code).toBe(0);
  });

  it('refuses --checkpoint-out for lrnn-real in one line, before solving', async () => {
    const r = await runCli('verify', 'parity', '--model', 'lrnn-real', '--checkpoint-out', join(tmpdir(), 'never.json'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no trainable model family');
  });
});

describe('eigenstate verify, the classes without a model family', () => {
  it('answers sat for rnn-relu on parity and lists the new classes in --help', async () => {
    const r = await runCli('verify', 'parity', '--model', 'rnn-relu', '--max-len', '6', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'sat', witness: { relu: true, product: { kind: 'relu' } } });
    const help = await runCli('verify', '--help');
    for (const name of ['perm-diag', 'deltaproduct-neg-K', 'rnn-relu']) expect(help.stdout).toContain(name);
  });

  it('refuses --checkpoint-out for deltaproduct-neg-2 in one line', async () => {
    const r = await runCli('verify', 'parity', '--model', 'deltaproduct-neg-2', '--checkpoint-out', join(tmpdir(), 'never.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deltaproduct-neg-2 has no trainable model family');
  });
});
