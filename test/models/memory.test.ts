// The size check before training: ordinary runs pass, impossible ones are refused naming the options.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/models/backend.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { initWeights } from '../../src/models/init.js';
import { buildNetwork } from '../../src/models/network.js';
import { AdamW } from '../../src/models/train/adamw.js';
import { trainStep } from '../../src/models/train/step.js';
import { Rng } from '../../src/random.js';
import { InputError } from '../../src/errors.js';
import type { ModelConfig } from '../../src/models/config.js';
import { parameterCount } from '../../src/models/params.js';
import { checkTrainingMemory, chooseMicroBatch, estimateTrainingMemory, WASM_USABLE_BYTES } from '../../src/models/train/memory.js';

const config = (over: Partial<ModelConfig> = {}): ModelConfig => ({
  family: 'lrnn-neg', vocab: 2, classes: 2, width: 32, state: 32, layers: 1, mlp: 0, norm: 'rms',
  output: 'last', heads: 1, positions: 'none', maxLen: 0, ...over,
});

describe('checkTrainingMemory', () => {
  it('passes the defaults and the README run at batch 256 x length 256 on the wasm heap', () => {
    expect(() => checkTrainingMemory(config(), { batch: 32, microBatch: 32, maxLen: 40 }, 'wasm')).not.toThrow();
    expect(() => checkTrainingMemory(config(), { batch: 256, microBatch: 64, maxLen: 256 }, 'wasm')).not.toThrow();
    expect(estimateTrainingMemory(config(), { batch: 32, microBatch: 32, maxLen: 40 }).total).toBeLessThan(WASM_USABLE_BYTES / 20);
  });

  it('refuses layers, batch and widths that cannot fit, naming the options', () => {
    expect(() => checkTrainingMemory(config({ layers: 100000 }), { batch: 32, microBatch: 32, maxLen: 40 }, 'wasm')).toThrow(/--layers 100000/);
    expect(() => checkTrainingMemory(config(), { batch: 1e8, microBatch: 1e8, maxLen: 40 }, 'wasm')).toThrow(/--batch 100000000/);
    expect(() => checkTrainingMemory(config({ width: 1e5, state: 1e5 }), { batch: 1, microBatch: 1, maxLen: 1 }, 'cpu')).toThrow(InputError);
    expect(() => checkTrainingMemory(config({ family: 'transformer', positions: 'learned', maxLen: 1e9 }), { batch: 1, microBatch: 1, maxLen: 3 }, 'cpu')).toThrow(
      /weight pos would have shape \[1000000000, 32\]/,
    );
  });

  it('counts the parameters of every layer (12 bytes each on the backend: weight, gradient, accumulated sum; 8 in JS: two moments)', () => {
    for (const c of [config({ layers: 3 }), config({ family: 'deltanet-neg', heads: 4, layers: 2, mlp: 8 }), config({ family: 'transformer', positions: 'learned', maxLen: 50, layers: 4, heads: 2 })]) {
      const m = estimateTrainingMemory(c, { batch: 1, microBatch: 1, maxLen: 1 });
      expect(m.parameters).toBe(12 * parameterCount(c));
      expect(m.optimizer).toBe(8 * parameterCount(c));
    }
  });

  it('counts the moments against the machine on native backends, not against the wasm heap', () => {
    // parameters alone: 20 bytes each in all, 12 on the heap; about 190 M parameters pass the 3 GiB heap only without the moments
    const c = config({ width: 2000, state: 2000, layers: 16 });
    const m = estimateTrainingMemory(c, { batch: 1, microBatch: 1, maxLen: 1 });
    expect(m.total).toBeLessThanOrEqual(WASM_USABLE_BYTES);
    expect(m.total + m.optimizer).toBeGreaterThan(WASM_USABLE_BYTES);
    expect(() => checkTrainingMemory(c, { batch: 1, microBatch: 1, maxLen: 1 }, 'wasm')).not.toThrow();
  });

  it('counts micro-batches, not the batch, for activations', () => {
    const whole = estimateTrainingMemory(config(), { batch: 256, microBatch: 256, maxLen: 256 });
    const micro = estimateTrainingMemory(config(), { batch: 256, microBatch: 32, maxLen: 256 });
    expect(micro.activations * 8).toBe(whole.activations);
    expect(micro.parameters).toBe(whole.parameters);
  });
});

const paperSize = (family: ModelConfig['family']): ModelConfig =>
  config({ family, width: 128, state: 128, layers: 2, mlp: 512, heads: family.startsWith('deltanet') || family === 'transformer' ? 4 : 1, positions: family === 'transformer' ? 'sinusoidal' : 'none' });

describe('chooseMicroBatch', () => {
  it('keeps the whole batch when it fits, and cuts the paper-size deltanet batch of 256 into passes that fit', () => {
    expect(chooseMicroBatch(config(), 32, 40, 'wasm')).toBe(32);
    const m = chooseMicroBatch(paperSize('deltanet-neg'), 256, 40, 'wasm');
    expect(m).toBeLessThan(256);
    expect(256 % m).toBe(0);
    expect(estimateTrainingMemory(paperSize('deltanet-neg'), { batch: 256, microBatch: m, maxLen: 40 }).total).toBeLessThanOrEqual(WASM_USABLE_BYTES);
    // the next larger divisor would not fit
    expect(estimateTrainingMemory(paperSize('deltanet-neg'), { batch: 256, microBatch: 2 * m, maxLen: 40 }).total).toBeGreaterThan(WASM_USABLE_BYTES);
    // lrnn-neg at (256, 256, 128) with one layer and MLP 128 (it aborted the 4 GiB heap at the full batch)
    expect(chooseMicroBatch(config({ width: 128, state: 128, mlp: 128 }), 256, 256, 'wasm')).toBeLessThan(256);
    // native backends have the machine's memory
    expect(chooseMicroBatch(config(), 256, 40, 'cpu')).toBe(256);
  });

  it('refuses with exit 2 and the sizes when not even one word per pass fits', () => {
    const huge = paperSize('deltanet-neg');
    const err = (() => {
      try {
        chooseMicroBatch({ ...huge, width: 4096, state: 4096 }, 256, 4000, 'wasm');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/^model size: this run needs at least [\d.]+ GiB, more than the 3.00 GiB the wasm backend can hold; the largest part: activations .*; sizes: deltanet-neg, --width 4096, --state 4096, --layers 2, --mlp 512, --heads 4, --batch 256, micro-batch 1 \(the smallest pass\), longest word 4000$/);
  });
});

describe('the estimate against the backend', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(MODEL_FAMILIES)('%s: the estimated activations cover the peak bytes of one wasm step', async (family) => {
    const c = config({ family, width: 32, state: 32, mlp: 64, layers: 2, heads: family.startsWith('deltanet') || family === 'transformer' ? 4 : 1, positions: family === 'transformer' ? 'sinusoidal' : 'none' });
    const rng = new Rng(1);
    const net = buildNetwork(c, initWeights(c, rng));
    const opt = new AdamW(net.variables, { weightDecay: 0, clip: 1 });
    const [B, T] = [16, 48];
    const batch = { size: B, length: T, tokens: Int32Array.from({ length: B * T }, () => rng.int(0, 1)), labels: Int32Array.from({ length: B }, () => rng.int(0, 1)) };
    trainStep(net, opt, batch, 1e-3);
    const info = await tf.profile(() => {
      trainStep(net, opt, batch, 1e-3);
    });
    const m = estimateTrainingMemory(c, { batch: B, microBatch: B, maxLen: T });
    opt.dispose();
    net.dispose();
    expect(m.parameters + m.activations).toBeGreaterThanOrEqual(info.peakBytes);
  });
});
