// The sweep: expands a grid into cells, skips the finished ones (their result file exists), runs the rest
// through a CellRunner (local pool or queue) with at most `capacity` in flight, and writes each outcome
// as it arrives (checkpoint, then result, atomically) with a journal line. A failing cell is recorded and
// the others go on. Results depend on the cell alone, so the order in which cells finish changes nothing.
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../files.js';
import { expandGrid, type Grid } from './grid.js';
import { cellId } from './hash.js';
import type { SweepProgress } from './progress.js';
import type { CellRunner } from './runner.js';
import type { ResultStore } from './store.js';
import type { CellConfig, CellOutcome } from './types.js';

/** A cell with its id. */
export interface PlannedCell {
  id: string;
  config: CellConfig;
}

/** Which cells a run does and which it skips. */
export interface SweepPlan {
  cells: PlannedCell[];
  todo: PlannedCell[];
  /** Cells whose earlier result is a failure that this run redoes, or corrupt (their file is replaced). */
  redo: Set<string>;
  /** Result files of the grid's cells that could not be read: those cells run again. */
  corrupt: { file: string; problem: string }[];
}

/** What a run did. */
export interface SweepSummary {
  cells: number;
  skipped: number;
  done: number;
  failed: number;
  /** Ids of the cells that failed in this run or earlier (a crashed worker's cell has no result file). */
  failedIds: string[];
}

/** The grid's distinct cells and the ones still to run (corrupt ones, and failed ones when retryFailed). */
export function planSweep(grid: Grid, store: ResultStore, retryFailed: boolean): SweepPlan {
  const seen = new Set<string>();
  const cells: PlannedCell[] = [];
  for (const config of expandGrid(grid)) {
    const id = cellId(config);
    if (seen.has(id)) continue;
    seen.add(id);
    cells.push({ id, config });
  }
  const redo = new Set<string>();
  const corrupt: SweepPlan['corrupt'] = [];
  const todo = cells.filter(({ id }) => {
    if (!existsSync(store.resultFile(id))) return true;
    const checked = store.inspect(id);
    if ('problem' in checked) {
      corrupt.push({ file: store.resultFile(id), problem: checked.problem });
      redo.add(id);
      return true;
    }
    const r = checked.result;
    if (r.status === 'failed' && retryFailed) {
      redo.add(id);
      return true;
    }
    return false;
  });
  return { cells, todo, redo, corrupt };
}

/** A short name of a cell for logs. */
export function cellLabel(c: CellConfig): string {
  return `${c.task} ${c.family} seed ${c.seed} w${c.model.width}`;
}

/** Runs the plan's cells through the runner; resolves when every one is written. */
export async function runSweep(grid: Grid, plan: SweepPlan, store: ResultStore, runner: CellRunner, progress: SweepProgress): Promise<SweepSummary> {
  writeFileAtomic(`${store.dir}/grid.json`, `${JSON.stringify(grid, null, 1)}\n`, { force: true });
  let next = 0;
  let inFlight = 0;
  let running = 0;
  let done = 0;
  let failed = 0;
  const crashed: string[] = [];
  const startOne = async (cell: PlannedCell): Promise<void> => {
    let started = Date.now();
    let counted = false;
    let outcome: CellOutcome;
    try {
      outcome = await runner.run(cell.config, cell.id, (by) => {
        // A queue job taken again after its worker died starts twice; the journal says so, the count does not.
        store.journal({ event: 'start', id: cell.id, at: new Date().toISOString(), by });
        started = Date.now();
        if (!counted) progress.running(++running);
        counted = true;
      });
    } catch (error) {
      // The runner itself failed (a crashed thread, a job the queue gave up on): not a result of the cell,
      // so no result file; the journal keeps the error and the next run tries the cell again.
      if (counted) progress.running(--running);
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      store.journal({ event: 'failed', id: cell.id, at: new Date().toISOString(), error: `the worker running the cell failed: ${message}` });
      crashed.push(cell.id);
      failed++;
      progress.finished('failed', `${cellLabel(cell.config)}: worker failed: ${message}`, (Date.now() - started) / 1000);
      return;
    }
    if (counted) progress.running(--running);
    store.write(outcome, plan.redo.has(cell.id));
    const status = outcome.result.status;
    store.journal({ event: status, id: cell.id, at: new Date().toISOString(), seconds: outcome.seconds });
    if (status === 'done') done++;
    else failed++;
    progress.finished(status, cellLabel(cell.config), (Date.now() - started) / 1000);
  };
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (inFlight < runner.capacity && next < plan.todo.length) {
        const cell = plan.todo[next++];
        inFlight++;
        startOne(cell)
          .then(() => {
            inFlight--;
            if (inFlight === 0 && next === plan.todo.length) resolve();
            else pump();
          })
          .catch(reject);
      }
      if (plan.todo.length === 0) resolve();
    };
    pump();
  });
  const failedIds = [...crashed, ...plan.cells.filter(({ id }) => store.read(id)?.status === 'failed').map(({ id }) => id)];
  return { cells: plan.cells.length, skipped: plan.cells.length - plan.todo.length, done, failed, failedIds };
}
