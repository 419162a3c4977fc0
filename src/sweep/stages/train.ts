// The train stage: the library call behind `eigenstate train` (models/train/trainer.ts) on one cell's
// settings. The record keeps what is deterministic (steps, why it stopped, accuracy, the curve) and leaves
// the wall-clock seconds to the caller's timing sidecar.
import type { Checkpoint } from '../../models/checkpoint.js';
import { chooseMicroBatch } from '../../models/train/memory.js';
import { configForTask } from '../../models/train/model-config.js';
import { train } from '../../models/train/trainer.js';
import type { Task } from '../../tasks/task.js';
import type { CellConfig, TrainRecord } from '../types.js';

/** Trains the cell's model; throws the trainer's errors (NonFiniteLossError on divergence, after the last good checkpoint went to onCheckpoint). */
export function trainStage(
  cell: CellConfig,
  task: Task,
  backend: string,
  onCheckpoint?: (ckpt: Checkpoint) => void,
): { checkpoint: Checkpoint; record: TrainRecord } {
  const config = configForTask(task, cell.family, cell.model);
  const t = cell.train;
  const result = train({
    task,
    config,
    seed: cell.seed,
    steps: t.steps,
    batch: t.batch,
    // the largest pass that fits the backend's memory (the paper-size batch of 256 does not fit at once)
    microBatch: chooseMicroBatch(config, t.batch, t.lengths.max, backend),
    trainLengths: t.lengths,
    curriculum: t.curriculum,
    lr: t.lr,
    weightDecay: t.weightDecay,
    warmup: t.warmup,
    clip: t.clip,
    targetAccuracy: t.targetAcc,
    evalEvery: t.evalEvery,
    backend,
    label: `cell ${cell.task}/${cell.family}/seed ${cell.seed}`,
    onCheckpoint,
  });
  const training = result.checkpoint.training;
  if (training === null) throw new Error('trainer returned a checkpoint without a training record');
  return {
    checkpoint: result.checkpoint,
    record: {
      backend,
      steps: training.steps,
      stopped: training.stopped,
      validation: result.validation,
      history: training.history,
      ...(training.curriculum === undefined ? {} : { validationLengths: result.validationLengths, promotions: training.curriculum.promotions }),
    },
  };
}
