// Seeded initial weights for every family. Values are drawn in paramShapes order from one Rng, so the
// same config and seed give the same bytes. Choices, by weight role:
// - matrices: Glorot uniform U(±sqrt(6/(in+out))), which keeps activations O(1) through tanh/sigmoid;
// - embed: U(±sqrt(3)), unit variance per component, so with norm 'none' the first layer sees O(1) inputs;
// - learned positions: U(±0.1), small beside the embedding so the model starts position-agnostic;
// - biases 0, norm gains 1, LSTM forget-gate bias 1 (the usual remember-by-default start);
// - LRNN gates: w = 0 (exp(w) = 1) and ca set so that, for u·wa = 0, the gate exp(−softplus(ca)) starts at a
//   value spread over (0,1) per component, as Mamba's log-uniform Δ does: −log(gate) = Δ is log-uniform on
//   [0.005, 3] for lrnn-pos (gates 0.05..0.995, short and long memories), on [0.005, 1.4] for lrnn-neg
//   (gates 0.25..0.995, so 2·gate − 1 covers −0.5..0.99: both signs from the start), and on [0.005, 0.5]
//   for lrnn-complex moduli (0.6..0.995) with angles ct uniform on [−π, π) so rotations of every speed exist;
// - lrnn-pd: the gates as lrnn-neg; perm row 0 the identity, the other rows seeded uniform permutations
//   (perm-table.ts), so the selection starts from the diagonal model and a choice of mixing permutations;
// - deltanet: cbeta = 0, so β starts at 1/2 (pos) or 1 (neg), mid-range of the allowed interval; the short
//   convolution's kernels (conv = K > 0) U(±1/sqrt(K)), PyTorch's Conv1d default that fla's DeltaNet starts from.
import { match } from 'ts-pattern';
import type { Rng } from '../random.js';
import type { ModelConfig } from './config.js';
import { checkConfig } from './config.js';
import type { Weights } from './params.js';
import { paramShapes, sizeOf } from './params.js';
import { randomPermTable } from './perm-table.js';

/** Range of Δ = −log(gate) at init, log-uniform. */
interface DecayRange {
  min: number;
  max: number;
}

function uniform(rng: Rng, size: number, limit: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * rng.float() - 1) * limit;
  return out;
}

/** softplus⁻¹(Δ) for log-uniform Δ: the gate bias that makes exp(−softplus(ca)) = exp(−Δ). */
function gateBias(rng: Rng, size: number, range: DecayRange): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const delta = Math.exp(Math.log(range.min) + rng.float() * (Math.log(range.max) - Math.log(range.min)));
    out[i] = Math.log(Math.expm1(delta));
  }
  return out;
}

function decayRange(config: ModelConfig): DecayRange {
  return match(config.family)
    .with('lrnn-neg', 'lrnn-pd', () => ({ min: 0.005, max: 1.4 }))
    .with('lrnn-complex', () => ({ min: 0.005, max: 0.5 }))
    .otherwise(() => ({ min: 0.005, max: 3 }));
}

/** Seeded initial weights (same config + same seed => identical bytes). */
export function initWeights(config: ModelConfig, rng: Rng): Weights {
  checkConfig(config, 'init');
  const out: Weights = {};
  for (const [name, shape] of paramShapes(config)) {
    const size = sizeOf(shape);
    const role = name.slice(name.lastIndexOf('.') + 1);
    let data: Float32Array;
    if (name === 'embed') data = uniform(rng, size, Math.sqrt(3));
    else if (name === 'pos') data = uniform(rng, size, 0.1);
    else if (role.startsWith('norm') || name === 'normf') data = new Float32Array(size).fill(1);
    else if (name.endsWith('mix.perm')) data = randomPermTable(rng, shape[0], shape[1]);
    else if (name.endsWith('mix.ca')) data = gateBias(rng, size, decayRange(config));
    else if (name.endsWith('mix.ct')) data = uniform(rng, size, Math.PI);
    else if (/mix\.conv[qkv]$/.test(name)) data = uniform(rng, size, 1 / Math.sqrt(shape[1]));
    else if (name.endsWith('mix.b') && config.family === 'lstm') {
      data = new Float32Array(size);
      data.fill(1, size / 4, size / 2); // gate order i, f, g, o: the second block is the forget gate
    } else if (shape.length === 2) data = uniform(rng, size, Math.sqrt(6 / (shape[0] + shape[1])));
    else data = new Float32Array(size); // biases, cb/cbeta, and the LRNN w (exp(0) = 1)
    out[name] = { shape: [...shape], data };
  }
  return out;
}
