// Runs one cell's stages in order (train, then eval, quantize, extract, verdict as the grid asks) and turns
// what happened into a CellOutcome. A stage that throws ends the cell as 'failed' with the stage and the
// error's one line, in the grid's terms (grid-hints.ts); the stages before it keep their records. Nothing here writes files or picks a
// backend: the pool thread or queue worker that calls it does.
import { EigenstateError } from '../errors.js';
import { checkpointToJsonText, type Checkpoint } from '../models/checkpoint.js';
import { NonFiniteLossError } from '../models/train/trainer.js';
import { parseTask } from '../tasks/catalogue.js';
import { inGridTerms } from './grid-hints.js';
import { cellId } from './hash.js';
import { evalStage } from './stages/eval.js';
import { extractStage } from './stages/extract.js';
import { quantizeStage } from './stages/quantize.js';
import { trainStage } from './stages/train.js';
import { verdictStage } from './stages/verdict.js';
import { CELL_FORMAT, CELL_VERSION, type CellConfig, type CellOutcome, type CellResult, type StageName } from './types.js';

/** Options of runCell. */
export interface RunCellOptions {
  /** Name of the tfjs backend in use (recorded; the caller selected it). */
  backend: string;
  /** Called as each stage starts (progress display, queue job progress). */
  onStage?: (stage: StageName) => void;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0];
  return error instanceof EigenstateError ? line : `internal error: ${line}`;
}

/** Runs every stage the cell asks for; never throws for a stage's failure (it is recorded in the result). */
export function runCell(cell: CellConfig, options: RunCellOptions): CellOutcome {
  const result: CellResult = {
    format: CELL_FORMAT,
    version: CELL_VERSION,
    id: cellId(cell),
    config: cell,
    status: 'done',
    error: null,
    train: null,
    eval: null,
    quantize: null,
    extract: null,
    verdict: null,
  };
  const seconds: CellOutcome['seconds'] = {};
  let checkpoint: Checkpoint | null = null;
  let stage: StageName = 'train';
  const timed = <T>(name: StageName, fn: () => T): T => {
    stage = name;
    options.onStage?.(name);
    const started = performance.now();
    try {
      return fn();
    } finally {
      seconds[name] = (performance.now() - started) / 1000;
    }
  };
  try {
    const task = parseTask(cell.task);
    let lastGood: Checkpoint | null = null;
    try {
      const trained = timed('train', () => trainStage(cell, task, options.backend, (c) => (lastGood = c)));
      checkpoint = trained.checkpoint;
      result.train = trained.record;
    } catch (error) {
      // A diverged run keeps its last good checkpoint, as `eigenstate train` does.
      if (error instanceof NonFiniteLossError) checkpoint = lastGood;
      throw error;
    }
    const ckpt = checkpoint;
    if (cell.eval) result.eval = timed('eval', () => evalStage(ckpt, task, cell.eval!));
    if (cell.quantize) result.quantize = timed('quantize', () => quantizeStage(ckpt, task, cell.quantize!));
    if (cell.extract) result.extract = timed('extract', () => extractStage(ckpt, task, cell.extract!));
    if (cell.verdict) result.verdict = timed('verdict', () => verdictStage(ckpt, task, cell.verdict!));
  } catch (error) {
    result.status = 'failed';
    result.error = { stage, message: inGridTerms(oneLine(error), stage) };
  }
  return { result, checkpoint: checkpoint === null ? null : checkpointToJsonText(checkpoint), seconds };
}
