// fixed<I,F>: two's-complement fixed point. The code is the signed integer k, the value k·2^−F, and
// k ∈ [−2^(I+F−1), 2^(I+F−1) − 1]. Rounding maps the exact value v to an integer code and then saturates:
//   half-even  k = the integer nearest v·2^F, ties to the even integer (the default; no bias on average)
//   floor      k = ⌊v·2^F⌋ (what dropping low bits of a two's-complement accumulator does)
//   half-up    k = ⌊v·2^F + 1/2⌋, ties toward +infinity (docs/theory.md fact 6 was measured this way)
// Saturation after rounding: k < codeMin gives codeMin, k > codeMax gives codeMax; ±Infinity saturates
// too. There is no −0 (every zero is the code 0, value +0) and no NaN.
import { InputError } from '../errors.js';
import * as dyadic from './dyadic.js';
import { MAX_ENUMERABLE_CODES, ROUNDING_MODES } from './format.js';
import type { FixedFormat, FixedFormatName, RoundingMode } from './format.js';

// Module-local copies of the helpers: some loaders (tsx, CommonJS interop) turn every use of an imported
// binding into a property read through a getter, which costs more than the rounding itself.
const { RNE_MAGIC, bitLength, pow2, shiftRound } = dyadic;

// Small integers, so the hot path compares numbers instead of strings.
const FLOOR = 0;
const HALF_EVEN = 1;
const HALF_UP = 2;
const MODE_CODE: Readonly<Record<RoundingMode, number>> = {
  floor: FLOOR,
  'half-even': HALF_EVEN,
  'half-up': HALF_UP,
};

/** Widest fixed format: codes stay 32-bit integers, so Z3 bit-vectors and Int32Array state tables fit. */
export const FIXED_MAX_BITS = 32;

/** The canonical name of fixed<I,F> with a rounding mode (half-even, the default, is left out). */
export function fixedFormatName(intBits: number, fracBits: number, rounding: RoundingMode): FixedFormatName {
  return rounding === 'half-even' ? `fixed<${intBits},${fracBits}>` : `fixed<${intBits},${fracBits},${rounding}>`;
}

/** The format fixed<I,F> with the given rounding; InputError for I < 1, F < 0, I + F > 32 or a bad mode. */
export function fixedFormat(intBits: number, fracBits: number, rounding: RoundingMode = 'half-even'): FixedFormat {
  return new Fixed(intBits, fracBits, rounding);
}

class Fixed implements FixedFormat {
  readonly kind = 'fixed' as const;
  readonly name: FixedFormatName;
  readonly bits: number;
  readonly size: number;
  readonly codeMin: number;
  readonly codeMax: number;
  readonly ulp: number;
  readonly min: number;
  readonly max: number;
  private readonly mode: number;
  private readonly scale: number;

  constructor(
    readonly intBits: number,
    readonly fracBits: number,
    readonly rounding: RoundingMode,
  ) {
    const label = `fixed<${intBits},${fracBits}${rounding === 'half-even' ? '' : `,${rounding}`}>`;
    if (!Number.isInteger(intBits) || !Number.isInteger(fracBits) || intBits < 1 || fracBits < 0) {
      throw new InputError(`format '${label}': expected fixed<I,F> with integers I >= 1, F >= 0`);
    }
    if (intBits + fracBits > FIXED_MAX_BITS) {
      throw new InputError(
        `format '${label}': I + F = ${intBits + fracBits} bits, expected at most ${FIXED_MAX_BITS}`,
      );
    }
    if (!ROUNDING_MODES.includes(rounding)) {
      throw new InputError(`format '${label}': unknown rounding mode (expected ${ROUNDING_MODES.join(', ')})`);
    }
    this.name = fixedFormatName(intBits, fracBits, rounding);
    this.bits = intBits + fracBits;
    this.size = 2 ** this.bits;
    this.codeMin = -(2 ** (this.bits - 1));
    this.codeMax = 2 ** (this.bits - 1) - 1;
    this.ulp = pow2(-fracBits);
    this.scale = pow2(fracBits);
    this.min = this.codeMin * this.ulp;
    this.max = this.codeMax * this.ulp;
    this.mode = MODE_CODE[rounding];
    Object.freeze(this);
  }

  round(x: number): number {
    if (Number.isNaN(x)) return NaN;
    return this.codeOf(x) * this.ulp;
  }

  encode(x: number): number {
    if (Number.isNaN(x)) throw new InputError(`format '${this.name}': NaN has no fixed-point code`);
    return this.codeOf(x);
  }

  decode(code: number): number {
    this.check(code);
    // + 0 turns a −0 argument into +0: fixed point has one zero.
    return code * this.ulp + 0;
  }

  roundDyadic(m: bigint, e: number): number {
    if (!Number.isSafeInteger(e)) {
      throw new InputError(`format '${this.name}': dyadic exponent ${e} is not an integer`);
    }
    if (m === 0n) return 0;
    const up = e + this.fracBits;
    // |m·2^up| >= 2^bits codes saturates whatever its low bits are; skip building a huge bigint.
    if (up >= 0 && bitLength(m) + up > this.bits + 1) return m < 0n ? this.codeMin : this.codeMax;
    return this.saturate(Number(shiftRound(m, -up, this.rounding)));
  }

  roundFixedScaled(n: number, shift: number): number {
    const s = shift - this.fracBits;
    let k: number;
    if (s > 0 && s < 31 && n >= -0x40000000 && n < 0x40000000) {
      // The common case, in int32 arithmetic with no data-dependent branch (n + 2^(s−1) cannot overflow).
      // Half-even adds half − 1 plus the lowest kept bit, so an exact tie carries only into an odd quotient.
      if (this.mode === HALF_EVEN) k = (n + (1 << (s - 1)) - 1 + ((n >> s) & 1)) >> s;
      else if (this.mode === FLOOR) k = n >> s;
      else k = (n + (1 << (s - 1))) >> s;
    } else {
      k = this.roundScaledWide(n, s);
    }
    if (k < this.codeMin) return this.codeMin;
    if (k > this.codeMax) return this.codeMax;
    return k;
  }

  canonical(code: number): number {
    this.check(code);
    return code + 0;
  }

  pattern(code: number): number {
    this.check(code);
    return code < 0 ? code + this.size : code + 0;
  }

  fromPattern(bits: number): number {
    if (!Number.isInteger(bits) || bits < 0 || bits >= this.size) {
      throw new InputError(`format '${this.name}': ${bits} is not a ${this.bits}-bit pattern`);
    }
    return bits > this.codeMax ? bits - this.size : bits + 0;
  }

  values(): number[] {
    return this.codes().map((k) => k * this.ulp + 0);
  }

  codes(): number[] {
    if (this.size > MAX_ENUMERABLE_CODES) {
      throw new InputError(
        `format '${this.name}': ${this.size} codes, too many to enumerate (at most ${MAX_ENUMERABLE_CODES})`,
      );
    }
    const out: number[] = [];
    for (let k = this.codeMin; k <= this.codeMax; k++) out.push(k);
    return out;
  }

  /** round(n·2^−s) to an integer for any safe integer n and integer s (the rare wide case). */
  private roundScaledWide(n: number, s: number): number {
    // Multiplying by a power of two is exact, so q below is the exact floor, q·p is q shifted (exact),
    // and the remainder r is an exact integer in [0, p).
    if (s <= 0) return n * pow2(-s) + 0;
    // |n| < 2^53 <= 2^(s−1): the value is below half a code in size.
    if (s > 53) return this.mode === FLOOR && n < 0 ? -1 : 0;
    const q = Math.floor(n * pow2(-s));
    if (this.mode === FLOOR) return q + 0; // + 0 turns −0 (e.g. n = 0 * −3) into the code 0
    const p = pow2(s);
    const r = n - q * p;
    const half = p * 0.5;
    if (r > half || (r === half && (this.mode === HALF_UP || q % 2 !== 0))) return q + 1;
    return q + 0;
  }

  /** The code of round(x) for a non-NaN double. */
  private codeOf(x: number): number {
    const t = x * this.scale; // exact: scaling by 2^F (or ±Infinity, which saturates)
    // Beyond 2^51 every value saturates (codes stay below 2^31), so only smaller t needs rounding; each
    // rounding below acts on the exact t: RNE_MAGIC for ties to even, Math.round for ties toward +∞.
    if (!(Math.abs(t) < 2 ** 51)) return this.saturate(t);
    if (this.mode === HALF_EVEN) return this.saturate(t + RNE_MAGIC - RNE_MAGIC);
    return this.saturate(this.mode === FLOOR ? Math.floor(t) : Math.round(t));
  }

  private saturate(k: number): number {
    if (k < this.codeMin) return this.codeMin;
    if (k > this.codeMax) return this.codeMax;
    return k + 0;
  }

  private check(code: number): void {
    if (!Number.isInteger(code) || code < this.codeMin || code > this.codeMax) {
      throw new InputError(
        `format '${this.name}': ${code} is not a code (expected an integer in [${this.codeMin}, ${this.codeMax}])`,
      );
    }
  }
}
