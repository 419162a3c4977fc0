// The fresh set of bench/allengths: models trained by eigenstate's own trainer on seeds the rest of the
// repository never used (bench/models/allengths/train.sh regenerates them), each asked the all-lengths
// question at fp32 and over the exact reals. Rows follow the manifest of train.sh's order (the file names
// sort by family and width); each row prints the verdict, how it was reached, seconds, the certificate's
// size and, for a refutation, the word. EIGENSTATE_BENCH_FRESH_BUDGET sets the budget per row (default 120 s,
// wall clock: a bench measures time, its verdicts are not asserted anywhere). EIGENSTATE_BENCH_MIN_LEN=train
// asks about the words at least as long as each checkpoint's shortest training word (--min-len), or =N.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { formatColumns } from '../src/automata/table.js';
import { type Checkpoint, readCheckpoint } from '../src/models/checkpoint.js';
import { parseFormat } from '../src/precision/parse.js';
import { parseTask } from '../src/tasks/catalogue.js';
import type { AnyCertificate } from '../src/verify/certificate/format.js';
import { verifyAllLengths } from '../src/verify/checkpoint/all-lengths.js';
import type { AllLengthsResult } from '../src/verify/checkpoint/types.js';

/** Where train.sh writes the checkpoints, and `eval --json` of each under eval/. */
export const FRESH_DIR = 'bench/models/allengths';

/** The longest counterexample text printed whole; longer ones are cut in the middle. */
const MAX_WORD = 40;

/** The model in short: family, layers × width, MLP and norm when present. */
export function describeModel(ckpt: Checkpoint): string {
  const c = ckpt.config;
  const layers = c.layers > 1 ? `${c.layers}×` : '';
  const heads = c.heads > 1 ? ` ${c.heads} heads` : '';
  return `${c.family} ${layers}w${c.width}${heads}${c.mlp > 0 ? ` mlp${c.mlp}` : ''}${c.norm === 'rms' ? ' rms' : ''}`;
}

/** The sampled accuracy eval/NAME.json records (`eval --json`, lengths 40–256), or '-' where not recorded. */
function sampledAccuracy(name: string): string {
  const file = join(FRESH_DIR, 'eval', `${name}.json`);
  if (!existsSync(file)) return '-';
  const e = JSON.parse(readFileSync(file, 'utf8')) as { accuracy: number; buckets: { min: number; max: number }[] };
  return `${e.accuracy.toFixed(4)} (${e.buckets[0].min}–${e.buckets[e.buckets.length - 1].max})`;
}

/** Boxes (or abstract states) and size of a certificate, whatever its kind. */
export function certificateSize(cert: AnyCertificate | null): string {
  if (cert === null) return '-';
  const states = (cert as { states?: unknown }).states;
  const parts = Array.isArray(states) ? (states as { parts?: unknown[] }[]).reduce((t, x) => t + (x.parts?.length ?? 0), 0) : 0;
  const count = Array.isArray(states) ? (parts > 0 ? `${parts} parts of ${states.length} / ` : `${states.length} / `) : '';
  return `${count}${(JSON.stringify(cert).length / 1024).toFixed(1)} KiB`;
}

/** How a verdict was reached, in a few words. */
function how(r: AllLengthsResult): string {
  if (r.verdict === 'refuted') return r.counterexample?.method ?? '-';
  if (r.verdict === 'proved') return r.proof ?? '-';
  // An unknown: the decider that got furthest is the last one that ran.
  const ran = r.deciders.filter((d) => !d.outcome.startsWith('skipped'));
  const last = ran.length === 0 ? '' : `; ${ran[ran.length - 1].name}: ${ran[ran.length - 1].outcome}`;
  return `checked to ${r.checkedUpTo}${last}`.slice(0, 60);
}

/** The word of a refutation, cut in the middle when long. */
function word(r: AllLengthsResult): string {
  const c = r.counterexample;
  if (c === null) return '-';
  return c.text.length > MAX_WORD ? `${c.text.slice(0, MAX_WORD / 2 - 2)}...${c.text.slice(-(MAX_WORD / 2 - 2))}` : c.text;
}

/** The fresh checkpoints, in file-name order. */
export function freshCheckpoints(): { name: string; file: string }[] {
  if (!existsSync(FRESH_DIR)) return [];
  return readdirSync(FRESH_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => ({ name: f.replace(/\.json$/, ''), file: join(FRESH_DIR, f) }));
}

/** Prints the fresh set's table: every checkpoint at fp32 and over the reals. */
export function benchAllLengthsFresh(): void {
  const budget = Number(process.env.EIGENSTATE_BENCH_FRESH_BUDGET ?? 120);
  const only = process.env.EIGENSTATE_BENCH_MODELS?.split(',').filter((s) => s !== '');
  const minLen = process.env.EIGENSTATE_BENCH_MIN_LEN ?? '1';
  const models = freshCheckpoints().filter((m) => only === undefined || only.some((o) => m.name.includes(o)));
  console.log(`fresh trained models (${FRESH_DIR}), budget ${budget} s per row, words of length >= ${minLen}; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)} at start\n`);
  const rows: string[][] = [['checkpoint', 'model', 'eval (sampled)', 'arithmetic', 'verdict', 'how', 'seconds', 'work units', 'certificate (boxes / size)', 'cex length', 'counterexample']];
  const notes: string[] = [];
  const started = performance.now();
  for (const { name, file } of models) {
    const ckpt = readCheckpoint(file);
    const minLength = minLen === 'train' ? (ckpt.training?.trainLengths.min ?? 1) : Number(minLen);
    for (const arithmetic of ['fp32', 'real']) {
      const format = arithmetic === 'real' ? null : parseFormat(arithmetic);
      const r = verifyAllLengths({ checkpoint: ckpt, checkpointFile: file, task: parseTask(ckpt.task.name), format, budget, minLength });
      for (const note of r.notes) notes.push(`${name} ${arithmetic}: ${note}`);
      const cells = [name, describeModel(ckpt), sampledAccuracy(name), arithmetic, r.verdict, how(r), r.seconds.toFixed(1), String(r.work), certificateSize(r.certificate), r.counterexample === null ? '-' : String(r.counterexample.length), word(r)];
      rows.push(cells);
      // One line per row as it lands, so a long run shows progress (the table follows at the end).
      console.error(`  ${cells.join(' | ')}  [load ${os.loadavg()[0].toFixed(1)}]`);
    }
  }
  console.log(formatColumns(rows));
  const decided = rows.slice(1).filter((r) => r[4] !== 'unknown');
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`\n${decided.length} of ${rows.length - 1} rows decided; ${((performance.now() - started) / 60000).toFixed(1)} min in all; load ${os.loadavg()[0].toFixed(1)} at end`);
}
