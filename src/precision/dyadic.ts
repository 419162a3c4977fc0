// Exact arithmetic on dyadic rationals m·2^e, the one kind of number the formats ever need: every value of
// every format, every double, and every sum of products of them is dyadic. Rounding one of these exactly
// (a single rounding, never through an intermediate double) is what keeps the executor and Z3 in step.
import type { RoundingMode } from './format.js';

/** An exact dyadic rational m·2^e. */
export interface Dyadic {
  readonly m: bigint;
  readonly e: number;
}

// Built by repeated doubling and halving, which is exact for every power of two a double holds; Math.pow
// is not specified to be exact.
const POW2_MIN = -1074;
const POW2_MAX = 1023;

/** Offset into POW2: POW2[POW2_BIAS + k] = 2^k for k in [−1074, 1023]. */
export const POW2_BIAS = -POW2_MIN;

/** Every power of two a double holds, exactly; hot paths index it directly (pow2 checks the range). */
export const POW2: Float64Array = (() => {
  const table = new Float64Array(POW2_MAX - POW2_MIN + 1);
  table[POW2_BIAS] = 1;
  for (let k = 1; k <= POW2_MAX; k++) table[POW2_BIAS + k] = table[POW2_BIAS + k - 1] * 2;
  for (let k = -1; k >= POW2_MIN; k--) table[POW2_BIAS + k] = table[POW2_BIAS + k + 1] / 2;
  return table;
})();

/** 2^k as an exact double; 0 below 2^−1074 and Infinity above 2^1023 (k must be an integer). */
export function pow2(k: number): number {
  if (k < POW2_MIN) return 0;
  if (k > POW2_MAX) return Infinity;
  return POW2[POW2_BIAS + k];
}

/**
 * 1.5·2^52. For a double t with |t| < 2^51, (t + RNE_MAGIC) − RNE_MAGIC is t rounded to an integer with
 * ties to even, exactly: the sum lies in [2^52, 2^53), where doubles are the integers, so IEEE addition
 * (which JavaScript mandates to round ties to even) does the rounding, RNE_MAGIC is even so the tie picks
 * the even integer, and the subtraction is exact. One rounding, no branch. The sign of a zero is lost.
 */
export const RNE_MAGIC = 6755399441055744;

// One shared scratch buffer keeps exponentOf allocation-free on the rounding hot path.
const scratch = new DataView(new ArrayBuffer(8));

/**
 * floor(log2 |x|) for a nonzero finite double x, read from its bits (Math.log2 can be off by one near
 * powers of two). ±0 and every subnormal give −1075 (below every format's range, which is all the
 * rounding code needs to know); ±Infinity and NaN give 1024.
 */
export function exponentOf(x: number): number {
  scratch.setFloat64(0, x);
  const field = (scratch.getUint32(0) >>> 20) & 0x7ff;
  return field === 0 ? -1075 : field - 1023;
}

/** The exact dyadic value of a finite double, with m odd (or m = 0n, e = 0 for ±0). */
export function toDyadic(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new RangeError(`toDyadic: ${x} is not finite`);
  if (x === 0) return { m: 0n, e: 0 };
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const field = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (field === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = field - 1075;
  }
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  return { m: hi >>> 31 === 1 ? -m : m, e };
}

/** Number of bits of |a| (0 for 0n). */
export function bitLength(a: bigint): number {
  if (a < 0n) a = -a;
  if (a === 0n) return 0;
  const approx = Number(a);
  if (approx < 2 ** 1000) {
    // Number() rounds, so the estimate can be one too high when a is just below a power of two.
    const n = exponentOf(approx) + 1;
    return a >> BigInt(n - 1) === 0n ? n - 1 : n;
  }
  return a.toString(16).length * 4 - Math.clz32(Number.parseInt(a.toString(16)[0], 16)) + 28;
}

/**
 * round(m·2^−s) to an integer for s >= 0, with the given tie/truncation rule: floor, half-even (ties to
 * the even integer) or half-up (ties toward +infinity). Works for negative m (bigint >> is a floor).
 */
export function shiftRound(m: bigint, s: number, mode: RoundingMode): bigint {
  if (s <= 0) return m << BigInt(-s);
  // |m| < 2^L <= 2^(s−2): the value is below 1/4 in size; skip building a 2^(s−1) bigint for huge s.
  if (s > bitLength(m) + 1) return mode === 'floor' && m < 0n ? -1n : 0n;
  const shift = BigInt(s);
  const q = m >> shift;
  if (mode === 'floor') return q;
  const r = m - (q << shift);
  const half = 1n << (shift - 1n);
  if (r > half) return q + 1n;
  if (r < half) return q;
  return mode === 'half-up' || (q & 1n) === 1n ? q + 1n : q;
}
