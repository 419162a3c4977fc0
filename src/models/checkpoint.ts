// The checkpoint file format, versioned (docs in README "Checkpoint format"): the config, the task it was
// trained on, the training record, and the weights as base64 little-endian float32. It is the contract
// the trainer writes and precision/, extract/, verify/ and reductions/ read. Validated once on load;
// every problem names the file and the field.
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile, writeFileAtomic } from '../files.js';
import { parseWithSchema } from '../validate.js';
import type { ModelConfig } from './config.js';
import { checkConfig, modelConfigSchema } from './config.js';
import type { Tensor32, Weights } from './params.js';
import { paramShapes, sizeOf } from './params.js';
import { permTable } from './perm-table.js';

/** The `format` tag of checkpoint files. */
export const CHECKPOINT_FORMAT = 'eigenstate/checkpoint';
/** The current checkpoint version; files of a later version are refused. */
export const CHECKPOINT_VERSION = 1;

/** The task a checkpoint was trained on (or built for). */
export interface CheckpointTask {
  /** Canonical task name, as parseTask reads it ('parity', 'mod:m=3'). */
  name: string;
  alphabet: string[];
  classes: string[];
}

/** One point of the training curve, written at every validation. */
export interface TrainingPoint {
  step: number;
  /** Mean training loss since the previous point. */
  loss: number;
  /** Validation accuracy on the training lengths. */
  accuracy: number;
}

/** How a checkpoint came to be; null for a hand-built model (a construction or a verify witness). */
export interface TrainingRecord {
  seed: number;
  steps: number;
  batch: number;
  trainLengths: { min: number; max: number };
  optimizer: { name: 'adamw'; lr: number; weightDecay: number; warmup: number; clip: number };
  backend: string;
  /** Wall-clock seconds spent training. */
  seconds: number;
  /** Why training stopped: the step budget, the target accuracy, or a non-finite loss. */
  stopped: 'steps' | 'target' | 'non-finite';
  history: TrainingPoint[];
  /** The length curriculum, when one was used: its settings and the steps at which each stage began (absent: none). */
  curriculum?: { start: number; grow: number; threshold: number; promotions: number[] };
}

/** A model in memory: what a checkpoint file holds, weights decoded. */
export interface Checkpoint {
  config: ModelConfig;
  task: CheckpointTask;
  training: TrainingRecord | null;
  /** Free-form provenance: 'trained', 'verify witness', 'construction: dyck', ... */
  origin: string;
  /**
   * The number format at which this model is exactly what it claims to be (a verify witness reproduces its
   * codes there only); absent for trained models, which are float models.
   */
  exactAt?: string;
  weights: Weights;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** The zod schema of a TrainingRecord (shared with the interop config file). */
export const trainingSchema = z
  .object({
    seed: z.number().int(),
    steps: z.number().int().nonnegative(),
    batch: z.number().int().positive(),
    trainLengths: z.object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() }),
    optimizer: z.object({
      name: z.literal('adamw'),
      lr: finite,
      weightDecay: finite,
      warmup: z.number().int().nonnegative(),
      clip: finite,
    }),
    backend: z.string(),
    seconds: z.number().nonnegative(),
    stopped: z.enum(['steps', 'target', 'non-finite']),
    history: z.array(z.object({ step: z.number().int(), loss: z.number(), accuracy: z.number() })),
    curriculum: z
      .object({
        start: z.number().int().positive(),
        grow: z.number().int().positive(),
        threshold: finite,
        promotions: z.array(z.number().int().positive()),
      })
      .strict()
      .optional(),
  })
  .strict();

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const checkpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    version: z.literal(CHECKPOINT_VERSION, {
      message: `unsupported version (this eigenstate reads version ${CHECKPOINT_VERSION})`,
    }),
    config: modelConfigSchema,
    task: z.object({
      name: z.string().min(1),
      alphabet: z.array(z.string().min(1)).min(1),
      classes: z.array(z.string().min(1)).min(2),
    }),
    training: trainingSchema.nullable(),
    origin: z.string(),
    exactAt: z.string().min(1).optional(),
    weights: z.record(z.string(), z.object({ shape: z.array(z.number().int().nonnegative()), data: base64 }).strict()),
  })
  .strict();

function encodeFloat32(data: Float32Array): string {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return Buffer.from(bytes).toString('base64');
}

function decodeFloat32(text: string, where: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new InputError(`${where}: ${bytes.length} bytes is not a whole number of float32 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** Throws InputError naming the first weight that is missing, extra, misshapen, not finite, or (lrnn-pd's perm) not a permutation table. */
export function checkWeights(config: ModelConfig, weights: Weights, where: string): void {
  const expected = paramShapes(config);
  const names = new Set(expected.map(([name]) => name));
  for (const name of Object.keys(weights)) {
    if (!names.has(name)) throw new InputError(`${where}: weights.${name}: not a weight of a ${config.family} model`);
  }
  for (const [name, shape] of expected) {
    const w = weights[name];
    if (w === undefined) throw new InputError(`${where}: weights.${name}: missing`);
    if (w.shape.length !== shape.length || w.shape.some((s, i) => s !== shape[i])) {
      throw new InputError(`${where}: weights.${name}.shape: expected [${shape.join(', ')}] (got [${w.shape.join(', ')}])`);
    }
    if (w.data.length !== sizeOf(shape)) {
      throw new InputError(`${where}: weights.${name}.data: expected ${sizeOf(shape)} values (got ${w.data.length})`);
    }
    checkValues(name, w, `${where}: weights.${name}`, (i) => `.data[${i}]`);
  }
}

/**
 * The value rules of one weight, wherever it was read from: every element finite, an lrnn-pd `mix.perm`
 * a table of permutations. InputError `${label}${at(i)}: not finite (got v)` names the element at fault.
 */
export function checkValues(name: string, w: Tensor32, label: string, at: (i: number) => string): void {
  const bad = w.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InputError(`${label}${at(bad)}: not finite (got ${w.data[bad]})`);
  if (name.endsWith('mix.perm')) permTable(label, w);
}

/** The checkpoint as file text (JSON, weights in paramShapes order). */
export function checkpointToJsonText(ckpt: Checkpoint): string {
  const weights: Record<string, { shape: number[]; data: string }> = {};
  for (const [name] of paramShapes(ckpt.config)) {
    const w = ckpt.weights[name];
    weights[name] = { shape: [...w.shape], data: encodeFloat32(w.data) };
  }
  const file = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: ckpt.config,
    task: ckpt.task,
    training: ckpt.training,
    origin: ckpt.origin,
    ...(ckpt.exactAt === undefined ? {} : { exactAt: ckpt.exactAt }),
    weights,
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** Validates parsed JSON as a checkpoint; `where` names the source in error messages. */
export function checkpointFromJson(data: unknown, where: string): Checkpoint {
  const file = parseWithSchema(checkpointSchema, data, where);
  checkConfig(file.config, where);
  const weights: Weights = {};
  for (const [name, w] of Object.entries(file.weights)) {
    weights[name] = { shape: w.shape, data: decodeFloat32(w.data, `${where}: weights.${name}.data`) };
  }
  checkWeights(file.config, weights, where);
  if (file.task.alphabet.length !== file.config.vocab) {
    throw new InputError(
      `${where}: task.alphabet: ${file.task.alphabet.length} symbols but config.vocab is ${file.config.vocab}`,
    );
  }
  if (file.task.classes.length !== file.config.classes) {
    throw new InputError(
      `${where}: task.classes: ${file.task.classes.length} classes but config.classes is ${file.config.classes}`,
    );
  }
  const base = { config: file.config, task: file.task, training: file.training, origin: file.origin, weights };
  return file.exactAt === undefined ? base : { ...base, exactAt: file.exactAt };
}

/** Reads and validates a checkpoint file. */
export function readCheckpoint(file: string): Checkpoint {
  return checkpointFromJson(readJsonFile(file), file);
}

/** Writes a checkpoint atomically; refuses to overwrite without force (FileExistsError). */
export function writeCheckpoint(file: string, ckpt: Checkpoint, options: { force?: boolean } = {}): void {
  checkWeights(ckpt.config, ckpt.weights, file);
  writeFileAtomic(file, checkpointToJsonText(ckpt), options);
}
