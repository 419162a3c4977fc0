// The eval stage: the library call behind `eigenstate eval` (models/evaluate.ts): accuracy of the float
// model per length bucket on class-balanced words, seeded by the grid.
import type { Checkpoint } from '../../models/checkpoint.js';
import { type EvaluationResult, evaluateBuckets } from '../../models/evaluate.js';
import { buildNetwork } from '../../models/network.js';
import { Rng } from '../../random.js';
import type { Task } from '../../tasks/task.js';
import type { EvalSettings } from '../types.js';

/** Accuracy per length bucket of the checkpoint's float network. */
export function evalStage(checkpoint: Checkpoint, task: Task, settings: EvalSettings): EvaluationResult {
  const net = buildNetwork(checkpoint.config, checkpoint.weights);
  try {
    return evaluateBuckets(net, task, {
      lengths: settings.lengths,
      buckets: settings.buckets,
      samplesPerBucket: settings.samplesPerBucket,
      rng: new Rng(settings.seed),
    });
  } finally {
    net.dispose();
  }
}
