// Hand-built checkpoints: constructions and test models are ordinary checkpoint files (origin says how
// they were made, training is null), so every tool that reads a trained model reads them too.
import type { Checkpoint } from '../../models/checkpoint.js';
import { checkWeights } from '../../models/checkpoint.js';
import type { ModelConfig } from '../../models/config.js';
import { checkConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import { paramShapes, sizeOf } from '../../models/params.js';
import type { Rng } from '../../random.js';
import type { Task } from '../../tasks/task.js';

/** Fills one weight: its name (e.g. 'l0.mix.wa') and shape; unnamed weights default to zero. */
export type WeightFill = (name: string, shape: readonly number[]) => ArrayLike<number> | undefined;

/** A checkpoint of a config for a task with weights from `fill` (zeros where it returns undefined); validated. */
export function buildCheckpoint(config: ModelConfig, task: Task, origin: string, fill: WeightFill): Checkpoint {
  checkConfig(config, origin);
  const weights: Weights = {};
  for (const [name, shape] of paramShapes(config)) {
    const data = new Float32Array(sizeOf(shape));
    const given = fill(name, shape);
    if (given !== undefined) data.set(Array.from(given));
    weights[name] = { shape: [...shape], data };
  }
  checkWeights(config, weights, origin);
  return {
    config,
    task: { name: task.name, alphabet: [...task.alphabet], classes: [...task.classes] },
    training: null,
    origin,
    weights,
  };
}

/** A one-layer recurrent config without norm or MLP, for a task. */
export function plainConfig(family: ModelConfig['family'], task: Task, width: number, state: number): ModelConfig {
  return {
    family,
    vocab: task.alphabet.length,
    classes: task.classes.length,
    width,
    state,
    layers: 1,
    mlp: 0,
    norm: 'none',
    output: 'last',
    heads: 1,
    positions: 'none',
    maxLen: 0,
  };
}

/** A checkpoint with seeded uniform weights in [−scale, scale] (an untrained model of a given size). */
export function randomCheckpoint(config: ModelConfig, task: Task, rng: Rng, scale = 1): Checkpoint {
  return buildCheckpoint(config, task, `random weights (seed ${rng.seed})`, (_, shape) =>
    Array.from({ length: sizeOf(shape) }, () => (2 * rng.float() - 1) * scale),
  );
}
