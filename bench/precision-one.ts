// Child entry of bench/precision.ts: one measurement in a fresh process, printed as one JSON line on stdout.
// A CLI run extracts at one format per process, and several formats in one process make the executor's call
// sites polymorphic and every later format slower, so each throughput run gets its own process.
//   tsx bench/precision-one.ts throughput <format> <cap>   one exact extraction of the 64-unit lrnn-neg:
//     {"explored": number, "complete": boolean, "exploreSeconds": number, "totalSeconds": number | null, "row": string}
//     (totalSeconds, also minimising and comparing with parity, is null when the cap came first; row: the
//     packed row layout, e.g. "11 words, 37 chunks", "51 words, 26 chunks + 38 raw units" or "65 words, 4-byte codes")
//   tsx bench/precision-one.ts largest <budget seconds>    lrnn-pos of 1, 2, 4, .. 64 units at fixed<2,6>:
//     {"rows": string[][]} (units, states, minimal states, seconds; "> budget s" where the budget ran out)
import { TooManyStatesError } from '../src/errors.js';
import { compareWithReference, exactAutomaton } from '../src/extract/exact.js';
import type { Checkpoint } from '../src/models/checkpoint.js';
import type { ModelConfig } from '../src/models/config.js';
import { paramShapes, sizeOf, type Weights } from '../src/models/params.js';
import { checkpointMachine } from '../src/precision/machine.js';
import { parseFormat } from '../src/precision/parse.js';
import { Rng } from '../src/random.js';
import { parseTask } from '../src/tasks/catalogue.js';

/** The seed of the throughput network (the largest-automaton networks add their unit count). */
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

/** What the throughput table reports of one extraction. */
interface Throughput {
  explored: number;
  complete: boolean;
  exploreSeconds: number;
  totalSeconds: number | null;
  row: string;
}

/** One extraction at `format`: what the throughput table reports. */
function throughput(format: string, cap: number): Throughput {
  const machine = checkpointMachine(lrnn('lrnn-neg', 64, SEED), parseFormat(format));
  const packed = machine.packed;
  const row =
    packed === null
      ? 'generic'
      : `${packed.width} words, ${
          packed.layout.kind === 'codes'
            ? `${packed.layout.codeBytes}-byte codes`
            : `${packed.layout.chunks} chunks${packed.layout.raw > 0 ? ` + ${packed.layout.raw} raw units` : ''}`
        }`;
  const reference = parseTask('parity').reference!;
  const started = performance.now();
  try {
    const r = exactAutomaton(machine, { maxStates: cap });
    compareWithReference(r.dfa, reference);
    return { explored: r.explored, complete: true, exploreSeconds: r.exploreSeconds, totalSeconds: (performance.now() - started) / 1000, row };
  } catch (error) {
    if (!(error instanceof TooManyStatesError)) throw error;
    return { explored: cap, complete: false, exploreSeconds: (performance.now() - started) / 1000, totalSeconds: null, row };
  }
}

class OutOfTime extends Error {}

/** The largest exact automata within `budget` seconds each, on lrnn-pos of doubling size. */
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

const [mode, arg1, arg2] = process.argv.slice(2);
if (mode === 'throughput' && arg1 !== undefined && Number.isInteger(Number(arg2)) && Number(arg2) > 0) {
  console.log(JSON.stringify(throughput(arg1, Number(arg2))));
} else if (mode === 'largest' && Number(arg1) > 0) {
  console.log(JSON.stringify({ rows: largest(Number(arg1)) }));
} else {
  console.error('usage: tsx bench/precision-one.ts throughput <format> <cap> | largest <budget seconds>');
  process.exit(2);
}
