// Reads a sweep's results folder for the report: every cell result (in grid order when the folder's
// grid.json still lists them, the rest after), the grid's name, and the wall-clock seconds per cell from
// the journal (timing is kept out of result files so that those stay byte-identical). A folder may hold
// cells of several grids while grid.json names only the latest run's, so restricting the table to one grid
// takes that grid's file (`report --grid`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { expandGrid, parseGrid, readGrid } from '../sweep/grid.js';
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
  /** With a grid file: the cells of that grid that have no result in DIR yet. */
  missing?: number;
  /** Result files that could not be read as results (skipped), with what is wrong with each. */
  corrupt: { file: string; problem: string }[];
}

/** Loads DIR, or with `gridFile` only the cells of that grid (corrupt result files listed, not loaded); InputError when it holds no (such) results. */
export function loadSweep(dir: string, gridFile?: string): SweepData {
  const store = new ResultStore(dir);
  if (!existsSync(store.cellsDir)) throw new InputError(`${dir}: not a sweep results folder (no cells/ inside)`);
  const { results: found, corrupt } = store.scan();
  let all = found;
  let name = dir;
  let order: string[] = [];
  let missing: number | undefined;
  if (gridFile !== undefined) {
    // A grid asked for by name must be valid: its errors are the user's to see, unlike those of DIR/grid.json.
    const grid = readGrid(gridFile);
    name = grid.name ?? gridFile;
    order = expandGrid(grid).map(cellId);
    const wanted = new Set(order);
    all = all.filter((r) => wanted.has(r.id));
    if (all.length === 0) throw new InputError(`${dir}: no result of any of the ${wanted.size} cells of ${gridFile}`);
    missing = wanted.size - all.length;
  } else if (existsSync(join(dir, 'grid.json'))) {
    const file = join(dir, 'grid.json');
    try {
      const grid = parseGrid(JSON.parse(readFileSync(file, 'utf8')), file);
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
  return { dir, name, results, seconds, corrupt, ...(missing === undefined ? {} : { missing }) };
}
