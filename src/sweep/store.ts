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
    const r = this.inspect(id);
    return 'result' in r ? r.result : null;
  }

  /** The cell's result file read and checked: the result, or what is wrong with the file (one line). */
  inspect(id: string): { result: CellResult } | { problem: string } {
    let text: string;
    try {
      text = readFileSync(this.resultFile(id), 'utf8');
    } catch (error) {
      return { problem: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { problem: `not JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
    }
    const problem = resultProblem(data, id);
    return problem === null ? { result: data as CellResult } : { problem };
  }

  /** Every result in DIR/cells (any grid) and every result file that is corrupt, with what is wrong. */
  scan(): { results: CellResult[]; corrupt: { file: string; problem: string }[] } {
    const results: CellResult[] = [];
    const corrupt: { file: string; problem: string }[] = [];
    if (!existsSync(this.cellsDir)) return { results, corrupt };
    for (const name of readdirSync(this.cellsDir)
      .filter((n) => /^[0-9a-f]{16}\.json$/.test(n))
      .sort()) {
      const r = this.inspect(name.slice(0, 16));
      if ('result' in r) results.push(r.result);
      else corrupt.push({ file: join(this.cellsDir, name), problem: r.problem });
    }
    return { results, corrupt };
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

/**
 * What is wrong with a parsed result file, naming the field and its value, or null when it is a result of
 * this format and version for cell `id` with the fields the report reads (a shape check, not a proof).
 */
export function resultProblem(data: unknown, id: string): string | null {
  const show = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v).slice(0, 60));
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(data)) return `not a cell result (the file holds ${show(data)}, expected an object)`;
  if (data.format !== CELL_FORMAT) return `format: ${show(data.format)} (expected '${CELL_FORMAT}')`;
  if (data.version !== CELL_VERSION) return `version: ${show(data.version)} (expected ${CELL_VERSION})`;
  if (data.id !== id) return `id: ${show(data.id)} (expected '${id}', the file's name)`;
  if (data.status !== 'done' && data.status !== 'failed') return `status: ${show(data.status)} (expected 'done' or 'failed')`;
  const c = data.config;
  if (!isObject(c)) return `config: ${show(c)} (expected an object)`;
  for (const field of ['task', 'family'] as const) if (typeof c[field] !== 'string') return `config.${field}: ${show(c[field])} (expected a string)`;
  if (typeof c.seed !== 'number') return `config.seed: ${show(c.seed)} (expected a number)`;
  if (!isObject(c.model) || typeof c.model.width !== 'number') return `config.model: ${show(c.model)} (expected an object with a numeric width)`;
  for (const stage of ['train', 'eval', 'quantize', 'extract', 'verdict'] as const) {
    if (data[stage] !== null && !isObject(data[stage])) return `${stage}: ${show(data[stage])} (expected an object or null)`;
  }
  const ev = data.eval as Record<string, unknown> | null;
  if (ev !== null && (typeof ev.accuracy !== 'number' || !Array.isArray(ev.buckets))) return `eval: ${show(ev)} (expected accuracy and buckets)`;
  return null;
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
