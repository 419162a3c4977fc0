// A mixer maps a layer's normalised input u [B, T, d] to its states s [B, T, k], the input of its output
// projection: the residual update is y = s·wo (config.ts). network.ts applies wo, so that where only the last
// position is read (output 'last', last layer) it projects that position alone. The one place a family name
// picks its mixer: an exhaustive match over the union.
import type * as tf from '@tensorflow/tfjs';
import { match } from 'ts-pattern';
import type { ModelConfig } from '../config.js';
import { shortConvSize } from '../config.js';
import type { TableRows } from '../kernels/embedding.js';
import type { ParamLookup } from '../layers.js';
import type { ScanMode } from '../scan.js';
import { attentionMixer } from './attention.js';
import { deltaNetMixer } from './deltanet.js';
import { lrnnComplexMixer } from './lrnn-complex.js';
import { lrnnPdMixer } from './lrnn-pd.js';
import { lrnnMixer, lrnnRowsMixer } from './lrnn.js';
import { lstmMixer } from './lstm.js';
import { rnnTanhMixer, rnnTanhRowsMixer } from './rnn-tanh.js';

/** One layer's sequence mixer: u [B, T, d] -> its states s [B, T, k] (y = s·wo, applied by the caller), reading its weights through `p`. */
export type Mixer = (u: tf.Tensor3D, p: ParamLookup) => tf.Tensor3D;

/** The mixer of a config's family, with the family's constants (signs, heads, scan mode) bound. */
export function mixerFor(config: ModelConfig, scan: ScanMode): Mixer {
  return match(config.family)
    .with('rnn-tanh', (): Mixer => (u, p) => rnnTanhMixer(u, p, scan))
    .with('lstm', (): Mixer => (u, p) => lstmMixer(u, p, scan))
    .with('lrnn-pos', (): Mixer => (u, p) => lrnnMixer(u, p, 'pos', scan))
    .with('lrnn-neg', (): Mixer => (u, p) => lrnnMixer(u, p, 'neg', scan))
    .with('lrnn-complex', (): Mixer => (u, p) => lrnnComplexMixer(u, p, scan))
    .with('lrnn-pd', (): Mixer => lrnnPdMixer)
    .with('deltanet-pos', (): Mixer => (u, p) => deltaNetMixer(u, p, config.heads, 'pos', scan, shortConvSize(config)))
    .with('deltanet-neg', (): Mixer => (u, p) => deltaNetMixer(u, p, config.heads, 'neg', scan, shortConvSize(config)))
    .with('transformer', (): Mixer => (u, p) => attentionMixer(u, p, config.heads))
    .exhaustive();
}

/** A mixer over an input u = table[ids] given as the table and the tokens (kernels/embedding.ts): the first layer's
 *  normalised embedding (network.ts), whose input projections then run on the table's few rows. With lastOnly it
 *  gives the last position's states alone, [B, 1, k] (where nothing else reads the others). */
export type RowsMixer = (rows: TableRows, p: ParamLookup, lastOnly: boolean) => tf.Tensor3D;

/** The rows mixer of a config's family on the fused kernels (rnn-tanh, lrnn-pos, lrnn-neg), or null: other
 *  families, and other scan modes, take the looked-up input. */
export function rowsMixerFor(config: ModelConfig, scan: ScanMode): RowsMixer | null {
  if (scan !== 'fused') return null;
  if (config.family === 'rnn-tanh') return rnnTanhRowsMixer;
  if (config.family === 'lrnn-pos' || config.family === 'lrnn-neg') {
    const sign = config.family === 'lrnn-pos' ? 'pos' : 'neg';
    return (rows, p, lastOnly) => lrnnRowsMixer(rows, p, sign, scan, lastOnly);
  }
  return null;
}
