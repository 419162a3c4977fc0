// IEEE-style binary floating point: a code is the bit pattern sign|exponent field f|mantissa m, worth
//   (−1)^sign · 1.m · 2^(f − bias)        for 0 < f (a normal number)
//   (−1)^sign · 0.m · 2^(1 − bias)        for f = 0 (zero and the subnormals)
// Rounding is IEEE 754 roundTiesToEven of the exact value, once, with gradual underflow. Overflow (a result
// that, rounded with an unbounded exponent, exceeds max) gives ±Infinity in fp32, fp16, bf16 and
// fp8-e5m2, exactly as IEEE 754 and Math.fround do. fp8-e4m3 is the OCP "E4M3FN" variant: no infinity,
// the exponent field 1111 holds normal numbers up to 1.110·2^8 = 448, only S.1111.111 is NaN, and we use
// the OCP spec's saturating conversion (NVIDIA's __NV_SATFINITE): every |x| > 448, ±Infinity included,
// becomes ±448. Saturation keeps e4m3 a closed finite value set, which is what the exact executor needs;
// the non-saturating conversion would turn an overflow into NaN and poison the state.
// Negative zero and NaN: see format.ts.
import { InputError } from '../errors.js';
import * as dyadic from './dyadic.js';
import { FLOAT_FORMAT_NAMES, MAX_ENUMERABLE_CODES } from './format.js';
import type { FloatFormat, FloatFormatName } from './format.js';

// Module-local copies of the hot helpers: some loaders (tsx, CommonJS interop) turn every use of an
// imported binding into a property read through a getter, which costs more than the rounding itself.
const { POW2, POW2_BIAS, RNE_MAGIC, bitLength, exponentOf, pow2, shiftRound } = dyadic;

interface Layout {
  readonly expBits: number;
  readonly mantBits: number;
  readonly hasInfinity: boolean;
}

const LAYOUTS: Readonly<Record<FloatFormatName, Layout>> = {
  fp32: { expBits: 8, mantBits: 23, hasInfinity: true },
  fp16: { expBits: 5, mantBits: 10, hasInfinity: true },
  bf16: { expBits: 8, mantBits: 7, hasInfinity: true },
  'fp8-e5m2': { expBits: 5, mantBits: 2, hasInfinity: true },
  'fp8-e4m3': { expBits: 4, mantBits: 3, hasInfinity: false },
};

/** True when the text names a predefined floating format. */
export function isFloatFormatName(text: string): text is FloatFormatName {
  return (FLOAT_FORMAT_NAMES as readonly string[]).includes(text);
}

const cache = new Map<FloatFormatName, FloatFormat>();

/** The predefined floating format of that name (one shared, frozen instance per name). */
export function floatFormat(name: FloatFormatName): FloatFormat {
  let format = cache.get(name);
  if (format === undefined) {
    if (!isFloatFormatName(name)) {
      throw new InputError(`format '${String(name)}': expected one of ${FLOAT_FORMAT_NAMES.join(', ')}`);
    }
    format = new Float(name, LAYOUTS[name]);
    cache.set(name, format);
  }
  return format;
}

class Float implements FloatFormat {
  readonly kind = 'float' as const;
  readonly expBits: number;
  readonly mantBits: number;
  readonly hasInfinity: boolean;
  readonly bits: number;
  readonly size: number;
  readonly bias: number;
  readonly emin: number;
  readonly emax: number;
  readonly epsilon: number;
  readonly minNormal: number;
  readonly minSubnormal: number;
  readonly max: number;
  readonly min: number;
  readonly nanCode: number;
  private readonly signBit: number;
  /** 2^mantBits: the implicit leading one of a normal number's integer significand. */
  private readonly hidden: number;
  /** Largest exponent field of a finite number, and the largest mantissa that field allows. */
  private readonly topField: number;
  private readonly topMant: number;
  private readonly maxCode: number;
  /** The code and value that overflow gives: ±Infinity, or ±max in a saturating format. */
  private readonly overflowCode: number;
  private readonly overflowValue: number;
  /** fp32: IEEE binary32 itself, whose roundTiesToEven (gradual underflow, ±Infinity past max) is Math.fround. */
  private readonly binary32: boolean;

  constructor(
    readonly name: FloatFormatName,
    layout: Layout,
  ) {
    const { expBits: E, mantBits: M, hasInfinity } = layout;
    this.expBits = E;
    this.mantBits = M;
    this.hasInfinity = hasInfinity;
    this.bits = 1 + E + M;
    this.size = 2 ** this.bits;
    this.signBit = 2 ** (this.bits - 1);
    this.hidden = 2 ** M;
    this.bias = 2 ** (E - 1) - 1;
    const allOnes = 2 ** E - 1;
    // IEEE reserves the all-ones field for ±Infinity and NaN; E4M3FN keeps it for normals except m = 1…1.
    this.topField = hasInfinity ? allOnes - 1 : allOnes;
    this.topMant = hasInfinity ? this.hidden - 1 : this.hidden - 2;
    this.emin = 1 - this.bias;
    this.emax = this.topField - this.bias;
    this.epsilon = pow2(-M);
    this.minNormal = pow2(this.emin);
    this.minSubnormal = pow2(this.emin - M);
    this.max = (this.hidden + this.topMant) * pow2(this.emax - M);
    this.min = -this.max;
    this.maxCode = this.topField * this.hidden + this.topMant;
    this.nanCode = hasInfinity ? allOnes * this.hidden + this.hidden / 2 : allOnes * this.hidden + this.hidden - 1;
    this.overflowCode = hasInfinity ? allOnes * this.hidden : this.maxCode;
    this.overflowValue = hasInfinity ? Infinity : this.max;
    this.binary32 = E === 8 && M === 23 && hasInfinity;
    Object.freeze(this);
  }

  round(x: number): number {
    // The same function as the general route below (test/precision/float.test.ts holds them together), in one instruction.
    if (this.binary32) return Math.fround(x);
    return this.roundGeneral(x);
  }

  /** round through the format's layout: the route of every format but fp32, and fp32's reference. */
  roundGeneral(x: number): number {
    if (x !== x) return NaN;
    const e = exponentOf(x); // 1024 for ±Infinity
    if (e > this.emax) return x > 0 ? this.overflowValue : -this.overflowValue;
    // Scale so the format's last mantissa bit has weight 1 (exact: a power of two), round to an integer
    // with ties to even, scale back (exact). qExp is in [emin − mantBits, emax − mantBits], inside POW2.
    const qExp = (e < this.emin ? this.emin : e) - this.mantBits;
    const r = (x * POW2[POW2_BIAS - qExp] + RNE_MAGIC - RNE_MAGIC) * POW2[POW2_BIAS + qExp];
    if (r === 0) return x * 0; // IEEE keeps the sign: a negative x that underflows gives −0
    if (r > this.max) return this.overflowValue;
    if (r < this.min) return -this.overflowValue;
    return r;
  }

  encode(x: number): number {
    if (x !== x) return this.nanCode;
    const negative = x < 0 || (x === 0 && 1 / x < 0);
    const e = exponentOf(x);
    if (e > this.emax) return this.overflow(negative);
    const qExp = (e < this.emin ? this.emin : e) - this.mantBits;
    const n = Math.abs(x) * POW2[POW2_BIAS - qExp] + RNE_MAGIC - RNE_MAGIC;
    return this.pack(negative, n, qExp);
  }

  decode(code: number): number {
    this.check(code);
    const negative = code >= this.signBit;
    const rest = negative ? code - this.signBit : code;
    let v: number;
    if (rest > this.maxCode) {
      if (rest === this.overflowCode && this.hasInfinity) v = Infinity;
      else return NaN;
    } else {
      const field = Math.floor(rest / this.hidden);
      const mant = rest - field * this.hidden;
      v = field === 0 ? mant * this.minSubnormal : (this.hidden + mant) * pow2(field - this.bias - this.mantBits);
    }
    return negative ? -v : v;
  }

  roundDyadic(m: bigint, e: number): number {
    if (!Number.isSafeInteger(e)) {
      throw new InputError(`format '${this.name}': dyadic exponent ${e} is not an integer`);
    }
    if (m === 0n) return 0;
    const negative = m < 0n;
    const a = negative ? -m : m;
    const top = bitLength(a) - 1 + e; // floor(log2 |m·2^e|)
    if (top > this.emax) return this.overflow(negative);
    const qExp = (top < this.emin ? this.emin : top) - this.mantBits;
    // n < 2^(mantBits+1) + 1, so the bigint always converts to a number exactly.
    const n = Number(shiftRound(a, qExp - e, 'half-even'));
    return this.pack(negative, n, qExp);
  }

  canonical(code: number): number {
    this.check(code);
    if (code === this.signBit) return 0;
    const rest = code >= this.signBit ? code - this.signBit : code;
    return rest > this.maxCode && rest !== this.overflowCode ? this.nanCode : code;
  }

  pattern(code: number): number {
    this.check(code);
    return code;
  }

  fromPattern(bits: number): number {
    this.check(bits);
    return bits;
  }

  values(): number[] {
    return this.codes().map((code) => this.decode(code));
  }

  codes(): number[] {
    if (this.size > MAX_ENUMERABLE_CODES) {
      throw new InputError(
        `format '${this.name}': ${this.size} codes, too many to enumerate (at most ${MAX_ENUMERABLE_CODES})`,
      );
    }
    // Within one sign, codes are ordered like their magnitudes, so ascending value is: negatives from the
    // largest magnitude down, zero, positives up.
    const out: number[] = [];
    for (let c = this.maxCode; c >= 1; c--) out.push(this.signBit + c);
    for (let c = 0; c <= this.maxCode; c++) out.push(c);
    return out;
  }

  /** The code of ±n·2^qExp for an integer significand n rounded at quantum 2^qExp (qExp >= emin − mantBits). */
  private pack(negative: boolean, n: number, qExp: number): number {
    if (n === 2 * this.hidden) {
      // Rounding carried into the next binade.
      n = this.hidden;
      qExp += 1;
    }
    let field = 0;
    let mant = n;
    if (n >= this.hidden) {
      field = qExp + this.mantBits + this.bias;
      mant = n - this.hidden;
      if (field > this.topField || (field === this.topField && mant > this.topMant)) return this.overflow(negative);
    }
    return (negative ? this.signBit : 0) + field * this.hidden + mant;
  }

  private overflow(negative: boolean): number {
    return (negative ? this.signBit : 0) + this.overflowCode;
  }

  private check(code: number): void {
    if (!Number.isInteger(code) || code < 0 || code >= this.size) {
      throw new InputError(
        `format '${this.name}': ${code} is not a code (expected an integer in [0, ${this.size - 1}])`,
      );
    }
  }
}
