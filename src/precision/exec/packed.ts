// The fast path of exact extraction: a one-layer diagonal LRNN (lrnn-pos, lrnn-neg) whose gates depend on
// the symbol only, so they are computed once per symbol and a step is n multiply-add-round operations on
// integer codes kept in an Int32Array row [symbol, code_0, ..., code_{n−1}]. Same rules and same results as
// the generic executor (network.ts; tests hold the two together), only faster.
import type { FloatFormat, FixedFormat } from '../format.js';
import { LrnnExec } from './lrnn.js';
import type { RecurrentNetworkExec } from './network.js';

/** An integer-coded stepper: states are rows of `width` int32 words, row[0] the last symbol (−1 at start). */
export interface PackedDynamics {
  readonly width: number;
  readonly initial: Int32Array;
  /** Writes the row of step(src row, symbol) at dst[dstOff..]. */
  step(src: Int32Array, srcOff: number, symbol: number, dst: Int32Array, dstOff: number): void;
  /** The stored values of a row (state values without the symbol). */
  values(src: Int32Array, srcOff: number): Float64Array;
}

/** The packed stepper of a one-layer lrnn-pos/neg network, or null for every other model. */
export function packedDiagonal(net: RecurrentNetworkExec): PackedDynamics | null {
  if (net.layers.length !== 1 || !(net.layers[0].mixer instanceof LrnnExec)) return null;
  const mixer = net.layers[0].mixer;
  const n = mixer.stateSize;
  const vocab = net.config.vocab;
  const a = new Float64Array(vocab * n);
  const b = new Float64Array(vocab * n);
  for (let s = 0; s < vocab; s++) {
    const g = mixer.gates(net.firstInput(s), { a: new Float64Array(n), b: new Float64Array(n) });
    a.set(g.a, s * n);
    b.set(g.b, s * n);
  }
  const format = net.format;
  const initial = new Int32Array(n + 1);
  initial[0] = -1;
  if (format.kind === 'fixed' && 2 * format.bits + 2 <= 53) return fixedPacked(format, n, a, b, initial);
  if (format.kind === 'float') return floatPacked(net, format, n, a, b, initial);
  return null;
}

function fixedPacked(format: FixedFormat, n: number, a: Float64Array, b: Float64Array, initial: Int32Array): PackedDynamics {
  const f = format.fracBits;
  const scale = 2 ** f;
  const ka = Int32Array.from(a, (v) => format.encode(v));
  // b's code pre-shifted by F: a product of two codes has 2F fraction bits.
  const kb = Float64Array.from(b, (v) => format.encode(v) * scale);
  const ulp = format.ulp;
  return {
    width: n + 1,
    initial,
    step(src, srcOff, symbol, dst, dstOff) {
      const base = symbol * n;
      dst[dstOff] = symbol;
      for (let j = 0; j < n; j++) {
        dst[dstOff + 1 + j] = format.roundFixedScaled(ka[base + j] * src[srcOff + 1 + j] + kb[base + j], 2 * f);
      }
    },
    values: (src, off) => Float64Array.from(src.subarray(off + 1, off + 1 + n), (k) => k * ulp + 0),
  };
}

function floatPacked(
  net: RecurrentNetworkExec,
  format: FloatFormat,
  n: number,
  a: Float64Array,
  b: Float64Array,
  initial: Int32Array,
): PackedDynamics {
  const arith = net.arith;
  const fp32 = format.name === 'fp32';
  const buffer = new ArrayBuffer(4);
  const asFloat = new Float32Array(buffer);
  const asInt = new Int32Array(buffer);
  const nan = format.nanCode | 0;
  // Small formats decode through a table; fp32 codes are float32 bit patterns, decoded by aliasing.
  const table = fp32 ? null : Float64Array.from({ length: format.size }, (_, c) => format.decode(c));
  const decode = (code: number): number => {
    if (table !== null) return table[code];
    asInt[0] = code;
    return asFloat[0];
  };
  const encode = (v: number): number => {
    if (v !== v) return nan;
    if (!fp32) return format.canonical(format.encode(v));
    asFloat[0] = v + 0;
    return asInt[0];
  };
  return {
    width: n + 1,
    initial,
    step(src, srcOff, symbol, dst, dstOff) {
      const base = symbol * n;
      dst[dstOff] = symbol;
      for (let j = 0; j < n; j++) {
        const h = decode(src[srcOff + 1 + j]);
        const p = a[base + j] * h; // exact: two significands of at most 24 bits
        const bj = b[base + j];
        const s = p + bj;
        const t = s - p;
        const err = p - (s - t) + (bj - t);
        // s is the exact sum when TwoSum's error is zero (or a term is not finite: IEEE rules then);
        // otherwise the generic exact path rounds it.
        const v = err === 0 || err !== err ? (fp32 ? Math.fround(s) : s) : arith.begin().add2(a[base + j], h).add1(bj).end();
        dst[dstOff + 1 + j] = encode(v);
      }
    },
    values: (src, off) => Float64Array.from(src.subarray(off + 1, off + 1 + n), (c) => decode(c) + 0),
  };
}
