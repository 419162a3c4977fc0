import { describe, expect, it, beforeAll } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../src/errors.js';
import type { ModelConfig } from '../../src/models/config.js';
import type { ModelFamily } from '../../src/models/family.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { initWeights } from '../../src/models/init.js';
import { buildNetwork } from '../../src/models/network.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';

const B = 3;
const T = 5;

function tinyConfig(family: ModelFamily, over: Partial<ModelConfig> = {}): ModelConfig {
  return familyConfig(family, { vocab: 3, layers: 2, mlp: 6, norm: 'rms', ...over });
}

function tokens(rng: Rng, b: number, t: number, vocab: number): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: b * t }, () => rng.int(0, vocab - 1)), [b, t], 'int32');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(MODEL_FAMILIES)('%s network', (family) => {
  it('gives finite logits of shape [B, C] (last) and [B, T, C] (every), and features [B, T, width]', () => {
    for (const output of ['last', 'every'] as const) {
      const config = tinyConfig(family, { output });
      const net = buildNetwork(config, initWeights(config, new Rng(1)));
      const shapes = tf.tidy(() => {
        const x = tokens(new Rng(2), B, T, config.vocab);
        const logits = net.logits(x);
        const values = Array.from(logits.dataSync());
        expect(values.every(Number.isFinite)).toBe(true);
        // Different words should not all get the same logits (the network reads its input).
        expect(new Set(values.map((v) => v.toFixed(5))).size).toBeGreaterThan(config.classes);
        return [logits.shape, net.features(x).shape];
      });
      expect(shapes[0]).toEqual(output === 'last' ? [B, config.classes] : [B, T, config.classes]);
      expect(shapes[1]).toEqual([B, T, config.width]);
      net.dispose();
    }
  });

  it('leaks no tensors through logits and gradients inside tidy, and dispose frees the variables', () => {
    const before = tf.memory().numTensors;
    const config = tinyConfig(family, { norm: 'none' });
    const net = buildNetwork(config, initWeights(config, new Rng(3)));
    const afterBuild = tf.memory().numTensors;
    expect(afterBuild - before).toBe(Object.keys(net.variables).length);
    tf.tidy(() => {
      const x = tokens(new Rng(4), B, T, config.vocab);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(net.logits(x))) as tf.Scalar);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      // Every variable gets a gradient but lrnn-pd's permutation tables, which are frozen (config.ts).
      expect(Object.keys(grads).length).toBe(Object.values(net.variables).filter((v) => v.trainable).length);
      expect(Object.keys(net.variables).filter((name) => !net.variables[name].trainable)).toEqual(family === 'lrnn-pd' ? ['l0.mix.perm', 'l1.mix.perm'] : []);
    });
    expect(tf.memory().numTensors).toBe(afterBuild);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives with output 'last' the last position of output 'every', logits and gradients (the shortcut to one position)", () => {
    const last = tinyConfig(family, { output: 'last' });
    const every = tinyConfig(family, { output: 'every' });
    const weights = initWeights(last, new Rng(11));
    const [a, b] = [last, every].map((config) => buildNetwork(config, weights));
    tf.tidy(() => {
      const x = tokens(new Rng(12), B, T, last.vocab);
      const probe = tf.randomNormal([B, last.classes], 0, 1, 'float32', 13);
      const ga = tf.variableGrads(() => tf.sum(tf.mul(a.logits(x), probe)) as tf.Scalar);
      const gb = tf.variableGrads(() => tf.sum(tf.mul(tf.slice(b.logits(x), [0, T - 1, 0], [B, 1, last.classes]).reshape([B, last.classes]), probe)) as tf.Scalar);
      expect(ga.value.dataSync()[0]).toBeCloseTo(gb.value.dataSync()[0], 4);
      for (const name of Object.keys(a.variables).filter((n) => a.variables[n].trainable)) {
        const [da, db] = [ga.grads[a.variables[name].name].dataSync(), gb.grads[b.variables[name].name].dataSync()];
        for (let i = 0; i < da.length; i++) expect(Math.abs(da[i] - db[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(db[i])));
      }
    });
    a.dispose();
    b.dispose();
  });

  it('back-propagates through one-symbol words (T = 1) to the embedding', () => {
    const config = tinyConfig(family);
    const net = buildNetwork(config, initWeights(config, new Rng(8)));
    const slope = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(net.logits(tokens(new Rng(9), B, 1, config.vocab))) as tf.Scalar);
      return tf.max(tf.abs(grads[net.variables.embed.name])).dataSync()[0];
    });
    expect(slope).toBeGreaterThan(0);
    net.dispose();
  });

  it('round-trips its weights byte for byte', () => {
    const config = tinyConfig(family);
    const weights = initWeights(config, new Rng(5));
    const net = buildNetwork(config, weights);
    const back = net.weights();
    expect(Object.keys(back)).toEqual(Object.keys(weights));
    for (const [name, w] of Object.entries(weights)) {
      expect(back[name].shape).toEqual(w.shape);
      expect(Buffer.from(back[name].data.buffer).equals(Buffer.from(w.data.buffer))).toBe(true);
    }
    net.dispose();
  });
});

describe('buildNetwork', () => {
  it('refuses missing, misshapen and unknown weights with the weight named', () => {
    const config = tinyConfig('lstm');
    const good = initWeights(config, new Rng(0));
    const { ['l0.mix.wh']: _dropped, ...missing } = good;
    expect(() => buildNetwork(config, missing)).toThrow(/weights: l0\.mix\.wh: missing/);
    const bent = { ...good, 'out.b': { shape: [3], data: new Float32Array(3) } };
    expect(() => buildNetwork(config, bent)).toThrow(/weights: out\.b: shape \[3\] should be \[2\]/);
    const extra = { ...good, 'l0.mix.wa': { shape: [1], data: new Float32Array(1) } };
    expect(() => buildNetwork(config, extra)).toThrow(InputError);
  });

  it('refuses a config whose fields disagree', () => {
    const config = tinyConfig('lrnn-complex', { state: 3 });
    expect(() => buildNetwork(config, {})).toThrow(/config\.state/);
  });

  it('refuses words longer than the learned position table', () => {
    const config = tinyConfig('transformer', { maxLen: 4 });
    const net = buildNetwork(config, initWeights(config, new Rng(0)));
    expect(() => tf.tidy(() => net.logits(tokens(new Rng(0), 1, 5, 3)))).toThrow(/maxLen 4/);
    net.dispose();
  });

  it('gives the same logits with the parallel scan and the sequential loop for the diagonal LRNNs', () => {
    for (const family of ['lrnn-pos', 'lrnn-neg', 'lrnn-complex'] as const) {
      const config = tinyConfig(family, { output: 'every' });
      const weights = initWeights(config, new Rng(6));
      const par = buildNetwork(config, weights, { scan: 'parallel' });
      const seq = buildNetwork(config, weights, { scan: 'sequential' });
      tf.tidy(() => {
        const x = tokens(new Rng(7), B, 13, config.vocab);
        const diff = tf.max(tf.abs(tf.sub(par.logits(x), seq.logits(x)))).dataSync()[0];
        expect(diff).toBeLessThan(1e-5);
      });
      par.dispose();
      seq.dispose();
    }
  });
});

// An independent float64 transcription of THE MATH in config.ts, loop by loop, written from the formulas
// rather than from the tfjs code: the network must agree with it for every family.
type Vec = number[];
function referenceLogits(c: ModelConfig, weights: ReturnType<typeof initWeights>, word: readonly number[]): Vec[] {
  const W = (name: string): { shape: number[]; at: (i: number, j?: number) => number } => {
    const w = weights[name];
    return { shape: w.shape, at: (i, j) => (j === undefined ? w.data[i] : w.data[i * w.shape[1] + j]) };
  };
  const vm = (x: Vec, name: string): Vec => {
    const w = W(name);
    return Array.from({ length: w.shape[1] }, (_, j) => x.reduce((s, xi, i) => s + xi * w.at(i, j), 0));
  };
  const plus = (x: Vec, name: string): Vec => x.map((v, i) => v + W(name).at(i));
  const add = (x: Vec, y: Vec): Vec => x.map((v, i) => v + y[i]);
  const sig = (z: number): number => 1 / (1 + Math.exp(-z));
  const softplus = (z: number): number => Math.log1p(Math.exp(z));
  const norm = (x: Vec, g: string): Vec => {
    if (c.norm === 'none') return x;
    const r = 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + 1e-6);
    return x.map((v, i) => v * r * W(g).at(i));
  };
  const l2 = (z: Vec): Vec => {
    const r = 1 / Math.sqrt(z.reduce((s, v) => s + v * v, 0) + 1e-6);
    return z.map((v) => v * r);
  };
  const d = c.width;
  const n = c.state;
  let xs: Vec[] = word.map((s, t) => {
    const e = Array.from({ length: d }, (_, j) => W('embed').at(s, j));
    if (c.positions === 'learned') return e.map((v, j) => v + W('pos').at(t, j));
    if (c.positions === 'sinusoidal') return e.map((v, j) => v + (j % 2 === 0 ? Math.sin : Math.cos)(t / 10000 ** ((j - (j % 2)) / d)));
    return e;
  });
  for (let l = 0; l < c.layers; l++) {
    const p = (name: string): string => `l${l}.mix.${name}`;
    const us = xs.map((x) => norm(x, `l${l}.norm1`));
    const hs: Vec[] = [];
    let h: Vec = new Array<number>(n).fill(0);
    let cell: Vec = new Array<number>(n).fill(0);
    const e = n / c.heads;
    let S: number[][][] = Array.from({ length: c.heads }, () => Array.from({ length: e }, () => new Array<number>(e).fill(0)));
    for (let t = 0; t < us.length; t++) {
      const u = us[t];
      if (c.family === 'rnn-tanh') h = add(plus(vm(u, p('wx')), p('b')), vm(h, p('wh'))).map(Math.tanh);
      else if (c.family === 'lstm') {
        const z = add(plus(vm(u, p('wx')), p('b')), vm(h, p('wh')));
        cell = cell.map((cv, i) => sig(z[n + i]) * cv + sig(z[i]) * Math.tanh(z[2 * n + i]));
        h = cell.map((cv, i) => sig(z[3 * n + i]) * Math.tanh(cv));
      } else if (c.family === 'lrnn-pos' || c.family === 'lrnn-neg') {
        const za = plus(vm(u, p('wa')), p('ca'));
        const b = plus(vm(u, p('wb')), p('cb'));
        h = h.map((hv, i) => {
          const a = Math.exp(-softplus(za[i]) * Math.exp(W(p('w')).at(i)));
          return (c.family === 'lrnn-pos' ? a : 2 * a - 1) * hv + b[i];
        });
      } else if (c.family === 'lrnn-pd') {
        // c* = first argmax of u·wp + cp; h_i = (2·gate_i − 1)·h_{perm[c*][i]} + b_i.
        const z = plus(vm(u, p('wp')), p('cp'));
        const chosen = z.indexOf(Math.max(...z));
        const za = plus(vm(u, p('wa')), p('ca'));
        const b = plus(vm(u, p('wb')), p('cb'));
        h = h.map((_, i) => (2 * Math.exp(-softplus(za[i]) * Math.exp(W(p('w')).at(i))) - 1) * h[W(p('perm')).at(chosen, i)] + b[i]);
      } else if (c.family === 'lrnn-complex') {
        const za = plus(vm(u, p('wa')), p('ca'));
        const th = plus(vm(u, p('wt')), p('ct'));
        const b = plus(vm(u, p('wb')), p('cb'));
        const next = [...h];
        for (let j = 0; j < n / 2; j++) {
          const r = Math.exp(-softplus(za[j]) * Math.exp(W(p('w')).at(j)));
          const [x0, x1] = [h[2 * j], h[2 * j + 1]];
          next[2 * j] = r * (Math.cos(th[j]) * x0 - Math.sin(th[j]) * x1) + b[2 * j];
          next[2 * j + 1] = r * (Math.sin(th[j]) * x0 + Math.cos(th[j]) * x1) + b[2 * j + 1];
        }
        h = next;
      } else if (c.family === 'deltanet-pos' || c.family === 'deltanet-neg') {
        const [kAll, qAll, vAll] = [vm(u, p('wk')), vm(u, p('wq')), vm(u, p('wv'))];
        const bz = plus(vm(u, p('wbeta')), p('cbeta'));
        const y: Vec = [];
        S = S.map((Sh, hd) => {
          const k = l2(kAll.slice(hd * e, hd * e + e));
          const q = l2(qAll.slice(hd * e, hd * e + e));
          const v = vAll.slice(hd * e, hd * e + e);
          const beta = (c.family === 'deltanet-pos' ? 1 : 2) * sig(bz[hd]);
          // S(I − β k kᵀ) + β v kᵀ, as written.
          const next = Sh.map((row, i) =>
            row.map((_, j) => row.reduce((s, sv, m) => s + sv * ((m === j ? 1 : 0) - beta * k[m] * k[j]), 0) + beta * v[i] * k[j]),
          );
          for (let i = 0; i < e; i++) y.push(next[i].reduce((s, sv, j) => s + sv * q[j], 0));
          return next;
        });
        h = y;
      } else {
        const dh = d / c.heads;
        const y: Vec = [];
        for (let hd = 0; hd < c.heads; hd++) {
          const sl = (x: Vec): Vec => x.slice(hd * dh, hd * dh + dh);
          const q = sl(vm(u, p('wq')));
          const scores = us.slice(0, t + 1).map((ui) => sl(vm(ui, p('wk'))).reduce((s, kv, i) => s + kv * q[i], 0) / Math.sqrt(dh));
          const m = Math.max(...scores);
          const ex = scores.map((s) => Math.exp(s - m));
          const z = ex.reduce((a, b) => a + b, 0);
          const out = new Array<number>(dh).fill(0);
          us.slice(0, t + 1).forEach((ui, i) => sl(vm(ui, p('wv'))).forEach((vv, j) => (out[j] += (ex[i] / z) * vv)));
          y.push(...out);
        }
        h = y;
      }
      hs.push(h);
    }
    xs = xs.map((x, t) => add(x, vm(hs[t], p('wo'))));
    if (c.mlp > 0) {
      xs = xs.map((x) => {
        const hid = plus(vm(norm(x, `l${l}.norm2`), `l${l}.mlp.w1`), `l${l}.mlp.b1`).map((v) => Math.max(0, v));
        return add(x, plus(vm(hid, `l${l}.mlp.w2`), `l${l}.mlp.b2`));
      });
    }
  }
  return xs.map((x) => plus(vm(norm(x, 'normf'), 'out.w'), 'out.b'));
}

describe('the network against a float64 transcription of config.ts', () => {
  const variants: [ModelFamily, Partial<ModelConfig>][] = [
    ...MODEL_FAMILIES.map((f): [ModelFamily, Partial<ModelConfig>] => [f, {}]),
    ['transformer', { positions: 'sinusoidal', maxLen: 0, heads: 1 }],
    ['lrnn-neg', { norm: 'none', mlp: 0, layers: 1, state: 6 }],
    ['deltanet-neg', { heads: 1 }],
  ];
  it.each(variants)('%s %j agrees to 1e-4 at every position', (family, over) => {
    const config = tinyConfig(family, { output: 'every', ...over });
    const weights = initWeights(config, new Rng(11));
    const net = buildNetwork(config, weights);
    const rng = new Rng(12);
    const words = Array.from({ length: B }, () => Array.from({ length: 7 }, () => rng.int(0, config.vocab - 1)));
    const got = tf.tidy(() => net.logits(tf.tensor2d(words.flat(), [B, 7], 'int32')).arraySync() as number[][][]);
    words.forEach((word, i) => {
      const want = referenceLogits(config, weights, word);
      want.forEach((row, t) => row.forEach((v, k) => expect(Math.abs(got[i][t][k] - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v)))));
    });
    net.dispose();
  });
});

describe('the wasm backend', () => {
  it('gives the cpu backend\'s logits and gradients for every family (T = 13: the chunked time steps)', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const run = (family: ModelFamily): number[] => {
      const config = tinyConfig(family, { maxLen: 16 });
      const net = buildNetwork(config, initWeights(config, new Rng(21)));
      const out = tf.tidy(() => {
        const x = tokens(new Rng(22), B, 13, config.vocab);
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(net.logits(x))) as tf.Scalar);
        return [value, ...Object.values(grads)].flatMap((t) => Array.from(t.dataSync()));
      });
      net.dispose();
      return out;
    };
    try {
      for (const family of MODEL_FAMILIES) {
        await tf.setBackend('cpu');
        const want = run(family);
        await tf.setBackend('wasm');
        const got = run(family);
        expect(got.length).toBe(want.length);
        const worst = Math.max(...got.map((g, i) => Math.abs(g - want[i]) / Math.max(1, Math.abs(want[i]))));
        expect({ family, worst, close: worst < 1e-3 }).toEqual({ family, worst, close: true });
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
