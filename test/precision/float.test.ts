import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { toDyadic } from '../../src/precision/dyadic.js';
import { floatFormat } from '../../src/precision/float.js';
import type { FloatFormat } from '../../src/precision/format.js';
import { compareExact, exactOf, midpoint, referenceCode, tableOf } from './reference.js';
import type { Exact } from './reference.js';

const SEED = 0xf10a7;
const fp32 = floatFormat('fp32');
const fp16 = floatFormat('fp16');
const bf16 = floatFormat('bf16');
const e5m2 = floatFormat('fp8-e5m2');
const e4m3 = floatFormat('fp8-e4m3');
const SMALL: FloatFormat[] = [fp16, bf16, e5m2, e4m3];

// The platform's own binary32 conversion, an independent reference for fp32 and (through its bits) bf16.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f32Bits = (x: number): number => ((f32[0] = x), u32[0]);
const f32Value = (bits: number): number => ((u32[0] = bits), f32[0]);

// Neighbouring doubles, for probing just either side of a rounding boundary.
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
function nextDouble(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  u64[0] += (x > 0) === up ? 1n : -1n;
  return f64[0];
}

/** bf16 rounding of an fp32 value straight from its bit pattern: add 0x7fff plus the kept lsb, cut. */
function bf16FromF32Bits(bits: number): number {
  const lsb = (bits >>> 16) & 1;
  return (bits + 0x7fff + lsb) >>> 16;
}

describe('hand-known values', () => {
  it('fp16', () => {
    expect(fp16).toMatchObject({ bits: 16, size: 65536, expBits: 5, mantBits: 10, bias: 15, emin: -14, emax: 15 });
    expect(fp16).toMatchObject({ max: 65504, min: -65504, minSubnormal: 2 ** -24, minNormal: 2 ** -14 });
    expect(fp16.epsilon).toBe(2 ** -10);
    const table: [number, number][] = [
      [0x3c00, 1],
      [0x7bff, 65504],
      [0x0001, 2 ** -24],
      [0x03ff, 2 ** -14 - 2 ** -24],
      [0x0400, 2 ** -14],
      [0x3c01, 1 + 2 ** -10],
      [0x3555, 0.333251953125],
      [0x2e66, 0.0999755859375],
      [0xc000, -2],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    for (const [code, value] of table) {
      expect([code, fp16.decode(code)]).toEqual([code, value]);
      expect([value, fp16.encode(value)]).toEqual([value, code]);
    }
    expect(Object.is(fp16.decode(0x8000), -0)).toBe(true);
    expect(fp16.decode(0x7e00)).toBeNaN();
    expect(fp16.decode(0xfc01)).toBeNaN();
  });

  it('fp16 rounding: overflow, ties to even, gradual underflow', () => {
    const cases: [number, number][] = [
      [65519, 65504],
      [65520, Infinity], // halfway to 2^16: the tie goes to the even "next" value, which is infinity
      [-65520, -Infinity],
      [1e6, Infinity],
      [2049, 2048],
      [2051, 2052],
      [2050, 2050],
      [1 + 2 ** -11, 1],
      [1 + 3 * 2 ** -11, 1 + 2 ** -9],
      [1 + 2 ** -11 + 2 ** -40, 1 + 2 ** -10],
      [0.1, 0.0999755859375],
      [2 ** -25, 0],
      [2 ** -25 + 2 ** -60, 2 ** -24],
      [3 * 2 ** -25, 2 ** -23],
      [2 ** -14 - 2 ** -25, 2 ** -14], // the largest subnormal's tie carries into the first normal
    ];
    for (const [x, y] of cases) expect([x, fp16.round(x)]).toEqual([x, y]);
    expect(Object.is(fp16.round(-(2 ** -26)), -0)).toBe(true);
    expect(fp16.encode(-(2 ** -26))).toBe(0x8000);
    expect(Object.is(fp16.round(-0), -0)).toBe(true);
    expect(fp16.round(NaN)).toBeNaN();
    expect(fp16.encode(NaN)).toBe(0x7e00);
  });

  it('bf16', () => {
    const max = (2 - 2 ** -7) * 2 ** 127;
    expect(bf16).toMatchObject({ bits: 16, max, min: -max, minSubnormal: 2 ** -133, minNormal: 2 ** -126 });
    expect(bf16.epsilon).toBe(2 ** -7);
    expect(max).toBe(3.3895313892515355e38);
    expect([0x3f80, 0x7f7f, 0x0001, 0x0080, 0x7f80, 0xbf80].map((c) => bf16.decode(c))).toEqual([
      1,
      max,
      2 ** -133,
      2 ** -126,
      Infinity,
      -1,
    ]);
    expect(bf16.decode(0x7fc0)).toBeNaN();
    expect(bf16.nanCode).toBe(0x7fc0);
    expect(bf16.round(1 + 2 ** -8)).toBe(1);
    expect(bf16.round(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
    // Rounding once matters: through fp32 this double lands on the tie 1 + 2^−8 and would go down to 1.
    const x = 1 + 2 ** -8 + 2 ** -30;
    expect(Math.fround(x)).toBe(1 + 2 ** -8);
    expect(bf16.round(x)).toBe(1 + 2 ** -7);
  });

  it('fp8-e4m3 (OCP E4M3FN, saturating)', () => {
    expect(e4m3).toMatchObject({ bits: 8, size: 256, bias: 7, emax: 8, hasInfinity: false, nanCode: 0x7f });
    expect(e4m3).toMatchObject({ max: 448, min: -448, minSubnormal: 2 ** -9, minNormal: 2 ** -6, epsilon: 1 / 8 });
    expect([0x7e, 0x78, 0x38, 0x08, 0x01, 0xfe, 0x77].map((c) => e4m3.decode(c))).toEqual([
      448, 256, 1, 2 ** -6, 2 ** -9, -448, 240,
    ]);
    expect(e4m3.decode(0x7f)).toBeNaN();
    expect(e4m3.decode(0xff)).toBeNaN();
    const cases: [number, number][] = [
      [464, 448],
      [449, 448],
      [1e9, 448],
      [Infinity, 448],
      [-Infinity, -448],
      [-500, -448],
      [440, 448],
      [432, 448], // tie between 416 (odd mantissa) and 448 (even)
      [400, 384], // tie between 384 (even) and 416
      [2 ** -10, 0],
      [3 * 2 ** -10, 2 ** -8],
    ];
    for (const [x, y] of cases) expect([x, e4m3.round(x)]).toEqual([x, y]);
    expect([e4m3.encode(Infinity), e4m3.encode(-Infinity), e4m3.encode(NaN)]).toEqual([0x7e, 0xfe, 0x7f]);
    expect(e4m3.roundDyadic(1n, 1000)).toBe(0x7e);
    expect(e4m3.roundDyadic(-(2n ** 500n), 0)).toBe(0xfe);
  });

  it('fp8-e5m2', () => {
    expect(e5m2).toMatchObject({ bits: 8, bias: 15, emax: 15, hasInfinity: true, nanCode: 0x7e });
    expect(e5m2).toMatchObject({ max: 57344, min: -57344, minSubnormal: 2 ** -16, minNormal: 2 ** -14 });
    expect(e5m2.epsilon).toBe(1 / 4);
    expect([0x7b, 0x3c, 0x01, 0x04, 0x7c, 0xfc].map((c) => e5m2.decode(c))).toEqual([
      57344,
      1,
      2 ** -16,
      2 ** -14,
      Infinity,
      -Infinity,
    ]);
    for (const c of [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]) expect(e5m2.decode(c)).toBeNaN();
    expect([61439, 61440, -61440, 2 ** -17, 3 * 2 ** -17].map((x) => e5m2.round(x))).toEqual([
      57344,
      Infinity,
      -Infinity,
      0,
      2 ** -15,
    ]);
  });

  it('fp32', () => {
    const max = (2 - 2 ** -23) * 2 ** 127;
    expect(fp32).toMatchObject({ bits: 32, size: 2 ** 32, bias: 127, emin: -126, emax: 127, nanCode: 0x7fc00000 });
    expect(fp32).toMatchObject({ max, min: -max, minSubnormal: 2 ** -149, minNormal: 2 ** -126, epsilon: 2 ** -23 });
    expect(max).toBe(3.4028234663852886e38);
    expect(fp32.decode(0x7f7fffff)).toBe(max);
    expect(fp32.decode(0xff800000)).toBe(-Infinity);
    expect(fp32.decode(0x00000001)).toBe(2 ** -149);
  });
});

describe('every code of the 8- and 16-bit formats', () => {
  it.each(SMALL.map((f) => [f.name, f] as const))('%s: decode then encode gives each code back', (_, f) => {
    const bad: string[] = [];
    let nans = 0;
    let infinities = 0;
    for (let code = 0; code < f.size; code++) {
      const v = f.decode(code);
      if (Number.isNaN(v)) {
        nans++;
        if (f.encode(v) !== f.nanCode || f.canonical(code) !== f.nanCode || !Number.isNaN(f.round(v))) {
          bad.push(`NaN ${code}`);
        }
        continue;
      }
      if (!Number.isFinite(v)) infinities++;
      if (f.encode(v) !== code || !Object.is(f.round(v), v)) bad.push(`${code} -> ${v} -> ${f.encode(v)}`);
      const { m, e } = Number.isFinite(v) ? toDyadic(v) : { m: 0n, e: 0 };
      // An exact zero has no sign: roundDyadic(0n) is +0 whatever the code of the zero was.
      if (Number.isFinite(v) && f.roundDyadic(m, e) !== (v === 0 ? 0 : code)) bad.push(`dyadic ${code}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
    const expected: Record<string, [number, number]> = {
      fp16: [2046, 2],
      bf16: [254, 2],
      'fp8-e5m2': [6, 2],
      'fp8-e4m3': [2, 0],
    };
    expect([nans, infinities]).toEqual(expected[f.name]);
  });

  it('values() are the finite values, strictly ascending, −0 left out, paired with their codes', () => {
    const lengths = SMALL.map((f) => {
      const values = f.values();
      const codes = f.codes();
      expect(codes).toHaveLength(values.length);
      const paired = codes.every((c, i) => Object.is(f.decode(c), values[i]));
      expect(paired && values.every((v, i) => Number.isFinite(v) && (i === 0 || values[i - 1] < v))).toBe(true);
      expect([values[0], values[values.length - 1]]).toEqual([f.min, f.max]);
      expect(values.some((v) => Object.is(v, -0))).toBe(false);
      return values.length;
    });
    expect(lengths).toEqual([65536 - 2 - 2046 - 1, 65536 - 2 - 254 - 1, 256 - 2 - 6 - 1, 256 - 2 - 1]);
    expect(() => fp32.values()).toThrow(InputError);
  });

  it('canonical codes merge −0 into +0 and every NaN into nanCode', () => {
    expect(fp16.canonical(0x8000)).toBe(0);
    expect(fp16.canonical(0x7d00)).toBe(0x7e00);
    expect(fp16.canonical(0xfe01)).toBe(0x7e00);
    expect(fp16.canonical(0xfc00)).toBe(0xfc00);
    expect(fp16.canonical(0xbc00)).toBe(0xbc00);
    expect(e4m3.canonical(0xff)).toBe(0x7f);
    expect(e4m3.canonical(0x7e)).toBe(0x7e);
    expect(fp32.canonical(0xffffffff)).toBe(0x7fc00000);
    expect(fp16.pattern(0xbc00)).toBe(0xbc00);
    expect(() => fp16.decode(65536)).toThrow(
      new InputError("format 'fp16': 65536 is not a code (expected an integer in [0, 65535])"),
    );
    expect(() => e4m3.fromPattern(-1)).toThrow(InputError);
  });
});

describe('fp32 against Math.fround and Float32Array', () => {
  // fp32.round is Math.fround itself; its general route (every other format's) must be the same function.
  const general = (fp32 as unknown as { roundGeneral(x: number): number }).roundGeneral.bind(fp32);
  const agrees = (x: number): boolean =>
    Object.is(fp32.round(x), Math.fround(x)) &&
    Object.is(general(x), Math.fround(x)) &&
    (Number.isNaN(x) || fp32.encode(x) === f32Bits(x));

  it('on random doubles of every size, subnormals and infinities included', () => {
    fc.assert(fc.property(fc.double(), agrees), { seed: SEED, numRuns: 20000 });
    fc.assert(fc.property(fc.double({ min: -1e-36, max: 1e-36 }), agrees), { seed: SEED, numRuns: 5000 });
    fc.assert(fc.property(fc.double({ min: 3.39e38, max: 3.41e38 }), (x) => agrees(x) && agrees(-x)), {
      seed: SEED,
      numRuns: 5000,
    });
  });

  it('at and next to every kind of rounding boundary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7f7fffff }), fc.boolean(), (bits, negative) => {
        const a = f32Value(bits);
        const b = f32Value(bits + 1); // the next fp32 value up (infinity after max)
        const mid = Number.isFinite(b) ? (a + b) / 2 : a + 2 ** 103; // exact in double arithmetic
        const s = negative ? -1 : 1;
        return [a, mid, nextDouble(mid, true), nextDouble(mid, false)].every((x) => agrees(s * x));
      }),
      { seed: SEED, numRuns: 20000 },
    );
  });

  it('decodes every kind of bit pattern like Float32Array', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (bits) => {
        const v = fp32.decode(bits);
        return Object.is(v, f32Value(bits)) || (Number.isNaN(v) && Number.isNaN(f32Value(bits)));
      }),
      { seed: SEED, numRuns: 20000 },
    );
  });

  it('roundDyadic matches Math.fround on exact doubles', () => {
    fc.assert(
      fc.property(
        // Significands of up to 26 bits make exact ties (25 significant bits, odd) common.
        fc.oneof(
          fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }),
          fc.bigInt({ min: -(2n ** 26n), max: 2n ** 26n }),
        ),
        fc.integer({ min: -1074, max: 970 }),
        (m, e) => {
          const x = Number(m) * 2 ** e;
          const exact = exactOf(x);
          // Only exact doubles are a fair reference (the product above must not have rounded).
          if (m !== 0n && compareExact(exact, { m, e }) !== 0) return true;
          return fp32.roundDyadic(m, e) === f32Bits(Math.fround(x));
        },
      ),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('roundDyadic picks a nearest value, ties to even, for accumulators wider than a double', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 200n }), fc.integer({ min: -400, max: 0 }), (m, e) => {
        const code = fp32.roundDyadic(m, e);
        if (fp32.roundDyadic(-m, e) !== code + 2 ** 31) return false;
        return isNearestEven(fp32, { m, e }, code);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

/** For v > 0: the code's value is at least as near to v as both neighbours, and even on a tie. */
function isNearestEven(f: FloatFormat, v: Exact, code: number): boolean {
  const value = f.decode(code);
  if (value === Infinity) {
    // Overflow only from max + half a step on.
    const halfway = exactOf(f.max + 2 ** (f.emax - f.mantBits - 1));
    return compareExact(v, halfway) >= 0;
  }
  const distance = (c: number): Exact => {
    const w = exactOf(f.decode(c));
    const k = Math.min(w.e, v.e);
    const d = (v.m << BigInt(v.e - k)) - (w.m << BigInt(w.e - k));
    return { m: d < 0n ? -d : d, e: k };
  };
  const here = distance(code);
  for (const other of [code - 1, code + 1]) {
    if (other < 0 || !Number.isFinite(f.decode(other))) continue;
    const cmp = compareExact(here, distance(other));
    if (cmp > 0 || (cmp === 0 && code % 2 !== 0)) return false;
  }
  return true;
}

describe('bf16 against an independent rounding of the fp32 bit pattern', () => {
  it('on random fp32 values of every kind', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (bits) => {
        const x = f32Value(bits);
        if (Number.isNaN(x)) return Number.isNaN(bf16.round(x)) && bf16.encode(x) === bf16.nanCode;
        const code = bf16FromF32Bits(bits);
        return bf16.encode(x) === code && Object.is(bf16.round(x), f32Value(code * 65536));
      }),
      { seed: SEED, numRuns: 30000 },
    );
  });

  it('on every fp32 tie and its neighbours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7f7f }), fc.boolean(), (hi, negative) => {
        const sign = negative ? 0x80000000 : 0;
        return [0x8000, 0x7fff, 0x8001, 0].every((lo) => {
          const bits = sign + hi * 65536 + lo;
          return bf16.encode(f32Value(bits)) === bf16FromF32Bits(bits);
        });
      }),
      { seed: SEED, numRuns: 10000 },
    );
  });
});

describe('the grids nest', () => {
  it('every bf16 value inside the fp16 normal range is an fp16 value, and every fp16 value is an fp32 value', () => {
    let checked = 0;
    for (const v of bf16.values()) {
      if (v === 0 || (Math.abs(v) >= fp16.minNormal && Math.abs(v) <= fp16.max)) {
        if (fp16.round(v) !== v) throw new Error(`bf16 value ${v} is not fixed by fp16.round`);
        checked++;
      }
    }
    expect(checked).toBe(2 * 30 * 128 + 1); // 30 binades of 128 per sign, and zero
    for (const v of fp16.values()) if (Math.fround(v) !== v || fp32.round(v) !== v) throw new Error(`${v}`);
    for (const v of e5m2.values()) expect(fp16.round(v)).toBe(v); // e5m2 is fp16 with 8 mantissa bits cut
    for (const v of e4m3.values()) expect([bf16.round(v), fp16.round(v)]).toEqual([v, v]);
  });

  it('e5m2 rounding of an fp16 value is the fp16 bit pattern rounded to its top byte', () => {
    for (let code = 0; code < 65536; code++) {
      const v = fp16.decode(code);
      if (!Number.isFinite(v)) continue;
      const lsb = (code >>> 8) & 1;
      const expected = (code + 0x7f + lsb) >>> 8;
      if (e5m2.encode(v) !== expected) throw new Error(`fp16 code ${code}: ${e5m2.encode(v)} != ${expected}`);
    }
  });
});

describe('the 8- and 16-bit formats against an exact table search', () => {
  it.each(SMALL.map((f) => [f.name, f] as const))('%s', (_, f) => {
    const table = tableOf(f);
    const codeOf = (x: number): number => f.encode(x);
    // Doubles across the whole range, down past the subnormals and up past the overflow threshold.
    const spread = fc
      .tuple(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: f.emin - f.mantBits - 45, max: f.emax - 38 }),
      )
      .map(([m, e]) => m * 2 ** e);
    fc.assert(
      fc.property(spread, (x) => codeOf(x) === referenceCode(f, exactOf(x), table)),
      { seed: SEED, numRuns: 2000 },
    );
    // Every midpoint between neighbours and the doubles right beside it.
    const values = f.values();
    for (let i = 0; i + 1 < values.length; i += values.length > 1000 ? 29 : 1) {
      const mid = (values[i] + values[i + 1]) / 2;
      for (const x of [mid, nextDouble(mid, true), nextDouble(mid, false)]) {
        const expected = referenceCode(f, exactOf(x), table);
        if (codeOf(x) !== expected) throw new Error(`${f.name}: ${x} gives ${codeOf(x)}, expected ${expected}`);
      }
    }
    // roundDyadic exactly on every (sampled) midpoint and one unit of a 2^−40-finer grid either side.
    const exact = table.values;
    for (let i = 0; i + 1 < exact.length; i += exact.length > 1000 ? 29 : 1) {
      const mid = midpoint(exact[i], exact[i + 1]);
      const fine = { m: mid.m << 40n, e: mid.e - 40 };
      for (const v of [mid, { m: fine.m + 1n, e: fine.e }, { m: fine.m - 1n, e: fine.e }]) {
        const expected = referenceCode(f, v, table);
        if (f.roundDyadic(v.m, v.e) !== expected) {
          throw new Error(`${f.name}: roundDyadic(${v.m}, ${v.e}) is ${f.roundDyadic(v.m, v.e)}, not ${expected}`);
        }
      }
    }
    // roundDyadic on accumulators wider than a double.
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n }),
        fc.integer({ min: f.emin - f.mantBits - 95, max: f.emax - 85 }),
        (m, e) => f.roundDyadic(m, e) === referenceCode(f, { m, e }, table),
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
