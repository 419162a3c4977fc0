// Outward-rounded interval arithmetic on doubles: every operation returns bounds that contain the exact
// real result of the operation on any points of its operands. `down`/`up` step at least one ulp outward
// (x ∓ (|x|·2^−52 + the least subnormal) rounds to a double on the far side of every rounding error).

/** A closed interval [lo, hi] of reals with double bounds (lo <= hi; infinite bounds allowed). */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

const EPS = 2 ** -52;
const TINY = Number.MIN_VALUE;

/** A double at most x: x itself stepped at least one ulp down (for a bound computed with one rounding). */
export function down(x: number): number {
  return x === -Infinity ? x : x - (Math.abs(x) * EPS + TINY);
}

/** A double at least x: x stepped at least one ulp up. */
export function up(x: number): number {
  return x === Infinity ? x : x + (Math.abs(x) * EPS + TINY);
}

/** A double below x by at least `ulps` units of max(|x|, 1) in the last place (slack for float64 library functions). */
export function downBy(x: number, ulps: number): number {
  return x - (Math.max(Math.abs(x), 1) * EPS * ulps + TINY);
}

/** A double above x by at least `ulps` units of max(|x|, 1) in the last place. */
export function upBy(x: number, ulps: number): number {
  return x + (Math.max(Math.abs(x), 1) * EPS * ulps + TINY);
}

/** [a.lo + b.lo, a.hi + b.hi], outward. */
export function iadd(a: Interval, b: Interval): Interval {
  return { lo: down(a.lo + b.lo), hi: up(a.hi + b.hi) };
}

/** The product interval, outward (0·∞ counts as 0: a zero factor is exact). */
export function imul(a: Interval, b: Interval): Interval {
  const [lo, hi] = productRange(a.lo, a.hi, b.lo, b.hi);
  return { lo, hi };
}

/** [alo, ahi]·[blo, bhi] as outward bounds, without allocating an Interval (the abstract executor's hot path). */
export function productRange(alo: number, ahi: number, blo: number, bhi: number): [number, number] {
  const m = (x: number, y: number) => (x === 0 || y === 0 ? 0 : x * y);
  if (alo === ahi && blo === bhi) {
    const p = m(alo, blo);
    return [down(p), up(p)];
  }
  const p1 = m(alo, blo);
  const p2 = m(alo, bhi);
  const p3 = m(ahi, blo);
  const p4 = m(ahi, bhi);
  return [down(Math.min(p1, p2, p3, p4)), up(Math.max(p1, p2, p3, p4))];
}

/** A double below x by at least `ulps` units in the last place of x itself (relative slack). */
export function downRel(x: number, ulps: number): number {
  return x - (Math.abs(x) * EPS * ulps + TINY);
}

/** A double above x by at least `ulps` units in the last place of x itself. */
export function upRel(x: number, ulps: number): number {
  return x + (Math.abs(x) * EPS * ulps + TINY);
}

/** An enclosure of cos on an interval (its extrema at multiples of π checked), widened by `ulps`. */
export function icos(a: Interval, ulps: number): Interval {
  if (!(a.hi - a.lo < 6)) return { lo: -1, hi: 1 };
  const x = Math.cos(a.lo);
  const y = Math.cos(a.hi);
  let lo = Math.min(x, y);
  let hi = Math.max(x, y);
  // Multiples kπ inside [lo, hi] (with a margin: π is not a double) give cos = ±1.
  const k0 = Math.floor(a.lo / Math.PI - 1e-9);
  const k1 = Math.ceil(a.hi / Math.PI + 1e-9);
  for (let k = k0; k <= k1; k++) {
    const t = k * Math.PI;
    if (t >= a.lo - 1e-9 && t <= a.hi + 1e-9) {
      if (k % 2 === 0) hi = 1;
      else lo = -1;
    }
  }
  return { lo: Math.max(-1, downBy(lo, ulps)), hi: Math.min(1, upBy(hi, ulps)) };
}

/** An enclosure of sin on an interval, sin x = cos(x − π/2). */
export function isin(a: Interval, ulps: number): Interval {
  const h = Math.PI / 2;
  return icos({ lo: down(a.lo - h), hi: up(a.hi - h) }, ulps + 4);
}
