import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bitLength, exponentOf, pow2, shiftRound, toDyadic } from '../../src/precision/dyadic.js';
import { exactOf, floorDiv } from './reference.js';

const SEED = 0x5eed;

describe('pow2', () => {
  it('is exact over the whole double range and clamps outside it', () => {
    expect(pow2(0)).toBe(1);
    expect(pow2(-1074)).toBe(Number.MIN_VALUE);
    expect(pow2(-1022)).toBe(2.2250738585072014e-308);
    expect(pow2(1023)).toBe(8.98846567431158e307);
    expect(pow2(-1075)).toBe(0);
    expect(pow2(1024)).toBe(Infinity);
    for (let k = -1074; k <= 1023; k++) {
      const exact = exactOf(pow2(k));
      if (exact.m !== 1n || exact.e !== k) throw new Error(`pow2(${k}) is not 2^${k}`);
    }
  });
});

describe('exponentOf', () => {
  it('reads floor(log2 x) from the bits, also just below powers of two', () => {
    expect(exponentOf(1)).toBe(0);
    expect(exponentOf(1 - 2 ** -53)).toBe(-1);
    expect(exponentOf(2 ** 30 - 2 ** -20)).toBe(29);
    expect(exponentOf(Number.MAX_VALUE)).toBe(1023);
    expect(exponentOf(2 ** -1022)).toBe(-1022);
    expect(exponentOf(Number.MIN_VALUE)).toBe(-1075);
    expect(exponentOf(Infinity)).toBe(1024);
  });
});

describe('toDyadic', () => {
  it('gives the exact value with an odd mantissa', () => {
    expect(toDyadic(0)).toEqual({ m: 0n, e: 0 });
    expect(toDyadic(-0)).toEqual({ m: 0n, e: 0 });
    expect(toDyadic(0.75)).toEqual({ m: 3n, e: -2 });
    expect(toDyadic(-12)).toEqual({ m: -3n, e: 2 });
    expect(toDyadic(Number.MIN_VALUE)).toEqual({ m: 1n, e: -1074 });
    expect(toDyadic(Number.MAX_VALUE)).toEqual({ m: 2n ** 53n - 1n, e: 971 });
    expect(() => toDyadic(NaN)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const d = toDyadic(x);
        const ref = exactOf(x);
        return x === 0 ? d.m === 0n && d.e === 0 : d.m === ref.m && d.e === ref.e;
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('bitLength', () => {
  it('counts the bits of |a|, including just below and at powers of two and beyond 2^1000', () => {
    expect(bitLength(0n)).toBe(0);
    expect(bitLength(1n)).toBe(1);
    expect(bitLength(-8n)).toBe(4);
    for (const k of [1, 52, 53, 54, 63, 64, 65, 999, 1000, 1001, 1023, 1024, 1025, 5000]) {
      expect(bitLength(2n ** BigInt(k))).toBe(k + 1);
      expect(bitLength(2n ** BigInt(k) - 1n)).toBe(k);
      expect(bitLength(-(2n ** BigInt(k) + 1n))).toBe(k + 1);
    }
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 1200n), max: 2n ** 1200n }), (a) => {
        const abs = a < 0n ? -a : a;
        return bitLength(a) === (abs === 0n ? 0 : abs.toString(2).length);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe('shiftRound', () => {
  it('matches division-based rounding in every mode', () => {
    const reference = (m: bigint, s: number, mode: 'floor' | 'half-even' | 'half-up'): bigint => {
      const q = floorDiv(m, s);
      if (mode === 'floor' || s === 0) return q;
      const twiceRest = 2n * (m - q * 2n ** BigInt(s));
      const unit = 2n ** BigInt(s);
      if (twiceRest > unit) return q + 1n;
      if (twiceRest < unit) return q;
      return mode === 'half-up' || q % 2n !== 0n ? q + 1n : q;
    };
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('floor' as const, 'half-even' as const, 'half-up' as const),
        (m, s, mode) => shiftRound(m, s, mode) === reference(m, s, mode),
      ),
      { seed: SEED, numRuns: 5000 },
    );
    // Exact ties, where the modes differ.
    expect([5n, -5n, 7n, -7n].map((m) => shiftRound(m, 1, 'half-even'))).toEqual([2n, -2n, 4n, -4n]);
    expect([5n, -5n, 7n, -7n].map((m) => shiftRound(m, 1, 'half-up'))).toEqual([3n, -2n, 4n, -3n]);
    expect([5n, -5n, 7n, -7n].map((m) => shiftRound(m, 1, 'floor'))).toEqual([2n, -3n, 3n, -4n]);
    expect(shiftRound(-1n, 1e9, 'floor')).toBe(-1n);
    expect(shiftRound(-1n, 1e9, 'half-up')).toBe(0n);
    expect(shiftRound(3n, -4, 'half-even')).toBe(48n);
  });
});
