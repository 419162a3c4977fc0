// Results folders for the report tests: real cells (runCell on tiny settings, tfjs cpu backend, about a
// second each) written through the sweep's own store, plus hand-made results where a test needs exact figures.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGrid, parseGrid } from '../../src/sweep/grid.js';
import { cellId } from '../../src/sweep/hash.js';
import { runCell } from '../../src/sweep/run-cell.js';
import { ResultStore } from '../../src/sweep/store.js';
import { CELL_FORMAT, CELL_VERSION, type CellConfig, type CellResult } from '../../src/sweep/types.js';
import { tinyGrid } from '../sweep/grids.js';

/** Runs every cell of a tiny grid in this process and stores the results in a fresh folder. */
export function realResultsFolder(grid: Record<string, unknown> = tinyGrid([1, 2])): string {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-report-'));
  const store = new ResultStore(dir);
  store.prepare();
  writeFileSync(join(dir, 'grid.json'), JSON.stringify(grid)); // as the sweep leaves it: the report's row order
  for (const cell of expandGrid(parseGrid(grid, 'grid'))) store.write(runCell(cell, { backend: 'cpu' }), false);
  return dir;
}

/** A finished result with the given long-length accuracy (eval buckets at 40-256) and nothing else run. */
export function madeResult(config: CellConfig, accuracy: number): CellResult {
  return {
    format: CELL_FORMAT,
    version: CELL_VERSION,
    id: cellId(config),
    config,
    status: 'done',
    error: null,
    train: { backend: 'cpu', steps: config.train.steps, stopped: 'steps', validation: 1, history: [] },
    eval: { buckets: [{ min: 40, max: 256, samples: 100, accuracy }], accuracy },
    quantize: null,
    extract: null,
    verdict: null,
  };
}
