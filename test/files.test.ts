import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
});
