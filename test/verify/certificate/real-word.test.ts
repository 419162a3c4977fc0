import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkRealWord } from '../../../src/verify/certificate/real-word.js';
import { lassoSymbols, parseLasso } from '../../../src/verify/checkpoint/lasso-word.js';
import { realRun } from '../../../src/verify/checkpoint/real-run.js';

const ckpt = (file: string) => readCheckpoint(file);
const LSTM = ckpt('specs/checkpoints/parity-lstm-trained.json');
const TANH = ckpt('specs/checkpoints/parity-rnn-tanh-w32-trained.json');
const DELTA = ckpt('bench/models/allengths/deltanet-neg-w16-s242.json');

describe("the checker's replay of a word over the reals", () => {
  it.each([
    ['lstm', '1(0)^24', LSTM],
    ['rnn-tanh w32', '1(0)^44', TANH],
    ['deltanet-neg w16 (256 state values)', '(1)^12', DELTA],
    ['lrnn-neg, 2 layers, MLP, norm (zono-deep.ts)', '(1)^23', ckpt('bench/models/allengths/lrnn-neg-2l-mlp-s240.json')],
  ])('%s on %s: certifies with its own reduced zonotopes the class the search certifies', (_, text, model) => {
    const lasso = parseLasso(['0', '1'], text);
    const search = realRun(model, lasso);
    const check = checkRealWord(model, lassoSymbols(lasso));
    expect(search.method).toBe('zonotope');
    expect(check.method).toBe('zonotope');
    expect(search.cls).not.toBeNull();
    expect(check.cls).toBe(search.cls);
  });

  it('never certifies the other class than the search on random words (two independent enclosures of one real state)', () => {
    let decided = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 16 }), (word) => {
        const search = realRun(LSTM, { prefix: word, loop: [], power: 1 });
        const check = checkRealWord(LSTM, word);
        if (search.cls !== null && check.cls !== null) {
          decided++;
          expect(check.cls).toBe(search.cls);
        }
      }),
      { numRuns: 16, seed: 31 },
    );
    expect(decided).toBeGreaterThan(12);
  });

  it('follows a deeper rnn-tanh in intervals', () => {
    const deep = ckpt('bench/models/allengths/rnn-tanh-2l-mlp-s239.json');
    const r = checkRealWord(deep, [1]);
    expect(r.method).toBe('intervals');
    expect(r.cls).toBe(realRun(deep, { prefix: [1], loop: [], power: 1 }).cls);
  });
});
