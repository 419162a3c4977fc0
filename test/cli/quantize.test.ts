import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCheckpoint } from '../../src/models/checkpoint.js';
import { parityLrnn } from '../fixtures/handbuilt.js';
import { runCli } from './run-cli.js';

function checkpointFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-quantize-'));
  const file = join(dir, 'neg.json');
  writeCheckpoint(file, parityLrnn('lrnn-neg'));
  return { dir, file };
}

describe('eigenstate quantize', () => {
  it('prints a table per format and writes the plot', async () => {
    const { dir, file } = checkpointFile();
    const plot = join(dir, 'acc.svg');
    const r = await runCli('quantize', file, '--formats', 'fp16,fixed<2,6>', '--lengths', '1:64', '--samples', '4', '--points', '4', '--plot', plot);
    expect(r.stderr).toContain(`wrote ${plot}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lrnn-neg on parity: 4 words at each of 4 lengths in 1..64');
    expect(r.stdout).toMatch(/fixed<2,6>\s+100\.0%\s+100\.0%\s+none/);
    expect(readFileSync(plot, 'utf8')).toContain('<svg');
    const again = await runCli('quantize', file, '--formats', 'fp16', '--lengths', '1:4', '--no-float', '--plot', plot);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('file exists');
  });

  it('prints JSON', async () => {
    const { file } = checkpointFile();
    const r = await runCli('quantize', file, '--formats', 'bf16', '--lengths', '1:8', '--samples', '2', '--no-float', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.formats[0]).toMatchObject({ format: 'bf16', accuracy: 1, agreement: null, firstError: null });
    expect(report.lengths).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects a bad format in one line', async () => {
    const { file } = checkpointFile();
    const r = await runCli('quantize', file, '--formats', 'fp12');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("format 'fp12'");
  });
});
