import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointToJsonText } from '../../src/models/checkpoint.js';
import { initWeights } from '../../src/models/init.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-allengths-'));
const NEG = 'specs/checkpoints/parity-lrnn-neg-handbuilt.json';
const POS = 'specs/checkpoints/parity-lrnn-pos-handbuilt.json';

describe('verify --all-lengths, run and check-certificate', () => {
  it('proves, writes the certificate atomically, refuses to overwrite it, and the checker accepts it', async () => {
    const cert = join(dir, 'neg.cert.json');
    const r = await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--work', '60000', '--format', 'bf16', '--certificate', cert, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { verdict: string; format: string; certificate: string; counterexample: unknown };
    expect(out).toMatchObject({ verdict: 'proved', format: 'bf16', certificate: cert, counterexample: null });
    expect(existsSync(cert)).toBe(true);
    const again = await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--work', '60000', '--format', 'bf16', '--certificate', cert);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);
    const check = await runCli('check-certificate', cert, NEG);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^valid/);
    // The same certificate is not one for the lrnn-pos checkpoint.
    const other = await runCli('check-certificate', cert, POS);
    expect(other.code).toBe(1);
    const broken = join(dir, 'broken.cert.json');
    writeFileSync(broken, readFileSync(cert, 'utf8').replace('"version":1', '"version":7'));
    const bad = await runCli('check-certificate', broken, NEG);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.cert\.json.*version/);
  });

  it('proves the trained rnn-tanh at fp32 with a block certificate that check-certificate accepts, and rejects once a box is shrunk', async () => {
    const TANH = 'specs/checkpoints/parity-rnn-tanh-trained.json';
    const cert = join(dir, 'tanh.cert.json');
    const r = await runCli('verify', 'parity', '--checkpoint', TANH, '--all-lengths', '--work', '60000', '--certificate', cert, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'proved', format: 'fp32', proof: 'block-invariant', certificate: cert });
    const written = JSON.parse(readFileSync(cert, 'utf8')) as { kind: string; block: number; states: { lo: number[]; hi: number[] }[] };
    expect(written).toMatchObject({ kind: 'blocks', block: 4 });
    const check = await runCli('check-certificate', cert, TANH);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^valid: all 32 boxes \(block 4\)/);
    const s = written.states[0];
    s.hi = s.lo.map((v) => v);
    const shrunk = join(dir, 'tanh-shrunk.cert.json');
    writeFileSync(shrunk, JSON.stringify(written));
    const bad = await runCli('check-certificate', shrunk, TANH);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^invalid: B[12]/);
  });

  it('refutes with exit 1 and the documented JSON shape; run replays the word', async () => {
    const r = await runCli('verify', 'parity', '--checkpoint', POS, '--all-lengths', '--work', '60000', '--json', '--certificate', join(dir, 'pos.cert.json'));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { verdict: string; counterexample: { prefix: string; loop: string; power: number; length: number; model: string; expected: string } };
    expect(out.verdict).toBe('refuted');
    expect(out.counterexample).toMatchObject({ prefix: '11', loop: '', power: 1, length: 2, model: 'accept', expected: 'reject' });
    const run = await runCli('run', POS, '11', '--format', 'fp32', '--json');
    expect(run.code).toBe(1); // the model is wrong on the word: a checked claim that is false
    expect(JSON.parse(run.stdout)).toMatchObject({ model: 'accept', expected: 'reject', agrees: false });
    const lasso = await runCli('run', NEG, '1(0)^1000', '--format', 'fp32');
    expect(lasso.stdout).toMatch(/length 1001\) at fp32: accept \(the task agrees\)/);
  });

  it('says unknown with exit 3 when the budget cannot decide', async () => {
    const r = await runCli('verify', 'parity', '--checkpoint', 'specs/checkpoints/parity-deltanet-neg-trained.json', '--all-lengths', '--work', '20', '--certificate', join(dir, 'dn.cert.json'));
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^unknown:/);
    expect(r.stdout).toMatch(/every non-empty word up to length \d+ checked/);
  });

  it('exits 2 for a transformer, a bad word and conflicting options', async () => {
    const config = familyConfig('transformer');
    const file = join(dir, 'transformer.json');
    writeFileSync(file, checkpointToJsonText({ config, task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] }, training: null, origin: 'test', weights: initWeights(config, new Rng(1)) }));
    const t = await runCli('verify', 'parity', '--checkpoint', file, '--all-lengths', '--work', '60000', '--certificate', join(dir, 't.cert.json'));
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/transformer.*out of scope/);
    const w = await runCli('run', NEG, '1(2)^3', '--format', 'fp32');
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/symbol '2'/);
    const both = await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--real', '--format', 'fp32');
    expect(both.code).toBe(2);
    expect((await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--min-len', '0')).code).toBe(2);
    expect((await runCli('verify', 'parity', '--checkpoint', NEG, '--min-len', '3')).stderr).toMatch(/--min-len: only with --all-lengths/);
  });

  it('--min-len: the verdict, the certificate and the JSON say N; the deciders and the notes are printed', async () => {
    const cert = join(dir, 'neg-min5.cert.json');
    const r = await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--work', '60000', '--min-len', '5', '--certificate', cert);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^proved: .* is right on every word of length 5 or more/);
    expect(r.stdout).toMatch(/\ndeciders: exhaustive [\d.]+ s, \d+ units \(/);
    expect((JSON.parse(readFileSync(cert, 'utf8')) as { minLength: number }).minLength).toBe(5);
    expect((await runCli('check-certificate', cert, NEG)).stdout).toMatch(/^valid: .*length >= 5/);
    const pos = await runCli('verify', 'tomita1', '--checkpoint', POS, '--all-lengths', '--work', '60000', '--min-len', '4', '--json', '--certificate', join(dir, 'pos-min4.cert.json'));
    const out = JSON.parse(pos.stdout) as { minLength: number; notes: string[]; deciders: { name: string; seconds: number; work: number; outcome: string }[]; counterexample: { length: number }; work: number };
    expect(out.minLength).toBe(4);
    // The work units per decider add up to the run's (what --work counts).
    expect(out.work).toBeGreaterThan(0);
    expect(out.deciders.reduce((n, d) => n + d.work, 0)).toBe(out.work);
    expect(out.counterexample.length).toBeGreaterThanOrEqual(4);
    expect(out.notes).toEqual([expect.stringMatching(/trained on 'parity', not on 'tomita1'/)]);
    expect(out.deciders[0]).toMatchObject({ name: 'exhaustive', outcome: 'refuted' });
  });
});
