// Scale figures for exact extraction: states per second on a 64-unit one-layer diagonal LRNN (the packed
// fast path; target 10^6 states/s), as an exploration rate and an end-to-end rate, and the largest exact
// automaton built within a time budget (EIGENSTATE_BENCH_SECONDS, default 60) on LRNNs of growing state
// size. Seeded, so reproducible.
import { TooManyStatesError } from '../src/errors.js';
import { compareWithReference, exactAutomaton } from '../src/extract/exact.js';
import type { Checkpoint } from '../src/models/checkpoint.js';
import type { ModelConfig } from '../src/models/config.js';
import { paramShapes, sizeOf, type Weights } from '../src/models/params.js';
import { checkpointMachine } from '../src/precision/machine.js';
import { parseFormat } from '../src/precision/parse.js';
import { Rng } from '../src/random.js';
import { parseTask } from '../src/tasks/catalogue.js';

const SEED = 2024;

/** A one-layer diagonal LRNN of n units over {0,1} with seeded random weights (width 2, binary readout). */
function lrnn(family: 'lrnn-pos' | 'lrnn-neg', n: number, seed: number): Checkpoint {
  const config: ModelConfig = {
    family, vocab: 2, classes: 2, width: 2, state: n, layers: 1, mlp: 0, norm: 'none',
    output: 'last', heads: 1, positions: 'none', maxLen: 0,
  };
  const rng = new Rng(seed);
  const weights: Weights = {};
  for (const [name, shape] of paramShapes(config)) {
    weights[name] = { shape, data: Float32Array.from({ length: sizeOf(shape) }, () => 1.6 * rng.float() - 0.8) };
  }
  return { config, task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] }, training: null, origin: 'bench', weights };
}

class OutOfTime extends Error {}

/**
 * One row of the throughput table. Two rates, because they answer different questions: exploration
 * (stepping, interning and labelling each state: what the cap bounds) and end to end (the same plus
 * minimisation and the comparison with the parity reference, when the search completes under the cap).
 */
function throughput(format: string, cap: number): string[] {
  const machine = checkpointMachine(lrnn('lrnn-neg', 64, SEED), parseFormat(format));
  const reference = parseTask('parity').reference!;
  const started = performance.now();
  let explored: number;
  let exploreSeconds: number;
  let total: number | null = null;
  try {
    const r = exactAutomaton(machine, { maxStates: cap });
    compareWithReference(r.dfa, reference);
    explored = r.explored;
    exploreSeconds = r.exploreSeconds;
    total = (performance.now() - started) / 1000;
  } catch (error) {
    if (!(error instanceof TooManyStatesError)) throw error;
    explored = cap;
    exploreSeconds = (performance.now() - started) / 1000;
  }
  const rate = (seconds: number) => Math.round(explored / seconds).toLocaleString('en');
  return [
    format,
    String(explored),
    total === null ? 'cap hit' : 'yes',
    exploreSeconds.toFixed(2),
    rate(exploreSeconds),
    total === null ? '-' : total.toFixed(2),
    total === null ? '-' : rate(total),
  ];
}

function largest(budget: number): string[][] {
  const rows: string[][] = [];
  for (let n = 1; n <= 64; n *= 2) {
    const machine = checkpointMachine(lrnn('lrnn-pos', n, SEED + n), parseFormat('fixed<2,6>'));
    const started = performance.now();
    try {
      const r = exactAutomaton(machine, {
        maxStates: 50_000_000,
        onProgress: () => {
          if ((performance.now() - started) / 1000 > budget) throw new OutOfTime();
        },
      });
      rows.push([String(n), String(r.explored), String(r.dfa.nStates), r.seconds.toFixed(2)]);
    } catch (error) {
      if (!(error instanceof OutOfTime)) throw error;
      rows.push([String(n), `> ${budget} s`, '-', '-']);
      break;
    }
  }
  return rows;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n');
}

/** Prints both tables. */
export async function benchPrecision(): Promise<void> {
  const budget = Number(process.env.EIGENSTATE_BENCH_SECONDS ?? 60);
  const cap = Number(process.env.EIGENSTATE_BENCH_CAP ?? 1_000_000);
  console.log(`exact extraction of a 64-unit lrnn-neg (random weights, seed ${SEED}), cap ${cap} states:\n`);
  console.log('explore: stepping, interning and labelling each state; end to end: also minimising and comparing with parity\n');
  const header = ['format', 'states', 'complete', 'explore s', 'explored/s', 'total s', 'end-to-end/s'];
  console.log(table([header, ...['fixed<2,6>', 'fixed<2,4>', 'fp8-e4m3', 'bf16', 'fp32'].map((f) => throughput(f, cap))]));
  console.log(`\nlargest exact automaton within ${budget} s: lrnn-pos of n units at fixed<2,6> (random weights):\n`);
  console.log(table([['units', 'states', 'minimal', 'seconds'], ...largest(budget)]));
}
