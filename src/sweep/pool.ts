// The local pool: N worker threads from piscina, each running whole cells (pool-worker.ts). The sweep keeps
// at most N cells in flight, so a cell starts exactly when it is handed over and the journal's "start"
// is true. The threads die with the process, so a killed sweep leaves no orphan behind.
import { Piscina } from 'piscina';
import type { CellRunner } from './runner.js';
import type { CellConfig, CellOutcome } from './types.js';

/** Run from source (under tsx: examples, benches), not from the build. */
const fromSource = import.meta.url.endsWith('.ts');

/** The worker module: the built pool-worker.js beside this file or, from source, tsx-worker.mjs. */
function workerFile(): string {
  return new URL(fromSource ? './tsx-worker.mjs' : './pool-worker.js', import.meta.url).href;
}

/** A pool of `threads` worker threads running cells. */
export class LocalPool implements CellRunner {
  private readonly piscina: Piscina;

  constructor(readonly capacity: number) {
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: capacity,
      maxThreads: capacity,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
    // A thread that cannot even start (a broken install) reports on the pool, not on a task, and piscina
    // keeps replacing it: fail every cell in hand rather than wait for threads that never come.
    this.piscina.on('error', (error: unknown) => {
      for (const reject of this.pending) reject(error instanceof Error ? error : new Error(String(error)));
      this.pending.clear();
    });
  }

  private readonly pending = new Set<(error: Error) => void>();

  run(cell: CellConfig, _id: string, onStart: (by: string) => void): Promise<CellOutcome> {
    onStart('pool');
    return new Promise<CellOutcome>((resolve, reject) => {
      this.pending.add(reject);
      (this.piscina.run(cell) as Promise<CellOutcome>).then(resolve, reject).finally(() => this.pending.delete(reject));
    });
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
