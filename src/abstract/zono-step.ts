// Which zonotope step lifts a network's step: the one place that dispatches on the family and depth, for
// the block invariant search (verify/checkpoint/all-lengths.ts) and whoever else follows a zonotope.
import type { ModelConfig } from '../models/config.js';
import type { Weights } from '../models/params.js';
import type { NumberFormat } from '../precision/format.js';
import type { BoxNetwork } from './box-network.js';
import { deltanetZonotopeSupported, ZonoDeltaNet } from './zono-deltanet.js';
import { linearZonotopeSupported, ZonoLinear, type ZonoStep } from './zono-lrnn.js';
import { lstmZonotopeSupported, ZonoLstm } from './zono-lstm.js';
import { networkZonotopeSupported, ZonoNetwork } from './zono-network.js';
import { ZonoRnnTanh, zonotopeStepSupported } from './zono-rnn-tanh.js';

/**
 * The zonotope step of a network at a format (null: the reals): one layer of rnn-tanh, lrnn-pos/neg/pd/complex,
 * deltanet or lstm by its own step; several layers of any of them (norms, MLPs, residuals) by ZonoNetwork;
 * null for any other network.
 */
export function zonoStep(c: ModelConfig, weights: Weights, format: NumberFormat | null, net: BoxNetwork): ZonoStep | null {
  if (zonotopeStepSupported(c)) return new ZonoRnnTanh(c, weights, format, net);
  if (linearZonotopeSupported(c)) return new ZonoLinear(c, weights, format, net);
  if (deltanetZonotopeSupported(c)) return new ZonoDeltaNet(c, weights, format, net);
  if (lstmZonotopeSupported(c)) return new ZonoLstm(c, weights, format, net);
  if (networkZonotopeSupported(c)) return new ZonoNetwork(c, weights, format, net);
  return null;
}
