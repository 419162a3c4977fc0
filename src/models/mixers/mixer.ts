// A mixer maps a layer's normalised input u [B, T, d] to its states s [B, T, k], the input of its output
// projection: the residual update is y = s·wo (config.ts). network.ts applies wo, so that where only the last
// position is read (output 'last', last layer) it projects that position alone. The one place a family name
// picks its mixer: an exhaustive match over the union.
import type * as tf from '@tensorflow/tfjs';
import { match } from 'ts-pattern';
import type { ModelConfig } from '../config.js';
import { shortConvSize } from '../config.js';
import type { ParamLookup } from '../layers.js';
import type { ScanMode } from '../scan.js';
import { attentionMixer } from './attention.js';
import { deltaNetMixer } from './deltanet.js';
import { lrnnComplexMixer } from './lrnn-complex.js';
import { lrnnPdMixer } from './lrnn-pd.js';
import { lrnnMixer } from './lrnn.js';
import { lstmMixer } from './lstm.js';
import { rnnTanhMixer } from './rnn-tanh.js';

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
