import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCheckpoint } from '../../src/models/checkpoint.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { plainConfig, randomCheckpoint } from '../../src/reductions/constructions/build.js';
import { runCli } from './run-cli.js';

describe('eigenstate reduce', () => {
  it('--model: rules a class out when d·p < D→ (exit 1) and says why, not otherwise (exit 0)', async () => {
    const out = await runCli('reduce', '--task', 'equality', '--n', '10', '--model', 'lrnn-neg', '--dim', '2', '--format', 'fixed<2,2>');
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('ruled out: d·p = 2 components × 4 bits (fixed<2,2>) = 8 bits < D→(EQ_10) = 10');
    const ok = await runCli('reduce', '--task', 'equality', '--n', '10', '--model', 'lrnn-neg', '--dim', '3', '--format', 'fixed<2,2>', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).verdict).toMatchObject({ kind: 'not-ruled-out', messageBits: 12, lowerBound: 10 });
  });

  it('CKPT: finds, prints and writes a collision certificate for a too-small lrnn on EQ_8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-reduce-'));
    const task = parseTask('equality:n=8');
    const file = join(dir, 'lrnn.json');
    writeCheckpoint(file, randomCheckpoint(plainConfig('lrnn-neg', task, 4, 1), task, new Rng(5)));
    const cert = join(dir, 'cert.json');
    const r = await runCli('reduce', file, '--format', 'fixed<2,2>', '--certificate', cert);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('state 1 values × 4 bits = 4 bits');
    expect(r.stdout).toContain('collision certificate');
    const c = JSON.parse(readFileSync(cert, 'utf8'));
    expect(c.function).toBe('EQ_8');
    expect(c.got[0]).toBe(c.got[1]);
    expect(c.expected[0]).not.toBe(c.expected[1]);
  });

  it('refuses --model without --task and a checkpoint with --model', async () => {
    const a = await runCli('reduce', '--model', 'lrnn-neg');
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--task is required');
    const b = await runCli('reduce', '--task', 'equality', '--n', '4', '--model', 'rnn-relu');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("unknown model class 'rnn-relu'");
  });
});
