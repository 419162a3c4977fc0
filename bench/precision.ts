// Scale figures for exact extraction: states per second on a 64-unit one-layer diagonal LRNN (the packed
// fast path, chunked rows where the units' reachable sets are small; target 10^6 states/s), as an
// exploration rate and an end-to-end rate, with each format's row layout, and the largest exact automaton
// built within a time budget (EIGENSTATE_BENCH_SECONDS, default 60) on LRNNs of growing state
// size. Seeded, so reproducible. Every run is its own child process (bench/precision-one.ts), as a CLI run
// extracts at one format per process: formats sharing a process make the executor's call sites polymorphic
// and the later ones slower. Each format runs EIGENSTATE_BENCH_RUNS times (default 3): best and median.
// EIGENSTATE_BENCH_FORMATS (space-separated: formats hold commas) picks the formats; EIGENSTATE_BENCH_CAP the state cap.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The child script: the TypeScript source, or a sibling bundle (precision-one.mjs) when this file is bundled. */
function childPath(): string {
  const ts = fileURLToPath(new URL('./precision-one.ts', import.meta.url));
  if (existsSync(ts)) return ts;
  return fileURLToPath(new URL('./precision-one.mjs', import.meta.url));
}

/** Node flags that run code of their own (with their argument): a child given them would run that code, not its script. */
const EVAL_FLAGS = new Set(['-e', '--eval', '-p', '--print']);

/** This process's node flags less any eval flag (under `tsx -e`, the child would rerun this bench, and its child, ...). */
function childFlags(): string[] {
  const flags: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const flag = process.execArgv[i];
    if (EVAL_FLAGS.has(flag)) i++;
    else if (!/^--(eval|print)=/.test(flag)) flags.push(flag);
  }
  return flags;
}

/** Runs one measurement in a fresh process and parses its JSON line; throws with the child's stderr on failure. */
function child<T>(args: readonly string[]): T {
  // process.execArgv carries tsx's loader flags, so the child is a TypeScript entry like this one.
  const run = spawnSync(process.execPath, [...childFlags(), childPath(), ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const lines = (run.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  if (run.status !== 0 || lines.length === 0) {
    throw new Error(`bench/precision-one.ts ${args.join(' ')}: exit ${run.status ?? run.signal}: ${(run.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}`);
  }
  return JSON.parse(lines[lines.length - 1]) as T;
}

interface Run {
  explored: number;
  complete: boolean;
  exploreSeconds: number;
  totalSeconds: number | null;
  row: string;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * One row of the throughput table from `runs` runs. Two rates, because they answer different questions:
 * exploration (stepping, interning and labelling each state: what the cap bounds) and end to end (the
 * same plus minimisation and the comparison with the parity reference, when the search completes).
 */
function throughput(format: string, cap: number, runs: number): string[] {
  const results: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const one = child<Run>(['throughput', format, String(cap)]);
    process.stderr.write(`${format} run ${r + 1}: ${one.explored} states, explore ${one.exploreSeconds.toFixed(2)} s\n`);
    results.push(one);
  }
  const explored = results[0].explored;
  const rate = (seconds: number) => Math.round(explored / seconds).toLocaleString('en');
  const explore = results.map((r) => r.exploreSeconds);
  const totals = results.map((r) => r.totalSeconds).filter((t): t is number => t !== null);
  const complete = totals.length === results.length;
  return [
    format,
    results[0].row,
    String(explored),
    complete ? 'yes' : 'cap hit',
    median(explore).toFixed(2),
    rate(Math.min(...explore)),
    rate(median(explore)),
    complete ? median(totals).toFixed(2) : '-',
    complete ? rate(median(totals)) : '-',
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n');
}

/** Prints both tables. */
export async function benchPrecision(): Promise<void> {
  const budget = Number(process.env.EIGENSTATE_BENCH_SECONDS ?? 60);
  const cap = Number(process.env.EIGENSTATE_BENCH_CAP ?? 1_000_000);
  const runs = Math.max(1, Number(process.env.EIGENSTATE_BENCH_RUNS ?? 3));
  const formats = (process.env.EIGENSTATE_BENCH_FORMATS ?? 'fixed<2,6> fixed<2,8> fixed<2,4> fp8-e4m3 bf16 fp32').split(/\s+/).filter((f) => f !== '');
  console.log(`exact extraction of a 64-unit lrnn-neg (random weights, seed 2024), cap ${cap} states, ${runs} runs a format, each in its own process:\n`);
  console.log('explore: stepping, interning and labelling each state; end to end: also minimising and comparing with parity\n');
  const header = ['format', 'row', 'states', 'complete', 'explore s (median)', 'explored/s best', 'explored/s median', 'total s (median)', 'end-to-end/s (median)'];
  console.log(table([header, ...formats.map((f) => throughput(f, cap, runs))]));
  if (budget <= 0) return;
  console.log(`\nlargest exact automaton within ${budget} s: lrnn-pos of n units at fixed<2,6> (random weights):\n`);
  console.log(table([['units', 'states', 'minimal', 'seconds'], ...child<{ rows: string[][] }>(['largest', String(budget)]).rows]));
}
