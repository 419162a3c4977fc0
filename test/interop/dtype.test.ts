import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { decodeTensor, encodeTensor, parseInteropDtype, type InteropDtype } from '../../src/interop/dtype.js';

/** Every 16-bit pattern, as little-endian bytes. */
function allPatterns(): Uint8Array {
  const bytes = new Uint8Array(2 * 65536);
  const view = new DataView(bytes.buffer);
  for (let h = 0; h < 65536; h++) view.setUint16(2 * h, h, true);
  return bytes;
}

/** The float32 value of a float32 bit pattern. */
function f32(bits: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, bits >>> 0);
  return v.getFloat32(0);
}

describe('interop dtypes', () => {
  test.each(['BF16', 'F16'] as InteropDtype[])('every non-NaN %s value decodes to float32 and encodes back to its own bits', (dtype) => {
    const bytes = allPatterns();
    const values = decodeTensor(bytes, dtype);
    const again = encodeTensor(values, dtype);
    const view = new DataView(again.buffer);
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const ok = Number.isNaN(values[h]) ? Number.isNaN(decodeTensor(again.subarray(2 * h, 2 * h + 2), dtype)[0]) : view.getUint16(2 * h, true) === h;
      if (!ok) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  test('F16 decodes the landmarks: 1, -2, the largest half, the smallest subnormal, infinity', () => {
    const v = decodeTensor(new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]).buffer), 'F16');
    expect([...v]).toEqual([1, -2, 65504, 2 ** -24, Infinity]);
  });

  test.each(['BF16', 'F16'] as InteropDtype[])('%s encoding rounds a float32 to the nearest value, ties to even', (dtype) => {
    const sorted = [...decodeTensor(allPatterns(), dtype)].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    const grid = sorted.filter((x, i) => i === 0 || x !== sorted[i - 1]);
    const even = new Map<number, boolean>();
    const values = decodeTensor(allPatterns(), dtype);
    values.forEach((x, h) => {
      if (Number.isFinite(x) && !(x === 0 && h !== 0)) even.set(x, (h & 1) === 0);
    });
    const max = grid[grid.length - 1];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const x = f32(bits);
        if (!Number.isFinite(x) || Math.abs(x) >= max) return;
        const got = decodeTensor(encodeTensor(Float32Array.of(x), dtype), dtype)[0];
        // the grid neighbours of x
        let lo = 0;
        let hi = grid.length - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (grid[mid] <= x) lo = mid;
          else hi = mid;
        }
        const [a, b] = [grid[lo], grid[hi]];
        const want = x - a < b - x ? a : x - a > b - x ? b : even.get(a) ? a : b;
        expect(got).toBe(want === 0 ? got : want);
      }),
      { numRuns: 5000, seed: 21 },
    );
  });

  test('F32 round trip is the identity on the bits of every non-NaN float32 (NaN weights are refused anyway)', () => {
    const notNaN = fc.integer({ min: 0, max: 0xffffffff }).filter((b) => !Number.isNaN(f32(b)));
    fc.assert(
      fc.property(fc.array(notNaN, { maxLength: 64 }), (bits) => {
        const data = new Float32Array(new Uint32Array(bits).buffer);
        const back = decodeTensor(encodeTensor(data, 'F32'), 'F32');
        expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(bits));
      }),
      { seed: 3 },
    );
  });

  test('dtype names', () => {
    expect(['float32', 'bf16', 'F16', 'int8'].map(parseInteropDtype)).toEqual(['F32', 'BF16', 'F16', null]);
  });
});
