// Split block invariants against one box per state (verify/checkpoint/split-invariant.ts): for the trained
// one-layer rnn-tanh checkpoints of specs/checkpoints, the block decider alone, without and with the split
// search, at fp32 and over the reals: verdict, block length, boxes (parts over states), seconds and the
// size of the certificate's boxes. EIGENSTATE_BENCH_BUDGET sets the budget per row (default 30 s: the one-box rows of the width-8 model run it out).
import { join } from 'node:path';
import { BoxNetwork } from '../src/abstract/box-network.js';
import { ZonoRnnTanh } from '../src/abstract/zono-rnn-tanh.js';
import { formatColumns } from '../src/automata/table.js';
import { wallClock } from '../src/clock.js';
import { readCheckpoint } from '../src/models/checkpoint.js';
import { checkpointMachine } from '../src/precision/machine.js';
import { parseFormat } from '../src/precision/parse.js';
import { parseTask } from '../src/tasks/catalogue.js';
import { searchBlockInvariant, zonotopeImages } from '../src/verify/checkpoint/block-invariant.js';
import { splitSearch } from '../src/verify/checkpoint/split-invariant.js';

const budget = Number(process.env.EIGENSTATE_BENCH_BUDGET ?? 30);
const CHECKPOINTS = ['parity-rnn-tanh-w8-trained.json', 'parity-rnn-tanh-trained.json'];

function row(name: string, arithmetic: string, split: boolean): string[] {
  const ckpt = readCheckpoint(join('specs/checkpoints', name));
  const dfa = parseTask('parity').reference;
  if (dfa === undefined) throw new Error('parity: no reference automaton');
  const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
  const net = new BoxNetwork(ckpt.config, ckpt.weights, fmt);
  const machine = fmt === null ? null : checkpointMachine(ckpt, fmt);
  const images = zonotopeImages(new ZonoRnnTanh(ckpt.config, ckpt.weights, fmt, net));
  const started = performance.now();
  const deadline = started + budget * 1000;
  const r = searchBlockInvariant(net, images, dfa, {
    blocks: [2, 3, 4, 5, 6, 7, 8],
    readoutSplits: 8,
    deadline,
    clock: wallClock,
    machine,
    ...(split ? { split: splitSearch({ net, images, dfa, machine, minLength: 1, readoutSplits: 8, clock: wallClock, maxParts: 8, maxBlock: 4, refinements: 8, words: 200, seed: 1 }) } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const inv = r.invariant;
  const states = inv === null ? 0 : new Set(inv.states.map((s) => `${s.ref}|${s.suffix.join(',')}`)).size;
  const bytes = inv === null ? 0 : JSON.stringify(inv.states.map((s) => [s.ref, s.suffix, [...s.box.lo], [...s.box.hi]])).length;
  return [
    name.replace('.json', ''),
    arithmetic,
    split ? 'split' : 'one box',
    inv === null ? `unknown (${r.failure?.reason ?? '-'})` : 'proved',
    inv === null ? '-' : String(inv.block),
    inv === null ? '-' : `${inv.states.length} / ${states}`,
    seconds.toFixed(2),
    inv === null ? '-' : `${(bytes / 1024).toFixed(1)} KiB`,
  ];
}

/** Prints the table. */
export async function benchAllLengthsSplit(): Promise<void> {
  const rows: string[][] = [['checkpoint', 'arithmetic', 'search', 'verdict', 'block', 'boxes / states', 'seconds', 'boxes (JSON)']];
  for (const name of CHECKPOINTS) for (const arithmetic of ['fp32', 'real']) for (const split of [false, true]) rows.push(row(name, arithmetic, split));
  console.log(formatColumns(rows));
}
