import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'eigenstate-construct-'));

describe('eigenstate construct', () => {
  it('writes the lrnn-pd checkpoint of s3 that verify --all-lengths proves at fp32 and bf16 with a checked certificate, and extract turns back into S3', async () => {
    const dir = fresh();
    const ckpt = join(dir, 's3.json');
    const made = await runCli('construct', 's3', '--model', 'lrnn-pd', '--out', ckpt, '--json');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ family: 'lrnn-pd', task: 's3', state: 9, prove: `eigenstate verify s3 --checkpoint ${ckpt} --all-lengths --format fp32` });
    for (const format of ['fp32', 'bf16']) {
      const cert = join(dir, `${format}.cert.json`);
      const r = await runCli('verify', 's3', '--checkpoint', ckpt, '--all-lengths', '--work', '60000', '--format', format, '--certificate', cert, '--json');
      expect({ format, code: r.code }).toEqual({ format, code: 0 });
      expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'proved', format });
      expect((await runCli('check-certificate', cert, ckpt)).code).toBe(0);
    }
    // The checker is not a rubber stamp: move one state of one box and the certificate is rejected.
    const cert = JSON.parse(readFileSync(join(dir, 'fp32.cert.json'), 'utf8')) as { states: { lo: number[]; hi: number[] }[] };
    cert.states[1].lo[0] += 0.5;
    cert.states[1].hi[0] += 0.5;
    writeFileSync(join(dir, 'moved.cert.json'), JSON.stringify(cert));
    expect((await runCli('check-certificate', join(dir, 'moved.cert.json'), ckpt)).code).toBe(1);
    const x = await runCli('extract', ckpt, '--method', 'exact', '--format', 'bf16', '--out', join(dir, 'x'), '--samples', '5', '--json');
    expect(x.code).toBe(0);
    expect(JSON.parse(x.stdout)).toMatchObject({ states: 6, reference: { verdict: { equal: true } } });
  });

  it('builds an automaton file, and verify --all-lengths and check-certificate take the same file as the task', async () => {
    const dir = fresh();
    const dfa = join(dir, 'mod3.json');
    expect((await runCli('task', 'show', 'mod:m=3', '--json', '--out', dfa)).code).toBe(0);
    const ckpt = join(dir, 'm.json');
    const made = await runCli('construct', dfa, '--model', 'lrnn-pd', '--out', ckpt);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('1 track over 3 points');
    expect(made.stdout).toContain(`prove it: eigenstate verify ${dfa} --checkpoint ${ckpt} --all-lengths --format fp32`);
    const proved = await runCli('verify', dfa, '--checkpoint', ckpt, '--all-lengths', '--work', '60000', '--format', 'fp32', '--certificate', join(dir, 'm.mod3.fp32.cert.json'), '--json');
    expect(proved.code).toBe(0);
    const r = JSON.parse(proved.stdout) as { verdict: string; certificate: string };
    expect(r.verdict).toBe('proved');
    expect(r.certificate).toBe(join(dir, 'm.mod3.fp32.cert.json'));
    expect((await runCli('check-certificate', r.certificate, ckpt)).code).toBe(0);
    // the file is the task: a different automaton in its place and the certificate no longer checks
    expect((await runCli('task', 'show', 'mod:m=4', '--json', '--out', dfa, '--force')).code).toBe(0);
    expect((await runCli('check-certificate', r.certificate, ckpt)).code).toBe(1);
  });

  it('writes the two-layer deltanet-neg checkpoint of s3 (one reflection per step) that verify proves at fp32 with a checked certificate and extract turns back into S3', async () => {
    const dir = fresh();
    const ckpt = join(dir, 'h.json');
    const made = await runCli('construct', 's3', '--model', 'deltanet-neg', '--out', ckpt, '--json');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ family: 'deltanet-neg', state: 6, prove: `eigenstate verify s3 --checkpoint ${ckpt} --all-lengths --format fp32` });
    const cert = join(dir, 'fp32.cert.json');
    const r = await runCli('verify', 's3', '--checkpoint', ckpt, '--all-lengths', '--work', '60000', '--format', 'fp32', '--certificate', cert, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'proved', format: 'fp32' });
    expect((await runCli('check-certificate', cert, ckpt)).code).toBe(0);
    const x = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fp32', '--out', join(dir, 'x'), '--samples', '5', '--json');
    expect(x.code).toBe(0);
    expect(JSON.parse(x.stdout)).toMatchObject({ states: 6, reference: { verdict: { equal: true } } });
    const bad = await runCli('construct', 's5', '--model', 'deltanet-neg', '--out', join(dir, 's5.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("S3's word problems only");
  });

  it('refuses to overwrite, and says why an automaton is out of the family', async () => {
    const dir = fresh();
    const ckpt = join(dir, 'p.json');
    expect((await runCli('construct', 'parity', '--model', 'lrnn-pd', '--out', ckpt)).code).toBe(0);
    const again = await runCli('construct', 'parity', '--model', 'lrnn-pd', '--out', ckpt);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    const bad = await runCli('construct', 'tomita1', '--model', 'lrnn-pd', '--out', join(dir, 't.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a permutation automaton');
  });
});
