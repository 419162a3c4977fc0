// The paper-style table of a sweep: one row per task x family x model size, accuracy on the eval lengths
// (the long ones) over seeds: mean, spread (sample standard deviation, and min..max) and the best seed, with
// P3's scaled accuracy (acc − chance) / (1 − chance), chance = 1 / the number of classes the task's sampler
// draws (5 for modular arithmetic, whose 'invalid' class is never drawn), how the exact extractions came
// out, and the all-lengths verdicts. A model that classifies every prefix (output 'every', P3's S5 setup)
// is scored by whole-sequence accuracy, the share of words right at every position, whose chance level
// (about chance^length) is taken as 0. Pure data: the HTML and --json both print it.
import { parseTask } from '../tasks/catalogue.js';
import { chanceLevel } from '../tasks/task.js';
import type { CellResult } from '../sweep/types.js';

/** One row of the table. */
export interface TableRow {
  task: string;
  family: string;
  /** Model size, e.g. 'w32 s32 l1'. */
  size: string;
  /** Seeds with a finished eval, and the total seeds in the row. */
  seeds: number;
  cells: number;
  failed: number;
  /** Accuracy on the eval lengths (null when no cell of the row has an eval). */
  mean: number | null;
  /** Sample standard deviation over seeds: null with fewer than two (not 0: one seed says nothing of the spread). */
  std: number | null;
  min: number | null;
  max: number | null;
  bestSeed: number | null;
  /** Scaled accuracy of the mean and of the best seed. */
  scaledMean: number | null;
  scaledBest: number | null;
  /** Validation accuracy on the training lengths, mean over seeds. */
  trainAccuracy: number | null;
  /** Exact extraction outcomes over seeds. */
  extract: { proved: number; refuted: number; cap: number; skipped: number };
  /** All-lengths verdicts over seeds (cells that ran the verdict stage). */
  verdict: { proved: number; refuted: number; unknown: number };
  evalLengths: string | null;
}

/** The whole table. */
export interface SweepTable {
  rows: TableRow[];
  cells: number;
  done: number;
  failed: number;
}

/** 'w32 s32 l1' (+ mlp, heads and DeltaNet's short convolution when set: cells differing in any are rows of their own). */
export function sizeLabel(r: CellResult): string {
  const m = r.config.model;
  const conv = m.conv ?? 0;
  return `w${m.width} s${m.state} l${m.layers}${m.mlp > 0 ? ` mlp${m.mlp}` : ''}${m.heads > 1 ? ` h${m.heads}` : ''}${conv > 0 ? ` conv${conv}` : ''}`;
}

function chanceOf(task: string): number {
  try {
    return chanceLevel(parseTask(task));
  } catch {
    return 1 / 2;
  }
}

/** The headline accuracy of a cell: whole-sequence accuracy for output 'every', else accuracy (undefined without eval). */
function headline(c: CellResult): number | undefined {
  return c.eval === null ? undefined : (c.eval.sequenceAccuracy ?? c.eval.accuracy);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Groups results into rows in first-seen order of the results given (the grid's order when sorted so). */
export function sweepTable(results: readonly CellResult[]): SweepTable {
  const groups = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = `${r.config.task}\u0000${r.config.family}\u0000${sizeLabel(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows = [...groups.values()].map((cells): TableRow => {
    const first = cells[0];
    const chance = first.config.model.output === 'every' ? 0 : chanceOf(first.config.task);
    const scaled = (x: number | null) => (x === null ? null : (x - chance) / (1 - chance));
    const evaluated = cells.filter((c) => Number.isFinite(headline(c)));
    const accs = evaluated.map((c) => headline(c)!);
    const best = evaluated.reduce<CellResult | null>((b, c) => (b === null || headline(c)! > headline(b)! ? c : b), null);
    const m = accs.length > 0 ? mean(accs) : null;
    const std = accs.length > 1 ? Math.sqrt(accs.reduce((s, a) => s + (a - m!) ** 2, 0) / (accs.length - 1)) : null;
    const trained = cells.filter((c) => c.train !== null && Number.isFinite(c.train.validation));
    const ex = { proved: 0, refuted: 0, cap: 0, skipped: 0 };
    for (const c of cells) {
      if (c.extract === null) continue;
      if (c.extract.status === 'skipped') ex.skipped++;
      else if (c.extract.equal === true) ex.proved++;
      else if (c.extract.equal === false) ex.refuted++;
      else ex.cap++;
    }
    const verdict = { proved: 0, refuted: 0, unknown: 0 };
    for (const c of cells) if (c.verdict !== null) verdict[c.verdict.verdict]++;
    const lengths = first.config.eval?.lengths;
    return {
      task: first.config.task,
      family: first.config.family,
      size: sizeLabel(first),
      seeds: accs.length,
      cells: cells.length,
      failed: cells.filter((c) => c.status === 'failed').length,
      mean: m,
      std,
      min: accs.length > 0 ? Math.min(...accs) : null,
      max: accs.length > 0 ? Math.max(...accs) : null,
      bestSeed: best?.config.seed ?? null,
      scaledMean: scaled(m),
      scaledBest: scaled(best === null ? null : headline(best)!),
      trainAccuracy: trained.length > 0 ? mean(trained.map((c) => c.train!.validation)) : null,
      extract: ex,
      verdict,
      evalLengths: lengths ? `${lengths.min}-${lengths.max}` : null,
    };
  });
  return { rows, cells: results.length, done: results.filter((r) => r.status === 'done').length, failed: results.filter((r) => r.status === 'failed').length };
}

/** The spread as printed: 'n/a' with one seed (a spread of one number is no figure), '–' with none. */
export function stdText(r: TableRow): string {
  return r.std !== null ? r.std.toFixed(3) : r.seeds === 1 ? 'n/a' : '–';
}

/** The all-lengths verdicts as printed: 'proved / refuted / unknown', or '–' when no cell of the row ran them. */
export function verdictText(r: TableRow): string {
  const v = r.verdict;
  return v.proved + v.refuted + v.unknown === 0 ? '–' : `${v.proved} / ${v.refuted} / ${v.unknown}`;
}

/** The table as Markdown (for example READMEs): scaled mean ± std and best, as P3 prints it, and the verdicts. */
export function tableMarkdown(table: SweepTable): string {
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  const lines = [
    '| task | family | size | seeds | acc mean ± std | acc min..max | best seed | scaled mean | scaled best | exact: proved / refuted / cap | all lengths: proved / refuted / unknown |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of table.rows) {
    lines.push(
      `| ${r.task} | ${r.family} | ${r.size} | ${r.seeds}/${r.cells} | ${f(r.mean)} ± ${stdText(r)} | ${f(r.min)}..${f(r.max)} | ${r.bestSeed ?? '–'} | ${f(r.scaledMean)} | ${f(r.scaledBest)} | ${r.extract.proved} / ${r.extract.refuted} / ${r.extract.cap} | ${verdictText(r)} |`,
    );
  }
  return lines.join('\n');
}
