// `eigenstate train --task T --model FAMILY ... --out FILE`: trains one model and writes its checkpoint
// (src/models/train does the work; this file parses arguments and prints the summary).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES, describeBackend, parseBackendChoice, selectBackend } from '../models/backend.js';
import { MODEL_FAMILIES, parseModelFamily } from '../models/family.js';
import { configForTask, type ModelShape } from '../models/train/model-config.js';
import { checkOutputFile, checkpointSaver } from '../models/train/save.js';
import { checkMicroBatch } from '../models/train/step.js';
import { train } from '../models/train/trainer.js';
import { InputError } from '../errors.js';
import { checkTrainingMemory, chooseMicroBatch } from '../models/train/memory.js';
import { checkThreads, defaultThreads, ThreadGang } from '../models/train/threads.js';
import { PRESET_NAMES, parsePresetName, presetSummary, resolveSettings } from '../models/train/presets.js';
import { parseTask } from '../tasks/catalogue.js';
import { CURRICULUM_SYNTAX, checkCurriculum, formatCurriculum, parseCurriculum } from '../models/train/curriculum.js';
import type { LengthRange, Task } from '../tasks/task.js';
import { EXIT, type Wrap } from './exit.js';
import { defaultScan, TRAIN_DEFAULTS } from '../models/train/defaults.js';
import { print, printJson } from './output.js';
import { parseCount, parseInteger, parseLengthRange } from './parse.js';
import { trainingProgress } from './progress.js';

interface TrainCliOptions extends Partial<Omit<ModelShape, 'positions' | 'maxLen'>> {
  task: string;
  model: string;
  preset?: string;
  positions?: ModelShape['positions'];
  maxLen: number;
  trainLen?: LengthRange;
  curriculum?: string;
  steps?: number;
  batch?: number;
  microBatch?: number;
  threads: number | 'auto';
  scan?: 'parallel' | 'sequential' | 'fused';
  lr?: number;
  weightDecay?: number;
  warmup?: number;
  clip?: number;
  seed: number;
  targetAcc?: number;
  evalEvery?: number;
  backend: string;
  out: string;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Parses a finite non-negative decimal option value (1e-3 and 0.001 both work). */
function parseNonNegative(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

/** Parses --threads: a positive integer or 'auto'. */
function parseThreads(value: string): number | 'auto' {
  return value.trim() === 'auto' ? 'auto' : parseCount(value);
}

/** Parses a whole number >= 0. */
function parseNonNegativeInteger(value: string): number {
  const n = parseNonNegative(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number >= 0.');
  return n;
}

/** Parses a fraction in [0, 1] (an accuracy). */
function parseFraction(value: string): number {
  const n = parseNonNegative(value);
  if (n > 1) throw new InvalidArgumentError('expected an accuracy in [0, 1].');
  return n;
}

/** Refuses --train-len for a fixed-shape task (EQ_n, INDEX_n) unless it is the task's one input length. */
function checkTrainLengths(task: Task, given: LengthRange | undefined): void {
  const fixed = task.inputLength;
  if (fixed !== undefined && given !== undefined && (given.min !== fixed || given.max !== fixed)) {
    throw new InputError(`--train-len ${given.min}:${given.max}: task '${task.name}' has one input length, ${fixed} (use --train-len ${fixed} or leave the option out)`);
  }
}


/** The curriculum's course in words: where each stage began, and whether it reached the whole range. */
function describePromotions(promotions: number[], last: LengthRange, range: LengthRange): string {
  const grown = promotions.length === 0 ? 'never grew' : `grew at steps ${promotions.join(', ')}`;
  return last.max === range.max ? `${grown}, reached ${range.min}-${range.max}` : `${grown}, did not reach ${range.min}-${range.max}`;
}

/** Registers `train`. */
export function registerTrain(program: Command, wrap: Wrap): void {
  const d = TRAIN_DEFAULTS;
  program
    .command('train')
    .description('train a model on a task (AdamW, warm-up + cosine, clipping) and write its checkpoint')
    .requiredOption('--task <task>', "the task, e.g. 'parity' or 'mod:m=3'")
    .requiredOption('-m, --model <family>', `model family: ${MODEL_FAMILIES.join(', ')}`)
    .requiredOption('-o, --out <file>', 'checkpoint file to write (saved at every validation)')
    .option('--preset <name>', `a named recipe for every setting not given (${PRESET_NAMES.map((n) => `${n}: ${presetSummary(n)}`).join('; ')})`)
    .option('--width <d>', `residual stream width (default ${d.width})`, parseCount)
    .option('--state <n>', `recurrent state size per layer (default ${d.state})`, parseCount)
    .option('--layers <l>', `layers (default ${d.layers})`, parseCount)
    .option('--mlp <h>', `hidden size of the MLP after each mixer (0: none; default ${d.mlp})`, parseCount)
    .addOption(new Option('--norm <kind>', 'normalisation (default rms)').choices(['rms', 'none']))
    .option('--heads <h>', 'heads (transformer, deltanet; default 1)', parseCount)
    .option('--conv <k>', "deltanet's short convolution: kernel size of the causal depthwise convolution (then SiLU) on q, k and v, as P3's DeltaNet (0: none; default 0, preset p3: 4)", parseNonNegativeInteger)
    .addOption(new Option('--output <where>', 'classify the last position or every prefix (default last)').choices(['last', 'every']))
    .addOption(new Option('--positions <kind>', 'transformer positions (default sinusoidal)').choices(['none', 'learned', 'sinusoidal']))
    .option('--max-len <n>', 'longest input for learned positions', parseCount, 0)
    .addOption(new Option('--train-len <min:max>', "training word lengths (default: 3:40; a fixed-shape task's one input length, e.g. 17 for equality:n=8)").argParser(parseLengthRange))
    .option('--curriculum <spec>', `length curriculum, ${CURRICULUM_SYNTAX}: train on lengths MIN..START first and add GROW to the longest length each time validation accuracy on the current lengths reaches THRESHOLD (checked every --eval-every steps; the target accuracy applies once the whole --train-len range is reached; 'none': no curriculum; default: none)`)
    .option('--steps <n>', `step budget (default ${d.steps})`, parseCount)
    .option('--batch <b>', `words per step (default ${d.batch})`, parseCount)
    .option('--micro-batch <m>', 'words per forward + backward pass; gradients are accumulated over --batch / m passes before each update (same step, less memory; must divide --batch; default: the largest divisor of --batch whose pass fits the backend\'s memory)', parseCount)
    .option('--threads <n>', "data-parallel threads: each computes the gradients of a shard of the batch, summed in a fixed order, so a run is deterministic for a seed and n; 'auto': the cores, at most one per 16 words of the batch (default 1, so a documented command gives the same model on every machine)", parseThreads, 1)
    .addOption(new Option('--scan <how>', "how recurrences are evaluated: one fused operation per recurrence with a hand-derived backward (rnn-tanh, lstm, the diagonal LRNNs, deltanet), the graph with the log-depth parallel scan for diagonal LRNNs, or the graph with the sequential reference loop (default: fused, parallel on --backend tensorflow)").choices(['parallel', 'fused', 'sequential']))
    .option('--lr <x>', `peak learning rate (default ${d.lr})`, parseNonNegative)
    .option('--weight-decay <x>', `decoupled weight decay (AdamW; default ${d.weightDecay})`, parseNonNegative)
    .option('--warmup <n>', `linear warm-up steps before the cosine decay (default ${d.warmup})`, parseCount)
    .option('--clip <x>', `global gradient-norm clip (0: none; default ${d.clip})`, parseNonNegative)
    .option('--seed <s>', 'seed of initialisation and data', parseInteger, 1)
    .option('--target-acc <x>', `stop when validation accuracy (training lengths) reaches this (0..1; default ${d.targetAcc})`, parseFraction)
    .option('--eval-every <n>', `validate and save every n steps (default ${d.evalEvery})`, parseCount)
    .option('--backend <name>', `tfjs backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--force', 'overwrite an existing checkpoint file')
    .option('--quiet', 'no progress bar')
    .option('--json', 'print the training summary as JSON')
    .action(
      wrap(async (opts: TrainCliOptions) => {
        const task = parseTask(opts.task);
        const family = parseModelFamily(opts.model);
        const preset = opts.preset === undefined ? undefined : parsePresetName(opts.preset);
        checkTrainLengths(task, opts.trainLen);
        const settings = resolveSettings(
          {
            width: opts.width, state: opts.state, layers: opts.layers, mlp: opts.mlp, norm: opts.norm, heads: opts.heads, output: opts.output, conv: opts.conv,
            steps: opts.steps, batch: opts.batch, lr: opts.lr, weightDecay: opts.weightDecay, warmup: opts.warmup, clip: opts.clip,
            targetAcc: opts.targetAcc, evalEvery: opts.evalEvery, lengths: opts.trainLen,
            curriculum: opts.curriculum === undefined ? undefined : opts.curriculum.trim() === 'none' ? null : parseCurriculum(opts.curriculum),
          },
          preset,
          family,
          task,
          d,
        );
        const config = configForTask(task, family, {
          width: settings.width,
          state: settings.state,
          layers: settings.layers,
          mlp: settings.mlp,
          norm: settings.norm,
          heads: settings.heads,
          output: settings.output,
          positions: opts.positions,
          maxLen: opts.maxLen,
          conv: settings.conv,
        });
        if (opts.microBatch !== undefined) checkMicroBatch(settings.batch, opts.microBatch);
        const lengths = settings.lengths;
        const curriculum = settings.curriculum ?? undefined;
        if (curriculum !== undefined && opts.curriculum !== undefined) checkCurriculum(curriculum, lengths);
        else if (curriculum !== undefined) {
          try {
            checkCurriculum(curriculum, lengths, `--preset ${preset ?? ''}'s curriculum`);
          } catch (error) {
            if (error instanceof InputError) throw new InputError(`${error.message} (give --curriculum none, or one that fits)`);
            throw error;
          }
        }
        const choice = parseBackendChoice(opts.backend);
        checkOutputFile(opts.out, opts.force ?? false);
        const backend = await selectBackend(choice);
        process.stderr.write(`${describeBackend(backend)}\n`);
        const threads = opts.threads === 'auto' ? defaultThreads(settings.batch) : opts.threads;
        checkThreads(threads);
        // each thread holds one shard of the batch at a time
        const shard = Math.ceil(settings.batch / threads);
        let microBatch = opts.microBatch;
        if (microBatch !== undefined) checkTrainingMemory(config, { batch: settings.batch, microBatch: Math.min(microBatch, shard), maxLen: lengths.max }, backend.name);
        else {
          microBatch = chooseMicroBatch(config, settings.batch, lengths.max, backend.name);
          if (microBatch < settings.batch) process.stderr.write(`micro-batch ${microBatch}: a pass of all ${settings.batch} words would not fit the ${backend.name} backend's memory\n`);
        }
        const gang = threads > 1 ? await ThreadGang.start(threads, config, backend.name, settings.batch, lengths.max, opts.scan ?? defaultScan(backend.name)) : undefined;
        const saver = checkpointSaver(opts.out, opts.force ?? false);
        const progress = trainingProgress(opts.quiet ?? false, settings.steps);
        let result;
        try {
          result = train({
            task,
            config,
            seed: opts.seed,
            steps: settings.steps,
            batch: settings.batch,
            microBatch,
            gradientSource: gang,
            scan: opts.scan,
            trainLengths: lengths,
            curriculum,
            lr: settings.lr,
            weightDecay: settings.weightDecay,
            warmup: settings.warmup,
            clip: settings.clip,
            targetAccuracy: settings.targetAcc,
            evalEvery: settings.evalEvery,
            backend: backend.name,
            label: opts.out,
            onStep: (p) => progress.update(p),
            onCheckpoint: saver.save,
          });
        } finally {
          progress.stop();
          await gang?.close();
        }
        const record = result.checkpoint.training;
        if (record === null) throw new Error('trainer returned a checkpoint without a training record');
        const summary = {
          task: task.name,
          model: family,
          preset: preset ?? null,
          out: opts.out,
          backend: backend.name,
          microBatch,
          threads,
          curriculum: curriculum === undefined ? null : { ...curriculum, promotions: record.curriculum?.promotions ?? [] },
          steps: record.steps,
          stopped: record.stopped,
          seconds: record.seconds,
          validationAccuracy: result.validation,
          validationLengths: result.validationLengths,
          history: record.history,
        };
        if (opts.json) printJson(summary);
        else {
          print(
            `trained ${family} on ${task.name}: ${record.steps} steps (stopped: ${record.stopped}), ` +
              `${record.seconds.toFixed(1)} s, validation accuracy ${result.validation.toFixed(4)} on lengths ` +
              `${result.validationLengths.min}-${result.validationLengths.max}` +
              (curriculum === undefined
                ? ''
                : ` (curriculum ${formatCurriculum(curriculum)}: ${describePromotions(record.curriculum?.promotions ?? [], result.validationLengths, lengths)})`),
          );
          print(`wrote ${opts.out}`);
        }
        return EXIT.ok;
      }),
    );
}
