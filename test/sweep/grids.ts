// Tiny grids for the sweep tests: a few training steps on short words, so a cell takes about a second.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A grid of 2 families x `seeds` seeds on parity with every stage, each cell about a second. */
export function tinyGrid(seeds: number[] = [1, 2]): Record<string, unknown> {
  return {
    name: 'tiny',
    tasks: ['parity'],
    families: ['lrnn-neg', 'lrnn-pos'],
    seeds,
    model: { width: 4, state: 4 },
    train: { steps: 4, batch: 8, evalEvery: 2, lengths: '3:8' },
    eval: { lengths: '10:20', buckets: 2, samplesPerBucket: 8 },
    quantize: { formats: ['fixed<2,6>'], lengths: '1:16', samples: 4, points: 3 },
    extract: { format: 'fixed<2,4>', maxStates: 2000 },
    backend: 'cpu',
  };
}

/** A fresh temporary folder holding grid.json with the given grid; returns the folder and the file. */
export function gridFolder(grid: unknown, prefix = 'eigenstate-sweep-'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'grid.json');
  writeFileSync(file, JSON.stringify(grid));
  return { dir, file };
}
