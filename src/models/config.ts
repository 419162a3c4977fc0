// A model's hyperparameters: everything needed to rebuild it from its weights. Stored verbatim in every
// checkpoint (checkpoint.ts) and read by the tfjs network (models/) and the exact executor (precision/).
//
// The architecture, one definition for both sides (symbols s_1..s_T, width d, state size n):
//   x_t = embed[s_t] (+ pos[t-1] for a transformer: learned rows, or sinusoidal when positions = 'sinusoidal')
//   for each layer l:  x_t += mixer_l(norm1(x))_t;  if mlp > 0:  x_t += relu(norm2(x_t)·w1 + b1)·w2 + b2
//   logits_t = normf(x_t)·out.w + out.b, read at the last position (output 'last') or every position
//   norm(x) = x / sqrt(mean(x²) + 1e-6) ⊙ g when norm = 'rms', the identity when norm = 'none'
// Mixers (u_t = the normalised input of the layer; params.ts lists every weight name and shape):
//   rnn-tanh      h_t = tanh(u_t·wx + h_{t-1}·wh + b),  y_t = h_t·wo
//   lstm          [i f g o] = u_t·wx + h_{t-1}·wh + b;  c_t = σ(f)c_{t-1} + σ(i)tanh(g);  h_t = σ(o)tanh(c_t);  y_t = h_t·wo
//   lrnn-pos      a_t = exp(−softplus(u_t·wa + ca)·exp(w)) ∈ (0,1);  h_t = a_t ⊙ h_{t-1} + (u_t·wb + cb);  y_t = h_t·wo
//   lrnn-neg      the same with a_t ← 2·a_t − 1 ∈ (−1,1)
//   lrnn-complex  n/2 blocks j: modulus r = exp(−softplus(u·wa + ca)·exp(w)), angle θ = u·wt + ct;
//                 (h_2j, h_2j+1) ← r·R(θ)(h_2j, h_2j+1) + (u·wb + cb)_(2j, 2j+1);  y_t = h_t·wo
//   lrnn-pd       (P0's permutation-diagonal LRNN) k = vocab candidate permutations: row c of the table perm
//                 [k, n] is a permutation of 0..n−1 (an index table: never rounded to a format). The input picks
//                 c* = the first argmax over c of z_c = u·wp + cp (z stored, i.e. rounded to the format like every
//                 linear map; ties go to the lowest c); a_t as in lrnn-neg; b_t = u_t·wb + cb;
//                 h_t,i = a_t,i·h_{t-1, perm[c*][i]} + b_t,i, i.e. h_t = diag(a_t)·P_{c*}·h_{t-1} + b_t with
//                 (P h)_i = h_{perm[i]};  y_t = h_t·wo.
//                 Training: the selection is hard in the forward pass and straight-through (softmax(z)'s
//                 gradient) in the backward pass; perm is a frozen, seeded table the optimiser never changes
//                 (a permutation is discrete: no gradient reaches it, and every stored value stays a
//                 permutation, so the trained model is in the class at every step). Row 0 of an initial
//                 table is the identity, so where the input picks c* = 0 the step is lrnn-neg's.
//   deltanet-pos  per head (n/heads = e): k = l2norm(u·wk), q = l2norm(u·wq), v = u·wv, β = σ(u·wbeta + cbeta);
//                 S_t = S_{t-1}(I − β k kᵀ) + β v kᵀ  (S is e×e, S_0 = 0);  y_t = concat_heads(S_t q)·wo
//   deltanet-neg  the same with β ← 2β ∈ (0,2), so I − β k kᵀ has eigenvalues in (−1,1)
//   deltanet with conv = K > 0 (P3's DeltaNet, flash-linear-attention's use_short_conv): before the heads, each
//                 projection p = u·wq, u·wk, u·wv goes through a short causal depthwise convolution and SiLU,
//                 c_t,i = Σ_j conv[i][j]·p_{t−K+1+j},i (p_τ = 0 for τ < 1: left zero padding; conv = convq,
//                 convk, convv, each [n, K]), then q = l2norm(silu(c^q)), k = l2norm(silu(c^k)), v = silu(c^v)
//                 per head; β reads u alone. silu(z) = z·σ(z).
//   transformer   causal softmax attention, heads H, q = u·wq, k = u·wk, v = u·wv, scores q·kᵀ/sqrt(d/H);
//                 y = concat_heads(softmax(scores)·v)·wo
//   l2norm(z) = z / sqrt(|z|² + 1e-6); σ = sigmoid; states start at zero.
// Conventions: the LSTM gate blocks of wx, wh, b are in the order i, f, g, o; lrnn-complex stores its state
// as interleaved (re, im) pairs and R(θ)(x, y) = (x cos θ − y sin θ, x sin θ + y cos θ); sinusoidal
// positions (p 0-based) are pos[p][2i] = sin(p / 10000^(2i/d)), pos[p][2i+1] = cos(p / 10000^(2i/d)).
import { z } from 'zod';
import { InputError, UnsupportedError } from '../errors.js';
import type { ModelFamily } from './family.js';
import { MODEL_FAMILIES } from './family.js';

/** Hyperparameters of one model. */
export interface ModelConfig {
  family: ModelFamily;
  /** Number of input symbols (the task's alphabet size). */
  vocab: number;
  /** Number of output classes (2 for a language). */
  classes: number;
  /** Residual stream width d. */
  width: number;
  /** Recurrent state size n per layer (lrnn-complex: even; deltanet: a multiple of heads). */
  state: number;
  layers: number;
  /** Hidden size of the MLP after each mixer; 0 means no MLP. */
  mlp: number;
  norm: 'none' | 'rms';
  /** Classify at the last position (languages) or at every position (word problems). */
  output: 'last' | 'every';
  /** Attention heads (transformer) or delta-rule heads (deltanet); 1 elsewhere. */
  heads: number;
  /** Position encoding: transformers only ('none' for every recurrent family). */
  positions: 'none' | 'learned' | 'sinusoidal';
  /** Longest input the learned position table covers (transformer with learned positions), else 0. */
  maxLen: number;
  /**
   * DeltaNet's short convolution: kernel size K of the causal depthwise convolution (then SiLU) on q, k and v;
   * absent or 0 means none (every other family: absent). Absent in files written before it existed.
   */
  conv?: number;
}

/** Largest short-convolution kernel a config may ask for (fla's default is 4). */
export const MAX_CONV = 64;

const positive = z.number().int().positive();

/** The zod schema of a ModelConfig, shared by checkpoint loading and CLI validation. */
export const modelConfigSchema = z
  .object({
    family: z.enum(MODEL_FAMILIES),
    vocab: positive,
    classes: z.number().int().min(2),
    width: positive,
    state: positive,
    layers: positive,
    mlp: z.number().int().min(0),
    norm: z.enum(['none', 'rms']),
    output: z.enum(['last', 'every']),
    heads: positive,
    positions: z.enum(['none', 'learned', 'sinusoidal']),
    maxLen: z.number().int().min(0),
    conv: z.number().int().min(0).max(MAX_CONV).optional(),
  })
  .strict();

/** The kernel size of a config's short convolution; 0 when it has none. */
export function shortConvSize(c: ModelConfig): number {
  return c.conv ?? 0;
}

/**
 * Throws UnsupportedError (exit 3) "unknown: short convolution not supported by <what>" for a model with a short
 * convolution: for the analyses that model DeltaNet without one, so that they never answer about a different model.
 */
export function refuseShortConv(c: ModelConfig, what: string): void {
  if (shortConvSize(c) > 0) {
    throw new UnsupportedError(`unknown: short convolution not supported by ${what} (the model has conv ${c.conv}; bounded checks, run, eval and extract work at any format)`);
  }
}

/** The problem with a config that the schema cannot see (shape constraints between fields), or null. */
export function configProblem(c: ModelConfig): { field: keyof ModelConfig; message: string } | null {
  if (c.family === 'lrnn-complex' && c.state % 2 !== 0) {
    return { field: 'state', message: 'lrnn-complex needs an even state size (2x2 blocks)' };
  }
  if ((c.family === 'deltanet-pos' || c.family === 'deltanet-neg') && c.state % c.heads !== 0) {
    return { field: 'state', message: `deltanet needs a state size divisible by heads (${c.heads})` };
  }
  if (c.family === 'transformer') {
    if (c.width % c.heads !== 0) return { field: 'width', message: `transformer width must be divisible by heads (${c.heads})` };
    if (c.positions === 'learned' && c.maxLen === 0) return { field: 'maxLen', message: 'learned positions need maxLen > 0' };
  } else if (c.positions !== 'none') {
    return { field: 'positions', message: `only transformers take positions (family ${c.family})` };
  }
  if (shortConvSize(c) > 0 && c.family !== 'deltanet-pos' && c.family !== 'deltanet-neg') {
    return { field: 'conv', message: `only deltanet takes a short convolution (family ${c.family}; use 0 or leave it out)` };
  }
  if (c.family !== 'transformer' && c.family !== 'deltanet-pos' && c.family !== 'deltanet-neg' && c.heads !== 1) {
    return { field: 'heads', message: `family ${c.family} has no heads (use 1)` };
  }
  return null;
}

/** Throws InputError "<where>: config.<field>: <problem>" when the fields disagree. */
export function checkConfig(c: ModelConfig, where: string): void {
  const problem = configProblem(c);
  if (problem !== null) {
    throw new InputError(`${where}: config.${problem.field}: ${problem.message} (got ${JSON.stringify(c[problem.field])})`);
  }
}
