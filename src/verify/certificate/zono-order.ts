// The checker's own order reduction of a zonotope c + Σ_k g_k ε_k (|ε_k| <= 1), written apart from the
// search's (abstract/zono-order.ts), so that the checker can follow a word of any length with a bounded
// number of generators. Once there are more than `cap` generators, the `keep` with the largest Girard
// score ‖g‖₁ − ‖g‖∞ stay as they are and every other generator is dropped, its part absorbed by one new
// generator per coordinate i of radius Σ_dropped |g_ki|. Containment: for any ε, the dropped part
// Σ ε_k g_k has coordinate i of size at most Σ |g_ki|, which the new generator of coordinate i reaches
// with one ε in [−1, 1]; each addition of that radius is rounded up (x + |x|·2^−52 + 2^−1074 exceeds the
// exact sum of the two float64 operands), so the stored radius is at least the exact one. The centre and
// the kept generators are copied bit for bit. Which generators are kept affects only the width, never
// soundness: the order below (score, then index) is a choice, not a claim.

const { abs, max } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;

/** A flat zonotope: centre c (n entries) and k generator rows of n entries in g. */
export interface FlatZonotope {
  c: Float64Array;
  g: Float64Array;
  k: number;
}

/** z itself when it has at most `cap` generators, else a zonotope holding z with `keep` of its generators and one per coordinate (the rest boxed); other fields of z are kept. */
export function boxSmallGenerators<Z extends FlatZonotope>(z: Z, keep: number, cap: number): Z {
  const n = z.c.length;
  if (z.k <= cap) return z;
  const rows: { row: number; score: number }[] = [];
  for (let r = 0; r < z.k; r++) {
    let sum = 0;
    let top = 0;
    for (let i = r * n; i < r * n + n; i++) {
      sum += abs(z.g[i]);
      top = max(top, abs(z.g[i]));
    }
    if (sum > 0) rows.push({ row: r, score: sum - top });
  }
  rows.sort((a, b) => b.score - a.score || a.row - b.row);
  const stay = rows.slice(0, keep);
  const g = new Float64Array((stay.length + n) * n);
  stay.forEach(({ row }, r) => g.set(z.g.subarray(row * n, row * n + n), r * n));
  const base = stay.length * n;
  for (const { row } of rows.slice(keep)) {
    for (let i = 0; i < n; i++) {
      const v = abs(z.g[row * n + i]);
      if (v === 0) continue;
      const s = g[base + i * n + i] + v;
      g[base + i * n + i] = s + (s * E + TINY);
    }
  }
  return { ...z, g, k: stay.length + n };
}
