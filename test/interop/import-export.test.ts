import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCheckpoint } from '../../src/interop/export.js';
import { importCheckpoint } from '../../src/interop/import.js';
import { encodeSafetensors } from '../../src/interop/safetensors.js';
import { checkpointToJsonText } from '../../src/models/checkpoint.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { paramShapes, type Tensor32 } from '../../src/models/params.js';
import { familyConfig, randomCheckpoint } from '../fixtures/handbuilt.js';
import { inputErrorMessage } from '../input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `m${n++}`);

/** A two-layer model of every shape feature: MLP, rms norms, heads where the family has them. */
function checkpointOf(family: (typeof MODEL_FAMILIES)[number], seed: number) {
  const config = familyConfig(family, { layers: 2, mlp: 6, norm: 'rms', width: 4, state: 4, maxLen: family === 'transformer' ? 16 : 0 });
  return randomCheckpoint(config, seed);
}

/** An exported folder whose tensors and config.json the test may then spoil. */
function exported(family: (typeof MODEL_FAMILIES)[number] = 'rnn-tanh') {
  const ckpt = checkpointOf(family, 1);
  const out = fresh();
  exportCheckpoint(ckpt, out, 'F32', false);
  const tensors = paramShapes(ckpt.config).map(([name]) => [name, ckpt.weights[name]] as [string, Tensor32]);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
  return { ckpt, out, tensors, config };
}

const problem = (source: string): string => inputErrorMessage(() => importCheckpoint(source));

describe('interop import and export', () => {
  test.each(MODEL_FAMILIES)('%s: export then import gives the checkpoint back bit for bit', (family) => {
    const ckpt = checkpointOf(family, 11);
    const out = fresh();
    exportCheckpoint(ckpt, out, 'F32', false);
    const back = importCheckpoint(out);
    expect(back.dtypes).toEqual(['F32']);
    expect(checkpointToJsonText(back.checkpoint)).toBe(checkpointToJsonText(ckpt));
  });

  test('deltanet with a short convolution: round trip, conv in config.json, and its kernels required by it alone', () => {
    // conv last, where the schema puts it (a checkpoint read from a file has its config in schema order)
    const config = { ...familyConfig('deltanet-neg', { layers: 2, mlp: 6, norm: 'rms', width: 4, state: 4 }), conv: 3 };
    const ckpt = randomCheckpoint(config, 5);
    const out = fresh();
    exportCheckpoint(ckpt, out, 'F32', false);
    expect(checkpointToJsonText(importCheckpoint(out).checkpoint)).toBe(checkpointToJsonText(ckpt));
    const file = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(file.conv).toBe(3);
    // the same tensors under a config without conv: the kernels are not weights of that model
    writeFileSync(join(out, 'config.json'), JSON.stringify({ ...file, conv: undefined }));
    expect(problem(out)).toMatch(/model\.safetensors: tensor l0\.mix\.convq: not a weight of .*config\.json \(family deltanet-neg/);
    // conv on a family without it is refused by field
    writeFileSync(join(out, 'config.json'), JSON.stringify({ ...file, family: 'lstm', heads: 1 }));
    expect(problem(out)).toMatch(/config\.json: conv: only deltanet takes a short convolution/);
  });

  test('a trained checkpoint keeps its training record, origin and exactAt', () => {
    const training = {
      seed: 7,
      steps: 12,
      batch: 4,
      trainLengths: { min: 3, max: 40 },
      optimizer: { name: 'adamw' as const, lr: 0.003, weightDecay: 0.01, warmup: 5, clip: 1 },
      backend: 'wasm',
      seconds: 1.25,
      stopped: 'target' as const,
      history: [{ step: 12, loss: 0.125, accuracy: 1 }],
    };
    const ckpt = { ...checkpointOf('lrnn-neg', 2), origin: 'trained', training, exactAt: 'fp32' };
    const out = fresh();
    exportCheckpoint(ckpt, out, 'F32', false);
    const back = importCheckpoint(join(out, 'model.safetensors')).checkpoint;
    expect(checkpointToJsonText(back)).toBe(checkpointToJsonText(ckpt));
    expect(back.training).toEqual(training);
  });

  test('bfloat16 and float16 exports import as the rounded weights', () => {
    const ckpt = checkpointOf('lstm', 3);
    for (const dtype of ['BF16', 'F16'] as const) {
      const out = fresh();
      exportCheckpoint(ckpt, out, dtype, false);
      const back = importCheckpoint(out).checkpoint;
      const w = ckpt.weights['l0.mix.wx'].data;
      const r = back.weights['l0.mix.wx'].data;
      const bound = dtype === 'BF16' ? 2 ** -8 : 2 ** -11;
      w.forEach((v, i) => expect(Math.abs(r[i] - v)).toBeLessThanOrEqual(bound * Math.abs(v) + 2 ** -24));
    }
  });

  test('--config names another config file; a safetensors file finds config.json beside it', () => {
    const { out, ckpt } = exported();
    const other = join(fresh());
    mkdirSync(other);
    writeFileSync(join(other, 'cfg.json'), readFileSync(join(out, 'config.json')));
    const back = importCheckpoint(join(out, 'model.safetensors'), join(other, 'cfg.json'));
    expect(checkpointToJsonText(back.checkpoint)).toBe(checkpointToJsonText(ckpt));
  });

  test('export refuses to overwrite without force and writes nothing then', () => {
    const { out, ckpt } = exported();
    const before = readFileSync(join(out, 'model.safetensors'));
    expect(() => exportCheckpoint({ ...ckpt, origin: 'other' }, out, 'F32', false)).toThrow(/file exists/);
    expect(readFileSync(join(out, 'model.safetensors'))).toEqual(before);
    exportCheckpoint({ ...ckpt, origin: 'other' }, out, 'F32', true);
    expect(importCheckpoint(out).checkpoint.origin).toBe('other');
  });

  describe('bad input is one line naming the file and the tensor or field', () => {
    /** Writes tensors and config into a fresh folder. */
    function folder(tensors: [string, Tensor32][], config: Record<string, unknown>, dtype: 'F32' | 'BF16' = 'F32'): string {
      const out = fresh();
      mkdirSync(out);
      writeFileSync(join(out, 'model.safetensors'), encodeSafetensors(tensors, dtype));
      writeFileSync(join(out, 'config.json'), JSON.stringify(config));
      return out;
    }

    test('a missing tensor', () => {
      const { tensors, config } = exported();
      const out = folder(tensors.filter(([name]) => name !== 'l1.mix.wh'), config);
      expect(problem(out)).toMatch(/model\.safetensors: tensor l1\.mix\.wh: missing \(.*config\.json \(family rnn-tanh, 2 layers/);
    });

    test('a wrong shape', () => {
      const { tensors, config } = exported();
      const bad = tensors.map(([name, t]) => [name, name === 'embed' ? { shape: [4, 2], data: t.data } : t] as [string, Tensor32]);
      expect(problem(folder(bad, config))).toMatch(/model\.safetensors: tensor embed: shape \[4, 2\], but .* needs \[2, 4\]/);
    });

    test('an extra tensor', () => {
      const { tensors, config } = exported();
      const out = folder([...tensors, ['l0.mix.extra', { shape: [1], data: Float32Array.of(1) }]], config);
      expect(problem(out)).toMatch(/tensor l0\.mix\.extra: not a weight of/);
    });

    test('a config that disagrees with the tensors (width)', () => {
      const { tensors, config } = exported();
      expect(problem(folder(tensors, { ...config, width: 8 }))).toMatch(/model\.safetensors: tensor embed: shape \[2, 4\], but .*width 8.* needs \[2, 8\]/);
    });

    test('an unknown family', () => {
      const { tensors, config } = exported();
      expect(problem(folder(tensors, { ...config, family: 'gru' }))).toMatch(/config\.json: family: .*\(got "gru"\)/);
    });

    test('a missing config field, a wrong task, a bad format tag', () => {
      const { tensors, config } = exported();
      const { mlp: _mlp, ...noMlp } = config;
      expect(problem(folder(tensors, noMlp))).toMatch(/config\.json: mlp: .*\(got missing\)/);
      expect(problem(folder(tensors, { ...config, task: { name: 'nosuch', alphabet: ['0', '1'], classes: ['reject', 'accept'] } }))).toMatch(/config\.json: task\.name: unknown task 'nosuch'/);
      expect(problem(folder(tensors, { ...config, task: { name: 'parity', alphabet: ['a', 'b'], classes: ['reject', 'accept'] } }))).toMatch(/config\.json: task\.alphabet: \["a","b"\] is not the alphabet of task parity/);
      expect(problem(folder(tensors, { ...config, format: 'hf' }))).toMatch(/config\.json: format: /);
      expect(problem(folder(tensors, { ...config, heads: 2 }))).toMatch(/config\.json: heads: family rnn-tanh has no heads/);
    });

    test('NaN or infinite weights', () => {
      const { tensors, config } = exported();
      const bad = tensors.map(([name, t]) => [name, name === 'l0.mix.wh' ? { shape: t.shape, data: Float32Array.from(t.data, (v, i) => (i === 5 ? NaN : v)) } : t] as [string, Tensor32]);
      expect(problem(folder(bad, config))).toMatch(/model\.safetensors: tensor l0\.mix\.wh: element 5: not finite \(got NaN\)/);
      const inf = tensors.map(([name, t]) => [name, name === 'out.b' ? { shape: t.shape, data: Float32Array.of(Infinity, 0) } : t] as [string, Tensor32]);
      expect(problem(folder(inf, config, 'BF16'))).toMatch(/tensor out\.b: element 0: not finite \(got Infinity\)/);
    });

    test('an lrnn-pd table row that is not a permutation', () => {
      const { tensors, config } = exported('lrnn-pd');
      const bad = tensors.map(([name, t]) => [name, name === 'l1.mix.perm' ? { shape: t.shape, data: Float32Array.from(t.data, (v, i) => (i === 1 ? t.data[0] : v)) } : t] as [string, Tensor32]);
      expect(problem(folder(bad, config))).toMatch(/model\.safetensors: tensor l1\.mix\.perm: /);
    });

    test('a truncated file', () => {
      const { out } = exported();
      const bytes = readFileSync(join(out, 'model.safetensors'));
      writeFileSync(join(out, 'model.safetensors'), bytes.subarray(0, bytes.length - 10));
      expect(problem(out)).toMatch(/model\.safetensors: truncated/);
    });

    test('a missing folder or config', () => {
      expect(problem(join(dir, 'nowhere'))).toMatch(/nowhere: no such file or directory/);
      const { out } = exported();
      rmSync(join(out, 'config.json'));
      expect(problem(out)).toMatch(/config\.json: no such file/);
      expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    });
  });
});
