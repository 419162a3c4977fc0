// The dense executor's arithmetic (precision/dense.ts) as Z3 bit-vector terms, bit for bit: a state row is
// the exact sum of d products plus the shifted offset, rounded once; a Householder entry is the exact
// δ − β·k_i·k_j, rounded once. Same widen / round / saturate scheme as fixed-bv.ts.
import type { FixedFormat } from '../../precision/format.js';
import type { Bv } from './fixed-bv.js';
import { mulCodes, roundWide, saturate } from './fixed-bv.js';
import type { Z3 } from './session.js';

/** The code of round(Σ_j A_j·h_j + b); `null` entries are structural zeros (no multiplier is built). */
export function denseRowBv(Z: Z3, format: FixedFormat, row: readonly (Bv | null)[], h: readonly Bv[], b: Bv): Bv {
  // d products of 2·bits signed bits plus the shifted offset plus the rounding constant.
  const width = 2 * format.bits + 2 + Math.ceil(Math.log2(h.length + 1));
  let sum = b.signExt(width - format.bits).shl(Z.BitVec.val(BigInt(format.fracBits), width));
  row.forEach((a, j) => {
    if (a === null) return;
    sum = sum.add(mulCodes(a, h[j], format.bits, width));
  });
  return saturate(Z, format, roundWide(Z, format, sum, width), width);
}

/** The code of round(δ − β·k_i·k_j) (δ = 1 when `diagonal`): precision/dense.ts `householderEntryCode`. */
export function householderEntryBv(Z: Z3, format: FixedFormat, beta: Bv, ki: Bv, kj: Bv, diagonal: boolean): Bv {
  const width = 3 * format.bits + 2;
  const ext = (t: Bv): Bv => t.signExt(width - format.bits);
  const kk = ki === kj ? ext(ki).mul(ext(ki)) : ext(ki).mul(ext(kj));
  const one = diagonal ? 1n << BigInt(3 * format.fracBits) : 0n;
  const exact = Z.BitVec.val(one, width).sub(ext(beta).mul(kk));
  return saturate(Z, format, roundWide(Z, format, exact, width, 2 * format.fracBits), width);
}

/** max(0, h) of a code term: precision/product.ts's relu. */
export function reluBv(Z: Z3, format: FixedFormat, h: Bv): Bv {
  const zero = Z.BitVec.val(0n, format.bits);
  return Z.If(h.slt(zero), zero, h) as Bv;
}
