// `eigenstate hierarchy [--specs DIR] [--checkpoint FILE]... [--json] [--html FILE]`: P0's hierarchy of the
// recurrent families beside the toolkit's evidence (src/report/hierarchy.ts). Argument parsing only.
import { type Command, Option } from 'commander';
import { hierarchyHtml, hierarchyRows, hierarchyText } from '../report/hierarchy.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson, writeOutput } from './output.js';
import { parsePositive } from './parse.js';

interface HierarchyOptions {
  specs: string;
  checkpoint: string[];
  seconds: number;
  json?: boolean;
  html?: string;
  force?: boolean;
}

/** Registers `hierarchy`. */
export function registerHierarchy(program: Command, wrap: Wrap): void {
  program
    .command('hierarchy')
    .description("per model family: the class P0 places it in, the automata it simulates, and the toolkit's evidence with the command that reproduces it")
    .option('--specs <dir>', 'spec folder whose constructions, trained checkpoints and class-level verdicts are listed', 'specs')
    .addOption(
      new Option('--checkpoint <file>', 'also check this checkpoint against its task (exact search at fp32; repeatable)')
        .argParser((v: string, acc: string[]) => [...acc, v])
        .default([] as string[], 'none'),
    )
    .option('--seconds <s>', 'time for the exact search of each --checkpoint', parsePositive, 30)
    .option('--json', 'print the rows as JSON')
    .option('--html <file>', 'also write the table as a self-contained HTML page')
    .option('--force', 'overwrite an existing HTML file')
    .action(
      wrap(async (opts: HierarchyOptions) => {
        const rows = hierarchyRows({ specs: opts.specs, checkpoints: opts.checkpoint, seconds: opts.seconds });
        if (opts.html !== undefined) writeOutput(opts.html, hierarchyHtml(rows), opts.force);
        if (opts.json) printJson(rows);
        else print(hierarchyText(rows));
        return EXIT.ok;
      }),
    );
}
