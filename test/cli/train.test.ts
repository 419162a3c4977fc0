import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../../src/models/checkpoint.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = ['--width', '4', '--state', '4', '--train-len', '2:6', '--steps', '4', '--batch', '8', '--eval-every', '2', '--backend', 'wasm', '--quiet'];

describe('eigenstate train and eval', () => {
  const file = join(dir, 'neg.json');

  test('train writes a validated checkpoint and names the backend', async () => {
    const r = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--seed', '3', '--out', file, ...tiny);
    expect(r.stderr).toContain('backend: wasm from @tensorflow/tfjs-backend-wasm');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^trained lrnn-neg on parity: 4 steps \(stopped: steps\), [\d.]+ s, validation accuracy [\d.]+ on lengths 2-6\nwrote /);
    const ckpt = readCheckpoint(file);
    expect(ckpt.config).toMatchObject({ family: 'lrnn-neg', vocab: 2, classes: 2, width: 4, state: 4, layers: 1 });
    expect(ckpt.training).toMatchObject({ seed: 3, steps: 4, batch: 8, trainLengths: { min: 2, max: 6 }, backend: 'wasm', stopped: 'steps' });
    expect(ckpt.training?.optimizer).toEqual({ name: 'adamw', lr: 0.01, weightDecay: 0.01, warmup: 50, clip: 1 });
  });

  test('train refuses to overwrite without --force, and --force replaces (same seed: same bytes)', async () => {
    const before = readFileSync(file, 'utf8');
    const refused = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--seed', '3', '--out', file, ...tiny);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`eigenstate: ${file}: file exists (pass --force to overwrite)\n`);
    const forced = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--seed', '3', '--out', file, '--force', ...tiny);
    expect(forced.code).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { weights: unknown };
    expect(after.weights).toEqual((JSON.parse(before) as { weights: unknown }).weights);
  });

  test('eval prints accuracy per length bucket, and as JSON', async () => {
    const r = await runCli('eval', file, '--lengths', '5:12', '--buckets', '2', '--samples-per-bucket', '20', '--backend', 'wasm');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${file}: lrnn-neg on parity, lengths 5-12`);
    expect(lines[1]).toMatch(/^lengths\s+samples\s+accuracy$/);
    expect(lines[2]).toMatch(/^5-8\s+20\s+[01]\.\d{4}$/);
    expect(lines[3]).toMatch(/^9-12\s+20\s+[01]\.\d{4}$/);
    expect(lines[4]).toMatch(/^overall accuracy: [01]\.\d{4}$/);
    const j = await runCli('eval', file, '--lengths', '5:12', '--buckets', '2', '--samples-per-bucket', '20', '--backend', 'wasm', '--json');
    const out = JSON.parse(j.stdout) as { buckets: { min: number; max: number; samples: number; accuracy: number }[]; accuracy: number; task: string };
    expect(out.task).toBe('parity');
    expect(out.buckets.map((b) => [b.min, b.max, b.samples])).toEqual([
      [5, 8, 20],
      [9, 12, 20],
    ]);
    expect(out.accuracy).toBeCloseTo((out.buckets[0].accuracy + out.buckets[1].accuracy) / 2, 10);
    // Same seed, same words, same table.
    expect(j.stdout).toBe((await runCli('eval', file, '--lengths', '5:12', '--buckets', '2', '--samples-per-bucket', '20', '--backend', 'wasm', '--json')).stdout);
  });

  test('train --json reports the run; --target-acc 0 stops at the first validation', async () => {
    const out = join(dir, 'pos.json');
    const r = await runCli('train', '--task', 'parity', '--model', 'lrnn-pos', '--out', out, '--json', '--target-acc', '0', ...tiny);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { steps: number; stopped: string; backend: string; history: unknown[] };
    expect(summary).toMatchObject({ steps: 2, stopped: 'target', backend: 'wasm' });
    expect(summary.history).toHaveLength(1);
  });

  test('--preset cpu fills every setting not given; given flags win', async () => {
    const out = join(dir, 'preset.json');
    const r = await runCli('train', '--task', 'parity', '--model', 'deltanet-neg', '--preset', 'cpu', '--steps', '2', '--batch', '8', '--train-len', '2:6', '--eval-every', '2', '--backend', 'wasm', '--quiet', '--json', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ preset: 'cpu', microBatch: 8, steps: 2 });
    const ckpt = readCheckpoint(out);
    expect(ckpt.config).toMatchObject({ width: 32, state: 32, layers: 2, mlp: 128, heads: 4, norm: 'rms', output: 'last' });
    expect(ckpt.training?.optimizer).toEqual({ name: 'adamw', lr: 0.001, weightDecay: 0.1, warmup: 0, clip: 1 });
    const bad = await runCli('train', '--task', 'parity', '--model', 'lstm', '--preset', 'paper', '--out', join(dir, 'x.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("eigenstate: --preset: unknown preset 'paper' (choose one of p3, cpu)\n");
  });

  test('--curriculum grows the training lengths and is recorded; bad values and a preset curriculum that does not fit are refused (exit 2)', async () => {
    const out = join(dir, 'curriculum.json');
    // threshold 1/64: one right validation word promotes, so the range grows at every validation
    const r = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--seed', '5', ...tiny, '--steps', '6', '--eval-every', '1', '--curriculum', '3:2@0.015625', '--json', '--out', out);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.curriculum).toMatchObject({ start: 3, grow: 2, threshold: 0.015625 });
    expect(summary.validationLengths).toEqual({ min: 2, max: 6 });
    expect(readCheckpoint(out).training?.curriculum).toEqual(summary.curriculum);
    const bad = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--curriculum', '3:2', '--out', join(dir, 'x.json'));
    expect([bad.code, bad.stderr]).toEqual([2, "eigenstate: --curriculum '3:2': expected START:GROW@THRESHOLD, e.g. 7:4@0.9\n"]);
    const unfit = await runCli('train', '--task', 'modarith', '--model', 'lrnn-neg', '--preset', 'cpu', '--train-len', '3:7', '--backend', 'wasm', '--out', join(dir, 'x.json'));
    expect([unfit.code, unfit.stderr.split('\n').filter((l) => l.startsWith('eigenstate:'))]).toEqual([
      2,
      ["eigenstate: --preset cpu's curriculum 7:4@0.9: START must lie in [3, 6], the training lengths 3:7 less the longest (give --curriculum none, or one that fits)"],
    ]);
  }, 60_000);

  test('--threads 2 trains data-parallel and says so; --threads 0 is refused', async () => {
    const out = join(dir, 'threads.json');
    const r = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--threads', '2', ...tiny, '--steps', '2', '--json', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ threads: 2, steps: 2 });
    const bad = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--threads', '0', '--out', join(dir, 'x.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--threads');
  }, 60_000);

  test('a run that cannot fit the wasm heap even one word at a time is refused before training (exit 2, the sizes named)', async () => {
    const out = join(dir, 'huge.json');
    const r = await runCli('train', '--task', 'parity', '--model', 'deltanet-neg', '--width', '2048', '--state', '2048', '--heads', '2', '--train-len', '3:2000', '--backend', 'wasm', '--quiet', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\neigenstate: model size: this run needs at least [\d.]+ GiB, more than the 3.00 GiB the wasm backend can hold; the largest part: activations .*; sizes: deltanet-neg, --width 2048, --state 2048, --layers 1, --mlp 0, --heads 2, --batch 32, micro-batch 1 \(the smallest pass\), longest word 2000\n$/);
    expect(existsSync(out)).toBe(false);
  });

  test('--micro-batch accumulates gradients: same run as the whole batch, to float rounding', async () => {
    const whole = join(dir, 'whole.json');
    const micro = join(dir, 'micro.json');
    const args = ['--task', 'parity', '--model', 'lrnn-pos', '--seed', '4', ...tiny, '--steps', '2'];
    expect((await runCli('train', ...args, '--out', whole)).code).toBe(0);
    const r = await runCli('train', ...args, '--micro-batch', '2', '--out', micro);
    expect(r.code).toBe(0);
    const a = readCheckpoint(whole).weights;
    const b = readCheckpoint(micro).weights;
    for (const [name, w] of Object.entries(a)) {
      const diff = Math.max(...Array.from(w.data).map((x, i) => Math.abs(x - b[name].data[i])));
      expect([name, diff < 1e-5]).toEqual([name, true]);
    }
  });

  test('bad input: one line naming the option or the field, exit 2, nothing written', async () => {
    const out = join(dir, 'bad.json');
    const cases: [string[], RegExp][] = [
      [['--model', 'lrnn-zero'], /unknown model family 'lrnn-zero'/],
      [['--model', 'lrnn-complex', '--state', '3'], /options: config\.state: lrnn-complex needs an even state size \(2x2 blocks\) \(got 3\)/],
      [['--model', 'lrnn-neg', '--backend', 'webgl'], /--backend: unknown backend 'webgl'/],
      [['--model', 'lrnn-neg', '--lr', 'fast'], /option '--lr <x>' argument 'fast' is invalid/],
      [['--model', 'lrnn-neg', '--train-len', '0:4'], /--train-len: the network reads words of length >= 1/],
      [['--model', 'lrnn-neg', '--norm', 'layer'], /--norm <kind>' argument 'layer' is invalid/],
      [['--model', 'lrnn-neg', '--batch', '8', '--micro-batch', '3'], /--micro-batch: expected a positive integer dividing --batch 8 \(got 3\)/],
      [['--model', 'lrnn-neg', '--micro-batch', '0'], /--micro-batch: expected a positive integer dividing --batch 32 \(got 0\)/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli('train', '--task', 'parity', '--out', out, '--steps', '2', '--quiet', '--backend', 'wasm', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('eigenstate:'))).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
    const missingDir = await runCli('train', '--task', 'parity', '--model', 'lrnn-neg', '--out', join(dir, 'nope', 'x.json'), ...tiny);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toMatch(/directory .*nope does not exist/);
  });

  test('eval of a missing or invalid checkpoint names the file', async () => {
    const missing = await runCli('eval', join(dir, 'missing.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing\.json: no such file/);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ format: 'eigenstate/checkpoint', version: 1 }));
    const r = await runCli('eval', invalid);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid\.json: config: /);
  });
});
