// Order reduction of zonotopes along long words (Girard 2005): a zonotope followed over hundreds of steps
// gains fresh generators at every step, so its cost grows with the word. Once it holds more than `cap`
// generators, the `keep` generators that a box would enlarge most stay, and all the others are replaced
// by the box they span: one generator per coordinate, radius Σ_rest |g_ki| rounded up. The score is
// Girard's ‖g‖₁ − ‖g‖∞ (what boxing g adds to the box's 1-norm), not ‖g‖₁: the fresh generators of a step
// are axis-aligned (score 0) and are boxed for free, while the images of old generators, which a map that
// is not diagonal (a DeltaNet's I − βkkᵀ, a reflection of gain 1) has turned off the axes, stay exact.
// Boxing them at every step instead multiplies the boxed radii by the map's ∞-norm at every step (the
// wrapping effect): the width of a DeltaNet's (1)^846 grows to 1e85 by 1-norm, 1e-7 by Girard's score.
// Soundness: for every ε, Σ_rest ε_k g_k lies in the box of radii Σ_rest |g_ki| (triangle inequality),
// and the float64 sum is made an upper bound by Higham's factor and an outward rounding; the centre and
// the kept generators are unchanged, so the reduced zonotope contains the original. Its hull is met with
// the original's hull (a DeltaNet's or linear RNN's step carries the meet with the interval step there):
// the states lie in both.
import { up } from './interval.js';
import { BoxedZonotope, sumErrorFactor, Zonotope } from './zonotope.js';

const { abs, max } = Math;

/** How many generators a zonotope followed along a word keeps: reduce above `cap`, to `keep` plus one per coordinate. */
export interface OrderCap {
  keep: number;
  cap: number;
}

/** The order cap used along long words for a state of n coordinates: keep n, reduce above 2n (measured on a DeltaNet's 846 steps). */
export function orderCapFor(n: number): OrderCap {
  return { keep: n, cap: 2 * n };
}

/** A zonotope containing z with at most keep + n generators when z has more than cap (z itself otherwise); all-zero generators are dropped. */
export function reduceOrder(z: Zonotope, { keep, cap }: OrderCap): Zonotope {
  const { n, m, c, g } = z;
  if (m <= cap) return z;
  const score = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let one = 0;
    let inf = 0;
    for (let i = 0; i < n; i++) {
      const a = abs(g[k * n + i]);
      one += a;
      inf = max(inf, a);
    }
    // An all-zero generator scores −1: last, and boxed into nothing.
    score[k] = one === 0 ? -1 : one - inf;
  }
  const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => score[b] - score[a]);
  const kept = Math.min(keep, m);
  const out = new Float64Array((kept + n) * n);
  for (let r = 0; r < kept; r++) out.set(g.subarray(order[r] * n, order[r] * n + n), r * n);
  const radius = new Float64Array(n);
  for (let r = kept; r < m; r++) {
    const row = order[r] * n;
    for (let i = 0; i < n; i++) radius[i] += abs(g[row + i]);
  }
  const factor = 1 + sumErrorFactor(m);
  for (let i = 0; i < n; i++) out[(kept + i) * n + i] = radius[i] === 0 ? 0 : up(radius[i] * factor);
  return new BoxedZonotope(new Zonotope(n, c, out, kept + n), z.hull());
}
