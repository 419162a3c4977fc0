// Named training recipes (`eigenstate train --preset`, a grid's "preset"): P3's recipe, and the same model
// shape at a budget two CPU cores can run. A preset fills in every setting the user did not give; what the
// user gives wins (defaults < preset < flags or grid fields). It depends on the family (heads only where the
// family has them) and on the task (word problems are trained as in P3's Figure 4: every prefix
// supervised, on words of length 32).
//
// What P3 (Grazzi et al., ICLR 2025) trains and what these presets take from it: 2 layers, each a mixer and
// an MLP (4 x the width), 4 heads for DeltaNet, width 128, AdamW at lr 1e-3 with warm-up and cosine decay,
// batch 256, three seeds with the best one reported, and DeltaNet's short convolution of kernel 4 (`p3`
// only). What they do not take: P3's per-task choices of weight decay, which we do not restate; both presets
// use 0.1 for every task and a grid's overrides may set a task's own. `cpu` leaves the convolution out
// (conv 0): its DeltaNets stay in the scope of every all-lengths decider and of the certificate checker,
// which model DeltaNet without it (docs/all-lengths.md), and its grid's cells keep their ids; a grid's
// override {"families": ["deltanet-neg"], "model": {"conv": 4}} puts it back. The step budget of `p3` (100,000) is the paper's order of magnitude, far
// beyond a CPU: `cpu` keeps the shape (2 layers, MLP, heads) at width 32 and 2,000 steps, and trains modular
// arithmetic with a length curriculum (CPU_ARITHMETIC below).
import { InputError } from '../../errors.js';
import type { ModelFamily } from '../family.js';
import type { LengthRange, Task } from '../../tasks/task.js';
import type { Curriculum } from './curriculum.js';

/** The preset names. */
export const PRESET_NAMES = ['p3', 'cpu'] as const;
/** A preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** The model fields a preset sets. */
export interface PresetModel {
  width: number;
  state: number;
  layers: number;
  mlp: number;
  heads: number;
  norm: 'rms';
  output: 'last' | 'every';
  /** DeltaNet's short convolution kernel size; set only for the deltanet families of a preset that has one. */
  conv?: number;
}

/** The training fields a preset sets (the names of a grid's "train"). */
export interface PresetTrain {
  steps: number;
  batch: number;
  lr: number;
  weightDecay: number;
  warmup: number;
  clip: number;
  /** Early stop at this validation accuracy (above 1: never). */
  targetAcc: number;
  evalEvery: number;
  lengths: LengthRange;
  /** The length curriculum (curriculum.ts); absent: the whole range from the first step. */
  curriculum?: Curriculum;
}

/** A preset resolved for one family and task. */
export interface PresetSettings {
  model: PresetModel;
  train: PresetTrain;
  /** Seeds a grid runs when it names none; the headline is the best of them (as P3 reports). */
  seeds: number[];
}

interface Recipe {
  summary: string;
  width: number;
  mlpFactor: number;
  layers: number;
  heads: number;
  /** DeltaNet's short convolution kernel size (0: none). */
  conv: number;
  steps: number;
  batch: number;
  lr: number;
  weightDecay: number;
  warmupShare: number;
  evalEvery: number;
}

const RECIPES: Readonly<Record<PresetName, Recipe>> = {
  p3: {
    summary: "P3's recipe: 2 layers, width 128, MLP 512, 4 heads, DeltaNet's short convolution of kernel 4, AdamW lr 1e-3, batch 256, 100,000 steps",
    width: 128,
    mlpFactor: 4,
    layers: 2,
    heads: 4,
    conv: 4,
    steps: 100_000,
    batch: 256,
    lr: 1e-3,
    weightDecay: 0.1,
    warmupShare: 0.1,
    evalEvery: 1000,
  },
  cpu: {
    summary: "P3's shape at a 2-core budget: 2 layers, width 32, MLP 128, 4 heads, no short convolution, AdamW lr 1e-3, batch 32, 2,000 steps (modular arithmetic: a length curriculum 7:4@0.9, lr 3e-3, batch 128, 12,000 steps)",
    width: 32,
    mlpFactor: 4,
    layers: 2,
    heads: 4,
    conv: 0,
    steps: 2000,
    batch: 32,
    lr: 1e-3,
    weightDecay: 0.1,
    warmupShare: 0.1,
    evalEvery: 100,
  },
};

/** The seeds of a preset run: P3 reports the best of three. */
export const PRESET_SEEDS: readonly number[] = Object.freeze([1, 2, 3]);

/** Families with a short convolution (the others have none). */
const CONVOLVED: ReadonlySet<ModelFamily> = new Set(['deltanet-pos', 'deltanet-neg']);

/** Families with heads (the others take heads = 1). */
const HEADED: ReadonlySet<ModelFamily> = new Set(['deltanet-pos', 'deltanet-neg', 'transformer']);

/**
 * The `cpu` recipe's changes for modular arithmetic. At the plain recipe every family stays at chance there
 * (even with 10x the steps); a 4x batch, 3x the learning rate and 6x the steps take deltanet-neg above chance
 * on 40–256, and the length curriculum (lengths 3–7 first, 4 more each time validation reaches 0.9) reaches
 * the same accuracy or better in about 30 % less time, its first steps being on short words (two seeds
 * compared; examples/p3-table/README.md has the runs).
 * Parity and the word problems keep the plain recipe, so their cells keep their ids.
 */
const CPU_ARITHMETIC: Readonly<Pick<PresetTrain, 'steps' | 'batch' | 'lr' | 'evalEvery'> & { curriculum: Curriculum }> = {
  steps: 12_000,
  batch: 128,
  lr: 3e-3,
  evalEvery: 100,
  curriculum: { start: 7, grow: 4, threshold: 0.9 },
};

/** The task families the `cpu` recipe trains with CPU_ARITHMETIC. */
const ARITHMETIC: ReadonlySet<string> = new Set(['modarith', 'modarith-paper', 'modarith-brackets']);

/** Task families trained as P3's Figure 4 trains S5: every prefix supervised, words of length 32. */
const WORD_PROBLEMS: ReadonlySet<string> = new Set(['s3', 's5', 'a5', 's5-swaps', 's5-swaps3']);

/** The one-line description of a preset. */
export function presetSummary(name: PresetName): string {
  return RECIPES[name].summary;
}

/** The name as a PresetName; InputError naming the choices otherwise. */
export function parsePresetName(name: string, where = '--preset'): PresetName {
  if ((PRESET_NAMES as readonly string[]).includes(name)) return name as PresetName;
  throw new InputError(`${where}: unknown preset '${name}' (choose one of ${PRESET_NAMES.join(', ')})`);
}

/** The recipe of a preset for a task: `cpu` trains modular arithmetic with CPU_ARITHMETIC. */
function recipeFor(name: PresetName, task: Pick<Task, 'family'>): Recipe & { curriculum?: Curriculum } {
  const r = RECIPES[name];
  return name === 'cpu' && ARITHMETIC.has(task.family) ? { ...r, ...CPU_ARITHMETIC, curriculum: { ...CPU_ARITHMETIC.curriculum } } : r;
}

/** Every setting a preset gives a family on a task (tasks of one input length train at that length). */
export function presetSettings(name: PresetName, family: ModelFamily, task: Pick<Task, 'family' | 'inputLength'>): PresetSettings {
  const r = recipeFor(name, task);
  const wordProblem = WORD_PROBLEMS.has(task.family);
  const lengths = task.inputLength !== undefined ? { min: task.inputLength, max: task.inputLength } : wordProblem ? { min: 32, max: 32 } : { min: 3, max: 40 };
  return {
    model: {
      width: r.width,
      state: r.width,
      layers: r.layers,
      mlp: r.mlpFactor * r.width,
      heads: HEADED.has(family) ? r.heads : 1,
      norm: 'rms',
      output: wordProblem ? 'every' : 'last',
      ...(CONVOLVED.has(family) && r.conv > 0 ? { conv: r.conv } : {}),
    },
    train: {
      steps: r.steps,
      batch: r.batch,
      lr: r.lr,
      weightDecay: r.weightDecay,
      warmup: Math.round(r.warmupShare * r.steps),
      clip: 1,
      targetAcc: 0.999,
      evalEvery: r.evalEvery,
      lengths,
      ...(r.curriculum === undefined ? {} : { curriculum: r.curriculum }),
    },
    seeds: [...PRESET_SEEDS],
  };
}

/** The settings of one training run, as `eigenstate train` resolves them. */
export type RunSettings = PresetModel & Omit<PresetTrain, 'lengths'> & { lengths: LengthRange };

/** What a user may leave out: every field of RunSettings (curriculum null: none, even where the preset has one). */
export type GivenSettings = Partial<Omit<RunSettings, 'norm' | 'curriculum'>> & { norm?: 'rms' | 'none'; curriculum?: Curriculum | null };

/**
 * The settings of a run: `defaults` (TRAIN_DEFAULTS; lengths: the task's one input length, else 3:40), then
 * the preset's (if any), then what was given. A preset's warm-up is its share of the steps actually run, so
 * `--preset p3 --steps 5000` warms up for 500 steps unless --warmup is given.
 */
export function resolveSettings(
  given: GivenSettings,
  preset: PresetName | undefined,
  family: ModelFamily,
  task: Pick<Task, 'family' | 'inputLength'>,
  defaults: Omit<RunSettings, 'lengths' | 'heads' | 'norm' | 'output'>,
): Omit<RunSettings, 'norm' | 'curriculum'> & { norm: 'rms' | 'none'; curriculum?: Curriculum | null } {
  const fixed = task.inputLength;
  const base = {
    ...defaults,
    heads: 1,
    norm: 'rms' as 'rms' | 'none',
    output: 'last' as const,
    lengths: fixed === undefined ? { min: 3, max: 40 } : { min: fixed, max: fixed },
  };
  const fromPreset = preset === undefined ? undefined : presetSettings(preset, family, task);
  const p = fromPreset === undefined ? {} : { ...fromPreset.model, ...fromPreset.train };
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as GivenSettings;
  const out = { ...base, ...p, ...defined };
  if (preset !== undefined && given.warmup === undefined) out.warmup = Math.round(recipeFor(preset, task).warmupShare * out.steps);
  return out;
}
