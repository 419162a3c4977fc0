// The JAX half of the interop tour (README): python/train_parity.py trains and exports, `eigenstate import`
// reads the folder, `verify --all-lengths` decides it. The committed JAX models are what the
// allengths-jax-* specs verify; a fresh short training run checks the whole path end to end.
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { PYTHON, pythonReferenceAvailable } from './python-ref.js';

const available = pythonReferenceAvailable('jax-checkpoints.test.ts');
const dir = mkdtempSync(join(tmpdir(), 'eigenstate-jax-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('models trained in JAX', () => {
  test.each(['lrnn-neg', 'rnn-tanh'])('specs/checkpoints/parity-%s-jax.json is the import of the JAX export beside it', async (family) => {
    const out = join(dir, `${family}.json`);
    const r = await runCli('import', `specs/checkpoints/jax/parity-${family}`, '--out', out);
    expect(r.code).toBe(0);
    const committed = JSON.parse(readFileSync(`specs/checkpoints/parity-${family}-jax.json`, 'utf8')) as { origin: string };
    expect(committed.origin).toMatch(/^trained in JAX/);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(`specs/checkpoints/parity-${family}-jax.json`, 'utf8'));
  });

  (available ? test : test.skip)('train_parity.py -> import -> verify --all-lengths refutes a 30-step model with a replayed word', async () => {
    const model = join(dir, 'trained');
    execFileSync(PYTHON, ['python/train_parity.py', '--family', 'lrnn-neg', '--steps', '30', '--seed', '1', '--out', model], {
      env: { ...process.env, JAX_PLATFORMS: 'cpu' },
      stdio: 'ignore',
    });
    const ckpt = join(dir, 'trained.json');
    expect((await runCli('import', model, '--out', ckpt)).code).toBe(0);
    // 30 steps leave the model near chance: the verdict is a replayed counterexample (exit 1); the exact
    // search bounds its length, so no budget can turn it into unknown.
    const r = await runCli('verify', 'parity', '--checkpoint', ckpt, '--all-lengths', '--work', '60000', '--format', 'fp32', '--json');
    expect(r.code).toBe(1);
    const verdict = JSON.parse(r.stdout) as { verdict: string; counterexample?: { word: string } };
    expect(verdict.verdict).toBe('refuted');
  });
});
