// All-length verdicts for checkpoints (verify --all-lengths): per checkpoint and arithmetic, the verdict,
// how it was reached (abstract states, refinement rounds, lassos), seconds, the certificate's size and the
// counterexample's length. Rows: every parity checkpoint of specs/checkpoints at fp32 and over the reals,
// the hand-built pair at bf16 and fixed<2,6>, the S3 constructions of lrnn-pd and deltanet-neg at fp32 and
// bf16, and seeded one-layer width-64 models of four families
// (the target: each decided within 60 s), with the work units each used (src/clock.ts: what --work counts)
// and their rate (what a unit costs per model). EIGENSTATE_BENCH_BUDGET sets the budget per row (default 60 s).
// Then the fresh set (allengths-fresh.ts): freshly trained models at fp32 and over the reals, 120 s a row.
// EIGENSTATE_BENCH_SET=specs or =fresh runs one of the two sets alone (default: both);
// EIGENSTATE_BENCH_MODELS=a,b restricts the fresh set to the checkpoints whose names contain a or b.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatColumns } from '../src/automata/table.js';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from '../src/models/checkpoint.js';
import { benchAllLengthsFresh } from './allengths-fresh.js';
import { familyConfigFor } from './allengths-models.js';
import { initWeights } from '../src/models/init.js';
import { parseFormat } from '../src/precision/parse.js';
import { Rng } from '../src/random.js';
import { parseTask } from '../src/tasks/catalogue.js';
import { verifyAllLengths } from '../src/verify/checkpoint/all-lengths.js';

const budget = Number(process.env.EIGENSTATE_BENCH_BUDGET ?? 60);

function row(name: string, file: string, ckpt: Checkpoint, arithmetic: string): string[] {
  const r = verifyAllLengths({ checkpoint: ckpt, checkpointFile: file, task: parseTask(ckpt.task.name), format: arithmetic === 'real' ? null : parseFormat(arithmetic), budget });
  const c = r.counterexample;
  const split = r.certificate !== null && 'kind' in r.certificate && r.certificate.kind === 'split-blocks' ? r.certificate : null;
  const parts = split?.states.reduce((t, s) => t + s.parts.length, 0) ?? 0;
  return [
    name,
    `${ckpt.config.family} w${ckpt.config.width}`,
    arithmetic,
    r.verdict + (r.proof === 'exhaustive' ? ' (exact search)' : r.proof === 'block-invariant' ? (split ? ' (split zonotope blocks)' : ' (zonotope blocks)') : ''),
    String(r.abstractStates),
    String(r.refinementRounds),
    String(r.lassos.tried),
    r.seconds.toFixed(2),
    String(r.work),
    r.seconds > 0 ? (r.work / r.seconds / 1000).toFixed(1) : '-',
    r.certificate === null ? '-' : `${split ? `${parts} parts of ` : ''}${r.certificate.states.length} / ${(JSON.stringify(r.certificate).length / 1024).toFixed(1)} KiB`,
    c === null ? '-' : String(c.length),
    c === null ? '-' : c.text.length > 24 ? `${c.text.slice(0, 21)}...` : c.text,
  ];
}

/** Prints the tables of the sets EIGENSTATE_BENCH_SET asks for (specs, fresh, or both). */
export async function benchAllLengths(): Promise<void> {
  const set = process.env.EIGENSTATE_BENCH_SET ?? 'all';
  if (!['all', 'specs', 'fresh'].includes(set)) throw new Error(`EIGENSTATE_BENCH_SET=${set}: expected specs, fresh or all`);
  if (set !== 'fresh') benchSpecs();
  if (set === 'all') console.log('');
  if (set !== 'specs') benchAllLengthsFresh();
  return Promise.resolve();
}

/** The table of the spec checkpoints, the S3 constructions and the seeded models. */
function benchSpecs(): void {
  const rows: string[][] = [['checkpoint', 'model', 'arithmetic', 'verdict', 'abstract states', 'rounds', 'lassos', 'seconds', 'work units', 'k units/s', 'certificate (boxes / size)', 'cex length', 'counterexample']];
  const dir = 'specs/checkpoints';
  for (const name of readdirSync(dir).filter((f) => f.startsWith('parity-')).sort()) {
    const file = join(dir, name);
    const ckpt = readCheckpoint(file);
    const formats = ['fp32'];
    // Over the reals every family has a route (candidates found at fp32, certified; block invariants for rnn-tanh).
    formats.push('real');
    if (name.includes('handbuilt')) formats.push('bf16', 'fixed<2,6>');
    for (const f of formats) rows.push(row(name.replace('.json', ''), file, ckpt, f));
  }
  // P0's and P3's S3 constructions (eigenstate construct s3 --model lrnn-pd / deltanet-neg).
  for (const name of ['s3-lrnn-pd-construction.json', 's3-deltanet-neg-construction.json']) {
    const file = join(dir, name);
    const ckpt = readCheckpoint(file);
    for (const f of ['fp32', 'bf16']) rows.push(row(name.replace('.json', ''), file, ckpt, f));
  }
  const tmp = mkdtempSync(join(tmpdir(), 'eigenstate-bench-'));
  for (const family of ['lrnn-neg', 'lrnn-pos', 'rnn-tanh', 'deltanet-neg'] as const) {
    const config = familyConfigFor(family, 64);
    const ckpt: Checkpoint = { config, task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] }, training: null, origin: 'bench: seeded initialisation', weights: initWeights(config, new Rng(64)) };
    const file = join(tmp, `${family}.json`);
    writeCheckpoint(file, ckpt);
    rows.push(row(`seeded init (seed 64)`, file, ckpt, 'fp32'));
  }
  console.log(formatColumns(rows));
}
