// `eigenstate construct TASK --model FAMILY --out CKPT`: a hand-built checkpoint of a regular task or an
// automaton file (src/reductions/constructions/construct.ts). Argument parsing only.
import type { Command } from 'commander';
import { Option } from 'commander';
import { writeCheckpoint } from '../models/checkpoint.js';
import type { ModelFamily } from '../models/family.js';
import { parameterCount } from '../models/params.js';
import { CONSTRUCTED_FAMILIES, constructCheckpoint } from '../reductions/constructions/construct.js';
import { isAutomatonFile, taskFromArgument } from '../tasks/file.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

interface ConstructOptions {
  model: ModelFamily;
  out: string;
  json?: boolean;
  force?: boolean;
}

/** Registers `construct`. */
export function registerConstruct(program: Command, wrap: Wrap): void {
  program
    .command('construct')
    .argument('<task>', 'a regular task name, or an automaton file (.json, eigenstate/automaton format)')
    .description('write a hand-built checkpoint that simulates the task\'s automaton (prove it with verify --all-lengths)')
    .addOption(new Option('-m, --model <family>', 'lrnn-pd: group word problems (s3, s5, a5, -identity) and any permutation automaton; deltanet-neg: s3, s3-identity, s3-gen-identity (one reflection per step, 2 layers); rnn-tanh: any binary regular task').choices(CONSTRUCTED_FAMILIES).makeOptionMandatory())
    .requiredOption('-o, --out <file>', 'checkpoint file to write')
    .option('--json', 'print a summary as JSON')
    .option('--force', 'overwrite an existing checkpoint file')
    .action(
      wrap(async (arg: string, opts: ConstructOptions) => {
        const file = isAutomatonFile(arg);
        const task = taskFromArgument(arg);
        const ckpt = constructCheckpoint(task, opts.model);
        writeCheckpoint(opts.out, ckpt, { force: opts.force });
        const { config } = ckpt;
        // verify and check-certificate read an automaton file as the task, like construct does.
        const prove = `eigenstate verify ${file ? arg : task.name} --checkpoint ${opts.out} --all-lengths --format fp32`;
        if (opts.json) {
          printJson({ file: opts.out, task: task.name, family: config.family, origin: ckpt.origin, width: config.width, state: config.state, parameters: parameterCount(config), prove });
        } else {
          print(`wrote ${opts.out}: ${ckpt.origin}; width ${config.width}, ${parameterCount(config)} parameters\nprove it: ${prove}`);
        }
        return EXIT.ok;
      }),
    );
}
