import { describe, expect, it } from '@jest/globals';
import type { ModelConfig } from '../../src/models/config.js';
import type { ModelFamily } from '../../src/models/family.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { initWeights } from '../../src/models/init.js';
import { paramShapes } from '../../src/models/params.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';

function config(family: ModelFamily, over: Partial<ModelConfig> = {}): ModelConfig {
  return familyConfig(family, { width: 16, state: 64, layers: 2, mlp: 8, norm: 'rms', heads: 4, maxLen: 10, ...over });
}

const gate = (ca: number, w = 0): number => Math.exp(-Math.log1p(Math.exp(ca)) * Math.exp(w));

describe.each(MODEL_FAMILIES)('initWeights %s', (family) => {
  it('gives every weight of paramShapes, finite, with the same bytes for the same seed and others for another', () => {
    const c = config(family);
    const a = initWeights(c, new Rng(7));
    const b = initWeights(c, new Rng(7));
    const other = initWeights(c, new Rng(8));
    expect(Object.keys(a)).toEqual(paramShapes(c).map(([name]) => name));
    for (const [name, shape] of paramShapes(c)) {
      expect(a[name].shape).toEqual(shape);
      expect(a[name].data.every(Number.isFinite)).toBe(true);
      expect(Buffer.from(a[name].data.buffer).equals(Buffer.from(b[name].data.buffer))).toBe(true);
    }
    expect(Buffer.from(a.embed.data.buffer).equals(Buffer.from(other.embed.data.buffer))).toBe(false);
  });

  it('keeps matrices within the Glorot bound and starts norm gains at 1 and output biases at 0', () => {
    const c = config(family);
    const w = initWeights(c, new Rng(1));
    for (const [name, shape] of paramShapes(c)) {
      if (shape.length !== 2 || name === 'embed' || name === 'pos' || name.endsWith('mix.perm')) continue;
      const bound = Math.sqrt(6 / (shape[0] + shape[1]));
      expect(Math.max(...w[name].data.map(Math.abs))).toBeLessThanOrEqual(bound);
    }
    expect([...w['l0.norm1'].data, ...w.normf.data].every((g) => g === 1)).toBe(true);
    expect(w['out.b'].data.every((x) => x === 0)).toBe(true);
  });
});

describe('initWeights gates', () => {
  it('sets the LSTM forget-gate bias to 1 and the other gate biases to 0', () => {
    const b = initWeights(config('lstm', { state: 3 }), new Rng(0))['l0.mix.b'].data;
    expect(Array.from(b)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('spreads lrnn-pos gates over (0.05, 0.995), both short and long memories', () => {
    const g = Array.from(initWeights(config('lrnn-pos'), new Rng(2))['l0.mix.ca'].data, (ca) => gate(ca));
    expect(Math.min(...g)).toBeGreaterThanOrEqual(0.049);
    expect(Math.max(...g)).toBeLessThanOrEqual(0.996);
    expect(g.filter((x) => x < 0.5).length).toBeGreaterThan(5);
    expect(g.filter((x) => x > 0.9).length).toBeGreaterThan(5);
  });

  it('starts lrnn-neg transitions 2·gate − 1 on both sides of 0', () => {
    const a = Array.from(initWeights(config('lrnn-neg'), new Rng(3))['l0.mix.ca'].data, (ca) => 2 * gate(ca) - 1);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-0.51);
    expect(a.filter((x) => x < 0).length).toBeGreaterThan(3);
    expect(a.filter((x) => x > 0.5).length).toBeGreaterThan(3);
  });

  it('gives lrnn-complex moduli in (0.6, 0.995) and angles over (−π, π)', () => {
    const w = initWeights(config('lrnn-complex'), new Rng(4));
    const r = Array.from(w['l0.mix.ca'].data, (ca) => gate(ca));
    expect(Math.min(...r)).toBeGreaterThanOrEqual(0.6);
    expect(Math.max(...r)).toBeLessThanOrEqual(0.996);
    const theta = Array.from(w['l0.mix.ct'].data);
    expect(Math.min(...theta)).toBeLessThan(-1.5);
    expect(Math.max(...theta)).toBeGreaterThan(1.5);
    expect(theta.every((x) => Math.abs(x) <= Math.PI)).toBe(true);
  });

  it('refuses a config whose fields disagree', () => {
    expect(() => initWeights(config('deltanet-pos', { state: 6 }), new Rng(0))).toThrow(/init: config\.state/);
  });
});

describe('initWeights lrnn-pd', () => {
  it('starts every layer with the identity in row 0 and seeded permutations in the other rows', () => {
    const c = config('lrnn-pd', { vocab: 5, state: 7 });
    const w = initWeights(c, new Rng(3));
    for (const l of [0, 1]) {
      const t = w[`l${l}.mix.perm`];
      expect(t.shape).toEqual([5, 7]);
      expect(Array.from(t.data.subarray(0, 7))).toEqual([0, 1, 2, 3, 4, 5, 6]);
      for (let r = 0; r < 5; r++) expect(Array.from(t.data.subarray(r * 7, r * 7 + 7)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
    expect(Array.from(w['l0.mix.perm'].data)).not.toEqual(Array.from(w['l1.mix.perm'].data));
  });
});
