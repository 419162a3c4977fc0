import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { boxSmallGenerators, type FlatZonotope } from '../../../src/verify/certificate/zono-order.js';

/** A zonotope from fast-check's numbers: n coordinates, rows of n entries (zero rows and axis-aligned rows included). */
const zonotopes = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    c: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
    rows: fc.array(
      fc.oneof(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
        fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.double({ min: -1e-6, max: 1e-6, noNaN: true })).map(([i, v]) => Array.from({ length: n }, (_, j) => (j === i ? v : 0))),
        fc.constant(new Array<number>(n).fill(0)),
      ),
      { maxLength: 30 },
    ),
  }),
);

describe("the checker's order reduction", () => {
  it('returns z under the cap; above it, keep rows copied from z plus one box row per coordinate that bounds every combination of the others', () => {
    fc.assert(
      fc.property(zonotopes, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 30, maxLength: 30 }), ({ c, rows }, keep, extra, eps) => {
        const n = c.length;
        const z: FlatZonotope & { tag: string } = { c: Float64Array.from(c), g: Float64Array.from(rows.flat()), k: rows.length, tag: 'kept' };
        const r = boxSmallGenerators(z, keep, keep + extra);
        if (rows.length <= keep + extra) {
          expect(r).toBe(z);
          return;
        }
        expect(r.tag).toBe('kept');
        expect(r.k).toBeLessThanOrEqual(keep + n);
        const kept = r.k - n;
        const left = rows.map((row) => [...row]);
        for (let t = 0; t < kept; t++) {
          const row = Array.from(r.g.subarray(t * n, t * n + n));
          const at = left.findIndex((o) => o.every((v, j) => Object.is(v, row[j]) || v === row[j]));
          expect(at).toBeGreaterThanOrEqual(0);
          left.splice(at, 1, new Array<number>(n).fill(NaN));
        }
        for (let i = 0; i < n; i++) {
          let rest = 0;
          left.forEach((row, k) => {
            if (!Number.isNaN(row[i])) rest += eps[k] * row[i];
          });
          expect(Math.abs(rest)).toBeLessThanOrEqual(r.g[(kept + i) * n + i]);
          for (let j = 0; j < n; j++) if (j !== i) expect(r.g[(kept + i) * n + j]).toBe(0);
        }
      }),
      { numRuns: 300, seed: 29 },
    );
  });
});
