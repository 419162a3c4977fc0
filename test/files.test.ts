import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileExistsError, InputError } from '../src/errors.js';
import { checkOutputDirectory, checkOutputFile, ensureOutputDirectory, readJsonFile, writeFileAtomic } from '../src/files.js';

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-files-'));

  it('writes atomically and refuses to overwrite without force', () => {
    const f = join(dir, 'a.txt');
    writeFileAtomic(f, 'one');
    expect(() => writeFileAtomic(f, 'two')).toThrow(FileExistsError);
    expect(readFileSync(f, 'utf8')).toBe('one');
    writeFileAtomic(f, 'two', { force: true });
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('names the file in read errors', () => {
    expect(() => readJsonFile(join(dir, 'missing.json'))).toThrow(`${join(dir, 'missing.json')}: no such file`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => readJsonFile(bad)).toThrow(InputError);
    expect(() => readJsonFile(bad)).toThrow(/bad\.json: not valid JSON/);
  });

  it('names a missing directory', () => {
    expect(() => writeFileAtomic(join(dir, 'no', 'x.txt'), 'x')).toThrow(/does not exist/);
  });

  it('a file in the way of a folder is one InputError, and the writer leaves nothing behind', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    expect(() => writeFileAtomic(join(file, 'x.dot'), 'y')).toThrow(new InputError(`${join(file, 'x.dot')}: ${file} is not a directory`));
    expect(() => checkOutputFile(join(dir, 'plain'))).toThrow(FileExistsError);
    expect(() => checkOutputFile(dir)).toThrow(`${dir}: is a directory`);
    expect(() => checkOutputDirectory(file)).toThrow(`${file}: exists and is not a directory`);
    expect(() => checkOutputDirectory(join(file, 'a', 'b'))).toThrow(`${join(file, 'a', 'b')}: ${file} is not a directory`);
    expect(() => ensureOutputDirectory(join(file, 'a'))).toThrow(InputError);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('creates missing output folders level by level, and checking creates nothing', () => {
    const deep = join(dir, 'x', 'y', 'z');
    checkOutputDirectory(deep);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    ensureOutputDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    ensureOutputDirectory(deep);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  // /proc looks writable to root but refuses new files: the check must try, not trust the mode bits.
  (existsSync('/proc/self') ? it : it.skip)('a folder that refuses files is found before any work', () => {
    expect(() => checkOutputFile('/proc/eigenstate-x.json')).toThrow('/proc/eigenstate-x.json: cannot write in /proc');
    expect(() => checkOutputDirectory('/proc/eigenstate-x/y')).toThrow('/proc/eigenstate-x/y: cannot write in /proc');
  });

  // Issue 25 case 1: `--force` over /dev/full replaced the device with a regular file. Only regular files are
  // ever replaced; the special files here are made in a temp folder (a FIFO, a link to /dev/null).
  (process.platform === 'win32' ? it.skip : it)('--force replaces only regular files; a link to one is written through', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => writeFileAtomic(fifo, 'x', { force: true })).toThrow(new InputError(`${fifo}: is a FIFO, not a regular file (--force replaces only regular files)`));
    expect(() => checkOutputFile(fifo)).toThrow(InputError);
    expect(statSync(fifo).isFIFO()).toBe(true);
    const toNull = join(dir, 'to-null');
    symlinkSync('/dev/null', toNull);
    expect(() => writeFileAtomic(toNull, 'x', { force: true })).toThrow(`${toNull}: is a character device, not a regular file`);
    expect(lstatSync(toNull).isSymbolicLink()).toBe(true);
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), dangling);
    expect(() => writeFileAtomic(dangling, 'x', { force: true })).toThrow(`${dangling}: is a symbolic link to nothing (ENOENT)`);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    const real = join(dir, 'real.txt');
    writeFileSync(real, 'old');
    const link = join(dir, 'link.txt');
    symlinkSync('real.txt', link);
    expect(() => writeFileAtomic(link, 'new')).toThrow(FileExistsError);
    expect(checkOutputFile(link, { force: true })).toBe(real);
    writeFileAtomic(link, 'new', { force: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
