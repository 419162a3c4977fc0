// Nothing is lost: every file eigenstate writes goes to a temporary file beside the target and is renamed
// into place, so a crash leaves either the old file or the new one, never half of one; and an existing
// file is only replaced when the caller says so (--force), and only a regular file: --force never replaces a
// device, a FIFO or a socket. A symbolic link to a regular file is written through: the file it points to is
// replaced (atomically, beside itself) and the link stays; a link to anything else, or to nothing, is refused.
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileExistsError, InputError } from './errors.js';

/** Options for writing output files. */
export interface WriteOptions {
  /** Replace an existing file; without it an existing target is a FileExistsError. */
  force?: boolean;
}

/** Writes a file atomically (temp file + rename); refuses to overwrite unless `force`. */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  const target = checkOutputFile(file, options);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (error) {
    // The clean-up must not hide the first failure (it can fail for the same reason: ENOTDIR, EACCES).
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was left behind that we could remove
    }
    throw new InputError(`${file}: cannot write (${errorCode(error)})`);
  }
}

/**
 * Checks, before any work, that `file` could be written: its directory exists and is one, and the file is new,
 * or a regular file (or a link to one) and `force`. Returns the path the writer replaces: `file`, or the
 * regular file a symbolic link at `file` points to. Anything else in the way is an InputError naming it.
 */
export function checkOutputFile(file: string, options: WriteOptions = {}): string {
  const target = linkTarget(file);
  const dir = dirname(target);
  const dirKind = kindOf(dir);
  if (dirKind === 'missing') throw new InputError(`${file}: directory ${dir} does not exist`);
  if (dirKind !== 'directory') throw new InputError(`${file}: ${dir} is not a directory`);
  const kind = kindOf(target);
  if (kind === 'directory') throw new InputError(`${file}: is a directory`);
  if (kind === 'other') throw new InputError(`${file}: is ${nodeKind(target)}, not a regular file (--force replaces only regular files)`);
  if (kind !== 'missing' && !options.force) throw new FileExistsError(file);
  // A writable-looking folder can still refuse files (/proc, read-only mounts): try a temporary file now,
  // so that a long run does not fail only at its end.
  const probe = join(dir, `.${basename(target)}.${process.pid}.probe.tmp`);
  try {
    writeFileSync(probe, '');
  } catch (error) {
    throw new InputError(`${file}: cannot write in ${dir} (${errorCode(error)})`);
  }
  rmSync(probe, { force: true });
  return target;
}

/** `file` itself, or, when it is a symbolic link, the existing path it resolves to; a dangling link is an InputError. */
function linkTarget(file: string): string {
  let isLink: boolean;
  try {
    isLink = lstatSync(file).isSymbolicLink();
  } catch {
    return file;
  }
  if (!isLink) return file;
  try {
    return realpathSync(file);
  } catch (error) {
    throw new InputError(`${file}: is a symbolic link to nothing (${errorCode(error)}); remove it or name a new file`);
  }
}

/** What kind of non-regular, non-directory node is at `path`, in words. */
function nodeKind(path: string): string {
  const stat = statSync(path);
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

/**
 * Checks, before any work, that `dir` is a directory or could be made one: the nearest existing level is a
 * directory that accepts files. InputError naming the path otherwise. Creates nothing.
 */
export function checkOutputDirectory(dir: string): void {
  const { existing } = outputDirectoryLevels(dir);
  const probe = join(existing, `.eigenstate.${process.pid}.probe.tmp`);
  try {
    writeFileSync(probe, '');
  } catch (error) {
    throw new InputError(`${dir}: cannot write in ${existing} (${errorCode(error)})`);
  }
  rmSync(probe, { force: true });
}

/**
 * Makes sure `dir` is a directory, creating it and its missing parents one level at a time; InputError
 * naming the path when something in the way is a file or a level cannot be created. (Node's recursive
 * mkdir loops for ever under /proc, so the levels are created one by one.)
 */
export function ensureOutputDirectory(dir: string): void {
  for (const level of outputDirectoryLevels(dir).missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      throw new InputError(`${dir}: cannot create directory ${level} (${errorCode(error)})`);
    }
  }
}

/** The nearest existing ancestor of `dir` (or `dir` itself), and the missing levels below it, top first. */
function outputDirectoryLevels(dir: string): { existing: string; missing: string[] } {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const kind = kindOf(at);
    if (kind === 'directory') return { existing: at, missing: missing.reverse() };
    if (kind !== 'missing') throw new InputError(at === target ? `${dir}: exists and is not a directory` : `${dir}: ${at} is not a directory`);
    missing.push(at);
    const up = dirname(at);
    if (up === at) return { existing: at, missing: missing.reverse() };
    at = up;
  }
}

/** What is at a path (links followed): nothing, a directory, a regular file, or something else (device, FIFO, ...). */
function kindOf(path: string): 'missing' | 'directory' | 'file' | 'other' {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return 'directory';
    return stat.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** A file-system error as one short reason: its code (ENOTDIR, EACCES, ...) or its message. */
function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
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
