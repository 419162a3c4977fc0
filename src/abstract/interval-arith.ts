// The executor's arithmetic (precision/exec/arith.ts) lifted to intervals: an exact sum of products is
// enclosed by outward-rounded bounds, and a stored value is the interval's bounds rounded to the format.
// Rounding is monotone in every format and mode (half-even, half-up, floor, saturation, overflow to ±∞),
// so [round(lo), round(hi)] contains round(x) for every x in [lo, hi]: one rounding rule, no error terms.
// While every operand is a single point, the sum also runs through the exact Arith, so a point in gives
// exactly the executor's stored value out (gates that depend only on the input symbol stay points).
// With no format (`--real`) nothing is rounded: the intervals enclose the exact real computation.
import { InternalError } from '../errors.js';
import { Arith } from '../precision/exec/arith.js';
import type { NumberFormat } from '../precision/format.js';
import { down, downBy, downRel, type Interval, productRange, up, upBy, upRel } from './interval.js';

/** A state value left the finite range (or became NaN): the abstract computation can say nothing. */
export class AbstractOverflow extends InternalError {}

/** Interval arithmetic at a format (or over the reals when format is null). */
export class IntervalArith {
  /** The exact point arithmetic, at finite formats only. */
  readonly exact: Arith | null;
  private lo = 0;
  private hi = 0;
  private point = true;

  constructor(readonly format: NumberFormat | null) {
    this.exact = format === null ? null : new Arith(format);
  }

  /** The stored value of one weight: rounded to the format (unchanged over the reals). */
  weight(x: number): number {
    return this.exact === null ? x : this.exact.round(x);
  }

  /** Starts a sum at zero. */
  begin(): this {
    this.lo = 0;
    this.hi = 0;
    this.point = true;
    this.exact?.begin();
    return this;
  }

  /** Adds a value in [lo, hi]. */
  add1(lo: number, hi: number): this {
    if (lo === hi && this.point) this.exact?.add1(lo);
    else this.point = false;
    this.lo = down(this.lo + lo);
    this.hi = up(this.hi + hi);
    return this;
  }

  /** Adds a product a·b with a in [alo, ahi], b in [blo, bhi]. */
  add2(alo: number, ahi: number, blo: number, bhi: number): this {
    if (alo === ahi && blo === bhi && this.point) this.exact?.add2(alo, blo);
    else this.point = false;
    this.addProduct(alo, ahi, blo, bhi);
    return this;
  }

  /** Adds a product a·b·c. */
  add3(alo: number, ahi: number, blo: number, bhi: number, clo: number, chi: number): this {
    if (alo === ahi && blo === bhi && clo === chi && this.point) this.exact?.add3(alo, blo, clo);
    else this.point = false;
    const [plo, phi] = productRange(alo, ahi, blo, bhi);
    this.addProduct(plo, phi, clo, chi);
    return this;
  }

  private addProduct(alo: number, ahi: number, blo: number, bhi: number): void {
    const [plo, phi] = productRange(alo, ahi, blo, bhi);
    this.lo = down(this.lo + plo);
    this.hi = up(this.hi + phi);
  }

  /** The stored value of the sum: an interval of format values (a point when every operand was one). */
  end(): Interval {
    if (this.point && this.exact !== null) {
      const v = this.exact.end();
      return checked(v, v);
    }
    return this.store(this.lo, this.hi);
  }

  /** The float64 argument the executor passes to a transcendental function: an enclosure of it. */
  endDouble(): Interval {
    if (this.point && this.exact !== null) {
      const v = this.exact.endDouble();
      return checked(v, v);
    }
    return checked(downRel(this.lo, 64), upRel(this.hi, 64));
  }

  /** The stored values of reals in [lo, hi]: rounded bounds at a format, the bounds themselves over the reals. */
  store(lo: number, hi: number): Interval {
    if (this.exact === null) return checked(lo, hi);
    return checked(this.exact.round(lo), this.exact.round(hi));
  }

  /**
   * The stored value of a float64 library expression f (monotone in its argument) at any point of z:
   * the executor's own value for a point at a format; otherwise the end values widened by `ulps`.
   */
  storeMonotone(f: (x: number) => number, z: Interval, increasing: boolean, ulps: number): Interval {
    if (z.lo === z.hi && this.exact !== null) {
      const v = this.exact.round(f(z.lo));
      return checked(v, v);
    }
    const a = f(z.lo);
    const b = f(z.hi);
    const lo = increasing ? a : b;
    const hi = increasing ? b : a;
    return this.store(downBy(lo, ulps), upBy(hi, ulps));
  }
}

function checked(lo: number, hi: number): Interval {
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new AbstractOverflow(`abstract value [${lo}, ${hi}] is not finite`);
  return { lo: lo + 0, hi: hi + 0 };
}
