// The sweep's one progress display: cells done / total, running, failed and an ETA, as a cli-progress bar
// on stderr when it is a terminal, else one plain line per finished cell (logs, CI, tests).
import cliProgress from 'cli-progress';

/** What the display is told. */
export interface SweepProgress {
  /** A cell finished ('done' or 'failed'); `label` names it for the plain log. */
  finished(status: 'done' | 'failed', label: string, seconds: number): void;
  /** The number of cells running changed. */
  running(n: number): void;
  /** A line about the run itself (a connection problem): printed even when quiet, above the bar. */
  note(line: string): void;
  stop(): void;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A display for `total` cells to run of `planned`, `skipped` of which were already finished. */
export function sweepProgress(total: number, skipped: number, quiet: boolean): SweepProgress {
  const started = Date.now();
  let done = 0;
  let failed = 0;
  let running = 0;
  // ETA from the measured rate of this run's cells (skipped ones cost nothing).
  const eta = () => (done + failed === 0 ? NaN : ((Date.now() - started) / 1000 / (done + failed)) * (total - done - failed));
  const note = (line: string) => process.stderr.write(`sweep: ${line}\n`);
  if (quiet) return { finished: () => undefined, running: () => undefined, note, stop: () => undefined };
  if (!process.stderr.isTTY) {
    process.stderr.write(`sweep: ${total} cells to run, ${skipped} already finished\n`);
    return {
      finished: (status, label, seconds) => {
        if (status === 'done') done++;
        else failed++;
        process.stderr.write(`sweep: ${done + failed}/${total} ${status} ${label} (${seconds.toFixed(1)} s) | running ${running} | failed ${failed} | ETA ${formatEta(eta())}\n`);
      },
      running: (n) => void (running = n),
      note,
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'sweep [{bar}] {value}/{total} done | running {running} | failed {failed} | ETA {remaining}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { running: 0, failed: 0, remaining: '-' });
  return {
    finished: (status) => {
      if (status === 'done') done++;
      else failed++;
      bar.update(done + failed, { failed, running, remaining: formatEta(eta()) });
    },
    running: (n) => {
      running = n;
      bar.update({ running });
    },
    note: (line) => {
      // Clear the bar's line, print, and draw the bar again below.
      process.stderr.write('\r\x1b[K');
      note(line);
      bar.render();
    },
    stop: () => bar.stop(),
  };
}
