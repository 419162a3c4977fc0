// Scale figures for the automata core: minimisation (Hopcroft on a refinable partition) and language
// equivalence (BFS over reachable state pairs) on seeded random DFAs whose states are all reachable.
import os from 'node:os';
import { equivalent } from '../src/automata/equivalence.js';
import { minimise } from '../src/automata/minimise.js';
import { randomDfa } from '../src/automata/random.js';
import { Rng } from '../src/random.js';

const SEED = 2024;
const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const SYMBOLS = [2, 26];

interface Row {
  states: number;
  symbols: number;
  minimiseMs: number;
  minimalStates: number;
  equivalenceMs: number;
}

/** Median wall time of `runs` calls, in milliseconds, and the last result. */
export function time<T>(runs: number, f: () => T): [number, T] {
  const times: number[] = [];
  let result: T | undefined;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    result = f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(runs / 2)], result as T];
}

function measure(states: number, symbols: number): Row {
  const dfa = randomDfa(new Rng(SEED), states, symbols);
  // Small sizes finish in milliseconds, where one run is mostly noise and JIT warm-up.
  const runs = states <= 10_000 ? 7 : states <= 100_000 ? 3 : 1;
  const [minimiseMs, minimal] = time(runs, () => minimise(dfa));
  const [equivalenceMs, same] = time(runs, () => equivalent(dfa, minimal));
  if (!same) throw new Error(`benchmark: minimise changed the language of the ${states}×${symbols} DFA`);
  return { states, symbols, minimiseMs, minimalStates: minimal.nStates, equivalenceMs };
}

function printTable(rows: readonly Row[]): void {
  const header = ['states', 'symbols', 'minimise ms', 'minimal states', 'equivalence ms'];
  const cells = rows.map((r) => [
    r.states.toLocaleString('en-US'),
    String(r.symbols),
    r.minimiseMs.toFixed(1),
    r.minimalStates.toLocaleString('en-US'),
    r.equivalenceMs.toFixed(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const row of cells) console.log(line(row));
}

/** Times minimise and equivalent(A, minimise(A)) on random DFAs of 10^3..10^6 states over 2 and 26 symbols. */
export async function benchAutomata(): Promise<void> {
  // Warm-up, discarded: the first calls run before V8 has optimised the hot loops.
  for (const symbols of SYMBOLS) measure(SIZES[0], symbols);
  const rows: Row[] = [];
  for (const symbols of SYMBOLS) for (const states of SIZES) rows.push(measure(states, symbols));
  printTable(rows);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nrandomDfa(new Rng(${SEED}), states, symbols): a random spanning tree from state 0, other edges uniform, ` +
      'accepting with probability 1/2.\nminimise ms: median of 7 runs (≤ 10^4 states), 3 runs (10^5) or 1 run (10^6); ' +
      'equivalence ms: equivalent(A, minimise(A)), a BFS over reachable state pairs, same runs.\n' +
      `${cpu}, Node ${process.version}, one thread.`,
  );
}
