import { describe, expect, it } from '@jest/globals';
import { parseFormat } from '../../src/precision/parse.js';
import { lengthGrid, quantize, quantizeTable } from '../../src/precision/quantize.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { parityLrnn } from '../fixtures/handbuilt.js';

const formats = ['fp32', 'fixed<2,4>'].map(parseFormat);

describe('lengthGrid', () => {
  it('takes every length of a small range and log-spaced ones of a large one', () => {
    expect(lengthGrid({ min: 0, max: 4 }, 10)).toEqual([1, 2, 3, 4]);
    const grid = lengthGrid({ min: 1, max: 1000 }, 12);
    expect(grid[0]).toBe(1);
    expect(grid[grid.length - 1]).toBe(1000);
    expect(grid.length).toBeLessThanOrEqual(12);
  });
});

describe('quantize', () => {
  it('scores the parity construction perfectly at every format and the float model agrees', () => {
    const report = quantize(parityLrnn('lrnn-neg'), parseTask('parity'), {
      formats, lengths: { min: 1, max: 60 }, samples: 4, seed: 3, points: 5, float: true,
    });
    for (const f of report.formats) {
      expect(f.accuracy).toBe(1);
      expect(f.agreement).toBe(1);
      expect(f.firstError).toBeNull();
    }
    expect(report.float?.accuracy).toBe(1);
    expect(quantizeTable(report)).toMatch(/fixed<2,4>\s+100\.0%\s+100\.0%\s+none/);
  });

  it('finds the first failing length of the lrnn-pos construction (2: the word 11)', () => {
    const ticks: string[] = [];
    const report = quantize(parityLrnn('lrnn-pos'), parseTask('parity'), {
      formats, lengths: { min: 1, max: 50 }, samples: 16, seed: 3, points: 5, float: false,
      onProgress: (p) => ticks.push(`${p.stage} ${p.done}/${p.total}`),
    });
    // one tick per (format, length): progress reaches its total, format by format
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `${i <= 5 ? 'fp32' : 'fixed<2,4>'} ${i}/10`));
    for (const f of report.formats) {
      expect(f.firstError).toBe(2);
      expect(f.accuracy).toBeLessThan(0.9);
      expect(f.agreement).toBeNull();
    }
  });
});
