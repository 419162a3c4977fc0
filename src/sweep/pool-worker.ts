// The entry point of one pool thread (piscina): selects the tfjs backend the cell asks for once per
// thread and backend, then runs cells one at a time. Like the CLI, it is an entry point, so it may pick
// the backend; the library code it calls never does.
import { parseBackendChoice, selectBackend } from '../models/backend.js';
import { runCell } from './run-cell.js';
import type { CellConfig, CellOutcome } from './types.js';

let selected: { choice: string; name: string } | null = null;

/** Runs one cell in this thread. */
export default async function runPooledCell(cell: CellConfig): Promise<CellOutcome> {
  if (selected === null || selected.choice !== cell.backend) {
    const backend = await selectBackend(parseBackendChoice(cell.backend));
    selected = { choice: cell.backend, name: backend.name };
  }
  return runCell(cell, { backend: selected.name });
}
