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
      format: 'train [{bar}] {value}/{total} | len {len} | loss {loss} | acc {acc} | val {val} | {rate} steps/s | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps, 0, { len: '-', loss: '-', acc: '-', val: '-', rate: '-' });
  return {
    update: (p) =>
      bar.update(p.step, {
        len: `${p.lengths.min}-${p.lengths.max}`,
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
export function withProgress<T>(progress: { stop(): void }, fn: () => T): T {
  try {
    return fn();
  } finally {
    progress.stop();
  }
}

/** A progress display for a search that counts what it found against a cap (states, pairs, queries). */
export interface SearchProgress {
  /** `found` so far (of `cap` when there is one), `queued` of them still to expand when known. */
  update(found: number, queued?: number): void;
  stop(): void;
}

/** Where searchProgress writes and how often; injectable so tests need no terminal and no clock. */
export interface SearchProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Milliseconds since some fixed origin (default performance.now). */
  now?: () => number;
  /** Redirected output: one line at most this often (default 5000 ms), the first after as long. */
  everyMs?: number;
  /** When the last line was written; displays that share one keep to one line per interval together. */
  throttle?: { printed: number };
  /** Where the elapsed time on a line counts from (default: when the display was made). */
  since?: number;
}

const compact = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(x >= 1e7 ? 0 : 1)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(0)}k` : String(Math.round(x));

/**
 * Progress of a capped search on stderr: on a terminal a cli-progress bar against the cap with the queue
 * and the rate; redirected, one plain line every few seconds (no carriage returns), so a long run is
 * never silent in a log either. Nothing at all for searches that end before the first line is due.
 */
export function searchProgress(label: string, unit: string, cap: number | undefined, options: SearchProgressOptions = {}): SearchProgress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? 5000;
  const started = now();
  let last = { at: started, found: 0 };
  /** Found per second over the last window of 500 ms or more; undefined before the first such window. */
  let rate: number | undefined;
  const measure = (found: number): void => {
    const at = now();
    if (at - last.at >= 500) {
      rate = ((found - last.found) * 1000) / (at - last.at);
      last = { at, found };
    }
  };
  const queue = (queued: number | undefined): string => (queued === undefined ? '' : `, queue ${compact(queued)}`);
  const perSecond = (): string => (rate === undefined ? '' : `, ${compact(rate)} ${unit}/s`);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} [{bar}] {found}${cap === undefined ? '' : '/{cap}'} ${unit}{queue}{rate} | {duration_formatted}`, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    let drawn = false;
    return {
      update: (found, queued) => {
        measure(found);
        const payload = { found: compact(found), cap: cap === undefined ? '' : compact(cap), queue: queue(queued), rate: perSecond() };
        if (!drawn) bar.start(cap ?? found, found, payload);
        else bar.update(found, payload);
        drawn = true;
      },
      stop: () => {
        if (drawn) bar.stop();
      },
    };
  }
  const throttle = options.throttle ?? { printed: started };
  return {
    update: (found, queued) => {
      measure(found);
      const at = now();
      if (at - throttle.printed < everyMs) return;
      throttle.printed = at;
      const of = cap === undefined ? '' : ` of a cap of ${cap}`;
      stream.write(`${label}: ${found} ${unit}${of}${queue(queued)}${perSecond()}, ${((at - (options.since ?? started)) / 1000).toFixed(0)} s\n`);
    },
    stop: () => undefined,
  };
}

/** A search that runs in stages (learning, an oracle's rounds, a check), each with its own count and cap. */
export interface StagedProgress {
  update(stage: string, unit: string, cap: number | undefined, found: number, queued?: number): void;
  stop(): void;
}

/**
 * searchProgress per stage: a new bar whenever the stage changes (on a terminal), and redirected, one line
 * every few seconds across all stages together, so stages that alternate quickly still get lines.
 */
export function stagedProgress(prefix: string, options: SearchProgressOptions = {}): StagedProgress {
  const now = options.now ?? (() => performance.now());
  const since = now();
  const throttle = options.throttle ?? { printed: since };
  let stage: string | undefined;
  let display: SearchProgress | undefined;
  return {
    update: (next, unit, cap, found, queued) => {
      if (display === undefined || next !== stage) {
        display?.stop();
        stage = next;
        display = searchProgress(`${prefix}: ${next}`, unit, cap, { since, ...options, now, throttle });
      }
      display.update(found, queued);
    },
    stop: () => display?.stop(),
  };
}
