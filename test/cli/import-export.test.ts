import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-cli-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ckpt = 'specs/checkpoints/parity-rnn-tanh-trained.json';

describe('eigenstate import / export', () => {
  test('export then import writes the same checkpoint file, byte for byte', async () => {
    const out = join(dir, 'rt');
    const exp = await runCli('export', ckpt, '--out', out);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/wrote .*model\.safetensors \(F32\) and .*config\.json/);
    const back = join(dir, 'rt.json');
    const imp = await runCli('import', out, '--out', back, '--json');
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ family: 'rnn-tanh', layers: 1, width: 16, dtypes: ['F32'], task: 'parity' });
    expect(readFileSync(back, 'utf8')).toBe(readFileSync(ckpt, 'utf8'));
    // nothing is overwritten without --force
    const again = await runCli('import', out, '--out', back);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/rt\.json: file exists \(pass --force to overwrite\)/);
    expect((await runCli('export', ckpt, '--out', out)).code).toBe(2);
  });

  test('a bad model exits 2 with one line naming the file and tensor, and writes nothing', async () => {
    const out = join(dir, 'bad');
    expect((await runCli('export', ckpt, '--out', out, '--dtype', 'bf16')).code).toBe(0);
    const bytes = readFileSync(join(out, 'model.safetensors'));
    writeFileSync(join(out, 'model.safetensors'), bytes.subarray(0, 100));
    const target = join(dir, 'bad.json');
    const r = await runCli('import', out, '--out', target);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\/model\.safetensors: truncated/);
    expect(existsSync(target)).toBe(false);
  });

  test('an unknown dtype name exits 2', async () => {
    const r = await runCli('export', ckpt, '--out', join(dir, 'x'), '--dtype', 'int8');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dtype: 'int8' is not float32, bfloat16 or float16/);
    expect(existsSync(join(dir, 'x', 'model.safetensors'))).toBe(false);
  });
});
