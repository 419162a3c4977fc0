import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { orderCapFor, reduceOrder } from '../../src/abstract/zono-order.js';
import { Zonotope } from '../../src/abstract/zonotope.js';
import { Rng } from '../../src/random.js';

/** A random zonotope: n coordinates, m generators, some of them axis-aligned and some all zero, entries of mixed scales. */
function randomZonotope(n: number, m: number, seed: number): Zonotope {
  const rng = new Rng(seed);
  const c = Float64Array.from({ length: n }, () => rng.float() * 2 - 1);
  const g = new Float64Array(m * n);
  for (let k = 0; k < m; k++) {
    const kind = rng.int(0, 3);
    const scale = 10 ** rng.int(-12, 2);
    if (kind === 0) continue;
    if (kind === 1) g[k * n + rng.int(0, n - 1)] = (rng.float() * 2 - 1) * scale;
    else for (let i = 0; i < n; i++) g[k * n + i] = (rng.float() * 2 - 1) * scale;
  }
  return new Zonotope(n, c, g, m);
}

describe('order reduction of zonotopes (Girard)', () => {
  it('keeps at most keep + n generators and holds every point of the original: the kept rows take their own ε, the box row of coordinate i covers the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 10_000 }), (n, m, keep, extra, seed) => {
        const z = randomZonotope(n, m, seed);
        const cap = keep + extra;
        const r = reduceOrder(z, { keep, cap });
        if (m <= cap) {
          expect(r).toBe(z);
          return;
        }
        expect(r.m).toBeLessThanOrEqual(keep + n);
        expect(r.c).toEqual(z.c);
        // Match each kept row to an unused original row with the same entries.
        const kept = r.m - n;
        const used = new Set<number>();
        const source: number[] = [];
        for (let t = 0; t < kept; t++) {
          const row = r.g.subarray(t * n, t * n + n);
          const k = Array.from({ length: m }, (_, i) => i).find((i) => !used.has(i) && z.g.subarray(i * n, i * n + n).every((v, j) => v === row[j]));
          expect(k).toBeDefined();
          used.add(k as number);
          source.push(k as number);
        }
        // The box part: row kept + i is zero but at coordinate i.
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j !== i) expect(r.g[(kept + i) * n + j]).toBe(0);
        const rng = new Rng(seed + 1);
        for (let t = 0; t < 16; t++) {
          const eps = Array.from({ length: m }, () => (rng.float() < 0.3 ? (rng.float() < 0.5 ? -1 : 1) : rng.float() * 2 - 1));
          for (let i = 0; i < n; i++) {
            let rest = 0;
            for (let k = 0; k < m; k++) if (!used.has(k)) rest += eps[k] * z.g[k * n + i];
            expect(Math.abs(rest)).toBeLessThanOrEqual(r.g[(kept + i) * n + i]);
          }
        }
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  it("keeps the generators a box would widen most (Girard's score), boxing the axis-aligned ones for free", () => {
    // Two coordinates: an axis-aligned generator of size 10 and a diagonal one of size 1. Keeping one,
    // the diagonal one stays (score 1 against 0); boxing it instead would add 1 to each coordinate.
    const z = new Zonotope(2, new Float64Array(2), Float64Array.from([10, 0, 1, 1, 0, 0.5]), 3);
    const r = reduceOrder(z, { keep: 1, cap: 2 });
    expect(Array.from(r.g.subarray(0, 2))).toEqual([1, 1]);
    expect(r.g[(1 + 0) * 2 + 0]).toBeGreaterThanOrEqual(10);
    expect(r.g[(1 + 0) * 2 + 0]).toBeLessThan(10 + 1e-12);
    expect(r.g[(1 + 1) * 2 + 1]).toBeGreaterThanOrEqual(0.5);
    expect(r.g[(1 + 1) * 2 + 1]).toBeLessThan(0.5 + 1e-12);
    expect(orderCapFor(16)).toEqual({ keep: 16, cap: 32 });
  });
});
