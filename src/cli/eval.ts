// `eigenstate eval CKPT --lengths 40:256`: accuracy of a trained checkpoint per length bucket, on
// class-balanced samples of the task the checkpoint names (src/models/evaluate.ts does the work).
import { type Command, Option } from 'commander';
import { formatColumns } from '../automata/table.js';
import { BACKEND_CHOICES, describeBackend, parseBackendChoice, selectBackend } from '../models/backend.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { evaluateBuckets } from '../models/evaluate.js';
import { buildNetwork } from '../models/network.js';
import { evaluateBucketsExact } from '../precision/evaluate.js';
import { checkpointMachine } from '../precision/machine.js';
import { FORMAT_HELP, parseFormat } from '../precision/parse.js';
import { Rng } from '../random.js';
import type { LengthRange } from '../tasks/task.js';
import { checkpointTask } from './checkpoint-task.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';
import { InputError } from '../errors.js';
import { MAX_EVAL_LENGTH, MAX_EVAL_SYMBOLS, parseCount, parseInteger, parseLengthRangeUpTo } from './parse.js';

interface EvalCliOptions {
  lengths: LengthRange;
  buckets: number;
  samplesPerBucket: number;
  seed: number;
  backend: string;
  format?: string;
  json?: boolean;
}

/** Registers `eval`. */
export function registerEval(program: Command, wrap: Wrap): void {
  program
    .command('eval')
    .argument('<checkpoint>', 'a checkpoint file written by eigenstate train')
    .description('accuracy of a checkpoint per length bucket on its task (class-balanced samples)')
    .addOption(new Option('--lengths <min:max>', 'word lengths to test').argParser(parseLengthRangeUpTo(MAX_EVAL_LENGTH)).default({ min: 40, max: 256 }, '40:256'))
    .option('--buckets <n>', 'length buckets the range is cut into', parseCount, 8)
    .option('--samples-per-bucket <n>', 'words per bucket', parseCount, 200)
    .option('--seed <s>', 'seed of the test words', parseInteger, 0)
    .option('--backend <name>', `tfjs backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('-f, --format <format>', `run the checkpoint in the exact executor at this format instead of tfjs float32: ${FORMAT_HELP}`)
    .option('--json', 'print the table as JSON')
    .action(
      wrap(async (file: string, opts: EvalCliOptions) => {
        const symbols = opts.buckets * opts.samplesPerBucket * opts.lengths.max;
        if (symbols > MAX_EVAL_SYMBOLS) {
          throw new InputError(
            `--buckets ${opts.buckets} x --samples-per-bucket ${opts.samplesPerBucket} x length ${opts.lengths.max}: up to ${symbols} symbols, above the cap of ${MAX_EVAL_SYMBOLS}`,
          );
        }
        const ckpt = readCheckpoint(file);
        const task = checkpointTask(file, ckpt);
        const buckets = { lengths: opts.lengths, buckets: opts.buckets, samplesPerBucket: opts.samplesPerBucket, rng: new Rng(opts.seed) };
        let result;
        let runAt: string;
        if (opts.format !== undefined) {
          const format = parseFormat(opts.format);
          if (ckpt.exactAt !== undefined && ckpt.exactAt !== format.name) {
            process.stderr.write(`warning: ${file} is exact at ${ckpt.exactAt} only; at ${format.name} it is a different model\n`);
          }
          result = evaluateBucketsExact(checkpointMachine(ckpt, format), task, ckpt.config.output, buckets);
          runAt = `exact executor at ${format.name}`;
        } else {
          if (ckpt.exactAt !== undefined) {
            process.stderr.write(`warning: ${file} is exact at ${ckpt.exactAt} only; run in tfjs float32 it is a different model (use --format '${ckpt.exactAt}')\n`);
          }
          const backend = await selectBackend(parseBackendChoice(opts.backend));
          process.stderr.write(`${describeBackend(backend)}\n`);
          const net = buildNetwork(ckpt.config, ckpt.weights);
          try {
            result = evaluateBuckets(net, task, buckets);
          } finally {
            net.dispose();
          }
          runAt = backend.name;
        }
        if (opts.json) {
          const how = opts.format === undefined ? { backend: runAt } : { backend: 'exact', format: parseFormat(opts.format).name };
          printJson({ checkpoint: file, task: task.name, model: ckpt.config.family, ...how, ...result });
          return EXIT.ok;
        }
        print(`${file}: ${ckpt.config.family} on ${task.name}, lengths ${opts.lengths.min}-${opts.lengths.max}${opts.format === undefined ? '' : ` (${runAt})`}`);
        const whole = result.sequenceAccuracy !== undefined;
        const rows = [
          ['lengths', 'samples', 'accuracy', ...(whole ? ['whole words'] : [])],
          ...result.buckets.map((b) => [`${b.min}-${b.max}`, String(b.samples), b.accuracy.toFixed(4), ...(whole ? [(b.sequenceAccuracy ?? NaN).toFixed(4)] : [])]),
        ];
        print(formatColumns(rows));
        print(`overall accuracy: ${result.accuracy.toFixed(4)}`);
        if (whole) print(`whole-sequence accuracy (every position right): ${result.sequenceAccuracy!.toFixed(4)}`);
        return EXIT.ok;
      }),
    );
}
