// The element types the exchange format accepts (safetensors names) and their exact conversions to and
// from float32. BF16 and F16 values are all float32 values, so reading them is exact; writing them rounds
// half to even, as PyTorch and JAX do.

/** The dtypes eigenstate reads and writes, as safetensors spells them. */
export const INTEROP_DTYPES = ['F32', 'BF16', 'F16'] as const;

/** A dtype of the exchange format. */
export type InteropDtype = (typeof INTEROP_DTYPES)[number];

/** Bytes per element. */
export const DTYPE_BYTES: Readonly<Record<InteropDtype, number>> = { F32: 4, BF16: 2, F16: 2 };

/** True when a string is a dtype eigenstate reads. */
export function isInteropDtype(name: string): name is InteropDtype {
  return (INTEROP_DTYPES as readonly string[]).includes(name);
}

/** The dtype a command-line name denotes (float32/f32/F32, bfloat16/bf16, float16/f16), or null. */
export function parseInteropDtype(name: string): InteropDtype | null {
  const key = name.toLowerCase();
  if (key === 'float32' || key === 'f32') return 'F32';
  if (key === 'bfloat16' || key === 'bf16') return 'BF16';
  if (key === 'float16' || key === 'f16') return 'F16';
  return null;
}

/** Little-endian bytes of `dtype` elements decoded to float32 (exact for every dtype). */
export function decodeTensor(bytes: Uint8Array, dtype: InteropDtype): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / DTYPE_BYTES[dtype]);
  if (dtype === 'F32') for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  else if (dtype === 'BF16') {
    const bits = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < out.length; i++) {
      bits.setUint32(0, view.getUint16(2 * i, true) << 16);
      out[i] = bits.getFloat32(0);
    }
  } else for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  return out;
}

/** Float32 values as little-endian `dtype` bytes, rounded half to even where the dtype is narrower. */
export function encodeTensor(data: Float32Array, dtype: InteropDtype): Uint8Array {
  const out = new Uint8Array(data.length * DTYPE_BYTES[dtype]);
  const view = new DataView(out.buffer);
  if (dtype === 'F32') data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  else if (dtype === 'BF16') data.forEach((v, i) => view.setUint16(2 * i, floatToBfloat(v), true));
  else data.forEach((v, i) => view.setUint16(2 * i, floatToHalf(v), true));
  return out;
}

const scratch = new DataView(new ArrayBuffer(4));

function floatBits(v: number): number {
  scratch.setFloat32(0, v);
  return scratch.getUint32(0);
}

/** bfloat16 bits of a float32 value: the upper half, rounded half to even; NaN stays a quiet NaN. */
function floatToBfloat(v: number): number {
  const bits = floatBits(v);
  if (Number.isNaN(v)) return (bits >>> 16) | 0x40;
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/** A float16 bit pattern as a number (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** float16 bits of a float32 value, rounded half to even; overflow gives ±Infinity. */
function floatToHalf(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = floatBits(v) >>> 31 ? 0x8000 : 0;
  const a = Math.abs(v);
  // 65520 is halfway between the largest half (65504) and 2^16, and ties to the even side: Infinity.
  if (a >= 65520) return sign | 0x7c00;
  // Below 2^-14 a half is a multiple of 2^-24 (a subnormal; a count of 1024 is the smallest normal's bits).
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  let e = ((floatBits(a) >>> 23) & 0xff) - 127;
  let q = roundHalfEven((a / 2 ** e) * 1024);
  if (q === 2048) {
    e += 1;
    q = 1024;
  }
  return sign | ((e + 15) << 10) | (q - 1024);
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
