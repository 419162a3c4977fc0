// How a checkpoint fares at each number format: accuracy on its task by length, agreement with the float
// (tfjs) model on the same words, and the first length at which the exact model errs. Words are sampled
// per length from the task's balanced sampler with one seeded Rng, so every format sees the same words.
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import type { Word } from '../machine.js';
import type { Checkpoint } from '../models/checkpoint.js';
import { buildNetwork } from '../models/network.js';
import { lengthHasWords } from '../models/train/batches.js';
import { lineChartSvg } from '../plot.js';
import { Rng } from '../random.js';
import type { LengthRange, Task } from '../tasks/task.js';
import type { NumberFormat } from './format.js';
import { checkpointMachine } from './machine.js';

/** What to measure. */
export interface QuantizeOptions {
  formats: readonly NumberFormat[];
  lengths: LengthRange;
  /** Words sampled per length. */
  samples: number;
  seed: number;
  /** At most this many lengths, log-spaced over the range (every length when the range is smaller). */
  points: number;
  /** Compare with the float model (tfjs); off, agreement is null. */
  float: boolean;
  /** Called after each length of each stage (the float model, then each format): `done` of `total` units. */
  onProgress?: (p: QuantizeProgress) => void;
}

/** How far a quantize run is: units are (stage, length) pairs; the stage is 'float' or a format name. */
export interface QuantizeProgress {
  stage: string;
  done: number;
  total: number;
}

/** One format's figures at one length. */
export interface LengthPoint {
  length: number;
  accuracy: number;
  /** Fraction of words on which the exact and the float model give the same class; null without the float model. */
  agreement: number | null;
}

/** One format's figures. */
export interface FormatReport {
  format: string;
  /** Mean accuracy over the lengths measured (each length weighs the same). */
  accuracy: number;
  agreement: number | null;
  /**
   * The shortest length at which the exact model misclassifies a sampled word or, for tasks with a
   * reference DFA, any prefix of one (prefixes no shorter than the range's minimum); null when it never errs.
   */
  firstError: number | null;
  byLength: LengthPoint[];
}

/** The whole measurement. */
export interface QuantizeReport {
  task: string;
  family: string;
  lengths: number[];
  samples: number;
  seed: number;
  /** The float model's own accuracy per length (null when not run). */
  float: { accuracy: number; byLength: { length: number; accuracy: number }[] } | null;
  formats: FormatReport[];
}

/** The lengths measured: every length of the range when few, else `points` log-spaced ones (ends included). */
export function lengthGrid(range: LengthRange, points: number): number[] {
  const lo = Math.max(1, range.min);
  const hi = range.max;
  if (hi < lo) throw new InputError(`--lengths ${range.min}:${range.max}: the network needs words of length >= 1`);
  if (hi - lo + 1 <= points) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const out = new Set<number>();
  for (let i = 0; i < points; i++) out.add(Math.round(Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (points - 1))));
  return [...out].sort((a, b) => a - b);
}

/** Classes the tfjs float model gives a batch of words of one length. */
function floatClasses(net: ReturnType<typeof buildNetwork>, words: readonly Word[]): number[] {
  return tf.tidy(() => {
    const t = words[0].length;
    const logits = net.logits(tf.tensor2d(words.map((w) => [...w]), [words.length, t], 'int32'));
    const last = logits.rank === 3 ? tf.squeeze(tf.slice(logits, [0, t - 1, 0], [-1, 1, -1]), [1]) : logits;
    return Array.from(tf.argMax(last, -1).dataSync());
  });
}

/** Measures a checkpoint at every format on the task (the checkpoint's alphabet must be the task's). */
export function quantize(ckpt: Checkpoint, task: Task, options: QuantizeOptions): QuantizeReport {
  const same = task.alphabet.length === ckpt.task.alphabet.length && task.alphabet.every((a, i) => a === ckpt.task.alphabet[i]);
  if (!same) {
    throw new InputError(`task ${task.name}: alphabet [${task.alphabet.join(', ')}] is not the checkpoint's [${ckpt.task.alphabet.join(', ')}]`);
  }
  // Lengths at which the task has no words (modular arithmetic at even lengths) are left out.
  const lengths = lengthGrid(options.lengths, options.points).filter((t) => lengthHasWords(task, t));
  if (lengths.length === 0) throw new InputError(`task ${task.name}: no words at the lengths measured in ${options.lengths.min}:${options.lengths.max}`);
  const rng = new Rng(options.seed);
  const words = lengths.map((length) =>
    Array.from({ length: options.samples }, () => task.sample(rng, { min: length, max: length })),
  );
  const total = lengths.length * (options.formats.length + (options.float ? 1 : 0));
  let done = 0;
  const tick = (stage: string): void => options.onProgress?.({ stage, done: ++done, total });
  let floatReport: QuantizeReport['float'] = null;
  let floatLabels: number[][] | null = null;
  if (options.float) {
    const net = buildNetwork(ckpt.config, ckpt.weights);
    try {
      floatLabels = words.map((batch) => {
        const labels = floatClasses(net, batch.map((e) => e.word));
        tick('float');
        return labels;
      });
    } finally {
      net.dispose();
    }
    const byLength = lengths.map((length, i) => ({
      length,
      accuracy: mean(words[i].map((e, j) => (floatLabels![i][j] === e.label ? 1 : 0))),
    }));
    floatReport = { accuracy: mean(byLength.map((p) => p.accuracy)), byLength };
  }
  const reference = task.reference;
  const formats = options.formats.map((format): FormatReport => {
    const machine = checkpointMachine(ckpt, format);
    let firstError: number | null = null;
    const byLength = lengths.map((length, i): LengthPoint => {
      let correct = 0;
      let agree = 0;
      words[i].forEach((example, j) => {
        let state = machine.initial();
        let ref = reference?.initial();
        example.word.forEach((x, t) => {
          state = machine.step(state, x);
          // Every prefix is a test of its own when the reference labels it for free.
          if (reference !== undefined && ref !== undefined) {
            ref = reference.step(ref, x);
            const at = t + 1;
            if (at >= options.lengths.min && (firstError === null || at < firstError) && machine.classify(state) !== reference.classify(ref)) {
              firstError = at;
            }
          }
        });
        const got = machine.classify(state);
        if (got === example.label) correct++;
        else if (firstError === null || length < firstError) firstError = length;
        if (floatLabels !== null && floatLabels[i][j] === got) agree++;
      });
      const n = words[i].length;
      tick(format.name);
      return { length, accuracy: correct / n, agreement: floatLabels === null ? null : agree / n };
    });
    return {
      format: format.name,
      accuracy: mean(byLength.map((p) => p.accuracy)),
      agreement: floatLabels === null ? null : mean(byLength.map((p) => p.agreement ?? 0)),
      firstError,
      byLength,
    };
  });
  return { task: task.name, family: ckpt.config.family, lengths, samples: options.samples, seed: options.seed, float: floatReport, formats };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The report as an aligned text table, one row per format. */
export function quantizeTable(report: QuantizeReport): string {
  const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
  const rows: string[][] = [['format', 'accuracy', 'agreement', 'first error at length']];
  if (report.float !== null) rows.push(['float (tfjs)', pct(report.float.accuracy), '-', '-']);
  for (const f of report.formats) rows.push([f.format, pct(f.accuracy), pct(f.agreement), f.firstError === null ? 'none' : String(f.firstError)]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  const span = `${report.lengths[0]}..${report.lengths[report.lengths.length - 1]}`;
  return [
    `${report.family} on ${report.task}: ${report.samples} words at each of ${report.lengths.length} lengths in ${span} (seed ${report.seed})`,
    ...lines,
  ].join('\n');
}

/** Accuracy against length, one line per format (and the float model), as an SVG document. */
export async function quantizeSvg(report: QuantizeReport): Promise<string> {
  const series = report.formats.map((f) => ({ name: f.format, points: f.byLength.map((p) => [p.length, p.accuracy] as const) }));
  if (report.float !== null) series.unshift({ name: 'float (tfjs)', points: report.float.byLength.map((p) => [p.length, p.accuracy] as const) });
  return lineChartSvg({
    title: `${report.family} on ${report.task}: accuracy by length and format`,
    xLabel: 'length',
    yLabel: 'accuracy',
    series,
    logX: report.lengths.length > 1 && report.lengths[report.lengths.length - 1] / report.lengths[0] >= 8,
  });
}
