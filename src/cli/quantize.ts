// `eigenstate quantize CKPT --formats ...`: accuracy, agreement with the float model and the first failing
// length of a checkpoint at each number format (src/precision/quantize.ts).
import { type Command, Option } from 'commander';
import { InvalidArgumentError } from 'commander';
import { checkOutputFile } from '../files.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { BACKEND_CHOICES, parseBackendChoice, selectBackend, type BackendChoice } from '../models/backend.js';
import type { NumberFormat } from '../precision/format.js';
import { FORMAT_HELP, parseFormat } from '../precision/parse.js';
import { quantize, quantizeSvg, quantizeTable } from '../precision/quantize.js';
import { parseTask } from '../tasks/catalogue.js';
import type { LengthRange } from '../tasks/task.js';
import { checkpointTask } from './checkpoint-task.js';
import { checkTaskVocabulary } from '../models/task-vocabulary.js';
import { withProgress, workProgress } from './progress.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson, writeOutput } from './output.js';
import { MAX_EVAL_LENGTH, parseInteger, parseLengthRangeUpTo, parsePositive } from './parse.js';

/** The formats quantize measures unless told otherwise. */
export const DEFAULT_QUANTIZE_FORMATS = 'fp32,bf16,fp16,fp8-e4m3,fixed<2,6>,fixed<2,4>';

interface QuantizeOptions {
  formats: NumberFormat[];
  lengths: LengthRange;
  samples: number;
  points: number;
  seed: number;
  task?: string;
  float: boolean;
  backend: BackendChoice;
  plot?: string;
  json?: boolean;
  force?: boolean;
}

/** Splits at commas outside <...>, since fixed<2,6> holds one; every item kept, empty ones too. */
function splitFormats(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let item = '';
  for (const ch of value) {
    if (ch === ',' && depth === 0) {
      items.push(item.trim());
      item = '';
      continue;
    }
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    item += ch;
  }
  items.push(item.trim());
  return items;
}

/** Parses --formats: each item a format, none empty, none listed twice (by its canonical name). */
function parseFormats(value: string): NumberFormat[] {
  const names = splitFormats(value);
  const empty = names.indexOf('');
  if (empty >= 0) throw new InvalidArgumentError(`item ${empty + 1} is empty (expected a comma-separated list of formats, e.g. 'fp32,bf16').`);
  let formats: NumberFormat[];
  try {
    formats = names.map(parseFormat);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
  const seen = new Map<string, string>();
  for (const [i, f] of formats.entries()) {
    const first = seen.get(f.name);
    if (first !== undefined) throw new InvalidArgumentError(`'${names[i]}' is listed twice${first === names[i] ? '' : ` (as '${first}' before)`}.`);
    seen.set(f.name, names[i]);
  }
  return formats;
}

/** Registers `quantize`. */
export function registerQuantize(program: Command, wrap: Wrap): void {
  program
    .command('quantize')
    .argument('<checkpoint>', 'a checkpoint file (eigenstate train)')
    .description('run a checkpoint exactly at each number format: accuracy by length, agreement with the float model, first error')
    .addOption(new Option('-f, --formats <list>', `comma-separated formats: ${FORMAT_HELP}`).argParser(parseFormats).default(parseFormats(DEFAULT_QUANTIZE_FORMATS), DEFAULT_QUANTIZE_FORMATS))
    .addOption(new Option('-l, --lengths <min:max>', 'word lengths to test').argParser(parseLengthRangeUpTo(MAX_EVAL_LENGTH)).default({ min: 1, max: 1000 }, '1:1000'))
    .option('-n, --samples <n>', 'words sampled per length', parsePositive, 32)
    .option('--points <n>', 'at most this many lengths, log-spaced over the range', parsePositive, 24)
    .option('-s, --seed <seed>', 'seed of the word sampler', parseInteger, 1)
    .option('-t, --task <task>', "task to score on (default: the checkpoint's own)")
    .option('--no-float', 'skip the float (tfjs) model: no agreement column')
    .option('--backend <name>', `tfjs backend for the float model: ${BACKEND_CHOICES.join(', ')}`, parseBackendChoice, 'cpu')
    .option('--plot <file>', 'write accuracy against length per format as SVG')
    .option('--json', 'print the report as JSON')
    .option('--force', 'overwrite existing output files')
    .action(
      wrap(async (file: string, opts: QuantizeOptions) => {
        const ckpt = readCheckpoint(file);
        const task = opts.task === undefined ? checkpointTask(file, ckpt) : parseTask(opts.task);
        checkTaskVocabulary(file, ckpt.task, task);
        if (opts.plot !== undefined) checkOutputFile(opts.plot, { force: opts.force }); // before the measurements, not after
        if (opts.float) await selectBackend(opts.backend);
        const progress = workProgress('quantize');
        const report = withProgress(progress, () =>
          quantize(ckpt, task, {
            formats: opts.formats,
            lengths: opts.lengths,
            samples: opts.samples,
            seed: opts.seed,
            points: opts.points,
            float: opts.float,
            onProgress: (p) => progress.update(p.done, p.total, p.stage),
          }),
        );
        if (opts.plot !== undefined) writeOutput(opts.plot, await quantizeSvg(report), opts.force);
        if (opts.json) printJson(report);
        else print(quantizeTable(report));
        return EXIT.ok;
      }),
    );
}
