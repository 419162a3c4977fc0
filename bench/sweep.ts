// Sweep throughput: cells per minute through the local pool at --jobs 1 and 2 on a tiny grid, and the
// queue's overhead per cell (BullMQ on a local redis-server, one worker with one thread) against the
// local pool with one thread. Wall-clock times include starting the threads, as a real sweep pays them.
// SWEEP_BENCH_SEEDS (default 4) and SWEEP_BENCH_STEPS (default 20) size the grid; the queue row is left
// out where redis-server is not installed.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGrid } from '../src/sweep/grid.js';
import { LocalPool } from '../src/sweep/pool.js';
import { sweepProgress } from '../src/sweep/progress.js';
import { QueueRunner, startQueueWorker } from '../src/sweep/queue.js';
import type { CellRunner } from '../src/sweep/runner.js';
import { ResultStore } from '../src/sweep/store.js';
import { planSweep, runSweep } from '../src/sweep/sweep.js';

function grid(seeds: number, steps: number) {
  return parseGrid(
    {
      name: 'bench',
      tasks: ['parity'],
      families: ['lrnn-neg', 'lstm'],
      seeds: Array.from({ length: seeds }, (_, i) => i + 1),
      model: { width: 8, state: 8 },
      train: { steps, batch: 16, evalEvery: 10, lengths: '3:16', targetAcc: 2 },
      eval: { lengths: '20:40', buckets: 2, samplesPerBucket: 32 },
      quantize: { formats: ['fixed<2,6>'], lengths: '1:40', samples: 8, points: 4 },
      extract: { format: 'fixed<2,4>', maxStates: 5000 },
      backend: 'wasm',
    },
    'bench grid',
  );
}

async function timed(make: () => Promise<CellRunner> | CellRunner, g: ReturnType<typeof grid>): Promise<{ seconds: number; cells: number; failed: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-bench-sweep-'));
  try {
    const store = new ResultStore(dir);
    store.prepare();
    const plan = planSweep(g, store, false);
    const started = performance.now();
    const runner = await make();
    try {
      const summary = await runSweep(g, plan, store, runner, sweepProgress(plan.todo.length, 0, true));
      return { seconds: (performance.now() - started) / 1000, cells: summary.done + summary.failed, failed: summary.failed };
    } finally {
      await runner.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hasRedis(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start in 10 s')), 10_000);
    proc.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return proc;
}

/** Prints the sweep table. */
export async function benchSweep(): Promise<void> {
  const seeds = Number(process.env.SWEEP_BENCH_SEEDS ?? '4');
  const steps = Number(process.env.SWEEP_BENCH_STEPS ?? '20');
  const g = grid(seeds, steps);
  const rows: string[][] = [];
  const row = (name: string, r: { seconds: number; cells: number; failed: number }) => {
    rows.push([name, String(r.cells), r.seconds.toFixed(1), ((r.cells / r.seconds) * 60).toFixed(1), (r.seconds / r.cells).toFixed(2), String(r.failed)]);
    return r;
  };
  const one = row('local pool, --jobs 1', await timed(() => new LocalPool(1), g));
  row('local pool, --jobs 2', await timed(() => new LocalPool(2), g));
  let overhead = 'not measured: redis-server is not installed';
  if (hasRedis()) {
    const port = 20_000 + (process.pid % 20_000);
    const redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    try {
      const worker = await startQueueWorker(url, 1, { lockMs: 30_000, stalledMs: 30_000 }, () => undefined);
      try {
        const q = row('queue (BullMQ), 1 worker x 1 thread', await timed(() => QueueRunner.connect(url, false), g));
        overhead = `${((q.seconds - one.seconds) / q.cells).toFixed(2)} s per cell (queue, 1 worker x 1 thread, against the local pool at --jobs 1)`;
      } finally {
        await worker.close();
      }
    } finally {
      redis.kill('SIGTERM');
    }
  }
  const head = ['runner', 'cells', 'wall s', 'cells/min', 's/cell', 'failed'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
  console.log(`tiny grid: parity x {lrnn-neg, lstm} x ${seeds} seeds, width 8, ${steps} steps, eval/quantize/extract on; wasm backend`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(`queue overhead: ${overhead}`);
}
