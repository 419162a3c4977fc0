// `eigenstate report DIR --out report.html [--json] [--grid GRID.json]`: the static HTML page of a sweep's
// results, or its table as JSON (src/report does the work).
import type { Command } from 'commander';
import { writeFileAtomic } from '../files.js';
import { reportHtml } from '../report/html.js';
import { loadSweep } from '../report/load.js';
import { sweepTable, tableMarkdown } from '../report/table.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

interface ReportCliOptions {
  out?: string;
  json?: boolean;
  markdown?: boolean;
  force?: boolean;
  grid?: string;
}

/** Registers `report`. */
export function registerReport(program: Command, wrap: Wrap): void {
  program
    .command('report')
    .argument('<dir>', 'a sweep results folder (eigenstate sweep --out DIR)')
    .description('one self-contained HTML page of a sweep: the table over seeds, accuracy plots, verdicts, automata')
    .option('-o, --out <file>', 'write the HTML page here')
    .option('--json', 'print the table as JSON')
    .option('--markdown', 'print the table as Markdown')
    .option('--grid <file>', 'only the cells of this grid (DIR keeps every grid swept into it; default: all of them)')
    .option('--force', 'overwrite an existing page')
    .action(
      wrap(async (dir: string, opts: ReportCliOptions) => {
        const data = loadSweep(dir, opts.grid);
        if (data.missing) process.stderr.write(`report: ${data.missing} cell${data.missing === 1 ? '' : 's'} of ${opts.grid} without a result in ${dir} yet\n`);
        const summary = sweepTable(data.results);
        if (opts.out !== undefined) {
          writeFileAtomic(opts.out, await reportHtml(data, summary), { force: opts.force });
          if (!opts.json) process.stderr.write(`wrote ${opts.out}\n`);
        }
        if (opts.json) printJson(summary);
        else if (opts.markdown || opts.out === undefined) print(tableMarkdown(summary));
        return EXIT.ok;
      }),
    );
}
