// `eigenstate worker --queue redis://HOST:PORT [--jobs N]`: takes sweep cells from the BullMQ queue and runs
// them on N threads until stopped (SIGINT/SIGTERM: finishes the cells in hand) or, with
// --exit-when-drained, until the queue is empty (src/sweep/queue.ts does the work).
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_LOCK, startQueueWorker } from '../sweep/queue.js';
import { EXIT, type Wrap } from './exit.js';
import { parseCount, parsePositive } from './parse.js';

interface WorkerCliOptions {
  queue: string;
  jobs?: number;
  lockMs: number;
  exitWhenDrained?: boolean;
}

/** Registers `worker`. */
export function registerWorker(program: Command, wrap: Wrap): void {
  program
    .command('worker')
    .description('run sweep cells from a BullMQ queue (see `sweep --queue`); a killed worker\'s cell goes back to the queue')
    .requiredOption('--queue <url>', 'the queue: redis://HOST:PORT')
    .option('-j, --jobs <n>', 'cells at once, one thread each (default: the number of cores)', parsePositive)
    .option('--lock-ms <ms>', 'job lock time: a killed worker\'s cell is taken again after about this long', parseCount, DEFAULT_LOCK.lockMs)
    .option('--exit-when-drained', 'stop once the queue is empty: after at least one cell, or at once when its sweep is over (a fresh empty queue is waited on)')
    .action(
      wrap(async (opts: WorkerCliOptions) => {
        const jobs = opts.jobs ?? availableParallelism();
        const lockMs = Math.max(1000, opts.lockMs);
        const log = (line: string) => process.stderr.write(`worker ${process.pid}: ${line}\n`);
        const worker = await startQueueWorker(opts.queue, jobs, { lockMs, stalledMs: lockMs }, log);
        log(`ready (${worker.name}, ${jobs} thread${jobs === 1 ? '' : 's'})`);
        const stop = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await (opts.exitWhenDrained ? Promise.race([stop, worker.drained]) : stop);
        log('stopping');
        await worker.close();
        return EXIT.ok;
      }),
    );
}
