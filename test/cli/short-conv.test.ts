import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointToJsonText, readCheckpoint } from '../../src/models/checkpoint.js';
import { initWeights } from '../../src/models/init.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-conv-'));
const CERT = 'test/golden/parity-rnn-tanh-deadlayer.parity.fp32.cert.json';

/** A deltanet-neg parity checkpoint with a short convolution of kernel 3 (seeded initial weights). */
function convCheckpoint(): string {
  const config = familyConfig('deltanet-neg', { conv: 3 });
  const file = join(dir, 'conv.json');
  const task = { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] };
  writeFileSync(file, checkpointToJsonText({ config, task, training: null, origin: 'test', weights: initWeights(config, new Rng(1)) }));
  return file;
}

describe('a checkpoint with a short convolution', () => {
  const ckpt = convCheckpoint();

  it('is refused with one line and exit 3 by verify --all-lengths (at a format and over the reals) and by check-certificate', async () => {
    for (const args of [['--format', 'fp32'], ['--real']]) {
      const r = await runCli('verify', 'parity', '--checkpoint', ckpt, '--all-lengths', '--work', '1000', ...args);
      expect([r.code, r.stdout]).toEqual([3, '']);
      expect(r.stderr).toMatch(/^eigenstate: unknown: short convolution not supported by verify --all-lengths .*\n$/);
    }
    const check = await runCli('check-certificate', CERT, ckpt);
    expect(check.code).toBe(3);
    expect(check.stderr).toMatch(/^eigenstate: unknown: short convolution not supported by the certificate checker .*\n$/);
    const real = await runCli('run', ckpt, '0110', '--real');
    expect(real.code).toBe(3);
    expect(real.stderr).toMatch(/^eigenstate: unknown: short convolution not supported by the box domain/);
  });

  it('runs at a format and is checked on bounded lengths', async () => {
    const run = await runCli('run', ckpt, '0110', '--format', 'fp32', '--json');
    // exit 0 or 1: the random model's verdict agrees with parity's or not; the run itself goes through
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ word: '0110' });
    const bounded = await runCli('verify', 'parity', '--checkpoint', ckpt, '--max-len', '6', '--format', 'bf16');
    // a random model is wrong on some word of length <= 6 (exit 1), never unknown or refused
    expect(bounded.code).toBe(1);
    const extract = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fp8-e4m3', '--max-states', '2000', '--out', join(dir, 'a.json'));
    // the seeded model is wrong on '0': the exact search refutes it on the way (exit 1), through the executor
    expect(extract.code).toBe(1);
    expect(extract.stderr).toMatch(/shortest counterexample '0'/);
  });

  it('is what train --conv K trains (and a family without it refuses the flag)', async () => {
    const out = join(dir, 'trained.json');
    const common = ['--task', 'parity', '--steps', '2', '--batch', '4', '--width', '4', '--state', '4', '--layers', '1', '--mlp', '0', '--quiet', '--backend', 'cpu'];
    const r = await runCli('train', '-m', 'deltanet-neg', '--heads', '2', '--conv', '2', ...common, '--out', out);
    expect(r.code).toBe(0);
    const ckpt = readCheckpoint(out);
    expect(ckpt.config.conv).toBe(2);
    expect(ckpt.weights['l0.mix.convk'].shape).toEqual([4, 2]);
    const bad = await runCli('train', '-m', 'lstm', '--conv', '2', ...common, '--out', join(dir, 'bad.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/config\.conv: only deltanet takes a short convolution/);
  });
});

