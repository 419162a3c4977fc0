// config.json of the exchange format (docs/interop.md): the model's hyperparameters flat at the top level, as
// Hugging Face configs keep them, the task the model reads and answers, and optional provenance that makes
// export -> import a bit-identical round trip. Validated once on load; problems name the file and the field.
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile } from '../files.js';
import type { Checkpoint, CheckpointTask, TrainingRecord } from '../models/checkpoint.js';
import { trainingSchema } from '../models/checkpoint.js';
import type { ModelConfig } from '../models/config.js';
import { configProblem, modelConfigSchema } from '../models/config.js';
import { parseTask } from '../tasks/catalogue.js';
import { parseWithSchema } from '../validate.js';

/** The `format` tag of an interop config.json. */
export const INTEROP_FORMAT = 'eigenstate/interop';
/** The interop version this eigenstate reads and writes. */
export const INTEROP_VERSION = 1;

/** What config.json holds besides the tensors. */
export interface InteropConfig {
  config: ModelConfig;
  task: CheckpointTask;
  origin?: string;
  training?: TrainingRecord | null;
  exactAt?: string;
}

const configFileSchema = z
  .object({
    format: z.literal(INTEROP_FORMAT),
    version: z.literal(INTEROP_VERSION, { message: `unsupported version (this eigenstate reads version ${INTEROP_VERSION})` }),
    ...modelConfigSchema.shape,
    task: z
      .object({
        name: z.string().min(1),
        alphabet: z.array(z.string().min(1)).min(1),
        classes: z.array(z.string().min(1)).min(2),
      })
      .strict(),
    origin: z.string().optional(),
    training: trainingSchema.nullable().optional(),
    exactAt: z.string().min(1).optional(),
  })
  .strict();

/** Reads and checks config.json: schema, field constraints, and a task the catalogue knows with this alphabet. */
export function readInteropConfig(file: string): InteropConfig {
  const data = parseWithSchema(configFileSchema, readJsonFile(file), file);
  const { format: _format, version: _version, task, origin, training, exactAt, ...config } = data;
  const bad = configProblem(config);
  if (bad !== null) throw new InputError(`${file}: ${bad.field}: ${bad.message} (got ${JSON.stringify(config[bad.field])})`);
  if (task.alphabet.length !== config.vocab) {
    throw new InputError(`${file}: task.alphabet: ${task.alphabet.length} symbols but vocab is ${config.vocab}`);
  }
  if (task.classes.length !== config.classes) {
    throw new InputError(`${file}: task.classes: ${task.classes.length} classes but classes is ${config.classes}`);
  }
  let known;
  try {
    known = parseTask(task.name);
  } catch (error) {
    throw new InputError(`${file}: task.name: ${(error as Error).message}`);
  }
  if (known.alphabet.join('\u0000') !== task.alphabet.join('\u0000')) {
    throw new InputError(`${file}: task.alphabet: ${JSON.stringify(task.alphabet)} is not the alphabet of task ${known.name} (${JSON.stringify(known.alphabet)})`);
  }
  if (known.classes.join('\u0000') !== task.classes.join('\u0000')) {
    throw new InputError(`${file}: task.classes: ${JSON.stringify(task.classes)} are not the classes of task ${known.name} (${JSON.stringify(known.classes)})`);
  }
  return {
    config,
    task,
    ...(origin === undefined ? {} : { origin }),
    ...(training === undefined ? {} : { training }),
    ...(exactAt === undefined ? {} : { exactAt }),
  };
}

/** config.json text for a checkpoint: everything but the weights, so that importing it gives the checkpoint back. */
export function interopConfigText(ckpt: Checkpoint): string {
  const file = {
    format: INTEROP_FORMAT,
    version: INTEROP_VERSION,
    ...ckpt.config,
    task: ckpt.task,
    origin: ckpt.origin,
    training: ckpt.training,
    ...(ckpt.exactAt === undefined ? {} : { exactAt: ckpt.exactAt }),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
