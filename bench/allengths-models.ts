// The seeded one-layer models of bench/allengths: width = state = 64 (deltanet: 8 heads of 8), RMS norm.
import type { ModelConfig } from '../src/models/config.js';
import type { ModelFamily } from '../src/models/family.js';

/** A one-layer parity model config of the family at width w. */
export function familyConfigFor(family: ModelFamily, w: number): ModelConfig {
  const deltanet = family.startsWith('deltanet');
  return { family, vocab: 2, classes: 2, width: w, state: w, layers: 1, mlp: 0, norm: 'rms', output: 'last', heads: deltanet ? 8 : 1, positions: 'none', maxLen: 0 };
}
