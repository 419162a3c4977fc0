// The size check before training: ordinary runs pass, impossible ones are refused naming the options.
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import type { ModelConfig } from '../../src/models/config.js';
import { parameterCount } from '../../src/models/params.js';
import { checkTrainingMemory, estimateTrainingMemory, WASM_HEAP_BYTES } from '../../src/models/train/memory.js';

const config = (over: Partial<ModelConfig> = {}): ModelConfig => ({
  family: 'lrnn-neg', vocab: 2, classes: 2, width: 32, state: 32, layers: 1, mlp: 0, norm: 'rms',
  output: 'last', heads: 1, positions: 'none', maxLen: 0, ...over,
});

describe('checkTrainingMemory', () => {
  it('passes the defaults and the README run at batch 256 x length 256 on the wasm heap', () => {
    expect(() => checkTrainingMemory(config(), { batch: 32, microBatch: 32, maxLen: 40 }, 'wasm')).not.toThrow();
    expect(() => checkTrainingMemory(config(), { batch: 256, microBatch: 64, maxLen: 256 }, 'wasm')).not.toThrow();
    expect(estimateTrainingMemory(config(), { batch: 32, microBatch: 32, maxLen: 40 }).total).toBeLessThan(WASM_HEAP_BYTES / 100);
  });

  it('refuses layers, batch and widths that cannot fit, naming the options', () => {
    expect(() => checkTrainingMemory(config({ layers: 100000 }), { batch: 32, microBatch: 32, maxLen: 40 }, 'wasm')).toThrow(/--layers 100000/);
    expect(() => checkTrainingMemory(config(), { batch: 1e8, microBatch: 1e8, maxLen: 40 }, 'wasm')).toThrow(/--batch 100000000/);
    expect(() => checkTrainingMemory(config({ width: 1e5, state: 1e5 }), { batch: 1, microBatch: 1, maxLen: 1 }, 'cpu')).toThrow(InputError);
    expect(() => checkTrainingMemory(config({ family: 'transformer', positions: 'learned', maxLen: 1e9 }), { batch: 1, microBatch: 1, maxLen: 3 }, 'cpu')).toThrow(
      /weight pos would have shape \[1000000000, 32\]/,
    );
  });

  it('counts the parameters of every layer (16 bytes each: weight, gradient, two moments)', () => {
    for (const c of [config({ layers: 3 }), config({ family: 'deltanet-neg', heads: 4, layers: 2, mlp: 8 }), config({ family: 'transformer', positions: 'learned', maxLen: 50, layers: 4, heads: 2 })]) {
      expect(estimateTrainingMemory(c, { batch: 1, microBatch: 1, maxLen: 1 }).parameters).toBe(16 * parameterCount(c));
    }
  });

  it('counts micro-batches, not the batch, for activations', () => {
    const whole = estimateTrainingMemory(config(), { batch: 256, microBatch: 256, maxLen: 256 });
    const micro = estimateTrainingMemory(config(), { batch: 256, microBatch: 32, maxLen: 256 });
    expect(micro.activations * 8).toBe(whole.activations);
    expect(micro.parameters).toBe(whole.parameters);
  });
});
