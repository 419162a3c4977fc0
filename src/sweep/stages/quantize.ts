// The quantize stage: the library call behind `eigenstate quantize` (precision/quantize.ts): the checkpoint
// run exactly at each number format of the grid.
import type { Checkpoint } from '../../models/checkpoint.js';
import { parseFormat } from '../../precision/parse.js';
import { quantize, type QuantizeReport } from '../../precision/quantize.js';
import type { Task } from '../../tasks/task.js';
import type { QuantizeSettings } from '../types.js';

/** Accuracy, agreement with the float model and first wrong length at each format. */
export function quantizeStage(checkpoint: Checkpoint, task: Task, settings: QuantizeSettings): QuantizeReport {
  return quantize(checkpoint, task, {
    formats: settings.formats.map(parseFormat),
    lengths: settings.lengths,
    samples: settings.samples,
    seed: settings.seed,
    points: settings.points,
    float: settings.float,
  });
}
