// The training progress bar: cli-progress on stderr (stdout stays clean for data), showing loss, accuracy,
// validation accuracy and steps per second. Silent when stderr is not a terminal (logs, CI, tests) or with
// --quiet, so redirected output never fills with carriage returns.
import cliProgress from 'cli-progress';
import type { StepProgress } from '../models/train/trainer.js';

/** A progress display driven by the trainer's onStep; stop() must be called once at the end. */
export interface ProgressDisplay {
  update(p: StepProgress): void;
  stop(): void;
}

const fmt = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

/** A progress bar on stderr, or a no-op when quiet or stderr is not a TTY. */
export function trainingProgress(quiet: boolean, steps: number): ProgressDisplay {
  if (quiet || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'train [{bar}] {value}/{total} | loss {loss} | acc {acc} | val {val} | {rate} steps/s | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps, 0, { loss: '-', acc: '-', val: '-', rate: '-' });
  return {
    update: (p) =>
      bar.update(p.step, {
        loss: fmt(p.loss, 4),
        acc: fmt(p.accuracy, 3),
        val: fmt(p.validation, 3),
        rate: fmt(p.stepsPerSecond, 1),
      }),
    stop: () => bar.stop(),
  };
}
