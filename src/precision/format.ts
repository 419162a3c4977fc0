// The types every number format shares. A format is a finite set of values with one rounding function;
// the exact executor, the extractor and the Z3 encodings all call the same `round`/`roundDyadic`, so that a
// witness found by one replays bit for bit in the others (docs/theory.md, "Finite precision").
//
// Codes. Every format numbers its values with integer codes, because state keys, Z3 bit-vectors and
// exhaustive enumeration all want integers, not doubles:
// - fixed<I,F>: the code is the signed integer k with value k·2^−F (two's complement, so a Z3 bit-vector of
//   width I+F holds `pattern(k)` = k mod 2^(I+F));
// - floats: the code is the unsigned IEEE-style bit pattern sign|exponent|mantissa, so code = pattern.
//
// Negative zero. Fixed formats have no −0: every rounding returns the code 0, value +0. Floating formats
// follow IEEE 754: −0 has its own code (sign bit set), compares equal to +0, and is what rounding a
// negative value that underflows gives (as Math.fround and Z3's fp.to_fp do). An exact dyadic zero
// (m = 0n) rounds to +0. A state key built from codes therefore tells −0 and +0 apart; an executor keying
// float states should key them by `canonical(code)`, which maps −0 to +0 and every NaN to one NaN, since
// values that compare equal behave the same in every later exact-then-round-once step.
//
// NaN. round(NaN) is NaN. Floats encode every NaN as the format's one canonical NaN code (`nanCode`);
// decode of any NaN pattern is NaN (sign and payload are not kept). Fixed formats have no NaN: encoding
// NaN is an InputError. ±Infinity saturates in fixed formats and in fp8-e4m3 (which has no infinity).

/** How a fixed-point format breaks ties and drops fraction bits. */
export type RoundingMode = 'half-even' | 'floor' | 'half-up';

/** Every rounding mode, the default (half-even: ties go to the even code) first. */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze(['half-even', 'floor', 'half-up']);

/** Canonical name of a fixed-point format: the default rounding mode (half-even) is left out. */
export type FixedFormatName = `fixed<${number},${number}>` | `fixed<${number},${number},${'floor' | 'half-up'}>`;

/** The predefined floating formats, in order of decreasing width (for `--formats` help text). */
export const FLOAT_FORMAT_NAMES = Object.freeze(['fp32', 'fp16', 'bf16', 'fp8-e5m2', 'fp8-e4m3'] as const);

/** Name of a predefined floating format. */
export type FloatFormatName = (typeof FLOAT_FORMAT_NAMES)[number];

/** Canonical name of any format; `parseFormat(format.name)` gives the same format back. */
export type FormatName = FixedFormatName | FloatFormatName;

/** `values()` and `codes()` enumerate formats with at most this many codes (16 bits). */
export const MAX_ENUMERABLE_CODES = 1 << 16;

/** What every number format offers; `kind` tells the two families apart. */
export interface NumberFormatBase {
  readonly name: FormatName;
  readonly kind: 'fixed' | 'float';
  /** Width of a code in bits. */
  readonly bits: number;
  /** Number of codes, 2^bits (for floats this counts −0, the infinities and every NaN pattern). */
  readonly size: number;
  /** Most negative finite value. */
  readonly min: number;
  /** Largest finite value. */
  readonly max: number;
  /** The representable value nearest to x under the format's rounding and overflow rules; NaN gives NaN. */
  round(x: number): number;
  /** The code of round(x). */
  encode(x: number): number;
  /** The exact value of a code (InputError for a number that is not a code of this format). */
  decode(code: number): number;
  /** The code of round(m·2^e), rounded once from the exact value (m·2^e need not fit a double). */
  roundDyadic(m: bigint, e: number): number;
  /** One code per value: −0 becomes +0 and every NaN becomes `nanCode`; the code of a state key. */
  canonical(code: number): number;
  /** The unsigned bit pattern of a code, as a Z3 bit-vector of width `bits` holds it. */
  pattern(code: number): number;
  /** The code whose bit pattern is `bits` (inverse of `pattern`). */
  fromPattern(bits: number): number;
  /** Every distinct finite value, ascending (−0 left out); InputError beyond MAX_ENUMERABLE_CODES codes. */
  values(): number[];
  /** The canonical codes of `values()`, in the same order. */
  codes(): number[];
}

/** Two's-complement fixed point: values k·2^−F for codes k in [codeMin, codeMax]; overflow saturates. */
export interface FixedFormat extends NumberFormatBase {
  readonly name: FixedFormatName;
  readonly kind: 'fixed';
  /** I: integer bits, sign included (I >= 1). */
  readonly intBits: number;
  /** F: fraction bits (F >= 0). */
  readonly fracBits: number;
  readonly rounding: RoundingMode;
  /** Smallest code, −2^(I+F−1). */
  readonly codeMin: number;
  /** Largest code, 2^(I+F−1) − 1. */
  readonly codeMax: number;
  /** The spacing of the grid, 2^−F. */
  readonly ulp: number;
  /**
   * The code of round(n·2^−shift) for a safe integer n (no check: this is the executor's hot path). A
   * product of two codes has 2F fraction bits, so `roundFixedScaled(kw * kh + kb * 2 ** F, 2 * F)` rounds
   * w·h + b once, exactly, while the integer sum stays below 2^53.
   */
  roundFixedScaled(n: number, shift: number): number;
}

/** IEEE-style binary floating point with subnormals and round-half-to-even. */
export interface FloatFormat extends NumberFormatBase {
  readonly name: FloatFormatName;
  readonly kind: 'float';
  /** Exponent field width. */
  readonly expBits: number;
  /** Stored mantissa bits (the leading 1 of normal numbers is implicit). */
  readonly mantBits: number;
  /** Exponent bias: a normal number with exponent field f is 1.m·2^(f−bias). */
  readonly bias: number;
  /** False only for fp8-e4m3, where overflow and ±Infinity saturate to ±max. */
  readonly hasInfinity: boolean;
  /** Exponent of the smallest normal number, 1 − bias. */
  readonly emin: number;
  /** Exponent of the largest finite number. */
  readonly emax: number;
  /** The gap between 1 and the next larger value, 2^−mantBits. */
  readonly epsilon: number;
  /** Smallest positive normal value, 2^emin. */
  readonly minNormal: number;
  /** Smallest positive (subnormal) value, 2^(emin − mantBits). */
  readonly minSubnormal: number;
  /** The one code `encode(NaN)` gives (a positive quiet NaN). */
  readonly nanCode: number;
}

/** A number format; switch on `kind` (or ts-pattern `match`) to reach the family's own fields. */
export type NumberFormat = FixedFormat | FloatFormat;
