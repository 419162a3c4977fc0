// Proof-regression specs: one JSON file per claim, validated on load and compared with the expected
// verdict (the `prove` command's rows). Two kinds: class claims (task, class, bounds; verifyBounded in Z3)
// and checkpoint claims (`"kind": "checkpoint"`: one stored model at a format; verifyCheckpoint's exact
// search, bounded by a state cap so that the verdict does not depend on the machine's speed).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { readJsonFile } from '../../files.js';
import { parseTask } from '../../tasks/catalogue.js';
import { parseWithSchema } from '../../validate.js';
import type { BoundedResult, Verdict } from '../types.js';
import type { SolverOptions } from '../solvers/types.js';
import { verifyBounded } from '../bounded.js';
import { parseModelClass } from '../classes.js';
import { type CheckpointVerdict, verifyCheckpoint } from '../checkpoint/bounded.js';
import { readCheckpoint } from '../../models/checkpoint.js';
import { parseFormat } from '../../precision/parse.js';
import { fixedFormatOf } from '../../precision/diagonal.js';
import { verifyAllLengths } from '../checkpoint/all-lengths.js';
import { guardedWorkClock, workClock } from '../../clock.js';
import type { AllLengthsVerdict } from '../checkpoint/types.js';

/** The schema of a class-level spec file (`kind` absent or "class"). */
export const specSchema = z.strictObject({
  kind: z.literal('class').optional(),
  claim: z.string().min(1),
  task: z.string().min(1),
  model: z.string().min(1),
  dim: z.number().int().min(1).max(64),
  format: z.string().min(1),
  maxLen: z.number().int().min(0),
  words: z.enum(['unary', 'all']),
  readout: z.enum(['linear', 'any']),
  expected: z.enum(['sat', 'unsat', 'unknown']),
  timeoutS: z.number().positive(),
  tier: z.enum(['fast', 'slow']),
  /** Why the expected verdict is what it is (e.g. where it departs from docs/theory.md). */
  note: z.string().optional(),
});

/** The schema of a checkpoint-level spec file: the checkpoint path is relative to the spec file. */
export const checkpointSpecSchema = z.strictObject({
  kind: z.literal('checkpoint'),
  claim: z.string().min(1),
  task: z.string().min(1),
  checkpoint: z.string().min(1),
  format: z.string().min(1),
  maxLen: z.number().int().min(1),
  maxStates: z.number().int().min(1),
  expected: z.enum(['holds', 'fails', 'unknown']),
  tier: z.enum(['fast', 'slow']),
  note: z.string().optional(),
});

/** The schema of an all-lengths spec: one checkpoint (relative to the spec file) at a format or 'real'. */
export const allLengthsSpecSchema = z.strictObject({
  kind: z.literal('all-lengths'),
  claim: z.string().min(1),
  task: z.string().min(1),
  checkpoint: z.string().min(1),
  /** A number format name, or 'real' for exact real arithmetic. */
  format: z.string().min(1),
  /** The work budget in units (src/clock.ts), which alone decides the verdict: measured with >= 3x headroom. */
  work: z.number().int().positive(),
  /** Wall seconds the spec should stay within: `prove --budget S` stops it at min(S, budgetS). */
  budgetS: z.number().positive(),
  expected: z.enum(['proved', 'refuted', 'unknown']),
  /** For refuted: the counterexample the search must report, in u(v)^k notation. */
  counterexample: z.string().optional(),
  tier: z.enum(['fast', 'slow']),
  note: z.string().optional(),
});

/** A validated all-lengths spec, its checkpoint path resolved. */
export type AllLengthsSpec = z.output<typeof allLengthsSpecSchema>;

/** A validated class-level spec. */
export type Spec = z.output<typeof specSchema>;

/** A validated checkpoint-level spec, its checkpoint path resolved. */
export type CheckpointSpec = z.output<typeof checkpointSpecSchema>;

/** Reads and validates one spec file of any kind; InputError naming the file and field. */
export function loadSpec(file: string): Spec | CheckpointSpec | AllLengthsSpec {
  const data = readJsonFile(file);
  if (typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'checkpoint') {
    const spec = parseWithSchema(checkpointSpecSchema, data, file);
    field(file, 'task', () => parseTask(spec.task));
    field(file, 'format', () => parseFormat(spec.format));
    return { ...spec, checkpoint: resolve(dirname(file), spec.checkpoint) };
  }
  if (typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'all-lengths') {
    const spec = parseWithSchema(allLengthsSpecSchema, data, file);
    field(file, 'task', () => parseTask(spec.task));
    if (spec.format !== 'real') field(file, 'format', () => parseFormat(spec.format));
    return { ...spec, checkpoint: resolve(dirname(file), spec.checkpoint) };
  }
  const spec = parseWithSchema(specSchema, data, file);
  field(file, 'task', () => parseTask(spec.task));
  field(file, 'model', () => parseModelClass(spec.model));
  field(file, 'format', () => fixedFormatOf(spec.format));
  return spec;
}

/** Runs a field's own parser; its InputError is re-thrown naming the spec file and the field. */
function field(file: string, name: string, parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${file}: ${name}: ${error.message}`);
    throw error;
  }
}

/** Runs one checkpoint spec: the exact search up to its length bound and state cap (and the time budget, if any). */
export function runCheckpointSpec(spec: CheckpointSpec, budgetS?: number): { got: CheckpointVerdict; timeMs: number; outOfTime: boolean } {
  const r = verifyCheckpoint({
    checkpoint: readCheckpoint(spec.checkpoint),
    task: parseTask(spec.task),
    format: parseFormat(spec.format),
    maxLen: spec.maxLen,
    maxStates: spec.maxStates,
    seconds: budgetS,
  });
  return { got: r.verdict, timeMs: r.seconds * 1000, outOfTime: r.verdict === 'unknown' && r.stopped === 'time' };
}

/**
 * Runs one all-lengths spec on a work clock of `spec.work` units, so that no load can change its verdict;
 * with a wall budget (prove --budget) it also stops at min(budgetS, spec.budgetS) wall seconds, and an
 * `unknown` that this cut causes is over budget rather than a mismatch. ok also requires the pinned
 * counterexample, when the spec names one.
 */
export function runAllLengthsSpec(spec: AllLengthsSpec, budgetS?: number): { got: AllLengthsVerdict; timeMs: number; ok: boolean; overBudget: boolean } {
  const cut = budgetS !== undefined && budgetS < spec.budgetS;
  const guard = budgetS === undefined ? null : guardedWorkClock(1000 * Math.min(budgetS, spec.budgetS));
  const r = verifyAllLengths({
    checkpoint: readCheckpoint(spec.checkpoint),
    checkpointFile: spec.checkpoint,
    task: parseTask(spec.task),
    format: spec.format === 'real' ? null : parseFormat(spec.format),
    budget: spec.work / 1000,
    clock: guard ?? workClock(),
  });
  const word = spec.counterexample === undefined || r.counterexample?.text === spec.counterexample;
  const ok = r.verdict === spec.expected && word;
  return { got: r.verdict, timeMs: r.seconds * 1000, ok, overBudget: !ok && cut && guard?.wallPassed() === true && r.verdict === 'unknown' };
}

/** The outcome of running one spec. */
export interface SpecRun {
  expected: Verdict;
  got: Verdict;
  timeMs: number;
  result: BoundedResult;
}

/** Runs one spec's bounded query, within min(its own timeoutS, budgetS) seconds, with the solver choice. */
export async function runSpec(spec: Spec, budgetS?: number, solver?: SolverOptions): Promise<SpecRun> {
  const seconds = budgetS === undefined ? spec.timeoutS : Math.min(spec.timeoutS, budgetS);
  const result = await verifyBounded({
    task: parseTask(spec.task),
    modelClass: parseModelClass(spec.model),
    dim: spec.dim,
    format: spec.format,
    maxLen: spec.maxLen,
    words: spec.words,
    readout: spec.readout,
    timeoutMs: seconds * 1000,
    ...(solver !== undefined ? { solver } : {}),
  });
  return { expected: spec.expected, got: result.verdict, timeMs: result.timeMs, result };
}

/** Who decided a class claim: the enumeration, or how many solver calls each solver answered. */
function solvedBy(r: BoundedResult): string {
  if (r.bounds.engine === 'enumerate') return 'enumeration';
  const wins = new Map<string, number>();
  for (const race of r.solvers ?? []) wins.set(race.winner ?? 'none', (wins.get(race.winner ?? 'none') ?? 0) + 1);
  return [...wins].map(([s, n]) => (wins.size === 1 && n === 1 ? s : `${s} ${n}`)).join(', ');
}

/** One row of the proof-regression table. */
export interface ProveRow {
  file: string;
  claim: string;
  expected: Verdict | CheckpointVerdict | AllLengthsVerdict;
  got: Verdict | CheckpointVerdict | AllLengthsVerdict;
  timeMs: number;
  ok: boolean;
  /** The verdict is unknown because the per-spec budget (shorter than the spec's own limit) ran out. */
  overBudget: boolean;
  /** The query as SMT-LIB 2, when asked for (to re-run it in a native solver). */
  smt2?: string;
  /** Class claims: who decided, e.g. 'z3', 'wasm 3, z3 1' (lazy rounds) or 'enumeration'. */
  solvedBy?: string;
}

/** How proveSpecs runs: which tier, a per-spec time budget, and a callback for each row as it finishes. */
export interface ProveOptions {
  smt2?: boolean;
  /** Seconds per spec; a spec over it is `unknown` (overBudget), not a mismatch. */
  budgetS?: number;
  onRow?: (row: ProveRow) => void;
  /** Which solver(s) answer class claims (auto: the portfolio). */
  solver?: SolverOptions;
}

/**
 * The spec files a path names: one .json file, or every *.json in a folder (name order), of the tier (all
 * tiers when omitted; a single named file runs whatever its tier). InputError when the path is missing or
 * nothing is selected.
 */
export function selectSpecs(path: string, tier?: 'fast' | 'slow'): { file: string; spec: Spec | CheckpointSpec | AllLengthsSpec }[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new InputError(`${path}: no such file or directory (expected a spec file or a folder of them)`);
  }
  if (!isDir) return [{ file: path, spec: loadSpec(path) }];
  const names = readdirSync(path)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (names.length === 0) throw new InputError(`${path}: no spec files (*.json) found`);
  const specs = names.map((name) => ({ file: join(path, name), spec: loadSpec(join(path, name)) }));
  const selected = specs.filter(({ spec }) => tier === undefined || spec.tier === tier);
  if (selected.length === 0) throw new InputError(`${path}: no spec of tier '${tier}' among ${names.length} files`);
  return selected;
}

/** Runs the selected specs (see selectSpecs) one after another; each row goes to onRow as it finishes. */
export async function proveSpecs(path: string, tier?: 'fast' | 'slow', opts: ProveOptions = {}): Promise<ProveRow[]> {
  const rows: ProveRow[] = [];
  const add = (row: ProveRow): void => {
    rows.push(row);
    opts.onRow?.(row);
  };
  for (const { file, spec } of selectSpecs(path, tier)) {
    if (spec.kind === 'all-lengths') {
      const run = runAllLengthsSpec(spec, opts.budgetS);
      add({ file, claim: spec.claim, expected: spec.expected, got: run.got, timeMs: run.timeMs, ok: run.ok, overBudget: run.overBudget });
      continue;
    }
    if (spec.kind === 'checkpoint') {
      const run = runCheckpointSpec(spec, opts.budgetS);
      const overBudget = run.outOfTime && spec.expected !== 'unknown';
      add({ file, claim: spec.claim, expected: spec.expected, got: run.got, timeMs: run.timeMs, ok: run.got === spec.expected, overBudget });
      continue;
    }
    // Sequential on purpose: the shared Z3 context serialises checks anyway (Z3-NOTES.md).
    const run = await runSpec(spec, opts.budgetS, opts.solver);
    const budgetCut = opts.budgetS !== undefined && opts.budgetS < spec.timeoutS;
    const overBudget = budgetCut && run.got === 'unknown' && spec.expected !== 'unknown';
    const row: ProveRow = { file, claim: spec.claim, expected: run.expected, got: run.got, timeMs: run.timeMs, ok: run.got === run.expected, overBudget };
    if (opts.smt2 === true) row.smt2 = run.result.smt2;
    row.solvedBy = solvedBy(run.result);
    add(row);
  }
  return rows;
}
