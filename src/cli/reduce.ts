// `eigenstate reduce`: the communication-complexity reduction applied to a model class (--model) or to a
// checkpoint (CKPT): is the state too small for the task, and if so, the input the model gets wrong.
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { parseFormat } from '../precision/parse.js';
import { resolveTwoParty } from '../reductions/cc/resolve.js';
import { classVerdict, parseReducibleClass, REDUCIBLE_CLASSES } from '../reductions/reduce/class-bound.js';
import { checkpointCollision } from '../reductions/reduce/checkpoint.js';
import { oneWayBound } from '../reductions/reduce/lower-bound.js';
import { checkpointTask } from './checkpoint-task.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson, writeOutput } from './output.js';
import { parseCount, parsePositive } from './parse.js';

interface ReduceOptions {
  task?: string;
  n?: number;
  alphabet?: number;
  model?: string;
  dim: number;
  layers: number;
  heads: number;
  format: string;
  timeout: number;
  certificate?: string;
  json?: boolean;
  force?: boolean;
}

/** Registers `reduce`. */
export function registerReduce(program: Command, wrap: Wrap): void {
  program
    .command('reduce')
    .argument('[checkpoint]', 'a checkpoint file: search it for a collision certificate (else give --model)')
    .description('one-way communication bound against a model class (--model) or a checkpoint (collision certificate); exit 1 when refuted')
    .option('--task <task>', "two-party task: equality, disjointness, index (or a full spec); default: the checkpoint's task")
    .option('-n, --n <n>', 'input length n', parseCount)
    .option('-a, --alphabet <a>', 'alphabet size of index', parseCount)
    .option('-m, --model <class>', `model class: ${REDUCIBLE_CLASSES.join(', ')}`)
    .option('-d, --dim <d>', 'recurrent state size per layer', parsePositive, 1)
    .option('--layers <l>', 'layers', parsePositive, 1)
    .option('--heads <h>', 'deltanet heads', parsePositive, 1)
    .option('-f, --format <format>', 'number format of the state (fixed<I,F>, fp16, ...)', 'fixed<2,4>')
    .option('-t, --timeout <seconds>', 'Z3 time limit for the symbolic D→ lemma (large n)', parseCount, 60)
    .option('--certificate <file>', 'write the collision certificate as JSON')
    .option('--json', 'print the result as JSON')
    .option('--force', 'overwrite existing output files')
    .action(
      wrap(async (file: string | undefined, opts: ReduceOptions) => {
        const format = parseFormat(opts.format);
        if (file === undefined) {
          if (opts.model === undefined) throw new InputError('reduce: give a checkpoint file or --model CLASS');
          if (opts.task === undefined) throw new InputError('reduce --model: --task is required');
          const f = resolveTwoParty({ task: opts.task, n: opts.n, alphabet: opts.alphabet });
          const bound = await oneWayBound(f, opts.timeout * 1000);
          const cls = parseReducibleClass(opts.model);
          const v = classVerdict({ cls, dim: opts.dim, layers: opts.layers, heads: opts.heads }, format, bound.bits, f.name);
          const result = { function: f.name, modelClass: cls, dim: opts.dim, layers: opts.layers, format: format.name, lowerBound: bound, verdict: v };
          if (opts.json) printJson(result);
          else
            print(
              [
                `${f.name} against ${cls} (dim ${opts.dim}, ${opts.layers} layer${opts.layers === 1 ? '' : 's'}) at ${format.name}`,
                `D→(${f.name}) = ${bound.bits} bits: ${bound.method}`,
                `${v.kind.replace(/-/g, ' ')}: ${v.reason}`,
              ].join('\n'),
            );
          return v.kind === 'ruled-out' ? EXIT.claimFailed : EXIT.ok;
        }
        if (opts.model !== undefined) throw new InputError('reduce: give a checkpoint file or --model, not both');
        const ckpt = readCheckpoint(file);
        if (opts.task === undefined) checkpointTask(file, ckpt);
        const f = resolveTwoParty({ task: opts.task ?? ckpt.task.name, n: opts.n, alphabet: opts.alphabet });
        const bound = await oneWayBound(f, opts.timeout * 1000);
        const search = checkpointCollision(ckpt, format, f);
        const result = { checkpoint: file, function: f.name, format: format.name, lowerBound: bound, ...search };
        if (opts.certificate && search.certificate) writeOutput(opts.certificate, `${JSON.stringify(search.certificate, null, 2)}\n`, opts.force);
        if (opts.json) printJson(result);
        else {
          const lines = [
            `${file} (${ckpt.config.family}, state ${search.stateValues} values${search.stateBits === null ? '' : ` × ${format.bits} bits = ${search.stateBits} bits`}) at ${format.name} on ${f.name}`,
            `D→(${f.name}) = ${bound.bits} bits: ${bound.method}`,
            `searched ${search.visited} of Alice's ${f.rows} inputs: ${search.distinctStates} distinct states`,
          ];
          const c = search.certificate;
          if (c === null) lines.push('no collision: every input reached its own state; the reduction does not refute this model');
          else {
            const w = (s: string[]) => `'${s.join(' ')}'`;
            lines.push(
              'collision certificate (replayed from the initial state):',
              `  prefixes   ${w(c.prefixes[0])}  and  ${w(c.prefixes[1])}`,
              `  shared state ${c.sharedState}`,
              `  suffix     ${w(c.suffix)}`,
              `  expected   ${c.expected[0]} / ${c.expected[1]}    model says ${c.got[0]} / ${c.got[1]}`,
              `  wrong on   ${w(c.wrongInput)}`,
            );
          }
          print(lines.join('\n'));
        }
        return search.certificate === null ? EXIT.ok : EXIT.claimFailed;
      }),
    );
}
