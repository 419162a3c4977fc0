// Scale figures for bounded verification: for parity and mod-3 against each class at fixed<2,6>, on unary
// words 1^0..1^N (N on a doubling ladder to 128) and on all binary words up to length N (N = 2..10, 2047
// words at 10), the largest N that verify decides (sat or unsat) within the per-query limit, by what (the
// enumeration engine for diagonal classes on unary words; else Z3, and whether its closure sub-case found
// the witness; "(unary)": an all-words row decided on its unary sub-instance), its verdict, time, lazy
// rounds and the final subset size. A ladder stops at its first unknown. A global cap keeps the whole run
// bounded; rows it cuts off say so. Environment: VERIFY_BENCH_QUERY_S (default 60), VERIFY_BENCH_TOTAL_S
// (default 1200), VERIFY_BENCH_TASKS, VERIFY_BENCH_CLASSES, VERIFY_BENCH_DIMS (default 1,2,4),
// VERIFY_BENCH_WORDS (default unary,all), VERIFY_BENCH_READOUTS (default linear; any is the cheap
// separation readout) and VERIFY_BENCH_STRATEGY (lazy or full).
import os from 'node:os';
import { formatColumns } from '../src/automata/table.js';
import { parseTask } from '../src/tasks/catalogue.js';
import { verifyBounded } from '../src/verify/bounded.js';
import type { BoundedQuery } from '../src/verify/types.js';
import { parseModelClass } from '../src/verify/classes.js';
import type { ModelClassName } from '../src/verify/classes.js';
import { z3Version } from '../src/verify/z3/session.js';

const FORMAT = 'fixed<2,6>';
const LADDERS: Record<BoundedQuery['words'], number[]> = { unary: [4, 8, 16, 32, 64, 128], all: [2, 4, 6, 8, 10] };

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback).split(',').filter((s) => s !== '');
}

function seconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Runs the ladders for every (task, class, dim, words, readout) and prints one row each. */
export async function benchVerify(): Promise<void> {
  const tasks = list('VERIFY_BENCH_TASKS', 'parity,mod:m=3');
  const classes = list('VERIFY_BENCH_CLASSES', 'lrnn-pos,lrnn-neg,lrnn-complex,deltanet-pos,deltanet-neg') as ModelClassName[];
  const dims = list('VERIFY_BENCH_DIMS', '1,2,4').map(Number);
  const wordSets = list('VERIFY_BENCH_WORDS', 'unary,all') as BoundedQuery['words'][];
  const readouts = list('VERIFY_BENCH_READOUTS', 'linear') as BoundedQuery['readout'][];
  const strategy = (process.env.VERIFY_BENCH_STRATEGY ?? 'lazy') as 'lazy' | 'full';
  const queryS = seconds('VERIFY_BENCH_QUERY_S', 60);
  const totalS = seconds('VERIFY_BENCH_TOTAL_S', 1200);
  const deadline = performance.now() + totalS * 1000;
  console.log(`${await z3Version()}, ${FORMAT}, ${strategy} word sets; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`per-query limit ${queryS} s, whole bench capped at ${totalS} s\n`);
  // Warm the WebAssembly JIT so the first row is not charged for it.
  await verifyBounded({ task: parseTask('parity'), modelClass: parseModelClass('lrnn-pos'), dim: 1, format: FORMAT, maxLen: 3, words: 'unary', readout: 'linear', timeoutMs: 60000 });
  const rows: string[][] = [['task', 'class', 'D', 'words', 'readout', 'largest N decided', 'verdict', 'by', 'time', 'rounds', 'subset', 'next N']];
  for (const task of tasks) {
    for (const cls of classes) {
      for (const dim of dims) {
        for (const words of wordSets) {
          for (const readout of readouts) {
            const row = [task, cls, String(dim), words, readout];
            if (cls === 'lrnn-complex' && dim % 2 !== 0) {
              rows.push([...row, 'n/a (odd D)', '', '', '', '', '', '']);
              continue;
            }
            let best: { n: number; verdict: string; timeMs: number; rounds: number; subset: string; how: string } | undefined;
            let next = '';
            for (const n of LADDERS[words]) {
              const left = deadline - performance.now();
              if (left < 1000) {
                next = 'cut (cap)';
                break;
              }
              const r = await verifyBounded({
                task: parseTask(task),
                modelClass: parseModelClass(cls),
                dim,
                format: FORMAT,
                maxLen: n,
                words,
                readout,
                strategy,
                timeoutMs: Math.min(queryS * 1000, left),
              });
              if (r.verdict === 'unknown') {
                next = `N=${n}: unknown (${r.bounds.rounds} rounds, ${r.bounds.subsetWords} words)`;
                break;
              }
              const engine = r.bounds.engine === 'enumerate' ? 'enumeration' : r.bounds.closureStates !== undefined ? 'Z3, closure' : `Z3, ${strategy}`;
              const padded = r.bounds.paddedFrom !== undefined ? `${engine}, dim ${r.bounds.paddedFrom} padded` : engine;
              const how = r.bounds.unarySubInstance === true ? `${padded} (unary)` : padded;
              best = { n, verdict: r.verdict, timeMs: r.timeMs, rounds: r.bounds.rounds, subset: `${r.bounds.subsetWords}/${r.bounds.wordCount}`, how };
            }
            rows.push([
              ...row,
              best === undefined ? `< ${LADDERS[words][0]}` : String(best.n),
              best?.verdict ?? '',
              best?.how ?? '',
              best === undefined ? '' : `${(best.timeMs / 1000).toFixed(2)} s`,
              best === undefined ? '' : String(best.rounds),
              best?.subset ?? '',
              next,
            ]);
            console.error(rows[rows.length - 1].join('  '));
          }
        }
      }
    }
  }
  console.log(formatColumns(rows));
}
