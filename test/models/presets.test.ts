// The presets expand to the settings their documentation states, and the layering defaults < preset < given.
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { TRAIN_DEFAULTS } from '../../src/models/train/defaults.js';
import { parsePresetName, presetSettings, resolveSettings } from '../../src/models/train/presets.js';
import { parseTask } from '../../src/tasks/catalogue.js';

const parity = parseTask('parity');

describe('presets', () => {
  it("p3 is P3's recipe: 2 layers, width 128, MLP 512, 4 heads and a short convolution of 4 for deltanet, lr 1e-3, batch 256, 3 seeds", () => {
    expect(presetSettings('p3', 'deltanet-neg', parity)).toEqual({
      model: { width: 128, state: 128, layers: 2, mlp: 512, heads: 4, norm: 'rms', output: 'last', conv: 4 },
      train: { steps: 100_000, batch: 256, lr: 1e-3, weightDecay: 0.1, warmup: 10_000, clip: 1, targetAcc: 0.999, evalEvery: 1000, lengths: { min: 3, max: 40 } },
      seeds: [1, 2, 3],
    });
    // heads only where the family has them
    expect(presetSettings('p3', 'lrnn-neg', parity).model.heads).toBe(1);
    expect(presetSettings('p3', 'transformer', parity).model.heads).toBe(4);
  });

  it('cpu keeps the shape (2 layers, MLP 4 x width, heads) at width 32, batch 32 and 2,000 steps, with no curriculum', () => {
    const s = presetSettings('cpu', 'deltanet-neg', parity);
    expect(s.model).toEqual({ width: 32, state: 32, layers: 2, mlp: 128, heads: 4, norm: 'rms', output: 'last' });
    expect(s.train).toEqual({ steps: 2000, batch: 32, lr: 1e-3, weightDecay: 0.1, warmup: 200, clip: 1, targetAcc: 0.999, evalEvery: 100, lengths: { min: 3, max: 40 } });
  });

  it('cpu trains modular arithmetic with a length curriculum, batch 128, lr 3e-3 and 12,000 steps (the same model); p3 does not', () => {
    for (const name of ['modarith', 'modarith-paper', 'modarith-brackets']) {
      const s = presetSettings('cpu', 'deltanet-neg', parseTask(name));
      expect([name, s.model]).toEqual([name, presetSettings('cpu', 'deltanet-neg', parity).model]);
      expect([name, s.train]).toEqual([
        name,
        { steps: 12_000, batch: 128, lr: 3e-3, weightDecay: 0.1, warmup: 1200, clip: 1, targetAcc: 0.999, evalEvery: 100, lengths: { min: 3, max: 40 }, curriculum: { start: 7, grow: 4, threshold: 0.9 } },
      ]);
    }
    expect(presetSettings('p3', 'deltanet-neg', parseTask('modarith')).train).not.toHaveProperty('curriculum');
    // given settings win over the preset's, a null curriculum turns it off, and the warm-up follows the steps
    const given = resolveSettings({ steps: 1000, curriculum: null }, 'cpu', 'deltanet-neg', parseTask('modarith'), TRAIN_DEFAULTS);
    expect(given).toMatchObject({ steps: 1000, warmup: 100, batch: 128, curriculum: null });
    expect(resolveSettings({}, 'cpu', 'lstm', parseTask('modarith'), TRAIN_DEFAULTS).curriculum).toEqual({ start: 7, grow: 4, threshold: 0.9 });
  });

  it("trains word problems as P3's Figure 4 (every prefix, length 32) and fixed-shape tasks at their length", () => {
    for (const name of ['s5', 's5-swaps', 's5-swaps3', 's3']) {
      const s = presetSettings('cpu', 'deltanet-neg', parseTask(name));
      expect([name, s.model.output, s.train.lengths]).toEqual([name, 'every', { min: 32, max: 32 }]);
    }
    expect(presetSettings('p3', 'lstm', parseTask('equality:n=8')).train.lengths).toEqual({ min: 17, max: 17 });
  });

  it('layers defaults < preset < given; a preset warm-up follows the steps run', () => {
    const none = resolveSettings({}, undefined, 'lrnn-neg', parity, TRAIN_DEFAULTS);
    expect(none).toMatchObject({ width: 32, layers: 1, mlp: 0, lr: 0.01, warmup: 50, heads: 1, output: 'last', lengths: { min: 3, max: 40 } });
    const cpu = resolveSettings({ width: 16, steps: 500, lr: undefined }, 'cpu', 'deltanet-neg', parity, TRAIN_DEFAULTS);
    expect(cpu).toMatchObject({ width: 16, state: 32, layers: 2, mlp: 128, heads: 4, steps: 500, warmup: 50, lr: 1e-3 });
    expect(resolveSettings({ steps: 500, warmup: 7 }, 'cpu', 'lstm', parity, TRAIN_DEFAULTS).warmup).toBe(7);
  });

  it('refuses an unknown preset name, naming the choices', () => {
    expect(() => parsePresetName('paper')).toThrow(new InputError("--preset: unknown preset 'paper' (choose one of p3, cpu)"));
  });
});
