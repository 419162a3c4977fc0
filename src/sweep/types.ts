// The shared vocabulary of sweeps, in its own small file so grid, stages, pool, queue, store and report
// all import it without importing one another: a cell's resolved configuration (what is hashed) and the
// deterministic record of what running it produced (what is written, one file per cell).
import type { AutomatonJson } from '../automata/json.js';
import type { EvaluationResult } from '../models/evaluate.js';
import type { ModelFamily } from '../models/family.js';
import type { ModelShape } from '../models/train/model-config.js';
import type { PresetTrain } from '../models/train/presets.js';
import type { QuantizeReport } from '../precision/quantize.js';
import type { LengthRange } from '../tasks/task.js';

/** Version of the cell configuration and result format; part of every cell's hash. */
export const CELL_VERSION = 1;
/** The `format` tag of cell result files. */
export const CELL_FORMAT = 'eigenstate/sweep-cell';

/** The stages a cell can run, in the order they run. `verdict` is verify --all-lengths (docs/all-lengths.md). */
export const STAGES = ['train', 'eval', 'quantize', 'extract', 'verdict'] as const;
/** A stage name. */
export type StageName = (typeof STAGES)[number];

/** Training settings of one cell (the flags of `eigenstate train`): the fields a preset sets. */
export type TrainSettings = PresetTrain;

/** The eval stage: accuracy per length bucket (the flags of `eigenstate eval`). */
export interface EvalSettings {
  lengths: LengthRange;
  buckets: number;
  samplesPerBucket: number;
  seed: number;
}

/** The quantize stage: the checkpoint run exactly at each format (the flags of `eigenstate quantize`). */
export interface QuantizeSettings {
  formats: string[];
  lengths: LengthRange;
  samples: number;
  points: number;
  seed: number;
  float: boolean;
}

/** The extract stage: `extract --method exact` at one format under a state cap. */
export interface ExtractSettings {
  format: string;
  maxStates: number;
  /** Automata up to this many states are kept in the result (for the report's SVG). */
  keepStates: number;
}

/** The all-lengths verdict stage (verify --all-lengths): a number format or 'real', and a budget in seconds. */
export interface VerdictSettings {
  format: string;
  budget: number;
}

/** Everything that determines a cell's result; its canonical JSON is hashed into the cell id. */
export interface CellConfig {
  version: typeof CELL_VERSION;
  /** Canonical task name, as parseTask prints it. */
  task: string;
  family: ModelFamily;
  seed: number;
  /** Every shape field but the optional short convolution (absent when none, so older cells keep their hash). */
  model: Required<Omit<ModelShape, 'conv'>> & Pick<ModelShape, 'conv'>;
  train: TrainSettings;
  eval: EvalSettings | null;
  quantize: QuantizeSettings | null;
  extract: ExtractSettings | null;
  verdict: VerdictSettings | null;
  /** tfjs backend choice for training and float evaluation ('auto', 'wasm', 'cpu', 'tensorflow'). */
  backend: string;
}

/** The train stage's record (no wall-clock times: results are byte-identical across runs). */
export interface TrainRecord {
  backend: string;
  steps: number;
  stopped: 'steps' | 'target' | 'non-finite';
  /** Validation accuracy on the training lengths of the final weights. */
  validation: number;
  history: { step: number; loss: number; accuracy: number }[];
  /** With a length curriculum: the lengths the final validation covered, and the steps at which each stage began. */
  validationLengths?: LengthRange;
  promotions?: number[];
}

/** What the exact extraction found at one format. */
export interface ExtractRecord {
  format: string;
  /** 'extracted': the whole automaton; 'cap': the search passed maxStates (an honest don't-know); 'skipped'. */
  status: 'extracted' | 'cap' | 'skipped';
  /** Minimal automaton size and explored states (extracted only). */
  states?: number;
  explored?: number;
  /** Against the task's reference on non-empty words: true = proof at this format; false with a counterexample. */
  equal?: boolean;
  counterexample?: { word: string; length: number; expected: string; got: string };
  /** One sentence: the verdict, what is still known at the cap, or why skipped. */
  text: string;
  /** The automaton itself when it has at most keepStates states. */
  automaton?: AutomatonJson;
}

/** The all-lengths verdict of a cell's checkpoint (no seconds: results stay byte-identical). */
export interface VerdictRecord {
  verdict: 'proved' | 'refuted' | 'unknown';
  format: string;
  /** The counterexample u(v)^k, its length and both classes (refuted only). */
  counterexample: { word: string; length: number; model: string; expected: string } | null;
  /** One sentence for the report. */
  text: string;
}

/** A failed stage: which (null when the worker running the cell died), and the one-line error. */
export interface CellError {
  stage: StageName | null;
  message: string;
}

/** The result file of one cell: deterministic for its config (same config, same bytes). */
export interface CellResult {
  format: typeof CELL_FORMAT;
  version: typeof CELL_VERSION;
  id: string;
  config: CellConfig;
  status: 'done' | 'failed';
  error: CellError | null;
  train: TrainRecord | null;
  eval: EvaluationResult | null;
  quantize: QuantizeReport | null;
  extract: ExtractRecord | null;
  verdict: VerdictRecord | null;
}

/** What running a cell hands back to whoever writes the files: the result, the checkpoint, the times. */
export interface CellOutcome {
  result: CellResult;
  /** The trained checkpoint as file text, or null when training failed before any checkpoint. */
  checkpoint: string | null;
  /** Wall-clock seconds per stage that ran (kept out of the result so results stay byte-identical). */
  seconds: Partial<Record<StageName, number>>;
}
