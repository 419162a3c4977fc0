import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileExistsError, InputError } from '../../src/errors.js';
import type { Checkpoint } from '../../src/models/checkpoint.js';
import { checkpointToJsonText, readCheckpoint, writeCheckpoint } from '../../src/models/checkpoint.js';
import type { ModelConfig } from '../../src/models/config.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { initWeights } from '../../src/models/init.js';
import type { Weights } from '../../src/models/params.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configOf(family: ModelConfig['family']): ModelConfig {
  return familyConfig(family, { layers: 2, mlp: 3, norm: 'rms' });
}

function checkpointOf(config: ModelConfig, weights: Weights): Checkpoint {
  return {
    config,
    task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] },
    training: {
      seed: 7,
      steps: 12,
      batch: 4,
      trainLengths: { min: 3, max: 40 },
      optimizer: { name: 'adamw', lr: 0.003, weightDecay: 0.01, warmup: 5, clip: 1 },
      backend: 'wasm',
      seconds: 1.25,
      stopped: 'target',
      history: [{ step: 12, loss: 0.125, accuracy: 1 }],
    },
    origin: 'trained',
    weights,
  };
}

/** The raw bytes of every weight, for bit-exact comparison (-0, subnormals and NaN payloads included). */
function bytesOf(weights: Weights): Record<string, number[]> {
  return Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, Array.from(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength))]));
}

describe('checkpoint files', () => {
  test.each(MODEL_FAMILIES)('%s: save and load round-trip bit-exactly', (family) => {
    const config = configOf(family);
    const ckpt = checkpointOf(config, initWeights(config, new Rng(3)));
    const file = join(dir, `${family}.json`);
    writeCheckpoint(file, ckpt);
    const back = readCheckpoint(file);
    expect(bytesOf(back.weights)).toEqual(bytesOf(ckpt.weights));
    expect(back.config).toEqual(ckpt.config);
    expect(back.task).toEqual(ckpt.task);
    expect(back.training).toEqual(ckpt.training);
    expect(back.origin).toBe('trained');
    // Writing what was read gives the same file text.
    expect(checkpointToJsonText(back)).toBe(readFileSync(file, 'utf8'));
  });

  test('awkward float32 values survive: -0, subnormals, extremes, and values that are not short decimals', () => {
    const config = configOf('lrnn-neg');
    const weights = initWeights(config, new Rng(4));
    const special = [-0, 1.401298464324817e-45, -1.1754942106924411e-38, 3.4028234663852886e38, Math.fround(0.1), Math.fround(Math.PI), -Math.fround(1 / 3)];
    weights.embed.data.set(special.slice(0, weights.embed.data.length));
    const file = join(dir, 'special.json');
    writeCheckpoint(file, checkpointOf(config, weights));
    const back = readCheckpoint(file).weights.embed.data;
    expect(Object.is(back[0], -0)).toBe(true);
    expect(bytesOf({ e: readCheckpoint(file).weights.embed })).toEqual(bytesOf({ e: weights.embed }));
  });

  test('never overwrites without force; force replaces', () => {
    const config = configOf('lrnn-pos');
    const file = join(dir, 'exists.json');
    writeCheckpoint(file, checkpointOf(config, initWeights(config, new Rng(1))));
    const second = checkpointOf(config, initWeights(config, new Rng(2)));
    expect(() => writeCheckpoint(file, second)).toThrow(FileExistsError);
    writeCheckpoint(file, second, { force: true });
    expect(bytesOf(readCheckpoint(file).weights)).toEqual(bytesOf(second.weights));
  });

  test('refuses non-finite weights when writing', () => {
    const config = configOf('lrnn-pos');
    const weights = initWeights(config, new Rng(1));
    weights['out.b'].data[1] = NaN;
    expect(() => writeCheckpoint(join(dir, 'nan.json'), checkpointOf(config, weights))).toThrow(/weights\.out\.b\.data\[1\]: not finite/);
  });

  test('validation on load names the file and the field', () => {
    const config = configOf('deltanet-neg');
    const text = checkpointToJsonText(checkpointOf(config, initWeights(config, new Rng(1))));
    const broken = (edit: (j: Record<string, unknown>) => void): string => {
      const j = JSON.parse(text) as Record<string, unknown>;
      edit(j);
      const file = join(dir, 'broken.json');
      writeFileSync(file, JSON.stringify(j));
      return file;
    };
    const version = broken((j) => (j.version = 2));
    expect(() => readCheckpoint(version)).toThrow(InputError);
    expect(() => readCheckpoint(version)).toThrow(`${version}: version: unsupported version`);
    const missing = broken((j) => delete (j.weights as Record<string, unknown>)['out.w']);
    expect(() => readCheckpoint(missing)).toThrow(/weights\.out\.w: missing/);
    const vocab = broken((j) => ((j.task as { alphabet: string[] }).alphabet = ['a', 'b', 'c']));
    expect(() => readCheckpoint(vocab)).toThrow(/task\.alphabet: 3 symbols but config\.vocab is 2/);
    const heads = broken((j) => ((j.config as { heads: number }).heads = 3));
    expect(() => readCheckpoint(heads)).toThrow(/config\.state: deltanet needs a state size divisible by heads/);
  });
});
