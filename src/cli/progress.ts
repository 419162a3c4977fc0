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

/** A progress display for a long computation counted in units (lengths × formats, specs, states). */
export interface WorkProgress {
  update(done: number, total: number, detail: string): void;
  stop(): void;
}

/**
 * A bar on `stream` (stderr) when it is a terminal, else nothing: redirected output and --json stay
 * clean, and logs do not fill with carriage returns. The bar is drawn at most every 100 ms by cli-progress.
 */
export function workProgress(label: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): WorkProgress {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total} | {detail} | {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total, detail) => {
      if (!started) {
        bar.start(total, done, { detail });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { detail });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Runs `fn` and stops the display however it ends (the bar must not outlive an error). */
export function withProgress<T>(progress: WorkProgress, fn: () => T): T {
  try {
    return fn();
  } finally {
    progress.stop();
  }
}
