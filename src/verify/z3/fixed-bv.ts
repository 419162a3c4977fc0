// The fixed-point step and readout of precision/diagonal.ts as Z3 bit-vector terms, bit for bit: widen to
// 2·bits + 2 (an exact product plus the shifted offset plus the rounding constant cannot overflow), round
// by the format's mode with an arithmetic shift, saturate with If, and cut back to `bits`.
import type { BitVec, Bool } from 'z3-solver';
import { match } from 'ts-pattern';
import type { FixedFormat } from '../../precision/format.js';
import type { Z3 } from './session.js';

/** A bit-vector term of the shared context. */
export type Bv = BitVec<number, 'main'>;

/** A Z3 constant holding a code of the format (its two's-complement pattern). */
export function codeConst(Z: Z3, format: FixedFormat, name: string): Bv {
  return Z.BitVec.const(name, format.bits);
}

/** A Z3 literal holding a code of the format. */
export function codeVal(Z: Z3, format: FixedFormat, code: number): Bv {
  return Z.BitVec.val(BigInt(format.pattern(code)), format.bits);
}

/** round(n·2^−s) of a wide signed n by the format's mode (s defaults to F), as an arithmetic shift. */
export function roundWide(Z: Z3, format: FixedFormat, n: Bv, width: number, s: number = format.fracBits): Bv {
  if (s === 0) return n;
  const half = 1n << BigInt(s - 1);
  const shift = Z.BitVec.val(BigInt(s), width);
  return match(format.rounding)
    .with('floor', () => n.shr(shift))
    .with('half-up', () => n.add(Z.BitVec.val(half, width)).shr(shift))
    .with('half-even', () => {
      // Adding half − 1 plus the bit that becomes the lsb carries into the quotient exactly when the
      // remainder is above half, or equal to half with an odd quotient: ties go to the even code.
      const lsb = n.shr(shift).and(Z.BitVec.val(1n, width));
      return n.add(Z.BitVec.val(half - 1n, width)).add(lsb).shr(shift);
    })
    .exhaustive();
}

/** Saturates a wide signed code to [codeMin, codeMax] and cuts it back to the format's width. */
export function saturate(Z: Z3, format: FixedFormat, k: Bv, width: number): Bv {
  const lo = Z.BitVec.val(BigInt(format.codeMin), width);
  const hi = Z.BitVec.val(BigInt(format.codeMax), width);
  const clamped = Z.If(k.slt(lo), lo, Z.If(k.sgt(hi), hi, k)) as Bv;
  return clamped.extract(format.bits - 1, 0);
}

/** The code of round(a·h + b) for code terms a, h, b: the executor's `diagonalStepCode`. */
export function fixedStepBv(Z: Z3, format: FixedFormat, a: Bv, h: Bv, b: Bv): Bv {
  const width = 2 * format.bits + 2;
  const ext = width - format.bits;
  const f = Z.BitVec.val(BigInt(format.fracBits), width);
  const product = mulCodes(a, h, format.bits, width);
  const n = product.add(b.signExt(ext).shl(f));
  return saturate(Z, format, roundWide(Z, format, n, width), width);
}

/** Σ w_i·h_i + c > 0 exactly: the executor's `linearReadout`. */
export function linearReadoutBv(Z: Z3, format: FixedFormat, w: readonly Bv[], c: Bv, h: readonly Bv[]): Bool<'main'> {
  // D products of 2·bits bits plus the shifted c: ⌈log2(D + 1)⌉ more bits hold the sum without overflow.
  const width = 2 * format.bits + 1 + Math.ceil(Math.log2(h.length + 1));
  const ext = width - format.bits;
  let sum = c.signExt(ext).shl(Z.BitVec.val(BigInt(format.fracBits), width));
  h.forEach((hi, i) => {
    sum = sum.add(mulCodes(w[i], hi, format.bits, width));
  });
  return sum.sgt(Z.BitVec.val(0n, width));
}

/**
 * The same predicate as `linearReadoutBv` for D = 1, with one product per query instead of one per word:
 * w·h + c·2^F > 0 is h >= k (w > 0), h <= k (w < 0) or c > 0 (w = 0), where the integer k is pinned to
 * its one exact value by two product bounds on (w, c, k). Returns the shared facts and the per-word test.
 */
export function thresholdReadoutBv(Z: Z3, format: FixedFormat, w: Bv, c: Bv, name: string): { facts: Bool<'main'>[]; accepts: (h: Bv) => Bool<'main'> } {
  // |k| <= 2^(bits+F−1) + 1 and |w| <= 2^(bits−1): every product below fits 2·bits + F + 2 signed bits.
  const width = 2 * format.bits + format.fracBits + 3;
  const wide = (t: Bv): Bv => t.signExt(width - format.bits);
  const val = (n: bigint): Bv => Z.BitVec.val(n, width);
  const k = Z.BitVec.const(name, width);
  const W = wide(w);
  const m = wide(c).shl(val(BigInt(format.fracBits))); // c·2^F
  const zero = val(0n);
  const one = val(1n);
  const bound = val((1n << BigInt(format.bits + format.fracBits)) + 2n);
  const facts: Bool<'main'>[] = [
    k.sle(bound),
    k.sge(zero.sub(bound)),
    // w > 0: k − 1 = ⌊−c·2^F / w⌋, so w·h > −c·2^F ⟺ h >= k.
    Z.Implies(W.sgt(zero), Z.And(W.mul(k.sub(one)).sle(zero.sub(m)), zero.sub(m).slt(W.mul(k)))),
    // w < 0, u = −w: k + 1 = ⌈c·2^F / u⌉, so u·h < c·2^F ⟺ h <= k.
    Z.Implies(W.slt(zero), Z.And(zero.sub(W).mul(k).slt(m), m.sle(zero.sub(W).mul(k.add(one))))),
  ];
  const accepts = (h: Bv): Bool<'main'> =>
    Z.Or(Z.And(W.sgt(zero), wide(h).sge(k)), Z.And(W.slt(zero), wide(h).sle(k)), Z.And(W.eq(zero), c.sgt(codeVal(Z, format, 0))));
  return { facts, accepts };
}

/** The exact product of two `bits`-wide signed codes, at width `width` (>= 2·bits). */
export function mulCodes(x: Bv, y: Bv, bits: number, width: number): Bv {
  // The product fits 2·bits signed bits: multiplying there (not at the full width) halves the multiplier
  // circuit Z3 bit-blasts, which dominates solving time.
  const p = x.signExt(bits).mul(y.signExt(bits));
  return width === 2 * bits ? p : p.signExt(width - 2 * bits);
}
