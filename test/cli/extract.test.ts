import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCheckpoint } from '../../src/models/checkpoint.js';
import { dfaRnnCheckpoint } from '../../src/reductions/constructions/dfa-rnn.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { runCli } from './run-cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'eigenstate-extract-'));

describe('eigenstate extract', () => {
  it('learns a task with L* and the exact oracle, writes the five files and a proof', async () => {
    const dir = join(fresh(), 'out');
    const r = await runCli('extract', 'tomita3', '--method', 'lstar', '--out', dir, '--samples', '50');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('result: 5 states; proof:');
    expect(r.stdout).toContain('equals the reference automaton of tomita3 on every word, the empty word included');
    expect(r.stdout).toMatch(/ 1000\s+50\s+1\.0000/);
    for (const f of ['automaton.json', 'automaton.dot', 'automaton.svg', 'report.json', 'report.txt']) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, 'automaton.svg'), 'utf8')).toContain('<svg');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.learning).toMatchObject({ states: 5, guarantee: 'proof' });
    expect(report.learning.membershipQueries).toBeGreaterThan(0);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const dir = fresh();
    expect((await runCli('extract', 'parity', '--out', dir, '--samples', '5')).code).toBe(0);
    const again = await runCli('extract', 'parity', '--out', dir, '--samples', '5');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('file exists (pass --force to overwrite)');
    expect((await runCli('extract', 'parity', '--out', dir, '--samples', '5', '--force')).code).toBe(0);
  });

  it('learns an automaton file with the PAC oracle (stating ε and δ) and a task with the W-method', async () => {
    const base = fresh();
    const file = join(base, 'mod3.json');
    expect((await runCli('task', 'show', 'mod:m=3', '--json', '--out', file)).code).toBe(0);
    const r = await runCli('extract', file, '--oracle', 'pac', '--epsilon', '0.05', '--delta', '0.1', '--out', join(base, 'a'), '--samples', '20', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.states).toBe(3);
    expect(report.learning.guarantee).toBe('pac');
    expect(report.learning.detail).toContain('with probability ≥ 0.9 the hypothesis errs on at most 0.05');
    const b = await runCli('extract', 'tomita5', '--oracle', 'wmethod', '--extra-states', '1', '--out', join(base, 'b'), '--samples', '20');
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('result: 4 states; bounded: all');
    expect(b.stdout).toContain('provided the system has at most 5 states');
  });

  it('proves a checkpoint equal to parity at fp16 by learning, and shows where it departs at fixed<4,8>', async () => {
    const base = fresh();
    const ckpt = join(base, 'parity-rnn.json');
    writeCheckpoint(ckpt, dfaRnnCheckpoint(parseTask('parity')));
    const good = await runCli('extract', ckpt, '--method', 'kv', '--format', 'fp16', '--out', join(base, 'fp16'), '--samples', '20', '--json');
    expect(good.code).toBe(0);
    const report = JSON.parse(good.stdout);
    expect(report.learning.guarantee).toBe('proof');
    expect(report.nonEmptyStates).toBe(2);
    expect(report.reference.verdict).toEqual({ equal: true });
    expect(report.reference.text).toBe('recognises parity on every non-empty input at fp16');
    const bad = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fixed<4,8>', '--out', join(base, 'fx'), '--samples', '20');
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain("does not recognise parity at fixed<4,8>: shortest counterexample '1'");
    expect(bad.stdout).toContain('non-empty words');
  });

  it('--method exact past the cap still refutes a model with its shortest wrong word', async () => {
    const ckpt = fileURLToPath(new URL('../../specs/checkpoints/parity-lrnn-pos-trained.json', import.meta.url));
    const r = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fp8-e4m3', '--max-states', '500', '--out', fresh());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exact extraction: more than 500 states');
    expect(r.stderr).toMatch(/does not recognise parity at fp8-e4m3: shortest counterexample '[01]+'/);
  });

  it('names the bad option value or the missing finite-state system in one line', async () => {
    const dir = fresh();
    const m = await runCli('extract', 'parity', '--method', 'ttt', '--out', dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('expected one of lstar, lstar-mp, kv, exact');
    const e = await runCli('extract', 'anbn', '--oracle', 'exact', '--out', dir);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toContain('anbn: --oracle exact needs a finite-state system');
  });
});
