// The weight names and shapes of every family: the contract between the tfjs network (models/), the
// checkpoint file (checkpoint.ts) and the exact executor (precision/). Matrices are row-major [in, out],
// applied as x·W, so a weight's first dimension is the size of what it reads.
import { match } from 'ts-pattern';
import type { ModelConfig } from './config.js';
import { shortConvSize } from './config.js';

/** One weight tensor as plain data: row-major float32 values and their shape. */
export interface Tensor32 {
  shape: number[];
  data: Float32Array;
}

/** All weights of a model by name (names from paramShapes). */
export type Weights = Record<string, Tensor32>;

/** Names and shapes of the mixer's weights of one layer, without the layer prefix. */
function mixerShapes(c: ModelConfig): [string, number[]][] {
  const { width: d, state: n, heads: h } = c;
  const K = shortConvSize(c);
  // The diagonal LRNN's weights; lrnn-pd's diagonal part is the same, after its selector.
  const diagonal: [string, number[]][] = [
    ['wa', [d, n]],
    ['ca', [n]],
    ['w', [n]],
    ['wb', [d, n]],
    ['cb', [n]],
    ['wo', [n, d]],
  ];
  return match(c.family)
    .with('rnn-tanh', () => [
      ['wx', [d, n]],
      ['wh', [n, n]],
      ['b', [n]],
      ['wo', [n, d]],
    ])
    .with('lstm', () => [
      ['wx', [d, 4 * n]], // gate order i, f, g, o
      ['wh', [n, 4 * n]],
      ['b', [4 * n]],
      ['wo', [n, d]],
    ])
    .with('lrnn-pos', 'lrnn-neg', () => diagonal)
    .with('lrnn-complex', () => [
      ['wa', [d, n / 2]],
      ['ca', [n / 2]],
      ['w', [n / 2]],
      ['wt', [d, n / 2]],
      ['ct', [n / 2]],
      ['wb', [d, n]],
      ['cb', [n]],
      ['wo', [n, d]],
    ])
    .with('lrnn-pd', () => [
      ['perm', [c.vocab, n]], // row c: candidate permutation c as its images 0..n−1 (float32 integers), frozen
      ['wp', [d, c.vocab]],
      ['cp', [c.vocab]],
      ...diagonal,
    ])
    .with('deltanet-pos', 'deltanet-neg', () => [
      ['wq', [d, n]],
      ['wk', [d, n]],
      ['wv', [d, n]],
      ['wbeta', [d, h]],
      ['cbeta', [h]],
      ['wo', [n, d]],
      // the short convolution (config.conv = K > 0): row i is channel i's kernel, column j multiplies
      // p_{t−K+1+j} (flash-linear-attention's q_conv1d.weight [n, 1, K] without its middle axis)
      ...(K > 0 ? ['convq', 'convk', 'convv'].map((name): [string, number[]] => [name, [n, K]]) : []),
    ])
    .with('transformer', () => [
      ['wq', [d, d]],
      ['wk', [d, d]],
      ['wv', [d, d]],
      ['wo', [d, d]],
    ])
    .exhaustive() as [string, number[]][];
}

/**
 * Every weight of a model in a fixed order: embed, pos (learned positions only), then per layer l the
 * prefix `l<l>.`: norm1, mix.<mixer weights>, norm2 and mlp.w1/b1/w2/b2 (when mlp > 0), then normf, out.w, out.b.
 * Norm gains exist only when norm = 'rms'.
 */
export function paramShapes(c: ModelConfig): [string, number[]][] {
  const d = c.width;
  const rms = c.norm === 'rms';
  const out: [string, number[]][] = [['embed', [c.vocab, d]]];
  if (c.positions === 'learned') out.push(['pos', [c.maxLen, d]]);
  for (let l = 0; l < c.layers; l++) {
    const p = `l${l}.`;
    if (rms) out.push([`${p}norm1`, [d]]);
    for (const [name, shape] of mixerShapes(c)) out.push([`${p}mix.${name}`, shape]);
    if (c.mlp > 0) {
      if (rms) out.push([`${p}norm2`, [d]]);
      out.push([`${p}mlp.w1`, [d, c.mlp]], [`${p}mlp.b1`, [c.mlp]], [`${p}mlp.w2`, [c.mlp, d]], [`${p}mlp.b2`, [d]]);
    }
  }
  if (rms) out.push(['normf', [d]]);
  out.push(['out.w', [d, c.classes]], ['out.b', [c.classes]]);
  return out;
}

/** Number of scalars in a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Total number of trainable scalars of a config. */
export function parameterCount(c: ModelConfig): number {
  return paramShapes(c).reduce((sum, [, shape]) => sum + sizeOf(shape), 0);
}
