import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileExistsError, InputError } from '../src/errors.js';
import { readJsonFile, writeFileAtomic } from '../src/files.js';

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
});
