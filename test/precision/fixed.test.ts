import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { toDyadic } from '../../src/precision/dyadic.js';
import { fixedFormat } from '../../src/precision/fixed.js';
import type { FixedFormat, RoundingMode } from '../../src/precision/format.js';
import { exactOf, floorDiv, referenceCode, tableOf } from './reference.js';

const SEED = 0xf1ed;
const MODES: readonly RoundingMode[] = ['half-even', 'floor', 'half-up'];
const u = 2 ** -6; // one step of fixed<2,6>

/** round(m·2^e) to a fixed<I,F> code by BigInt division and exact comparison, then saturation. */
function bruteForceCode(format: FixedFormat, m: bigint, e: number): number {
  const s = -(e + format.fracBits); // code = m·2^−s
  let k: bigint;
  if (s <= 0) k = m * 2n ** BigInt(-s);
  else {
    const q = floorDiv(m, s);
    const twiceRest = 2n * (m - q * 2n ** BigInt(s));
    const unit = 2n ** BigInt(s);
    k = q;
    if (format.rounding === 'half-up' && twiceRest >= unit) k = q + 1n;
    if (format.rounding === 'half-even' && (twiceRest > unit || (twiceRest === unit && q % 2n !== 0n))) k = q + 1n;
  }
  if (k < BigInt(format.codeMin)) return format.codeMin;
  if (k > BigInt(format.codeMax)) return format.codeMax;
  return Number(k);
}

/** Formats of every shape: narrow, wide, all fraction, all integer, each rounding mode. */
const FORMATS: FixedFormat[] = [
  [2, 6],
  [2, 4],
  [1, 0],
  [1, 31],
  [32, 0],
  [16, 16],
  [4, 12],
].flatMap(([i, f]) => MODES.map((mode) => fixedFormat(i, f, mode)));

describe('fixed<2,6>', () => {
  const fx = fixedFormat(2, 6);

  it('has the range [−2, 2 − 2^−6] on 8-bit signed codes', () => {
    expect(fx).toMatchObject({ name: 'fixed<2,6>', kind: 'fixed', bits: 8, size: 256, intBits: 2, fracBits: 6 });
    expect(fx).toMatchObject({ rounding: 'half-even', codeMin: -128, codeMax: 127, ulp: u, min: -2, max: 2 - u });
    expect(fx.decode(-128)).toBe(-2);
    expect(fx.decode(127)).toBe(1.984375);
    expect(fx.encode(-2)).toBe(-128);
    expect(fx.encode(1.984375)).toBe(127);
  });

  it('rounds ties to the even code, and zero is always +0', () => {
    expect(Object.is(fx.round(0.5 * u), 0)).toBe(true);
    expect(fx.round(1.5 * u)).toBe(2 * u);
    expect(fx.round(2.5 * u)).toBe(2 * u);
    expect(fx.round(3.5 * u)).toBe(4 * u);
    expect(Object.is(fx.round(-0.5 * u), 0)).toBe(true);
    expect(fx.round(-1.5 * u)).toBe(-2 * u);
    expect(fx.round(-2.5 * u)).toBe(-2 * u);
    expect(fx.round(0.5 * u + 2 ** -58)).toBe(u); // 2^−7 + 2^−58 is still a double
    expect(Object.is(fx.round(-(2 ** -300)), 0)).toBe(true);
    expect(Object.is(fx.round(-0), 0)).toBe(true);
    expect(Object.is(fx.encode(-0), 0)).toBe(true);
    expect(Object.is(fx.decode(-0), 0)).toBe(true);
  });

  it('floors in floor mode', () => {
    const fl = fixedFormat(2, 6, 'floor');
    expect(fl.name).toBe('fixed<2,6,floor>');
    expect(fl.round(0.9 * u)).toBe(0);
    expect(fl.round(1.5 * u)).toBe(u);
    expect(fl.round(-0.1 * u)).toBe(-u);
    expect(fl.round(-(2 ** -300))).toBe(-u);
    expect(fl.round(-1.5 * u)).toBe(-2 * u);
    expect(fl.round(1.999)).toBe(2 - u);
    expect(fl.round(-2.001)).toBe(-2);
  });

  it('rounds ties toward +infinity in half-up mode', () => {
    const hu = fixedFormat(2, 6, 'half-up');
    expect(hu.name).toBe('fixed<2,6,half-up>');
    expect(hu.round(0.5 * u)).toBe(u);
    expect(hu.round(0.49 * u)).toBe(0);
    expect(hu.round(2.5 * u)).toBe(3 * u);
    expect(Object.is(hu.round(-0.5 * u), 0)).toBe(true);
    expect(hu.round(-1.5 * u)).toBe(-u);
    expect(hu.round(-1.51 * u)).toBe(-2 * u);
  });

  it('saturates at both ends, infinities included', () => {
    for (const f of MODES.map((mode) => fixedFormat(2, 6, mode))) {
      expect(f.round(5)).toBe(2 - u);
      expect(f.round(-5)).toBe(-2);
      expect(f.round(Infinity)).toBe(2 - u);
      expect(f.round(-Infinity)).toBe(-2);
      expect(f.round(1e300)).toBe(2 - u);
      expect(f.encode(-1e300)).toBe(-128);
      expect(f.roundDyadic(1n, 5000)).toBe(127);
      expect(f.roundDyadic(-(2n ** 3000n), 0)).toBe(-128);
      expect(f.roundFixedScaled(2 ** 53 - 1, 0)).toBe(127);
      expect(f.roundFixedScaled(-(2 ** 53 - 1), 6)).toBe(-128);
    }
    // 2 − 2^−7 is a tie between code 127 and code 128 (even): half-even picks 128, which saturates.
    expect(fx.round(2 - 2 ** -7)).toBe(2 - u);
    expect(fx.round(-2 - 2 ** -7)).toBe(-2);
  });

  it('keeps NaN out of the code space', () => {
    expect(fx.round(NaN)).toBeNaN();
    expect(() => fx.encode(NaN)).toThrow(new InputError("format 'fixed<2,6>': NaN has no fixed-point code"));
    expect(() => fx.decode(128)).toThrow(
      new InputError("format 'fixed<2,6>': 128 is not a code (expected an integer in [-128, 127])"),
    );
    expect(() => fx.decode(0.5)).toThrow(InputError);
    expect(() => fx.roundDyadic(1n, 0.5)).toThrow(InputError);
  });

  it('maps codes to two’s-complement bit patterns and back', () => {
    expect(fx.pattern(-1)).toBe(255);
    expect(fx.pattern(-128)).toBe(128);
    expect(fx.pattern(127)).toBe(127);
    expect(fx.fromPattern(255)).toBe(-1);
    expect(fx.fromPattern(128)).toBe(-128);
    expect(() => fx.fromPattern(256)).toThrow(InputError);
    for (let k = -128; k <= 127; k++) expect(fx.fromPattern(fx.pattern(k))).toBe(k);
    expect(fixedFormat(32, 0).pattern(-1)).toBe(2 ** 32 - 1);
  });
});

describe('fixed formats of every shape', () => {
  it('have exact extreme values', () => {
    const cases: [FixedFormat, number, number][] = [
      [fixedFormat(32, 0), -(2 ** 31), 2 ** 31 - 1],
      [fixedFormat(1, 31), -1, 1 - 2 ** -31],
      [fixedFormat(16, 16), -32768, 32768 - 2 ** -16],
      [fixedFormat(1, 0), -1, 0],
      [fixedFormat(2, 4), -2, 2 - 1 / 16],
    ];
    for (const [f, min, max] of cases) {
      expect([f.min, f.max]).toEqual([min, max]);
      expect([f.round(min), f.round(max)]).toEqual([min, max]);
      expect([f.encode(min), f.encode(max)]).toEqual([f.codeMin, f.codeMax]);
      expect([f.decode(f.codeMin), f.decode(f.codeMax)]).toEqual([min, max]);
    }
  });

  it('enumerate fixed<2,4> as 64 sorted distinct values on the 1/16 grid', () => {
    const f = fixedFormat(2, 4);
    const values = f.values();
    expect(values).toHaveLength(64);
    expect(values.every((v, i) => v === (i - 32) / 16)).toBe(true);
    expect(f.codes()).toEqual(Array.from({ length: 64 }, (_, i) => i - 32));
    expect(fixedFormat(8, 8).codes()).toHaveLength(65536);
    expect(() => fixedFormat(16, 16).values()).toThrow(
      new InputError("format 'fixed<16,16>': 4294967296 codes, too many to enumerate (at most 65536)"),
    );
  });

  it('round doubles like an independent table search (fixed<2,4>, every mode)', () => {
    for (const mode of MODES) {
      const f = fixedFormat(2, 4, mode);
      const table = tableOf(f);
      // Every multiple of 2^−7 in [−3, 3]: all grid points, midpoints and quarter points.
      for (let j = -384; j <= 384; j++) {
        const x = j / 128;
        expect([x, f.encode(x)]).toEqual([x, referenceCode(f, exactOf(x), table)]);
      }
      fc.assert(
        fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (x) => {
          return f.encode(x) === referenceCode(f, exactOf(x), table) && Object.is(f.round(x), f.decode(f.encode(x)));
        }),
        { seed: SEED, numRuns: 2000 },
      );
    }
  });

  it('roundDyadic agrees with round on every double', () => {
    for (const f of FORMATS) {
      fc.assert(
        fc.property(fc.double({ noNaN: true }), fc.integer({ min: -40, max: 40 }), (x0, k) => {
          const x = x0 * 2 ** k; // spread across the fraction range too
          if (!Number.isFinite(x)) return true;
          const { m, e } = toDyadic(x);
          return f.roundDyadic(m, e) === f.encode(x);
        }),
        { seed: SEED, numRuns: 400 },
      );
    }
  });

  it('roundDyadic agrees with a BigInt brute force on wide accumulators', () => {
    for (const f of FORMATS) {
      fc.assert(
        fc.property(
          fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
          fc.integer({ min: -140, max: 40 }),
          (m, e) => f.roundDyadic(m, e) === bruteForceCode(f, m, e),
        ),
        { seed: SEED, numRuns: 400 },
      );
      // Values near the grid and its ties: small m and an exponent a few bits below the grid.
      fc.assert(
        fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 0, max: 4 }), (m, extra) => {
          const e = -f.fracBits - extra;
          return f.roundDyadic(BigInt(m), e) === bruteForceCode(f, BigInt(m), e);
        }),
        { seed: SEED, numRuns: 400 },
      );
    }
  });

  it('roundFixedScaled agrees with roundDyadic on safe integers', () => {
    const safe = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 52, -(2 ** 52)),
    );
    for (const f of FORMATS) {
      fc.assert(
        fc.property(safe, fc.integer({ min: -8, max: 80 }), (n, shift) => {
          return Object.is(f.roundFixedScaled(n, shift), f.roundDyadic(BigInt(n), -shift));
        }),
        { seed: SEED, numRuns: 1000 },
      );
    }
  });

  it('roundFixedScaled rounds w·h + b once, as the executor will use it', () => {
    for (const f of FORMATS.filter((g) => g.bits <= 16)) {
      const code = fc.integer({ min: f.codeMin, max: f.codeMax });
      fc.assert(
        fc.property(code, code, code, (w, h, b) => {
          const n = w * h + b * 2 ** f.fracBits;
          const exact = BigInt(w) * BigInt(h) + (BigInt(b) << BigInt(f.fracBits));
          return f.roundFixedScaled(n, 2 * f.fracBits) === bruteForceCode(f, exact, -2 * f.fracBits);
        }),
        { seed: SEED, numRuns: 1000 },
      );
    }
    const fx = fixedFormat(2, 6);
    expect(Object.is(fx.roundFixedScaled(0 * -3, 12), 0)).toBe(true);
    expect(Object.is(fixedFormat(2, 6, 'floor').roundFixedScaled(-0, 100), 0)).toBe(true);
    // 0.5·2^−6 and 1.5·2^−6 as products with 12 fraction bits: ties to even.
    expect(fx.roundFixedScaled(32, 12)).toBe(0);
    expect(fx.roundFixedScaled(96, 12)).toBe(2);
    expect(fx.roundFixedScaled(-96, 12)).toBe(-2);
    expect(fixedFormat(2, 6, 'half-up').roundFixedScaled(-96, 12)).toBe(-1);
    expect(fixedFormat(2, 6, 'floor').roundFixedScaled(-1, 12)).toBe(-1);
  });

  it('reject impossible shapes with one-line InputErrors', () => {
    expect(() => fixedFormat(0, 3)).toThrow(
      new InputError("format 'fixed<0,3>': expected fixed<I,F> with integers I >= 1, F >= 0"),
    );
    expect(() => fixedFormat(2, -1)).toThrow(InputError);
    expect(() => fixedFormat(2.5, 1)).toThrow(InputError);
    expect(() => fixedFormat(20, 13)).toThrow(
      new InputError("format 'fixed<20,13>': I + F = 33 bits, expected at most 32"),
    );
    expect(() => fixedFormat(2, 6, 'sideways' as RoundingMode)).toThrow(/fixed<2,6,sideways>.*unknown rounding mode/);
  });
});
