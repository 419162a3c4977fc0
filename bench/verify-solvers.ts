// The solver portfolio on fixed bounded queries: each query once per single solver (the WASM Z3, native
// z3, cvc5: a column each, '–' where the solver is not on PATH) and once with `auto` (the race), with the
// ratio of the race to the best single solver and who won it. Queries use the Z3 engine (no enumeration),
// so every column solves the same SMT query. Environment: VERIFY_SOLVERS_BENCH_QUERY_S (per-query limit,
// default 120), VERIFY_SOLVERS_BENCH_ROWS (comma-separated row numbers, 1-based; default all),
// VERIFY_SOLVERS_BENCH_RUNS (runs per cell, the median is shown; default 1). The machine's load at the
// start of each row is printed: on a shared machine it moves every figure.
import os from 'node:os';
import { formatColumns } from '../src/automata/table.js';
import { parseTask } from '../src/tasks/catalogue.js';
import { verifyBounded } from '../src/verify/bounded.js';
import type { BoundedQuery, BoundedResult } from '../src/verify/types.js';
import { parseModelClass } from '../src/verify/classes.js';
import { findOnPath, nativeVersion } from '../src/verify/solvers/native.js';
import { HEAD_START_MAX_MULTIPLICATIONS, HEAD_START_MS, raceSlots, solversFor } from '../src/verify/solvers/race.js';
import { NATIVE_SOLVERS, type SolverChoice } from '../src/verify/solvers/types.js';
import { z3Version } from '../src/verify/z3/session.js';

type Row = Omit<BoundedQuery, 'task' | 'modelClass' | 'timeoutMs'> & { task: string; modelClass: string };

/** The queries of issue 25 (every one the Z3 engine, strategy full: one query, the same SMT for every column). */
const ROWS: Row[] = [
  { task: 'parity', modelClass: 'lrnn-pos', dim: 2, format: 'fixed<2,4>', maxLen: 3, words: 'unary', readout: 'linear', engine: 'z3', strategy: 'full' },
  { task: 'mod:m=3', modelClass: 'lrnn-neg', dim: 1, format: 'fixed<2,3>', maxLen: 6, words: 'unary', readout: 'linear', engine: 'z3', strategy: 'full' },
  { task: 'mod:m=3', modelClass: 'lrnn-pos', dim: 2, format: 'fixed<2,3>', maxLen: 6, words: 'unary', readout: 'linear', engine: 'z3', strategy: 'full' },
  { task: 'parity', modelClass: 'deltanet-neg', dim: 2, format: 'fixed<2,3>', maxLen: 8, words: 'unary', readout: 'linear', engine: 'z3', strategy: 'full' },
  { task: 'tomita6', modelClass: 'lrnn-neg', dim: 2, format: 'fixed<2,2>', maxLen: 8, words: 'unary', readout: 'linear', engine: 'z3', strategy: 'full' },
];

const describe = (r: Row): string =>
  `${r.task} ${r.modelClass} D=${r.dim} ${r.format} N=${r.maxLen} ${r.words} ${r.strategy}`;

async function once(row: Row, choice: SolverChoice, timeoutMs: number): Promise<BoundedResult> {
  return verifyBounded({ ...row, task: parseTask(row.task), modelClass: parseModelClass(row.modelClass), timeoutMs, solver: { choice } });
}

/** The median run of `runs` (by time; an unknown counts as the slowest). */
async function run(row: Row, choice: SolverChoice, timeoutMs: number, runs = 1): Promise<BoundedResult> {
  const all: BoundedResult[] = [];
  for (let i = 0; i < runs; i++) all.push(await once(row, choice, timeoutMs));
  all.sort((a, b) => (a.verdict === 'unknown' ? Infinity : a.timeMs) - (b.verdict === 'unknown' ? Infinity : b.timeMs));
  return all[Math.floor((all.length - 1) / 2)];
}

const cell = (r: BoundedResult): string => (r.verdict === 'unknown' ? `unknown (${(r.timeMs / 1000).toFixed(1)} s)` : `${(r.timeMs / 1000).toFixed(2)} s`);

/** Prints one row per query: a column per solver, the race, its ratio to the best single solver and its winner. */
export async function benchVerifySolvers(): Promise<void> {
  const queryS = Number(process.env.VERIFY_SOLVERS_BENCH_QUERY_S ?? 120);
  const runs = Math.max(1, Number(process.env.VERIFY_SOLVERS_BENCH_RUNS ?? 1));
  const wanted = (process.env.VERIFY_SOLVERS_BENCH_ROWS ?? '').split(',').filter((s) => s !== '').map(Number);
  const natives = NATIVE_SOLVERS.filter((n) => findOnPath(n) !== undefined);
  console.log(`wasm: ${await z3Version()}; ${natives.map((n) => `${n}: ${nativeVersion(n, findOnPath(n) ?? n)}`).join('; ') || 'no native solver on PATH'}`);
  console.log(`${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}; auto: wasm alone for ${HEAD_START_MS} ms on queries with <= ${HEAD_START_MAX_MULTIPLICATIONS} multipliers, then ${raceSlots()} slots: ${['wasm', ...solversFor('auto').natives.map((n) => n.name)].slice(0, raceSlots()).join(', ')}; limit ${queryS} s per query, median of ${runs} run(s)\n`);
  // Warm the WebAssembly JIT and the session so the first row is not charged for them.
  await run({ ...ROWS[0], maxLen: 1 }, 'wasm', 60_000);
  const singles: ('wasm' | (typeof NATIVE_SOLVERS)[number])[] = ['wasm', ...NATIVE_SOLVERS];
  const rows: string[][] = [['query', 'load', 'verdict', ...singles, 'portfolio', 'portfolio / best', 'won by']];
  for (const [i, row] of ROWS.entries()) {
    if (wanted.length > 0 && !wanted.includes(i + 1)) continue;
    const load = os.loadavg()[0].toFixed(1);
    const times: number[] = [];
    const cells: string[] = [];
    let verdict = '';
    for (const s of singles) {
      if (s !== 'wasm' && !natives.includes(s)) {
        cells.push('–');
        continue;
      }
      const r = await run(row, s, queryS * 1000, runs);
      cells.push(cell(r));
      if (r.verdict !== 'unknown') {
        times.push(r.timeMs);
        verdict = r.verdict;
      }
    }
    const race = await run(row, 'auto', queryS * 1000, runs);
    const best = Math.min(...times);
    const winners = [...new Set((race.solvers ?? []).map((x) => x.winner ?? 'none'))].join('/');
    rows.push([describe(row), load, verdict || race.verdict, ...cells, cell(race), times.length > 0 && race.verdict !== 'unknown' ? `${(race.timeMs / best).toFixed(2)}x` : '', winners]);
    console.error(rows[rows.length - 1].join('  '));
  }
  console.log(formatColumns(rows));
}
