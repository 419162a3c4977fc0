// The threshold table alone (no Z3 here): every (w, c) of a format accepts exactly one set the table
// offers, and every set the table offers is accepted by its recorded realiser.
import { describe, expect, it } from '@jest/globals';
import { linearReadout } from '../../../src/precision/diagonal.js';
import { fixedFormat } from '../../../src/precision/fixed.js';
import { thresholdTable } from '../../../src/verify/z3/threshold.js';

describe('thresholdTable', () => {
  it.each([
    [2, 3],
    [1, 4],
    [3, 2],
  ])('is exact for fixed<%i,%i>', (i, f) => {
    const format = fixedFormat(i, f);
    const codes = format.codes();
    const { up, down } = thresholdTable(format);
    const setOf = (w: number, c: number): string => codes.map((h) => (linearReadout(format, [w], c, [h]) ? '1' : '0')).join('');
    const upSet = (k: number): string => codes.map((h) => (h >= k ? '1' : '0')).join('');
    const downSet = (k: number): string => codes.map((h) => (h <= k ? '1' : '0')).join('');
    const offered = new Set<string>([setOf(0, 1), setOf(0, 0)]);
    for (const [k, { w, c }] of up) {
      expect(setOf(w, c)).toBe(upSet(k));
      offered.add(upSet(k));
    }
    for (const [k, { w, c }] of down) {
      expect(setOf(w, c)).toBe(downSet(k));
      offered.add(downSet(k));
    }
    const missing: string[] = [];
    for (const w of codes) for (const c of codes) if (!offered.has(setOf(w, c))) missing.push(`${w},${c}`);
    expect(missing).toEqual([]);
  });
});
