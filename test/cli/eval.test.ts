// eval --format runs a checkpoint in the exact executor; a verify witness checkpoint records the format it
// is exact at, and eval warns when it is run anywhere else.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-eval-'));

describe('eval --format and witness checkpoints', () => {
  it('a witness records its format, is perfect there in the exact executor, and eval warns elsewhere', async () => {
    const file = join(dir, 'w.json');
    const v = await runCli('verify', 'parity', '--model', 'lrnn-neg', '--format', 'fixed<2,4>', '--words', 'all', '--max-len', '6', '--checkpoint-out', file);
    expect(v.code).toBe(0);
    const ckpt = JSON.parse(readFileSync(file, 'utf8')) as { exactAt: string; origin: string };
    expect(ckpt.exactAt).toBe('fixed<2,4>');
    expect(ckpt.origin).toContain('checked on every word up to length 6; exact at fixed<2,4> only');
    const exact = await runCli('eval', file, '--format', 'fixed<2,4>', '--lengths', '1:6', '--buckets', '2', '--samples-per-bucket', '20', '--json');
    expect(exact.code).toBe(0);
    expect(exact.stderr).toBe('');
    expect(JSON.parse(exact.stdout)).toMatchObject({ backend: 'exact', format: 'fixed<2,4>', accuracy: 1 });
    const other = await runCli('eval', file, '--format', 'fp32', '--lengths', '1:6', '--buckets', '1', '--samples-per-bucket', '4');
    expect(other.stderr).toContain(`warning: ${file} is exact at fixed<2,4> only; at fp32 it is a different model`);
    const float = await runCli('eval', file, '--lengths', '1:6', '--buckets', '1', '--samples-per-bucket', '4', '--backend', 'cpu');
    expect(float.code).toBe(0);
    expect(float.stderr).toContain("run in tfjs float32 it is a different model (use --format 'fixed<2,4>')");
  }, 60000);

  it('a unary-words witness says in its origin that it is checked on 1^k only', async () => {
    const file = join(dir, 'u.json');
    const v = await runCli('verify', 'parity', '--model', 'lrnn-neg', '--format', 'fixed<2,4>', '--max-len', '5', '--checkpoint-out', file);
    expect(v.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).origin).toContain('checked on 1^k, k = 0..5 only (unary words)');
  });
});
