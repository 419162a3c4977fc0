// The local pool: N worker threads from piscina, each running whole cells (pool-worker.ts). The sweep keeps
// at most N cells in flight, so a cell starts exactly when it is handed over and the journal's "start"
// is true. The threads die with the process, so a killed sweep leaves no orphan behind.
import { Piscina } from 'piscina';
import type { CellRunner } from './runner.js';
import type { CellConfig, CellOutcome } from './types.js';

/** The worker file beside this one: .js when built, .ts when run from source under tsx. */
function workerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./pool-worker${ext}`, import.meta.url).href;
}

/** A pool of `threads` worker threads running cells. */
export class LocalPool implements CellRunner {
  private readonly piscina: Piscina;

  constructor(readonly capacity: number) {
    this.piscina = new Piscina({ filename: workerFile(), minThreads: capacity, maxThreads: capacity, concurrentTasksPerWorker: 1, idleTimeout: 60_000 });
  }

  run(cell: CellConfig, _id: string, onStart: (by: string) => void): Promise<CellOutcome> {
    onStart('pool');
    return this.piscina.run(cell) as Promise<CellOutcome>;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
