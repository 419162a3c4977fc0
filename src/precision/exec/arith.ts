// Arithmetic at a number format, the one primitive every mixer executor is written in: a stored value is
// computed exactly from stored values and rounded once (THEORY.md, "Finite precision"; the rules are in
// precision/machine.ts). Values travel as doubles, which hold every value of every format exactly.
//
// Exact sums of products. A sum Σ Π factors is first tried in float64: a product of factors whose
// significands fit 53 bits together is exact, and TwoSum tells whether each addition was; only when some
// step was not exact is the whole sum redone in bigint dyadics (rare for small formats, common for fp32).
// Either way the result is the exact value, rounded once.
import * as dyadic from '../dyadic.js';
import type { NumberFormat } from '../format.js';

const { toDyadic, POW2, POW2_BIAS } = dyadic;

/** Significant bits of a format's values: I+F for fixed<I,F>, mantissa + 1 for floats. */
export function significandBits(format: NumberFormat): number {
  return format.kind === 'fixed' ? format.bits : format.mantBits + 1;
}

/** Arithmetic at one format: rounding, exact accumulation and once-rounded transcendental functions. */
export class Arith {
  /** The most factors a product may have and still be exact in float64. */
  readonly exactDegree: number;
  private s = 0;
  private inexact = false;
  private nonFinite = false;
  private bigM = 0n;
  private bigE = 0;

  constructor(readonly format: NumberFormat) {
    const bits = significandBits(format);
    // Floats below fp32 also keep products far from float64's exponent limits; fp32 only for two factors.
    this.exactDegree = Math.max(1, Math.floor(53 / bits));
  }

  /** round(x) for an exact double x, with −0 stored as +0 (equal values behave alike in every later step). */
  round(x: number): number {
    return this.format.round(x) + 0;
  }

  /** The canonical integer code of a stored value (the state key's unit). */
  code(v: number): number {
    return this.format.canonical(this.format.encode(v));
  }

  /** round(f(x)) where f is evaluated in float64: deterministic, not correctly rounded in rare near-ties. */
  fn(f: (x: number) => number, x: number): number {
    return this.round(f(x));
  }

  /** Starts an exact sum at zero. */
  begin(): this {
    this.s = 0;
    this.inexact = false;
    this.nonFinite = false;
    return this;
  }

  /** Adds one value. */
  add1(a: number): this {
    this.push(a, 1, a, 1, 1);
    return this;
  }

  /** Adds the exact product a·b. */
  add2(a: number, b: number): this {
    const p = a * b;
    // The common case inline: an exact product (degree 2 fits), a finite one, and an exact TwoSum.
    if (this.exactDegree >= 2 && !this.inexact && !this.nonFinite && p - p === 0) {
      const s = this.s + p;
      const t = s - this.s;
      if (this.s - (s - t) + (p - t) === 0) {
        this.s = s;
        return this;
      }
    }
    this.push(p, 2, a, b, 1);
    return this;
  }

  /** Adds the exact product a·b·c. */
  add3(a: number, b: number, c: number): this {
    this.push(a * b * c, 3, a, b, c);
    return this;
  }

  /** The exact sum, rounded once to the format. */
  end(): number {
    if (this.nonFinite || !this.inexact) return this.round(this.s);
    return this.decodeBig();
  }

  /** The exact sum as a float64 within one ulp (the argument of a transcendental function; deterministic). */
  endDouble(): number {
    if (this.nonFinite || !this.inexact) return this.s;
    return bigToDouble(this.bigM, this.bigE);
  }

  /** Σ w[wOff + i·stride]·x[i] for i < n, plus bias, exactly, rounded once to the format. */
  dot(w: Float64Array, wOff: number, stride: number, x: Float64Array, n: number, bias: number): number {
    this.begin();
    for (let i = 0; i < n; i++) this.add2(w[wOff + i * stride], x[i]);
    return this.add1(bias).end();
  }

  /** The same exact dot product, rounded to float64 instead (a pre-activation). */
  dotDouble(w: Float64Array, wOff: number, stride: number, x: Float64Array, n: number, bias: number): number {
    this.begin();
    for (let i = 0; i < n; i++) this.add2(w[wOff + i * stride], x[i]);
    return this.add1(bias).endDouble();
  }

  private decodeBig(): number {
    return this.format.decode(this.format.roundDyadic(this.bigM, this.bigE)) + 0;
  }

  private push(p: number, degree: number, a: number, b: number, c: number): void {
    if (this.nonFinite) {
      this.s += p;
      return;
    }
    // p − p is 0 for every finite p and NaN otherwise; a non-finite factor makes p non-finite (or NaN).
    if (p - p !== 0) {
      // Infinities (fp16 overflow, say) follow IEEE double arithmetic from here on; NaN stays NaN.
      this.nonFinite = true;
      this.s = (this.inexact ? bigToDouble(this.bigM, this.bigE) : this.s) + p;
      return;
    }
    if (this.inexact) {
      this.addBig(a, b, c, degree);
      return;
    }
    if (degree > this.exactDegree) {
      this.toBig();
      this.addBig(a, b, c, degree);
      return;
    }
    const s = this.s + p;
    const bb = s - this.s;
    const err = this.s - (s - bb) + (p - bb);
    if (err === 0) {
      this.s = s;
      return;
    }
    this.toBig();
    this.addBig(a, b, c, degree);
  }

  private toBig(): void {
    const d = toDyadic(this.s);
    this.bigM = d.m;
    this.bigE = d.e;
    this.inexact = true;
  }

  private addBig(a: number, b: number, c: number, degree: number): void {
    const da = toDyadic(a);
    let m = da.m;
    let e = da.e;
    if (degree >= 2) {
      const db = toDyadic(b);
      m *= db.m;
      e += db.e;
    }
    if (degree >= 3) {
      const dc = toDyadic(c);
      m *= dc.m;
      e += dc.e;
    }
    if (m === 0n) return;
    if (this.bigM === 0n) {
      this.bigM = m;
      this.bigE = e;
    } else if (e >= this.bigE) {
      this.bigM += m << BigInt(e - this.bigE);
    } else {
      this.bigM = (this.bigM << BigInt(this.bigE - e)) + m;
      this.bigE = e;
    }
  }
}

/** m·2^e rounded to float64 (Number(bigint) rounds to nearest; the scaling is exact in the normal range). */
function bigToDouble(m: bigint, e: number): number {
  if (m === 0n) return 0;
  // Keep the significand below 2^1000 so Number() does not overflow before scaling.
  const extra = Math.max(0, dyadic.bitLength(m) - 900);
  const top = Number(m >> BigInt(extra));
  const k = e + extra;
  if (k >= -1074 && k <= 1023) return top * POW2[POW2_BIAS + k];
  return top * 2 ** k;
}
