// Nothing is lost: every file eigenstate writes goes to a temporary file beside the target and is renamed
// into place, so a crash leaves either the old file or the new one, never half of one; and an existing
// file is only replaced when the caller says so (--force).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileExistsError, InputError } from './errors.js';

/** Options for writing output files. */
export interface WriteOptions {
  /** Replace an existing file; without it an existing target is a FileExistsError. */
  force?: boolean;
}

/** Writes a file atomically (temp file + rename); refuses to overwrite unless `force`. */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  if (!options.force && existsSync(file)) throw new FileExistsError(file);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new InputError(`${file}: directory ${dir} does not exist`);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new InputError(`${file}: cannot write (${(error as Error).message})`);
  }
}

/** Reads a UTF-8 text file; a missing or unreadable file is an InputError naming it. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? error})`);
  }
}

/** Reads and parses a JSON file; a syntax error names the file. */
export function readJsonFile(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}
