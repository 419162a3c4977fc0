// Proof-regression specs: one JSON file per claim, validated on load and compared with the expected
// verdict (the `prove` command's rows). Two kinds: class claims (task, class, bounds; verifyBounded in Z3)
// and checkpoint claims (`"kind": "checkpoint"`: one stored model at a format; verifyCheckpoint's exact
// search, bounded by a state cap so that the verdict does not depend on the machine's speed).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseTask } from '../tasks/catalogue.js';
import { parseWithSchema } from '../validate.js';
import type { BoundedResult, Verdict } from './bounded.js';
import type { SolverOptions } from './solvers/types.js';
import { verifyBounded } from './bounded.js';
import { parseModelClass } from './classes.js';
import { type CheckpointVerdict, verifyCheckpoint } from './checkpoint.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { parseFormat } from '../precision/parse.js';
import { verifyAllLengths } from './checkpoint/all-lengths.js';
import type { AllLengthsVerdict } from './checkpoint/types.js';

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
  /** Why the expected verdict is what it is (e.g. where it departs from THEORY.md). */
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
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'checkpoint') {
    const spec = parseWithSchema(checkpointSpecSchema, data, file);
    return { ...spec, checkpoint: resolve(dirname(file), spec.checkpoint) };
  }
  if (typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'all-lengths') {
    const spec = parseWithSchema(allLengthsSpecSchema, data, file);
    return { ...spec, checkpoint: resolve(dirname(file), spec.checkpoint) };
  }
  return parseWithSchema(specSchema, data, file);
}

/** Runs one checkpoint spec: the exact search up to its length bound and state cap (no time limit). */
export function runCheckpointSpec(spec: CheckpointSpec): { got: CheckpointVerdict; timeMs: number } {
  const r = verifyCheckpoint({
    checkpoint: readCheckpoint(spec.checkpoint),
    task: parseTask(spec.task),
    format: parseFormat(spec.format),
    maxLen: spec.maxLen,
    maxStates: spec.maxStates,
  });
  return { got: r.verdict, timeMs: r.seconds * 1000 };
}

/** Runs one all-lengths spec; ok also requires the pinned counterexample, when the spec names one. */
export function runAllLengthsSpec(spec: AllLengthsSpec): { got: AllLengthsVerdict; timeMs: number; ok: boolean } {
  const r = verifyAllLengths({
    checkpoint: readCheckpoint(spec.checkpoint),
    checkpointFile: spec.checkpoint,
    task: parseTask(spec.task),
    format: spec.format === 'real' ? null : parseFormat(spec.format),
    budget: spec.budgetS,
  });
  const word = spec.counterexample === undefined || r.counterexample?.text === spec.counterexample;
  return { got: r.verdict, timeMs: r.seconds * 1000, ok: r.verdict === spec.expected && word };
}

/** The outcome of running one spec. */
export interface SpecRun {
  expected: Verdict;
  got: Verdict;
  timeMs: number;
  result: BoundedResult;
}

/** Runs one spec's bounded query. */
export async function runSpec(spec: Spec, solver?: SolverOptions): Promise<SpecRun> {
  const result = await verifyBounded({
    task: parseTask(spec.task),
    modelClass: parseModelClass(spec.model),
    dim: spec.dim,
    format: spec.format,
    maxLen: spec.maxLen,
    words: spec.words,
    readout: spec.readout,
    timeoutMs: spec.timeoutS * 1000,
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
  /** The query as SMT-LIB 2, when asked for (to re-run it in a native solver). */
  smt2?: string;
  /** Class claims: who decided, e.g. 'z3', 'wasm 3, z3 1' (lazy rounds) or 'enumeration'. */
  solvedBy?: string;
}

/** Runs every spec file (*.json) in a directory, of the given tier (all tiers when omitted), in name order. */
export async function proveSpecs(dir: string, tier?: 'fast' | 'slow', opts: { smt2?: boolean; solver?: SolverOptions } = {}): Promise<ProveRow[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const rows: ProveRow[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const spec = loadSpec(file);
    if (tier !== undefined && spec.tier !== tier) continue;
    if (spec.kind === 'all-lengths') {
      const run = runAllLengthsSpec(spec);
      rows.push({ file, claim: spec.claim, expected: spec.expected, got: run.got, timeMs: run.timeMs, ok: run.ok });
      continue;
    }
    if (spec.kind === 'checkpoint') {
      const run = runCheckpointSpec(spec);
      rows.push({ file, claim: spec.claim, expected: spec.expected, got: run.got, timeMs: run.timeMs, ok: run.got === spec.expected });
      continue;
    }
    // Sequential on purpose: the shared Z3 context serialises checks anyway (Z3-NOTES.md).
    const run = await runSpec(spec, opts.solver);
    const row: ProveRow = { file, claim: spec.claim, expected: run.expected, got: run.got, timeMs: run.timeMs, ok: run.got === run.expected };
    if (opts.smt2 === true) row.smt2 = run.result.smt2;
    row.solvedBy = solvedBy(run.result);
    rows.push(row);
  }
  return rows;
}
