// The tfjs network of every family (THE MATH in config.ts, weight names in params.ts): embedding
// (+ positions), per layer a residual mixer and an optional residual MLP, each behind an RMS norm, then the
// final norm and the classifier. Tensors live here only; weights enter and leave as plain Float32Arrays.
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import type { ModelConfig } from './config.js';
import { checkConfig } from './config.js';
import { embedRows } from './kernels/embedding.js';
import { fusedRmsNorm } from './kernels/rms-norm.js';
import { affine, mlp, project, rmsNorm, sinusoidalPositions } from './layers.js';
import type { TableRows } from './kernels/embedding.js';
import type { Mixer } from './mixers/mixer.js';
import { mixerFor, rowsMixerFor } from './mixers/mixer.js';
import type { Weights } from './params.js';
import { paramShapes, sizeOf } from './params.js';
import { permTable } from './perm-table.js';
import type { ScanMode } from './scan.js';

/** A model of one config with trainable weights. */
export interface Network {
  readonly config: ModelConfig;
  /** Variables by weight name (names and shapes from paramShapes); all trainable but lrnn-pd's frozen `perm` tables. */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** Logits for int32 tokens [B, T] (T >= 1): [B, C] when output 'last', [B, T, C] when 'every'. Pure; caller wraps in tidy / variableGrads. */
  logits(tokens: tf.Tensor2D): tf.Tensor;
  /** The normalised final residual stream (the input of out.w) at every position: [B, T, width]. */
  features(tokens: tf.Tensor2D): tf.Tensor3D;
  /** A snapshot of the current weights as plain Float32Array data (for checkpoints). */
  weights(): Weights;
  dispose(): void;
}

/** How to evaluate the network: the same function either way, to float rounding. */
export interface NetworkOptions {
  /** The recurrences: log-depth prefix scan (default) or the sequential reference loop (diagonal LRNNs), or
   *  'fused': single operations on plain arrays (kernels/: every recurrence, the embedding lookup and the RMS
   *  norms; synchronous backends only). */
  scan?: ScanMode;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Throws InputError naming the first weight that is missing, unexpected or of the wrong shape or size. */
function checkWeights(config: ModelConfig, weights: Weights): void {
  const shapes = paramShapes(config);
  for (const [name, shape] of shapes) {
    const w = weights[name];
    if (w === undefined) throw new InputError(`weights: ${name}: missing (family ${config.family})`);
    if (!sameShape(w.shape, shape)) {
      throw new InputError(`weights: ${name}: shape [${w.shape.join(', ')}] should be [${shape.join(', ')}]`);
    }
    if (w.data.length !== sizeOf(shape)) {
      throw new InputError(`weights: ${name}: ${w.data.length} values for shape [${shape.join(', ')}]`);
    }
  }
  for (const [name] of shapes) if (name.endsWith('mix.perm')) permTable(`weights: ${name}`, weights[name]);
  const known = new Set(shapes.map(([name]) => name));
  const extra = Object.keys(weights).find((name) => !known.has(name));
  if (extra !== undefined) throw new InputError(`weights: ${extra}: not a weight of family ${config.family}`);
}

/** A network of the config holding copies of the weights as variables; InputError if the weights do not fit. */
export function buildNetwork(config: ModelConfig, weights: Weights, options: NetworkOptions = {}): Network {
  checkConfig(config, 'network');
  checkWeights(config, weights);
  const variables: Record<string, tf.Variable> = {};
  // Unnamed variables: tfjs names must be unique per process, and two networks may hold the same weight names.
  for (const [name, shape] of paramShapes(config)) {
    const initial = tf.tensor(weights[name].data, shape, 'float32');
    // lrnn-pd's permutation table is discrete: held, never trained (config.ts).
    variables[name] = tf.variable(initial, !name.endsWith('mix.perm')); // a copy: the initial tensor is ours to free
    initial.dispose();
  }
  const mixer: Mixer = mixerFor(config, options.scan ?? 'parallel');
  const rowsMixer = rowsMixerFor(config, options.scan ?? 'parallel');
  const fusedKernels = options.scan === 'fused';
  const gain = (name: string): tf.Tensor | null => (config.norm === 'rms' ? variables[name] : null);
  /** RMS norm with gain g (the identity when null): one operation with the fused kernels (kernels/rms-norm.ts). */
  const norm = (x: tf.Tensor3D, g: tf.Tensor | null): tf.Tensor3D => (fusedKernels && g !== null ? fusedRmsNorm(x, g) : rmsNorm(x, g));

  /** The tokens as int32, InputError when the words are empty. */
  function tokenIds(tokens: tf.Tensor2D): tf.Tensor2D {
    if (tokens.shape[1] < 1) throw new InputError('tokens: empty words are not fed to the network (length 0)');
    return tokens.dtype === 'int32' ? tokens : tf.cast(tokens, 'int32');
  }

  function embed(tokens: tf.Tensor2D): tf.Tensor3D {
    const t = tokens.shape[1];
    const ids = tokenIds(tokens);
    // With the fused kernels, one lookup operation on plain arrays (kernels/embedding.ts). Otherwise one-hot
    // times the table rather than gather: gather's gradient (UnsortedSegmentSum) has no wasm kernel, and
    // vocabularies here are tiny. The one-hot is int32 then cast: the wasm OneHot kernel writes integer bits
    // into a float32 output (tfjs 4.22).
    const x = fusedKernels
      ? embedRows(ids, variables.embed as tf.Tensor2D)
      : project(tf.cast(tf.oneHot(ids, config.vocab), 'float32') as tf.Tensor3D, variables.embed);
    if (config.positions === 'none') return x;
    if (config.positions === 'learned') {
      if (t > config.maxLen) throw new InputError(`tokens: length ${t} exceeds the learned positions (config.maxLen ${config.maxLen})`);
      return tf.add(x, tf.slice(variables.pos, [0, 0], [t, config.width]));
    }
    return tf.add(x, tf.tensor2d(sinusoidalPositions(t, config.width), [t, config.width]));
  }

  /** [B, T, k] -> its last position, [B, 1, k]. */
  const lastStep = (x: tf.Tensor3D): tf.Tensor3D => {
    const [b, t, k] = x.shape;
    return tf.slice(x, [0, t - 1, 0], [b, 1, k]);
  };

  /**
   * The normalised final residual stream: at every position, or (lastOnly) at the last one only, [B, 1, width].
   * Only the last layer's mixer needs every position of its input; with lastOnly its output projection, its MLP
   * and the final norm run on the last position alone, which gives the same values there (they act position by
   * position).
   */
  function stream(tokens: tf.Tensor2D, lastOnly: boolean): tf.Tensor3D {
    // With the fused kernels, no positions and an RMS norm, the first layer's normalised input is the table's
    // normalised rows, looked up: the norm acts row by row, so norm(table[tokens]) = norm(table)[tokens], a norm
    // of vocab rows instead of B·T (forward and backward). The residual stream is then read at the last
    // position only when one layer feeds output 'last', so only that column is looked up. A rows mixer (rnn-tanh,
    // lrnn-pos/neg) goes further: its input projections run on the normalised table, looked up after (mixer.ts).
    const rowNorm = fusedKernels && config.positions === 'none' && config.norm === 'rms';
    const onlyLastColumn = rowNorm && lastOnly && config.layers === 1;
    let x: tf.Tensor3D;
    let firstRows: TableRows | null = null;
    if (rowNorm) {
      const ids = tokenIds(tokens);
      const table = variables.embed as tf.Tensor2D;
      firstRows = { ids, table: fusedRmsNorm(table, variables['l0.norm1']) };
      const [b, t] = ids.shape;
      x = embedRows(onlyLastColumn ? tf.slice(ids, [0, t - 1], [b, 1]) : ids, table);
    } else {
      x = embed(tokens);
    }
    for (let l = 0; l < config.layers; l++) {
      const prefix = `l${l}.`;
      const p = (name: string): tf.Variable => variables[`${prefix}mix.${name}`];
      const lastLayer = lastOnly && l === config.layers - 1;
      let states: tf.Tensor3D;
      // a rows mixer of the last layer gives the last position's states alone (no [B, T, k] states to cut)
      let statesLast = false;
      if (l === 0 && firstRows !== null && rowsMixer !== null) {
        states = rowsMixer(firstRows, p, lastLayer);
        statesLast = lastLayer;
      } else if (l === 0 && firstRows !== null) states = mixer(embedRows(firstRows.ids, firstRows.table), p);
      else states = mixer(norm(x, gain(`${prefix}norm1`)), p);
      const wo = variables[`${prefix}mix.wo`];
      // the output projection of the last position only, where nothing else is read: a T-th of the product
      if (lastLayer) x = tf.add(onlyLastColumn ? x : lastStep(x), project(statesLast ? states : lastStep(states), wo));
      else x = tf.add(x, project(states, wo));
      if (config.mlp > 0) {
        const v = (name: string): tf.Variable => variables[`${prefix}mlp.${name}`];
        x = tf.add(x, mlp(norm(x, gain(`${prefix}norm2`)), v('w1'), v('b1'), v('w2'), v('b2')));
      }
    }
    return norm(x, gain('normf'));
  }

  const features = (tokens: tf.Tensor2D): tf.Tensor3D => stream(tokens, false);

  function logits(tokens: tf.Tensor2D): tf.Tensor {
    if (config.output === 'every') return affine(features(tokens), variables['out.w'], variables['out.b']);
    const last = affine(stream(tokens, true), variables['out.w'], variables['out.b']);
    const [b, , c] = last.shape;
    return last.reshape([b, c]);
  }

  function snapshot(): Weights {
    const out: Weights = {};
    for (const [name, shape] of paramShapes(config)) out[name] = { shape: [...shape], data: new Float32Array(variables[name].dataSync()) };
    return out;
  }

  return {
    config,
    variables,
    logits,
    features,
    weights: snapshot,
    dispose: () => {
      for (const v of Object.values(variables)) v.dispose();
    },
  };
}
