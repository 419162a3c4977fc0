// Agreement with the independent Python reference (docs/interop.md): weights made in Python, imported,
// then every family's float forward and its fp32 exact executor compared with Python on 200 words.
import { afterAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCheckpoint } from '../../src/interop/export.js';
import { importCheckpoint } from '../../src/interop/import.js';
import { readCheckpoint, checkpointToJsonText, type Checkpoint } from '../../src/models/checkpoint.js';
import { buildNetwork } from '../../src/models/network.js';
import { checkpointMachine } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { runCli } from '../cli/run-cli.js';
import { pythonRef, pythonReferenceAvailable } from './python-ref.js';

const available = pythonReferenceAvailable('agreement.test.ts');
const dir = mkdtempSync(join(tmpdir(), 'eigenstate-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One model shape per case: two layers, MLP and norms everywhere; heads, positions and outputs varied. */
const CASES: { name: string; args: string[] }[] = [
  { name: 'rnn-tanh', args: ['--family', 'rnn-tanh'] },
  { name: 'rnn-tanh (output every)', args: ['--family', 'rnn-tanh', '--output', 'every'] },
  { name: 'lstm', args: ['--family', 'lstm'] },
  { name: 'lrnn-pos', args: ['--family', 'lrnn-pos'] },
  { name: 'lrnn-neg', args: ['--family', 'lrnn-neg'] },
  { name: 'lrnn-complex', args: ['--family', 'lrnn-complex'] },
  { name: 'lrnn-pd', args: ['--family', 'lrnn-pd'] },
  { name: 'deltanet-pos', args: ['--family', 'deltanet-pos', '--heads', '2'] },
  { name: 'deltanet-neg', args: ['--family', 'deltanet-neg', '--heads', '2'] },
  { name: 'deltanet-neg (short convolution, kernel 4)', args: ['--family', 'deltanet-neg', '--heads', '2', '--conv', '4'] },
  { name: 'transformer (learned positions)', args: ['--family', 'transformer', '--heads', '2', '--positions', 'learned', '--max-len', '64'] },
  { name: 'transformer (sinusoidal)', args: ['--family', 'transformer', '--heads', '2', '--positions', 'sinusoidal'] },
];
const SHAPE = ['--width', '8', '--state', '8', '--layers', '2', '--mlp', '12', '--norm', 'rms'];
const WORDS = 200;
/** Words the (slow, integer-exact) Python fp32 executor runs per family. */
const EXACT_WORDS = 25;
let calls = 0;

/** 200 seeded random words over {0, 1} of lengths 1..64. */
function randomWords(seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: WORDS }, () => Array.from({ length: rng.int(1, 64) }, () => rng.int(0, 1)));
}

/** The logits eigenstate's float network (TensorFlow.js) gives each word: [C] or [T][C]. */
function floatLogits(ckpt: Checkpoint, words: number[][]): number[][][] {
  const net = buildNetwork(ckpt.config, ckpt.weights);
  try {
    return words.map((w) =>
      tf.tidy(() => {
        const out = net.logits(tf.tensor2d([w], [1, w.length], 'int32'));
        const rows = out.rank === 3 ? (out.squeeze([0]).arraySync() as number[][]) : [out.squeeze([0]).arraySync() as number[]];
        return rows;
      }),
    );
  } finally {
    net.dispose();
  }
}

/** The logits of the exact executor at fp32 after each word (last position only). */
function exactLogits(ckpt: Checkpoint, words: number[][]): number[][] {
  const m = checkpointMachine(ckpt, parseFormat('fp32'));
  return words.map((w) => {
    let s = m.initial();
    for (const x of w) s = m.step(s, x);
    return [...m.logits(s)];
  });
}

/** Python's logits for the words, as rows per word ([C] for 'last' wrapped as one row). */
function pythonLogits(model: string, words: number[][], dtype: 'float64' | 'float32' | 'exact-fp32'): number[][][] {
  const wordsFile = join(dir, `words-${calls}.json`);
  const out = join(dir, `logits-${calls++}.json`);
  writeFileSync(wordsFile, JSON.stringify(words));
  if (dtype === 'exact-fp32') pythonRef('exact-fp32', model, '--words', wordsFile, '--out', out);
  else pythonRef('forward', model, '--words', wordsFile, '--out', out, '--dtype', dtype);
  const got = (JSON.parse(readFileSync(out, 'utf8')) as { logits: (number[] | number[][])[] }).logits;
  return got.map((l) => (Array.isArray(l[0]) ? (l as number[][]) : [l as number[]]));
}

const argmax = (v: readonly number[]): number => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);
const margin = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => b - a);
  return s[0] - s[1];
};

/** Per-family figures, printed once at the end (the closing note quotes them). */
const figures: string[] = [];
afterAll(() => {
  if (figures.length > 0) console.log(`python agreement (200 words, lengths 1-64):\n${figures.join('\n')}`);
});

(available ? describe : describe.skip)('eigenstate agrees with the Python reference', () => {
  test.each(CASES.map((c, i) => [c.name, c.args, i] as const))('%s', async (name, args, i) => {
    const model = join(dir, `m${i}`);
    pythonRef('random', ...args, ...SHAPE, '--seed', String(100 + i), '--out', model);
    const ckpt = join(dir, `m${i}.json`);
    const imported = await runCli('import', model, '--out', ckpt);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const checkpoint = readCheckpoint(ckpt);

    // export -> import of the imported model is the identity
    exportCheckpoint(checkpoint, join(dir, `again${i}`), 'F32', false);
    expect(checkpointToJsonText(importCheckpoint(join(dir, `again${i}`)).checkpoint)).toBe(checkpointToJsonText(checkpoint));

    const words = randomWords(7 + i);
    const ref = pythonLogits(model, words, 'float64');
    const ours = floatLogits(checkpoint, words);
    let worst = 0;
    let classesChecked = 0;
    words.forEach((_, w) => {
      expect(ours[w].length).toBe(ref[w].length);
      ref[w].forEach((row, t) => {
        const scale = Math.max(1, ...row.map(Math.abs));
        row.forEach((v, c) => (worst = Math.max(worst, Math.abs(ours[w][t][c] - v) / scale)));
        if (margin(row) > 1e-4) {
          classesChecked++;
          expect(argmax(ours[w][t])).toBe(argmax(row));
        }
      });
    });
    expect(worst).toBeLessThanOrEqual(1e-5);

    // fp32: the exact executor against Python's float32 step-by-step run, at the last position
    const f32 = pythonLogits(model, words, 'float32');
    const exact = exactLogits(checkpoint, words);
    let exactWorst = 0;
    {
      words.forEach((_, w) => {
        const row = f32[w][f32[w].length - 1];
        const scale = Math.max(1, ...row.map(Math.abs));
        const gap = Math.max(...row.map((v, c) => Math.abs(exact[w][c] - v) / scale));
        exactWorst = Math.max(exactWorst, gap);
        if (margin(row) > 2 * gap * scale + 1e-6) expect(argmax(exact[w])).toBe(argmax(row));
      });
      expect(exactWorst).toBeLessThanOrEqual(1e-4);
    }

    // The reference's own exact fp32 semantics (integer sums, one rounding per stored value): bit for bit
    let identical = 'n/a (transformer)';
    if (checkpoint.config.family !== 'transformer') {
      const some = words.slice(0, EXACT_WORDS);
      const pyExact = pythonLogits(model, some, 'exact-fp32');
      const rows = some.map((_, w) => pyExact[w][pyExact[w].length - 1]);
      expect(exact.slice(0, EXACT_WORDS)).toEqual(rows);
      identical = `${EXACT_WORDS} of ${EXACT_WORDS} words bit-identical`;
    }
    figures.push(`${name}: float forward worst relative logit gap ${worst.toExponential(2)} (${classesChecked} classes compared); fp32 exact executor vs float32 step-by-step ${exactWorst.toExponential(2)}; vs Python exact-fp32: ${identical}`);
  });
});
