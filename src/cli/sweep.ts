// `eigenstate sweep GRID.json --out DIR [--jobs N] [--queue redis://HOST:PORT]`: runs a grid of experiments
// (src/sweep does the work; this file parses arguments and prints the summary).
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { readGrid } from '../sweep/grid.js';
import { LocalPool } from '../sweep/pool.js';
import { sweepProgress } from '../sweep/progress.js';
import { parseRedisUrl, probeQueue, QueueRunner } from '../sweep/queue.js';
import type { CellRunner } from '../sweep/runner.js';
import { parseFormat } from '../precision/parse.js';
import { ResultStore } from '../sweep/store.js';
import { planSweep, runSweep } from '../sweep/sweep.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';
import { parsePositive } from './parse.js';

interface SweepCliOptions {
  out: string;
  jobs?: number;
  queue?: string;
  retryFailed?: boolean;
  dryRun?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Registers `sweep`. */
export function registerSweep(program: Command, wrap: Wrap): void {
  program
    .command('sweep')
    .argument('<grid>', 'grid file (JSON): tasks, families, seeds, sizes, training settings, stages')
    .description('run every cell of a grid (train, eval, quantize, extract, the all-lengths verdict) in parallel or on a queue; resumable')
    .requiredOption('-o, --out <dir>', 'results folder: one file per cell, named by the hash of its configuration')
    .option('-j, --jobs <n>', 'worker threads (default: the number of cores)', parsePositive)
    .option('--queue <url>', 'put the cells on a BullMQ queue at redis://HOST:PORT for `eigenstate worker`s to run')
    .option('--retry-failed', 'run again the cells whose earlier result is a failure')
    .option('--dry-run', 'list the cells and which are finished; run nothing')
    .option('--quiet', 'no progress display')
    .option('--json', 'print the summary as JSON')
    .action(
      wrap(async (gridFile: string, opts: SweepCliOptions) => {
        const grid = readGrid(gridFile);
        if (grid.verdict && grid.verdict.format !== 'real') {
          try {
            parseFormat(grid.verdict.format);
          } catch (e) {
            throw new InputError(`${gridFile}: verdict.format: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        const jobs = opts.jobs ?? availableParallelism();
        // A malformed --queue URL, or one where no Redis answers, is refused before the results folder is made.
        if (opts.queue !== undefined) {
          parseRedisUrl(opts.queue);
          if (opts.dryRun !== true) await probeQueue(opts.queue);
        }
        const store = new ResultStore(opts.out);
        store.prepare();
        const plan = planSweep(grid, store, opts.retryFailed ?? false);
        for (const c of plan.corrupt) process.stderr.write(`sweep: ${c.file}: ${c.problem} (the cell runs again)\n`);
        if (opts.dryRun) {
          const rows = plan.cells.map((c) => ({ id: c.id, task: c.config.task, family: c.config.family, seed: c.config.seed, width: c.config.model.width, finished: !plan.todo.includes(c) }));
          if (opts.json) printJson(rows);
          else for (const r of rows) print(`${r.id}  ${r.finished ? 'finished' : 'to run  '}  ${r.task} ${r.family} seed ${r.seed} w${r.width}`);
          return EXIT.ok;
        }
        const release = store.lock();
        let runner: CellRunner | null = null;
        const progress = sweepProgress(plan.todo.length, plan.cells.length - plan.todo.length, opts.quiet ?? false);
        try {
          runner = opts.queue !== undefined ? await QueueRunner.connect(opts.queue, opts.retryFailed ?? false, { log: (line) => progress.note(line) }) : new LocalPool(jobs);
          const summary = await runSweep(grid, plan, store, runner, progress);
          progress.stop();
          if (opts.json) printJson({ out: opts.out, ...summary });
          else {
            print(`${summary.cells} cells: ${summary.skipped} already finished, ${summary.done} done now, ${summary.failed} failed now`);
            if (summary.failedIds.length > 0) print(`failed cells (errors in their result files): ${summary.failedIds.map((id) => store.resultFile(id)).join(', ')}`);
            print(`results in ${store.cellsDir}; \`eigenstate report ${opts.out} --out report.html\` draws them`);
          }
          return summary.failedIds.length > 0 ? EXIT.claimFailed : EXIT.ok;
        } finally {
          progress.stop();
          await runner?.close();
          release();
        }
      }),
    );
}
