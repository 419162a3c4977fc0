// Arithmetic at a number format, the one primitive every mixer executor is written in: a stored value is
// computed exactly from stored values and rounded once (docs/theory.md, "Finite precision"; the rules are in
// precision/machine.ts). Values travel as doubles, which hold every value of every format exactly.
//
// Exact sums of products. A sum Σ Π factors is first tried in float64: a product of factors whose
// significands fit 53 bits together is exact, and TwoSum tells whether each addition was. When some step
// is not exact, the sum continues as a floating-point expansion (Shewchuk: a short list of
// non-overlapping doubles whose sum is the exact value; products that do not fit 53 bits enter through
// Dekker's exact TwoProduct), and only the expansion's few components go through bigint at the end.
// Either way the result is the exact value, rounded once.
import * as dyadic from '../dyadic.js';
import type { NumberFormat } from '../format.js';

const { toDyadic } = dyadic;

/** Significant bits of a format's values: I+F for fixed<I,F>, mantissa + 1 for floats. */
export function significandBits(format: NumberFormat): number {
  return format.kind === 'fixed' ? format.bits : format.mantBits + 1;
}

/** Arithmetic at one format: rounding, exact accumulation and once-rounded transcendental functions. */
/** Veltkamp's splitter for float64: 2^27 + 1. */
const SPLITTER = 134217729;

/** Arithmetic at one format: rounding, exact accumulation and once-rounded transcendental functions. */
export class Arith {
  /** The most factors a product may have and still be exact in float64. */
  readonly exactDegree: number;
  private s = 0;
  private inexact = false;
  private nonFinite = false;
  /** The expansion (increasing magnitude, non-overlapping) while inexact; at most ~40 components. */
  private e = new Float64Array(64);
  private len = 0;
  private readonly terms = new Float64Array(4);

  constructor(readonly format: NumberFormat) {
    const bits = significandBits(format);
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

  /** Starts an exact sum at zero. */
  begin(): this {
    this.s = 0;
    this.inexact = false;
    this.nonFinite = false;
    return this;
  }

  /** Adds one value. */
  add1(a: number): this {
    if (!this.inexact && !this.nonFinite && a - a === 0) {
      const s = this.s + a;
      const t = s - this.s;
      if (this.s - (s - t) + (a - t) === 0) {
        this.s = s;
        return this;
      }
    }
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
    const { e, len } = this;
    if (len === 0) return 0;
    if (len === 1) return this.round(e[0]);
    // Several components. Rounding is monotone, so when both ends of an interval known to hold the exact
    // sum round to the same value, that value is the answer; only near a rounding boundary do we go exact.
    let d = 0;
    let mag = 0;
    for (let i = 0; i < len; i++) {
      d += e[i];
      mag += Math.abs(e[i]);
    }
    const err = mag * len * 2 ** -51 + Number.MIN_VALUE;
    const r = this.round(d - err);
    if (r === this.round(d + err)) return r;
    // Their exact sum as one dyadic, rounded once.
    let m = 0n;
    let exp = 0;
    for (let i = 0; i < len; i++) {
      const d = toDyadic(e[i]);
      if (m === 0n) {
        m = d.m;
        exp = d.e;
      } else if (d.e >= exp) m += d.m << BigInt(d.e - exp);
      else {
        m = (m << BigInt(exp - d.e)) + d.m;
        exp = d.e;
      }
    }
    return this.format.decode(this.format.roundDyadic(m, exp)) + 0;
  }

  /** The exact sum as a float64 within an ulp or so (the argument of a transcendental function; deterministic). */
  endDouble(): number {
    if (this.nonFinite || !this.inexact) return this.s;
    let sum = 0;
    for (let i = 0; i < this.len; i++) sum += this.e[i];
    return sum;
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

  private push(p: number, degree: number, a: number, b: number, c: number): void {
    if (this.nonFinite) {
      this.s += p;
      return;
    }
    // p − p is 0 for every finite p and NaN otherwise; a non-finite factor makes p non-finite (or NaN).
    if (p - p !== 0) {
      // Infinities (fp16 overflow, say) follow IEEE double arithmetic from here on; NaN stays NaN.
      this.s = this.endDouble() + p;
      this.nonFinite = true;
      return;
    }
    if (!this.inexact && degree <= this.exactDegree) {
      const s = this.s + p;
      const t = s - this.s;
      if (this.s - (s - t) + (p - t) === 0) {
        this.s = s;
        return;
      }
    }
    if (!this.inexact) {
      this.inexact = true;
      this.len = 0;
      if (this.s !== 0) this.e[this.len++] = this.s;
    }
    const n = degree <= this.exactDegree ? this.single(p) : this.exactProduct(degree, a, b, c);
    for (let i = 0; i < n; i++) this.grow(this.terms[i]);
  }

  private single(p: number): number {
    this.terms[0] = p;
    return 1;
  }

  /** Writes the exact product as up to four doubles into `terms` (Dekker's TwoProduct); returns how many. */
  private exactProduct(degree: number, a: number, b: number, c: number): number {
    const t = this.terms;
    if (degree === 1) {
      t[0] = a;
      return 1;
    }
    const p = a * b;
    const err = twoProductError(a, b, p);
    if (degree === 2) {
      t[0] = p;
      t[1] = err;
      return 2;
    }
    const p1 = p * c;
    const p2 = err * c;
    t[0] = p1;
    t[1] = twoProductError(p, c, p1);
    t[2] = p2;
    t[3] = twoProductError(err, c, p2);
    return 4;
  }

  /** Adds b to the expansion exactly (Shewchuk's GROW-EXPANSION with zero elimination, in place). */
  private grow(b: number): void {
    if (b === 0) return;
    const e = this.e;
    let q = b;
    let k = 0;
    for (let i = 0; i < this.len; i++) {
      const enow = e[i];
      const sum = q + enow;
      const bv = sum - q;
      const err = q - (sum - bv) + (enow - bv);
      if (err !== 0) e[k++] = err;
      q = sum;
    }
    if (q !== 0 || k === 0) {
      if (k >= e.length) {
        const bigger = new Float64Array(2 * e.length);
        bigger.set(e);
        this.e = bigger;
      }
      this.e[k++] = q;
    }
    this.len = k;
  }
}

/** a·b − p exactly, for p = fl(a·b) (Dekker; exact barring overflow and underflow, far from format values). */
function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}
