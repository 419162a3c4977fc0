import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/errors.js';
import type { Word } from '../../../src/machine.js';
import { checkpointFromJson, checkpointToJsonText } from '../../../src/models/checkpoint.js';
import { rotationMatrix } from '../../../src/precision/dense.js';
import type { DiagonalLrnnParams } from '../../../src/precision/diagonal.js';
import type { DenseWitness } from '../../../src/verify/z3/encode.js';
import { fixedFormatOf } from '../../../src/precision/diagonal.js';
import { Rng } from '../../../src/random.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import { parseModelClass, transitionRange } from '../../../src/verify/classes.js';
import { wordTree } from '../../../src/verify/z3/instance.js';
import { gateInput, replayCheckpoint, requireCheckpointFamily, witnessCheckpoint } from '../../../src/verify/checkpoint/from-witness.js';
import { GENEROUS_MS } from '../budget.js';

/** Every word over {0, 1} up to length n. */
function allWords(_k: number, n: number): Word[] {
  return wordTree(parseTask('parity'), 'all', n).map((node) => node.word);
}

describe('witness checkpoints', () => {
  it('finds a safe gate input for every reachable code, in every rounding mode', () => {
    for (const name of ['fixed<2,4>', 'fixed<2,4,floor>', 'fixed<2,4,half-up>', 'fixed<3,6>', 'fixed<2,10>']) {
      const format = fixedFormatOf(name);
      for (const cls of ['lrnn-pos', 'lrnn-neg'] as const) {
        const { lo, hi } = transitionRange(parseModelClass(cls), format);
        for (let a = lo; a <= hi; a++) expect(Number.isInteger(gateInput(format, cls === 'lrnn-neg', a))).toBe(true);
      }
    }
  });

  it('replays random diagonal witnesses (random codes, readouts of every sign) on every word up to length 6', () => {
    const rng = new Rng(7);
    const task = parseTask('parity');
    for (let trial = 0; trial < 12; trial++) {
      const format = fixedFormatOf(rng.pick(['fixed<2,4>', 'fixed<2,3,floor>', 'fixed<3,4,half-up>']));
      const family = rng.pick(['lrnn-pos', 'lrnn-neg'] as const);
      const { lo, hi } = transitionRange(parseModelClass(family), format);
      const dim = rng.int(1, 2);
      const codes = (n: number, a: number, b: number): number[] => Array.from({ length: n }, () => rng.int(a, b));
      const w: DiagonalLrnnParams = {
        format: format.name,
        dim,
        alphabet: ['0', '1'],
        a: [codes(dim, lo, hi), codes(dim, lo, hi)],
        b: [codes(dim, format.codeMin, format.codeMax), codes(dim, format.codeMin, format.codeMax)],
        readout: { w: codes(dim, format.codeMin, format.codeMax), c: rng.int(format.codeMin, format.codeMax) },
      };
      const ckpt = witnessCheckpoint(w, parseModelClass(family), task, allWords(2, 6));
      // The file text round-trips through the validating reader and still replays.
      const back = checkpointFromJson(JSON.parse(checkpointToJsonText(ckpt)), 'mem');
      expect(() => replayCheckpoint(back, w, allWords(2, 6))).not.toThrow();
    }
  });

  it('replays random lrnn-complex witnesses (random rotation codes in the unit disc) on every word up to length 6', () => {
    const rng = new Rng(5);
    const task = parseTask('parity');
    for (let trial = 0; trial < 12; trial++) {
      const format = fixedFormatOf(rng.pick(['fixed<2,4>', 'fixed<2,3,floor>', 'fixed<3,4,half-up>']));
      const one = 2 ** format.fracBits;
      const dim = 2 * rng.int(1, 2);
      const code = (): number => rng.int(format.codeMin, format.codeMax);
      const pq = (): [number, number] => {
        for (;;) {
          const [p, q] = [rng.int(-one, one), rng.int(-one, one)];
          if (p * p + q * q <= one * one) return [p, q];
        }
      };
      const gens = [0, 1].map(() => Array.from({ length: dim / 2 }, pq));
      const p = gens.map((row) => row.map(([x]) => x));
      const q = gens.map((row) => row.map(([, y]) => y));
      const w: DenseWitness = {
        format: format.name,
        dim,
        alphabet: ['0', '1'],
        A: [0, 1].map((x) => rotationMatrix(p[x], q[x])),
        b: [0, 1].map(() => Array.from({ length: dim }, code)),
        readout: { w: Array.from({ length: dim }, code), c: code() },
        generators: { kind: 'rotation', p, q },
      };
      const ckpt = witnessCheckpoint(w, parseModelClass('lrnn-complex'), task, allWords(2, 6));
      expect(ckpt.config).toMatchObject({ family: 'lrnn-complex', state: dim });
    }
  });

  it('a checkpoint with one weight changed no longer replays', () => {
    const task = parseTask('parity');
    const w: DiagonalLrnnParams = { format: 'fixed<2,4>', dim: 1, alphabet: ['0', '1'], a: [[16], [-16]], b: [[0], [16]], readout: { w: [16], c: -8 } };
    const ckpt = witnessCheckpoint(w, parseModelClass('lrnn-neg'), task, allWords(2, 5));
    ckpt.weights['out.b'].data[1] = 0.5;
    expect(() => replayCheckpoint(ckpt, w, allWords(2, 5))).toThrow(/does not replay/);
  });

  it('writes sat witnesses of lrnn-neg, lrnn-pos (dim 2) and lrnn-complex (dim 2) that replay on the instance', async () => {
    for (const [model, dim, maxLen] of [['lrnn-neg', 1, 8], ['lrnn-pos', 2, 3], ['lrnn-complex', 2, 4]] as const) {
      const task = parseTask('parity');
      const r = await verifyBounded({ task, modelClass: parseModelClass(model), dim, format: 'fixed<2,4>', maxLen, words: 'unary', readout: 'linear', timeoutMs: GENEROUS_MS });
      expect(r.verdict).toBe('sat');
      if (r.witness === undefined) throw new Error('sat without a witness');
      const words = wordTree(task, 'unary', maxLen).map((node) => node.word);
      const ckpt = witnessCheckpoint(r.witness, parseModelClass(model), task, words);
      expect(ckpt.config).toMatchObject({ family: model, state: dim, vocab: 2, classes: 2 });
      expect(ckpt.origin).toContain('verify witness');
    }
  });

  it('refuses classes without a family and the any readout, in one line', () => {
    expect(() => requireCheckpointFamily(parseModelClass('lrnn-real'), 'linear', 'fixed<2,4>')).toThrow(/no trainable model family/);
    expect(() => requireCheckpointFamily(parseModelClass('lrnn-neg'), 'any', 'fixed<2,4>')).toThrow(InputError);
    expect(() => requireCheckpointFamily(parseModelClass('lrnn-neg'), 'linear', 'fixed<1,4>')).toThrow(/I >= 2/);
  });
});
