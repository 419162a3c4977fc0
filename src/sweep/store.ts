// The results folder of a sweep. Layout (documented in README):
//   DIR/grid.json              the grid of the latest run (the sweep's own bookkeeping)
//   DIR/cells/<id>.json        one result per cell, written atomically, last: its presence means "finished"
//   DIR/cells/<id>.ckpt.json   the cell's trained checkpoint (written before the result)
//   DIR/journal.ndjson         one line per event (start, done, failed), with wall-clock seconds per stage
//   DIR/sweep.lock             the pid of the sweep writing DIR (one writer at a time)
// A crash leaves at most temporary files of the running cells, which the next run removes.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { CELL_FORMAT, CELL_VERSION, type CellOutcome, type CellResult, type StageName } from './types.js';

/** One line of the journal. */
export interface JournalEvent {
  event: 'start' | 'done' | 'failed';
  id: string;
  /** ISO time of the event. */
  at: string;
  /** Who ran it: 'pool' or the queue worker's name. */
  by?: string;
  seconds?: Partial<Record<StageName, number>>;
  /** Why the worker running the cell failed (no result file then). */
  error?: string;
}

/** The results folder of one sweep. */
export class ResultStore {
  readonly cellsDir: string;
  readonly journalFile: string;

  constructor(readonly dir: string) {
    this.cellsDir = join(dir, 'cells');
    this.journalFile = join(dir, 'journal.ndjson');
  }

  /** Creates the folders (the parent of DIR must exist) and removes temporary files left by a killed run. */
  prepare(): void {
    for (const dir of [this.dir, this.cellsDir]) {
      // A file where a folder goes is bad input (exit 2 naming it), not mkdir's ENOTDIR later
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`--out ${this.dir}: ${dir === this.dir ? '' : `${dir} `}exists and is not a directory`);
      if (existsSync(dir)) continue;
      try {
        mkdirSync(dir);
      } catch (error) {
        throw new InputError(`--out ${this.dir}: cannot create the folder ${dir} (${(error as NodeJS.ErrnoException).code ?? error})`);
      }
    }
    for (const name of readdirSync(this.cellsDir)) if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(join(this.cellsDir, name), { force: true });
  }

  /** Takes DIR for this process; InputError when another live sweep holds it. Returns the release function. */
  lock(): () => void {
    const file = join(this.dir, 'sweep.lock');
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new InputError(`--out ${this.dir}: another sweep (pid ${pid}) is writing this folder (${file})`);
      }
    }
    writeFileSync(file, `${process.pid}\n`);
    return () => rmSync(file, { force: true });
  }

  resultFile(id: string): string {
    return join(this.cellsDir, `${id}.json`);
  }

  checkpointFile(id: string): string {
    return join(this.cellsDir, `${id}.ckpt.json`);
  }

  /** The cell's result, or null when there is none (or it is unreadable: then the cell is redone). */
  read(id: string): CellResult | null {
    const file = this.resultFile(id);
    if (!existsSync(file)) return null;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as CellResult;
      return data.format === CELL_FORMAT && data.version === CELL_VERSION && data.id === id ? data : null;
    } catch {
      return null;
    }
  }

  /** Every result in DIR/cells (any grid), unreadable files skipped. */
  readAll(): CellResult[] {
    if (!existsSync(this.cellsDir)) return [];
    return readdirSync(this.cellsDir)
      .filter((n) => /^[0-9a-f]{16}\.json$/.test(n))
      .sort()
      .map((n) => this.read(n.slice(0, 16)))
      .filter((r): r is CellResult => r !== null);
  }

  /** Writes a cell's checkpoint, then its result (atomically, result last); `replace` when redoing a cell. */
  write(outcome: CellOutcome, replace: boolean): void {
    const id = outcome.result.id;
    if (outcome.checkpoint !== null) writeFileAtomic(this.checkpointFile(id), outcome.checkpoint, { force: true });
    writeFileAtomic(this.resultFile(id), resultText(outcome.result), { force: replace });
  }

  /** Appends one event to the journal (one short line per append, so concurrent appends do not interleave). */
  journal(event: JournalEvent): void {
    appendFileSync(this.journalFile, `${JSON.stringify(event)}\n`);
  }

  /** Every journal event so far. */
  readJournal(): JournalEvent[] {
    if (!existsSync(this.journalFile)) return [];
    return readFileSync(this.journalFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as JournalEvent];
        } catch {
          return []; // a line cut by a kill mid-append
        }
      });
  }
}

/** The result file's text: pretty JSON, stable for the same result. */
export function resultText(result: CellResult): string {
  return `${JSON.stringify(result, null, 1)}\n`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
