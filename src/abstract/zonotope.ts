// Zonotopes: the sets c + Σ_k ε_k·g_k with every ε_k in [−1, 1], a relational abstract domain. Where a box
// forgets how coordinates move together (so the box of W·B is wider than W applied to any point of B, and
// the widening compounds step after step), a zonotope carries the linear dependence on every noise symbol
// exactly: a contracting network's zonotopes shrink over several steps while its boxes only grow.
// Soundness in float64: every computed centre and generator entry is off from the real value by a
// rounding error that is bounded (Higham's γ_m bound for sums) and added to a fresh generator of that
// coordinate, rounded up, so the set always contains the exact real result.
import { AbstractOverflow } from './interval-arith.js';
import type { Box } from './box.js';
import { down, up } from './interval.js';
import type { NumberFormat } from '../precision/format.js';

// Bound once: a global Math lookup per call is many times slower under jest's module sandbox.
const { abs, max, min } = Math;

const U = 2 ** -53;

/** A bound on the float64 rounding error of a sum of m products: γ_{m+1} (Higham), padded, times Σ|terms|. */
export function sumErrorFactor(m: number): number {
  return (m + 4) * 2 * U;
}

/** A zonotope in R^n: centre c and m generators, generator k in g[k·n .. k·n + n). */
export class Zonotope {
  constructor(
    readonly n: number,
    readonly c: Float64Array,
    readonly g: Float64Array,
    readonly m: number,
  ) {}

  /** The zonotope equal to a box (one generator per coordinate of nonzero width). */
  static fromBox(box: Box): Zonotope {
    const n = box.lo.length;
    const c = new Float64Array(n);
    const rows: number[] = [];
    const radius = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const mid = box.lo[i] + (box.hi[i] - box.lo[i]) / 2;
      c[i] = Number.isFinite(mid) ? mid : box.lo[i];
      // The larger distance to an end, rounded up: covers the rounding of mid.
      const r = max(box.hi[i] - c[i], c[i] - box.lo[i]);
      if (r > 0) {
        radius[i] = up(r);
        rows.push(i);
      }
    }
    const g = new Float64Array(rows.length * n);
    rows.forEach((i, k) => {
      g[k * n + i] = radius[i];
    });
    return new Zonotope(n, c, g, rows.length);
  }

  /**
   * A zonotope containing this one with at most `keep` + n generators (Girard's reduction): the `keep`
   * largest generators (by 1-norm) stay, the rest are replaced by the box they span, one generator per
   * coordinate (their coordinate sums, rounded up). Unchanged when it has no more than keep + n.
   */
  reduce(keep: number): Zonotope {
    const { n, m, c, g } = this;
    if (m <= keep + n) return this;
    const norm = new Float64Array(m);
    for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) norm[k] += abs(g[k * n + i]);
    const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => norm[b] - norm[a]);
    const out = new Float64Array((keep + n) * n);
    for (let r = 0; r < keep; r++) out.set(g.subarray(order[r] * n, order[r] * n + n), r * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let r = keep; r < m; r++) s += abs(g[order[r] * n + i]);
      out[(keep + i) * n + i] = up(s * (1 + sumErrorFactor(m)));
    }
    return new Zonotope(n, c, out, keep + n);
  }

  /** The interval hull, rounded outward: a box containing every point of the zonotope. */
  hull(): Box {
    const { n, m, c, g } = this;
    const lo = new Float64Array(n);
    const hi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let k = 0; k < m; k++) r += abs(g[k * n + i]);
      // A coordinate without generators is its centre exactly (nothing to round).
      r = r === 0 ? 0 : up(r * (1 + sumErrorFactor(m)));
      lo[i] = r === 0 ? c[i] : down(c[i] - r);
      hi[i] = r === 0 ? c[i] : up(c[i] + r);
      if (!Number.isFinite(lo[i]) || !Number.isFinite(hi[i])) throw new AbstractOverflow(`zonotope coordinate ${i} is not finite`);
    }
    return { lo, hi };
  }
}

/** A zonotope known to lie in a box as well: its hull is the meet of the two (both hold every point). */
export class BoxedZonotope extends Zonotope {
  constructor(
    z: Zonotope,
    private readonly box: Box,
  ) {
    super(z.n, z.c, z.g, z.m);
  }

  override hull(): Box {
    const h = super.hull();
    for (let i = 0; i < this.n; i++) {
      h.lo[i] = max(h.lo[i], this.box.lo[i]);
      h.hi[i] = min(h.hi[i], this.box.hi[i]);
    }
    return h;
  }
}

/**
 * A bound on |round(v) − v| for every |v| <= M at the format (0 over the reals): half a unit in the last
 * place relative for floats (plus half the least subnormal), half the grid (floor: the whole grid) for
 * fixed point, plus how far saturation can pull a value beyond the range. Infinity where a float overflows.
 */
export function roundingErrorBound(format: NumberFormat | null, M: number): number {
  if (format === null) return 0;
  if (format.kind === 'float') {
    if (M > format.max) return Infinity;
    return up((format.epsilon / 2) * M + format.minSubnormal / 2);
  }
  const grid = format.rounding === 'floor' ? format.ulp : format.ulp / 2;
  return up(grid + max(0, M - format.max, M + format.min));
}
