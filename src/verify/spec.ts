// Proof-regression specs: one JSON file per claim (task, class, bounds, expected verdict, tier), validated
// on load, run through verifyBounded, and compared with the expected verdict (the `prove` command's rows).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseTask } from '../tasks/catalogue.js';
import { parseWithSchema } from '../validate.js';
import type { BoundedResult, Verdict } from './bounded.js';
import { verifyBounded } from './bounded.js';
import { parseModelClass } from './classes.js';

/** The schema of a spec file. */
export const specSchema = z.strictObject({
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

/** A validated spec. */
export type Spec = z.output<typeof specSchema>;

/** Reads and validates one spec file; InputError naming the file and field. */
export function loadSpec(file: string): Spec {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseWithSchema(specSchema, data, file);
}

/** The outcome of running one spec. */
export interface SpecRun {
  expected: Verdict;
  got: Verdict;
  timeMs: number;
  result: BoundedResult;
}

/** Runs one spec's bounded query. */
export async function runSpec(spec: Spec): Promise<SpecRun> {
  const result = await verifyBounded({
    task: parseTask(spec.task),
    modelClass: parseModelClass(spec.model),
    dim: spec.dim,
    format: spec.format,
    maxLen: spec.maxLen,
    words: spec.words,
    readout: spec.readout,
    timeoutMs: spec.timeoutS * 1000,
  });
  return { expected: spec.expected, got: result.verdict, timeMs: result.timeMs, result };
}

/** One row of the proof-regression table. */
export interface ProveRow {
  file: string;
  claim: string;
  expected: Verdict;
  got: Verdict;
  timeMs: number;
  ok: boolean;
  /** The query as SMT-LIB 2, when asked for (to re-run it in a native solver). */
  smt2?: string;
}

/** Runs every spec file (*.json) in a directory, of the given tier (all tiers when omitted), in name order. */
export async function proveSpecs(dir: string, tier?: 'fast' | 'slow', opts: { smt2?: boolean } = {}): Promise<ProveRow[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const rows: ProveRow[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const spec = loadSpec(file);
    if (tier !== undefined && spec.tier !== tier) continue;
    // Sequential on purpose: the shared Z3 context serialises checks anyway (Z3-NOTES.md).
    const run = await runSpec(spec);
    const row: ProveRow = { file, claim: spec.claim, expected: run.expected, got: run.got, timeMs: run.timeMs, ok: run.got === run.expected };
    if (opts.smt2 === true) row.smt2 = run.result.smt2;
    rows.push(row);
  }
  return rows;
}
