// `eigenstate report DIR --out report.html [--json] [--grid GRID.json]`: the static HTML page of a sweep's
// results, or its table as JSON (src/report does the work). Corrupt result files are named on stderr, one
// line each, and left out; the report of the others is still written, and the exit code is 2.
import type { Command } from 'commander';
import { InputError } from '../errors.js';
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
        // Corrupt result files: one line each, the good cells still reported, and exit 2 (bad input).
        for (const c of data.corrupt) process.stderr.write(`report: ${c.file}: ${c.problem} (left out)\n`);
        if (data.corrupt.length > 0 && data.results.length === 0) {
          throw new InputError(`${dir}: none of its ${data.corrupt.length} result file${data.corrupt.length === 1 ? '' : 's'} could be read (each named above)`);
        }
        if (data.missing) process.stderr.write(`report: ${data.missing} cell${data.missing === 1 ? '' : 's'} of ${opts.grid} without a result in ${dir} yet\n`);
        const summary = sweepTable(data.results);
        if (opts.out !== undefined) {
          writeFileAtomic(opts.out, await reportHtml(data, summary), { force: opts.force });
          if (!opts.json) process.stderr.write(`wrote ${opts.out}\n`);
        }
        if (opts.json) printJson(summary);
        else if (opts.markdown || opts.out === undefined) print(tableMarkdown(summary));
        return data.corrupt.length > 0 ? EXIT.badInput : EXIT.ok;
      }),
    );
}
