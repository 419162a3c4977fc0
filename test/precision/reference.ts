// Independent references for the format tests. They round by searching a sorted value table and comparing
// exactly with BigInt arithmetic (no bit tricks, no scaling), so a bug in the formats' fast paths cannot
// hide in a reference that shares the same code.
import type { NumberFormat } from '../../src/precision/format.js';

/** An exact dyadic m·2^e kept apart from src/precision/dyadic.ts (built here by repeated halving). */
export interface Exact {
  m: bigint;
  e: number;
}

/** The exact value of a finite double with m odd (or 0n), found by scaling with exact factors of 2. */
export function exactOf(x: number): Exact {
  if (x === 0) return { m: 0n, e: 0 };
  let e = 0;
  let y = x;
  while (!Number.isInteger(y)) {
    y *= 65536;
    e -= 16;
  }
  while (Math.abs(y) >= 2 ** 53) {
    y /= 2;
    e += 1;
  }
  let m = BigInt(y);
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  return { m, e };
}

/** Sign of a − b for exact dyadics. */
export function compareExact(a: Exact, b: Exact): number {
  const k = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - k);
  const y = b.m << BigInt(b.e - k);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact midpoint of two dyadics. */
export function midpoint(a: Exact, b: Exact): Exact {
  const k = Math.min(a.e, b.e);
  return { m: (a.m << BigInt(a.e - k)) + (b.m << BigInt(b.e - k)), e: k - 1 };
}

/** floor(a / 2^s) for s >= 0 using BigInt division (which truncates toward zero), not shifts. */
export function floorDiv(a: bigint, s: number): bigint {
  const d = 2n ** BigInt(s);
  const q = a / d;
  return a < 0n && q * d !== a ? q - 1n : q;
}

/**
 * The code a ≤16-bit format should give for the exact value v: nearest value in the sorted table (ties to
 * the even code; fixed floor takes the lower neighbour, fixed half-up the upper one on a tie), then the
 * overflow rule (IEEE: from halfway to 2^(emax+1) on it is ±Infinity; fixed and e4m3 saturate).
 */
export function referenceCode(format: NumberFormat, v: Exact, table: Table): number {
  const { values, codes } = table;
  if (v.m === 0n) return 0;
  const last = values.length - 1;
  if (compareExact(v, values[last]) > 0) return overflow(format, v, codes[last], false);
  if (compareExact(v, values[0]) < 0) return overflow(format, { m: -v.m, e: v.e }, codes[0], true);
  let a = 0;
  let b = last;
  while (b - a > 1) {
    const c = (a + b) >> 1;
    if (compareExact(values[c], v) <= 0) a = c;
    else b = c;
  }
  let code: number;
  if (compareExact(v, values[a]) === 0) code = codes[a];
  else if (compareExact(v, values[b]) === 0) code = codes[b];
  else {
    const side = compareExact(v, midpoint(values[a], values[b]));
    const mode = format.kind === 'fixed' ? format.rounding : 'half-even';
    if (mode === 'floor') code = codes[a];
    else if (mode === 'half-up') code = side < 0 ? codes[a] : codes[b];
    else code = side < 0 ? codes[a] : side > 0 ? codes[b] : codes[a] % 2 === 0 ? codes[a] : codes[b];
  }
  // IEEE: a negative value that rounds to zero is −0.
  if (format.kind === 'float' && v.m < 0n && code === 0) code = 2 ** (format.bits - 1);
  return code;
}

/** Beyond the extreme value (|v| > max): saturate, or (IEEE floats) ±Infinity from max + step/2 on. */
function overflow(format: NumberFormat, magnitude: Exact, edgeCode: number, negative: boolean): number {
  if (format.kind === 'fixed' || !format.hasInfinity) return edgeCode;
  const max = exactOf(format.max);
  const halfStep = { m: 1n, e: format.emax - format.mantBits - 1 };
  const k = Math.min(max.e, halfStep.e);
  const limit = { m: (max.m << BigInt(max.e - k)) + (halfStep.m << BigInt(halfStep.e - k)), e: k };
  if (compareExact(magnitude, limit) < 0) return edgeCode;
  return (negative ? 2 ** (format.bits - 1) : 0) + (2 ** format.expBits - 1) * 2 ** format.mantBits;
}

/** A format's finite values as exact dyadics, ascending, with their codes. */
export interface Table {
  values: Exact[];
  codes: number[];
}

/** The table of a format with at most 2^16 codes. */
export function tableOf(format: NumberFormat): Table {
  return { values: format.values().map(exactOf), codes: format.codes() };
}
