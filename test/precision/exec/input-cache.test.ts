import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ModelFamily } from '../../../src/models/family.js';
import { RecurrentNetworkExec } from '../../../src/precision/exec/network.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { randomCheckpoint, smallConfig } from '../../fixtures/handbuilt.js';

/** The families whose first layer has input-only gates (MixerExec.bind), and two that have none. */
const BOUND: readonly ModelFamily[] = ['lrnn-pos', 'lrnn-neg', 'lrnn-pd', 'lrnn-complex', 'deltanet-pos', 'deltanet-neg'];
const UNBOUND: readonly ModelFamily[] = ['rnn-tanh', 'lstm'];
const FORMATS = ['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fixed<2,6>', 'fixed<3,4,floor>', 'fixed<4,12>'];

/** The first index where two vectors differ bit for bit (−0 and 0 apart), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('the first layer bound per symbol (ExecOptions.inputCache)', () => {
  // the deltanet families also with a short convolution (conv 3: the bound mixer keeps the projections only)
  const cases: [ModelFamily, number][] = [...[...BOUND, ...UNBOUND].map((f): [ModelFamily, number] => [f, 0]), ['deltanet-neg', 3], ['deltanet-pos', 2]];
  it.each(cases)('%s (conv %i): cached and uncached executors agree bit for bit on every state and logit of random models and words', (family, conv) => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1e6 }),
          format: fc.constantFrom(...FORMATS),
          vocab: fc.integer({ min: 2, max: 3 }),
          layers: fc.integer({ min: 1, max: 2 }),
          mlp: fc.constantFrom(0, 3),
          norm: fc.constantFrom('rms' as const, 'none' as const),
          scale: fc.constantFrom(0.5, 1.5),
          word: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 40 }),
        }),
        ({ seed, format, vocab, layers, mlp, norm, scale, word }) => {
          const config = { ...smallConfig(family, { layers, mlp, norm, ...(conv > 0 ? { conv } : {}) }), vocab };
          const ckpt = randomCheckpoint(config, seed, scale);
          const f = parseFormat(format);
          const cached = new RecurrentNetworkExec(config, ckpt.weights, f);
          const plain = new RecurrentNetworkExec(config, ckpt.weights, f, { inputCache: false });
          expect(cached.inputCached).toBe(BOUND.includes(family));
          expect(plain.inputCached).toBe(false);
          let a = new Float64Array(cached.stateSize);
          let b = new Float64Array(plain.stateSize);
          for (let t = 0; t < word.length; t++) {
            const symbol = word[t] % vocab;
            const na = new Float64Array(a.length);
            const nb = new Float64Array(b.length);
            cached.step(symbol, a, na);
            plain.step(symbol, b, nb);
            [a, b] = [na, nb];
            const at = firstDifference(a, b);
            if (at >= 0) throw new Error(`step ${t}: state value ${at} is ${a[at]} cached, ${b[at]} uncached`);
            const la = cached.logits(symbol, a, new Float64Array(config.classes));
            const lb = plain.logits(symbol, b, new Float64Array(config.classes));
            if (firstDifference(la, lb) >= 0) throw new Error(`step ${t}: logits ${Array.from(la)} cached, ${Array.from(lb)} uncached`);
          }
        },
      ),
      { numRuns: 60, seed: 23 },
    );
  });

  it('refuses a symbol outside the vocabulary on the cached route as on the other', () => {
    const config = smallConfig('lrnn-neg');
    const net = new RecurrentNetworkExec(config, randomCheckpoint(config, 1).weights, parseFormat('fp32'));
    expect(net.inputCached).toBe(true);
    const s = new Float64Array(net.stateSize);
    for (const bad of [2, -1, 0.5]) expect(() => net.step(bad, s, new Float64Array(net.stateSize))).toThrow(/outside the vocabulary/);
  });
});
