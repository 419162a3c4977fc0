// Scale figures for bounded verification: for parity and mod-3 on unary words 1^0..1^N against each class
// at D = 1, 2, 4 and fixed<2,6>, the largest N on a doubling ladder that Z3 decides (sat or unsat) within
// the per-query limit, its verdict and its time. The ladder stops at the first unknown. A global cap keeps
// the whole run bounded; rows it cuts off say so. Environment: VERIFY_BENCH_QUERY_S (default 60),
// VERIFY_BENCH_TOTAL_S (default 1200), VERIFY_BENCH_TASKS and VERIFY_BENCH_CLASSES (comma lists). The
// WebAssembly Z3 aborted once ("corrupted its heap") after ~70 queries with many timeouts: split long runs.
import os from 'node:os';
import { formatColumns } from '../src/automata/table.js';
import { parseTask } from '../src/tasks/catalogue.js';
import { verifyBounded } from '../src/verify/bounded.js';
import { parseModelClass } from '../src/verify/classes.js';
import type { ModelClassName } from '../src/verify/classes.js';
import { z3Version } from '../src/verify/z3.js';

const FORMAT = 'fixed<2,6>';
const TASKS = (process.env.VERIFY_BENCH_TASKS ?? 'parity,mod:m=3').split(',');
const CLASSES = (process.env.VERIFY_BENCH_CLASSES ?? 'lrnn-pos,lrnn-neg,lrnn-complex,deltanet-pos,deltanet-neg').split(',') as ModelClassName[];
const DIMS = [1, 2, 4];
const LADDER = [4, 8, 16, 32, 64, 128];

function seconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Runs the ladder for every (task, class, dim) and prints one row each. */
export async function benchVerify(): Promise<void> {
  const queryS = seconds('VERIFY_BENCH_QUERY_S', 60);
  const totalS = seconds('VERIFY_BENCH_TOTAL_S', 1200);
  const deadline = performance.now() + totalS * 1000;
  console.log(`${await z3Version()}, ${FORMAT}, linear readout, unary words; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`per-query limit ${queryS} s, whole bench capped at ${totalS} s\n`);
  // Warm the WebAssembly JIT so the first row is not charged for it.
  await verifyBounded({ task: parseTask('parity'), modelClass: parseModelClass('lrnn-pos'), dim: 1, format: FORMAT, maxLen: 3, words: 'unary', readout: 'linear', timeoutMs: 60000 });
  const rows: string[][] = [['task', 'class', 'D', 'largest N decided', 'verdict', 'time', 'next N']];
  for (const task of TASKS) {
    for (const cls of CLASSES) {
      for (const dim of DIMS) {
        if (cls === 'lrnn-complex' && dim % 2 !== 0) {
          rows.push([task, cls, String(dim), 'n/a (odd D)', '', '', '']);
          continue;
        }
        let best: [number, string, number] | undefined;
        let next = '';
        for (const n of LADDER) {
          const left = deadline - performance.now();
          if (left < 1000) {
            next = `cut (cap)`;
            break;
          }
          const r = await verifyBounded({
            task: parseTask(task),
            modelClass: parseModelClass(cls),
            dim,
            format: FORMAT,
            maxLen: n,
            words: 'unary',
            readout: 'linear',
            timeoutMs: Math.min(queryS * 1000, left),
          });
          if (r.verdict === 'unknown') {
            next = `N=${n}: unknown`;
            break;
          }
          best = [n, r.verdict, r.timeMs];
        }
        rows.push([
          task,
          cls,
          String(dim),
          best === undefined ? '< 4' : String(best[0]),
          best?.[1] ?? '',
          best === undefined ? '' : `${(best[2] / 1000).toFixed(2)} s`,
          next,
        ]);
        console.error(rows[rows.length - 1].join('  '));
      }
    }
  }
  console.log(formatColumns(rows));
}
