// The grid file of `eigenstate sweep`: tasks x families x sizes x seeds, with training settings, the
// stages every cell runs and per-family/per-task overrides. A "preset" (models/train/presets.ts) sits
// between the defaults and the grid's own fields: defaults < preset < model/train < sizes < overrides, and
// a grid with a preset may leave out seeds (the preset's three). Validated once with zod (an error names the
// field, e.g. `grid.json: train.steps: ...`), then expanded into fully resolved cell configurations in a
// fixed order (tasks, then families, then sizes, then seeds), so the same grid always gives the same cells.
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile } from '../files.js';
import { TRAIN_DEFAULTS } from '../models/train/defaults.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/family.js';
import { PRESET_NAMES, PRESET_SEEDS, presetSettings } from '../models/train/presets.js';
import { checkCurriculum, CURRICULUM_SYNTAX, parseCurriculum } from '../models/train/curriculum.js';
import { parseFormat } from '../precision/parse.js';
import { parseTask } from '../tasks/catalogue.js';
import type { LengthRange } from '../tasks/task.js';
import { parseWithSchema } from '../validate.js';
import { CELL_VERSION, type CellConfig, type TrainSettings } from './types.js';

/** Most cells one grid may expand to (a typo in seeds should not queue a million trainings). */
export const MAX_CELLS = 10_000;

const lengthRange = z.union([
  z
    .string()
    .regex(/^\s*\d+\s*(:\s*\d+\s*)?$/, "expected 'MIN:MAX' or 'N', e.g. '3:40'")
    .transform((s) => {
      const [a, b] = s.split(':').map((x) => Number(x.trim()));
      return { min: a, max: b ?? a };
    }),
  z.object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() }).strict(),
]).refine((r) => r.min <= r.max, 'MIN is above MAX');

const count = z.number().int().positive();

/** A length curriculum: 'START:GROW@THRESHOLD' or its object; null: none (turns a preset's off). */
const curriculum = z
  .union([z.string(), z.object({ start: count, grow: count, threshold: z.number().gt(0).lte(1) }).strict()])
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return parseCurriculum(value, 'curriculum');
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${CURRICULUM_SYNTAX} (got '${value}')` });
      return z.NEVER;
    }
  })
  .nullable();
const nonNegative = z.number().nonnegative().refine(Number.isFinite, 'must be finite');

const modelShape = z
  .object({
    width: count,
    state: count,
    layers: count,
    mlp: z.number().int().nonnegative(),
    norm: z.enum(['rms', 'none']),
    heads: count,
    output: z.enum(['last', 'every']),
    positions: z.enum(['none', 'learned', 'sinusoidal']),
    maxLen: z.number().int().nonnegative(),
    conv: z.number().int().nonnegative(),
  })
  .strict();

const trainSettings = z
  .object({
    steps: count,
    batch: count,
    lr: z.number().positive(),
    weightDecay: nonNegative,
    warmup: z.number().int().nonnegative(),
    clip: nonNegative,
    targetAcc: nonNegative,
    evalEvery: count,
    lengths: lengthRange,
    curriculum,
  })
  .strict();

const evalSettings = z
  .object({
    lengths: lengthRange.default({ min: 40, max: 256 }),
    buckets: count.default(4),
    samplesPerBucket: count.default(100),
    seed: z.number().int().default(0),
  })
  .strict();

const formatName = z.string().transform((name, ctx) => {
  try {
    return parseFormat(name).name;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

const quantizeSettings = z
  .object({
    formats: z.array(formatName).min(1).default(['fp32', 'fixed<2,6>']),
    lengths: lengthRange.default({ min: 1, max: 256 }),
    samples: count.default(16),
    points: count.default(8),
    seed: z.number().int().default(1),
    float: z.boolean().default(true),
  })
  .strict();

const extractSettings = z
  .object({
    format: formatName.default('fixed<2,6>'),
    maxStates: count.default(20_000),
    keepStates: z.number().int().nonnegative().default(64),
  })
  .strict();

const override = z
  .object({
    families: z.array(z.enum(MODEL_FAMILIES)).min(1).optional(),
    tasks: z.array(z.string()).min(1).optional(),
    model: modelShape.partial().optional(),
    train: trainSettings.partial().optional(),
  })
  .strict();

const gridSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    tasks: z.array(z.string().min(1)).min(1),
    families: z.array(z.enum(MODEL_FAMILIES)).min(1),
    preset: z.enum(PRESET_NAMES).optional(),
    seeds: z.array(z.number().int()).min(1).optional(),
    sizes: z.array(modelShape.partial()).min(1).optional(),
    model: modelShape.partial().optional(),
    train: trainSettings.partial().optional(),
    eval: evalSettings.nullable().optional(),
    quantize: quantizeSettings.nullable().optional(),
    extract: extractSettings.nullable().optional(),
    verdict: z.object({ format: z.string().min(1).default('fp32'), budget: z.number().positive().default(30) }).strict().nullable().optional(),
    backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('wasm'),
    overrides: z.array(override).optional(),
  })
  .strict();

/** A validated grid file. */
export type Grid = z.output<typeof gridSchema>;

/** Model defaults (those of `eigenstate train`); positions default by family. */
const { width, state, layers, mlp, ...trainDefaults } = TRAIN_DEFAULTS;
const MODEL_DEFAULTS = { width, state, layers, mlp, norm: 'rms', heads: 1, output: 'last', maxLen: 0 } as const;

/** Training defaults (those of `eigenstate train`, whose lengths default to 3:40). */
const GRID_TRAIN_DEFAULTS: TrainSettings = { ...trainDefaults, lengths: { min: 3, max: 40 } };

/** Validates grid data (already parsed JSON); InputError "<where>: <field>: <problem>" otherwise. */
export function parseGrid(data: unknown, where: string): Grid {
  const grid = parseWithSchema(gridSchema, data, where);
  grid.tasks.forEach((name, i) => canonicalTask(name, `${where}: tasks[${i}]`));
  (grid.overrides ?? []).forEach((o, i) => o.tasks?.forEach((name, j) => canonicalTask(name, `${where}: overrides[${i}].tasks[${j}]`)));
  if (grid.seeds === undefined && grid.preset === undefined) throw new InputError(`${where}: seeds: required unless the grid names a preset`);
  const seeds = gridSeeds(grid);
  if (new Set(seeds).size !== seeds.length) throw new InputError(`${where}: seeds: a seed is listed twice (got ${JSON.stringify(seeds)})`);
  const n = grid.tasks.length * grid.families.length * (grid.sizes?.length ?? 1) * seeds.length;
  if (n > MAX_CELLS) throw new InputError(`${where}: the grid expands to ${n} cells, more than ${MAX_CELLS}`);
  try {
    expandGrid(grid); // a curriculum must fit each cell's training lengths
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${where}: ${error.message}`);
    throw error;
  }
  return grid;
}

/** The grid's seeds, or its preset's when it lists none. */
export function gridSeeds(grid: Grid): number[] {
  return grid.seeds ?? (grid.preset === undefined ? [] : [...PRESET_SEEDS]);
}

/** Reads and validates a grid file. */
export function readGrid(file: string): Grid {
  return parseGrid(readJsonFile(file), file);
}

function canonicalTask(name: string, where: string): string {
  try {
    return parseTask(name).name;
  } catch (error) {
    throw new InputError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every cell of the grid, fully resolved, in grid order (tasks, families, sizes, seeds); the sweep drops repeats by hash. */
export function expandGrid(grid: Grid): CellConfig[] {
  const cells: CellConfig[] = [];
  for (const taskName of grid.tasks) {
    const task = canonicalTask(taskName, 'tasks');
    const parsed = parseTask(task);
    for (const family of grid.families) {
      const preset = grid.preset === undefined ? undefined : presetSettings(grid.preset, family, parsed);
      for (const size of grid.sizes ?? [{}]) {
        let model = { ...MODEL_DEFAULTS, positions: defaultPositions(family), ...preset?.model, ...grid.model, ...size };
        let train: GridTrain = { ...GRID_TRAIN_DEFAULTS, ...preset?.train, ...grid.train };
        if (preset !== undefined && grid.train?.warmup === undefined && grid.train?.steps !== undefined)
          train.warmup = Math.round((preset.train.warmup / preset.train.steps) * train.steps);
        for (const o of grid.overrides ?? []) {
          if (o.families !== undefined && !o.families.includes(family)) continue;
          if (o.tasks !== undefined && !o.tasks.map((t) => canonicalTask(t, 'overrides')).includes(task)) continue;
          model = { ...model, ...o.model };
          train = { ...train, ...o.train };
        }
        const trainCell = cellTrain(train, `${task}/${family}`);
        for (const seed of gridSeeds(grid)) {
          cells.push({
            version: CELL_VERSION,
            task,
            family,
            seed,
            model: { ...model },
            train: { ...trainCell, lengths: range(trainCell.lengths) },
            eval: grid.eval ? { ...grid.eval, lengths: range(grid.eval.lengths) } : null,
            quantize: grid.quantize ? { ...grid.quantize, lengths: range(grid.quantize.lengths) } : null,
            extract: grid.extract ? { ...grid.extract } : null,
            verdict: grid.verdict ?? null,
            backend: grid.backend,
          });
        }
      }
    }
  }
  return cells;
}

/** Training settings while a grid is resolved: a curriculum may be null (a preset's turned off). */
type GridTrain = Omit<TrainSettings, 'curriculum'> & { curriculum?: TrainSettings['curriculum'] | null };

/** A cell's training settings: no curriculum key at all when there is none (so cells without one keep their ids). */
function cellTrain(train: GridTrain, where: string): TrainSettings {
  const { curriculum: c, ...rest } = train;
  if (c === undefined || c === null) return rest;
  checkCurriculum(c, rest.lengths, `${where}: train.curriculum`);
  return { ...rest, curriculum: { start: c.start, grow: c.grow, threshold: c.threshold } };
}

function range(r: LengthRange): LengthRange {
  return { min: r.min, max: r.max };
}

function defaultPositions(family: ModelFamily): 'none' | 'sinusoidal' {
  return family === 'transformer' ? 'sinusoidal' : 'none';
}
