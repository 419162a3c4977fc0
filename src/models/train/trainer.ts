// The training loop: seeded initialisation and data, AdamW with warm-up + cosine, global-norm clipping,
// optional gradient accumulation over micro-batches (step.ts: the same step in less memory),
// a validation set at the training lengths checked every `evalEvery` steps (early stop at the target
// accuracy, and the moment a checkpoint is handed out for saving), and an immediate stop on a non-finite
// loss that keeps the last good checkpoint. Same seed, same backend => same weights.
import { EigenstateError, InputError } from '../../errors.js';
import { Rng } from '../../random.js';
import type { LengthRange, Task } from '../../tasks/task.js';
import type { Checkpoint, TrainingPoint, TrainingRecord } from '../checkpoint.js';
import type { ModelConfig } from '../config.js';
import { checkConfig } from '../config.js';
import { accuracyOn } from '../evaluate.js';
import { initWeights } from '../init.js';
import { buildNetwork } from '../network.js';
import type { ScanMode } from '../scan.js';
import { AdamW } from './adamw.js';
import { checkCurriculum, type Curriculum, stageCount, stageRange } from './curriculum.js';
import { defaultScan } from './defaults.js';
import { nearestUsableLength, sampleBatch, spreadLengths, trainingBatch } from './batches.js';
import { learningRate } from './schedule.js';
import { checkMicroBatch, type GradientSource, trainStep } from './step.js';

/** Everything a training run needs. */
export interface TrainOptions {
  task: Task;
  config: ModelConfig;
  seed: number;
  steps: number;
  batch: number;
  /** Rows per forward + backward pass; the batch's gradients are accumulated over batch / microBatch passes
   *  before one update (the same step, less memory). Must divide batch; default: the whole batch. */
  microBatch?: number;
  /** How recurrences are evaluated (default: defaultScan(backend), the fused kernels on wasm and cpu). */
  scan?: ScanMode;
  /** Computes each step's gradients in its place (data-parallel threads, threads.ts); default: this thread. */
  gradientSource?: GradientSource;
  trainLengths: LengthRange;
  /** Grow the training range from short words (curriculum.ts); default: the whole range from the start. */
  curriculum?: Curriculum;
  lr: number;
  weightDecay: number;
  warmup: number;
  /** Global gradient-norm clip; 0 disables. */
  clip: number;
  /** Stop once validation accuracy (on the whole training range) reaches this (above 1: never). */
  targetAccuracy: number;
  /** Validate (and hand out a checkpoint) every this many steps, and at the end. */
  evalEvery: number;
  /** Name of the tfjs backend in use, recorded in the checkpoint. */
  backend: string;
  /** Validation words per validation length (8 lengths spread over the training range). */
  validationSize?: number;
  /** Called after every step. */
  onStep?: (p: StepProgress) => void;
  /** Called with a good checkpoint at every validation; the caller saves it. */
  onCheckpoint?: (ckpt: Checkpoint) => void;
  /** Names the run in error messages, e.g. the output file (default 'training'). */
  label?: string;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

/** What the progress bar shows after each step. */
export interface StepProgress {
  step: number;
  steps: number;
  /** Smoothed (EMA) training loss and training-batch accuracy. */
  loss: number;
  accuracy: number;
  /** Validation accuracy at the last validation, NaN before the first. */
  validation: number;
  lr: number;
  stepsPerSecond: number;
  /** The lengths this step trained on (the curriculum's current stage, else the training range). */
  lengths: LengthRange;
}

/** The outcome of a run that did not diverge. */
export interface TrainResult {
  checkpoint: Checkpoint;
  /** Validation accuracy of the final weights. */
  validation: number;
  /** The lengths that validation covered: the training range, or the curriculum's last stage reached. */
  validationLengths: LengthRange;
}

/** Training hit a NaN or infinite loss or gradient; the last good checkpoint was already handed out. */
export class NonFiniteLossError extends EigenstateError {
  /** Neither bad input nor a bug: the CLI's exit code 4 (training diverged). */
  override readonly exitCode = 4;
  constructor(
    readonly step: number,
    readonly value: number,
    readonly lastGoodStep: number | null,
    label = 'training',
  ) {
    super(
      `${label}: non-finite loss or gradient (${value}) at step ${step}; ` +
        (lastGoodStep === null
          ? 'no checkpoint was saved yet (lower --lr, or --eval-every for earlier saves)'
          : `kept the last good checkpoint (step ${lastGoodStep}); lower --lr or --clip and retrain`),
    );
  }
}

function checkOptions(o: TrainOptions): void {
  const positive: [string, number][] = [
    ['--steps', o.steps],
    ['--batch', o.batch],
    ['--eval-every', o.evalEvery],
  ];
  for (const [flag, v] of positive) {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`${flag}: expected a positive integer (got ${v})`);
  }
  if (o.microBatch !== undefined) checkMicroBatch(o.batch, o.microBatch);
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new InputError(`--lr: expected a positive number (got ${o.lr})`);
  if (!(o.weightDecay >= 0)) throw new InputError(`--weight-decay: expected a number >= 0 (got ${o.weightDecay})`);
  if (!(o.clip >= 0)) throw new InputError(`--clip: expected a number >= 0 (got ${o.clip})`);
  if (o.trainLengths.min < 1) throw new InputError(`--train-len: the network reads words of length >= 1 (got ${o.trainLengths.min})`);
  if (o.config.vocab !== o.task.alphabet.length || o.config.classes !== o.task.classes.length) {
    throw new InputError(`--task ${o.task.name}: config has vocab ${o.config.vocab} and ${o.config.classes} classes, task has ${o.task.alphabet.length} symbols and ${o.task.classes.length} classes`);
  }
  if (o.curriculum !== undefined) checkCurriculum(o.curriculum, o.trainLengths);
  checkConfig(o.config, 'train');
}

/**
 * Trains a freshly initialised model and returns its final checkpoint. Throws NonFiniteLossError at the first
 * non-finite loss or gradient, after handing the last good checkpoint (if any) to onCheckpoint once more
 * with `stopped: 'non-finite'`.
 */
export function train(options: TrainOptions): TrainResult {
  checkOptions(options);
  const { task, config, seed, steps, trainLengths } = options;
  const now = options.now ?? (() => performance.now());
  const root = new Rng(seed);
  // Separate streams: changing the validation size or schedule does not change the initial weights or data.
  const initRng = root.fork();
  const dataRng = root.fork();
  const validationRng = root.fork();
  // Lengths without words (modular arithmetic at even lengths) move to the nearest that has some.
  // With a curriculum each stage validates on its own range, drawn from the same stream on entering it.
  const validationSetOf = (range: LengthRange) =>
    [...new Set(spreadLengths(range, 8).map((t) => nearestUsableLength(task, t, range)))].map((t) =>
      sampleBatch(task, validationRng, t, options.validationSize ?? 32, config.output),
    );
  const curriculum = options.curriculum;
  const stages = stageCount(curriculum, trainLengths);
  let stage = 0;
  let lengths = stageRange(curriculum, trainLengths, stage);
  let validationSet = validationSetOf(lengths);
  const promotions: number[] = [];
  let validatedOn = lengths;
  const net = buildNetwork(config, initWeights(config, initRng), { scan: options.scan ?? defaultScan(options.backend) });
  const opt = new AdamW(net.variables, { weightDecay: options.weightDecay, clip: options.clip });
  const schedule = { lr: options.lr, warmup: options.warmup, steps };
  const history: TrainingPoint[] = [];
  const started = now();
  let emaLoss = NaN;
  let emaAcc = NaN;
  let validation = NaN;
  let lastGood: Checkpoint | null = null;
  let sumLoss = 0;
  let countLoss = 0;

  const snapshot = (step: number, stopped: TrainingRecord['stopped']): Checkpoint => ({
    config,
    task: { name: task.name, alphabet: [...task.alphabet], classes: [...task.classes] },
    origin: 'trained',
    weights: net.weights(),
    training: {
      seed,
      steps: step,
      batch: options.batch,
      trainLengths: { min: trainLengths.min, max: trainLengths.max },
      optimizer: { name: 'adamw', lr: options.lr, weightDecay: options.weightDecay, warmup: options.warmup, clip: options.clip },
      backend: options.backend,
      seconds: (now() - started) / 1000,
      stopped,
      history: [...history],
      ...(curriculum === undefined ? {} : { curriculum: { ...curriculum, promotions: [...promotions] } }),
    },
  });

  try {
    for (let step = 1; step <= steps; step++) {
      const lr = learningRate(schedule, step);
      const batch = trainingBatch(task, dataRng, lengths, options.batch, config.output);
      const { loss, accuracy, gradNorm } = trainStep(net, opt, batch, lr, options.microBatch, options.gradientSource);
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
        const bad = Number.isFinite(loss) ? gradNorm : loss;
        if (lastGood !== null) {
          const record = { ...(lastGood.training as TrainingRecord), stopped: 'non-finite' as const };
          options.onCheckpoint?.({ ...lastGood, training: record });
        }
        throw new NonFiniteLossError(step, bad, lastGood?.training?.steps ?? null, options.label);
      }
      emaLoss = Number.isNaN(emaLoss) ? loss : 0.9 * emaLoss + 0.1 * loss;
      emaAcc = Number.isNaN(emaAcc) ? accuracy : 0.9 * emaAcc + 0.1 * accuracy;
      sumLoss += loss;
      countLoss += 1;
      const last = step === steps;
      let reached = false;
      const trained = lengths;
      if (step % options.evalEvery === 0 || last) {
        validation = accuracyOn(net, validationSet);
        validatedOn = lengths;
        history.push({ step, loss: sumLoss / countLoss, accuracy: validation });
        sumLoss = 0;
        countLoss = 0;
        const finalStage = stage === stages - 1;
        reached = finalStage && validation >= options.targetAccuracy;
        if (!finalStage && curriculum !== undefined && validation >= curriculum.threshold && !last) {
          stage += 1;
          promotions.push(step);
          lengths = stageRange(curriculum, trainLengths, stage);
          validationSet = validationSetOf(lengths);
        }
        lastGood = snapshot(step, reached ? 'target' : 'steps');
        options.onCheckpoint?.(lastGood);
      }
      const seconds = (now() - started) / 1000;
      options.onStep?.({ step, steps, loss: emaLoss, accuracy: emaAcc, validation, lr, stepsPerSecond: seconds > 0 ? step / seconds : 0, lengths: trained });
      if (reached) break;
    }
    return { checkpoint: lastGood as Checkpoint, validation, validationLengths: validatedOn };
  } finally {
    opt.dispose();
    net.dispose();
  }
}
