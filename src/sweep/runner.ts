// What the sweep needs from whatever runs cells: the local pool (pool.ts) or the queue (queue.ts).
import type { CellConfig, CellOutcome } from './types.js';

/** Runs cells somewhere and hands back their outcomes. */
export interface CellRunner {
  /** Cells to keep in flight at once (the pool's size; the queue takes every cell at once). */
  readonly capacity: number;
  /** Runs one cell; `onStart` is called when it really starts (with who runs it). Rejects only when the
   *  runner itself failed (a crashed thread, a job the queue gave up on), never for a stage's error. */
  run(cell: CellConfig, id: string, onStart: (by: string) => void): Promise<CellOutcome>;
  /** Frees threads and connections. */
  close(): Promise<void>;
}
