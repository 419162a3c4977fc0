// Reads a sweep's results folder for the report: every cell result (in grid order when the folder's
// grid.json still lists them, the rest after), the grid's name, and the wall-clock seconds per cell from
// the journal (timing is kept out of result files so that those stay byte-identical).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { expandGrid, parseGrid } from '../sweep/grid.js';
import { cellId } from '../sweep/hash.js';
import { ResultStore } from '../sweep/store.js';
import type { CellResult } from '../sweep/types.js';

/** What the report is drawn from. */
export interface SweepData {
  dir: string;
  name: string;
  results: CellResult[];
  /** Seconds of the last finished run of each cell, all stages together. */
  seconds: Map<string, number>;
}

/** Loads DIR; InputError when it holds no sweep results. */
export function loadSweep(dir: string): SweepData {
  const store = new ResultStore(dir);
  if (!existsSync(store.cellsDir)) throw new InputError(`${dir}: not a sweep results folder (no cells/ inside)`);
  const all = store.readAll();
  let name = dir;
  let order: string[] = [];
  const gridFile = join(dir, 'grid.json');
  if (existsSync(gridFile)) {
    try {
      const grid = parseGrid(JSON.parse(readFileSync(gridFile, 'utf8')), gridFile);
      name = grid.name ?? name;
      order = expandGrid(grid).map(cellId);
    } catch {
      // an old or edited grid.json only loses the ordering
    }
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  const results = [...all].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.id.localeCompare(b.id));
  const seconds = new Map<string, number>();
  for (const e of store.readJournal()) {
    if ((e.event === 'done' || e.event === 'failed') && e.seconds) seconds.set(e.id, Object.values(e.seconds).reduce((a, b) => a + (b ?? 0), 0));
  }
  return { dir, name, results, seconds };
}
