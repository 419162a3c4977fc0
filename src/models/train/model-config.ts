// A ModelConfig from a task and the size flags of `eigenstate train`: vocab and classes come from the task,
// positions default to what the family can take, and the result is validated like a checkpoint's config.
import type { ModelConfig } from '../config.js';
import { checkConfig, modelConfigSchema } from '../config.js';
import type { ModelFamily } from '../family.js';
import type { Task } from '../../tasks/task.js';
import { parseWithSchema } from '../../validate.js';

/** The size and shape choices a user makes (everything but vocab and classes). */
export interface ModelShape {
  width: number;
  state: number;
  layers: number;
  mlp: number;
  norm: 'none' | 'rms';
  heads: number;
  output: 'last' | 'every';
  /** Default: 'sinusoidal' for transformers, 'none' otherwise. */
  positions?: 'none' | 'learned' | 'sinusoidal';
  maxLen?: number;
  /** DeltaNet's short convolution kernel size (config.ts); absent or 0: none. */
  conv?: number;
}

/** The validated config of a family on a task; InputError "options: config.<field>: ..." when it is not valid. */
export function configForTask(task: Task, family: ModelFamily, shape: ModelShape): ModelConfig {
  const config = parseWithSchema(
    modelConfigSchema,
    {
      family,
      vocab: task.alphabet.length,
      classes: task.classes.length,
      width: shape.width,
      state: shape.state,
      layers: shape.layers,
      mlp: shape.mlp,
      norm: shape.norm,
      output: shape.output,
      heads: shape.heads,
      positions: shape.positions ?? (family === 'transformer' ? 'sinusoidal' : 'none'),
      maxLen: shape.maxLen ?? 0,
      // only a real convolution is written, so a config without one reads as every file before the field
      ...(shape.conv !== undefined && shape.conv > 0 ? { conv: shape.conv } : {}),
    },
    'options: config',
  );
  checkConfig(config, 'options');
  return config;
}
