// The fast path of exact extraction: a one-layer diagonal LRNN (lrnn-pos, lrnn-neg) whose gates depend on
// the symbol only, so they are computed once per symbol and a step is n multiply-add-round operations on
// integer codes kept in an Int32Array row [symbol, code_0, ..., code_{n−1}]. Same rules and same results as
// the generic executor (network.ts; tests hold the two together), only faster.
import type { FloatFormat, FixedFormat } from '../format.js';
import { LrnnExec } from './lrnn.js';
import { argmax, type RecurrentNetworkExec } from './network.js';

/** An integer-coded stepper: states are rows of `width` int32 words, row[0] the last symbol (−1 at start). */
export interface PackedDynamics {
  readonly width: number;
  readonly initial: Int32Array;
  /** Writes the row of step(src row, symbol) at dst[dstOff..]. */
  step(src: Int32Array, srcOff: number, symbol: number, dst: Int32Array, dstOff: number): void;
  /** The stored values of a row (state values without the symbol). */
  values(src: Int32Array, srcOff: number): Float64Array;
  /** The class of a row (the machine's classify of the same state). */
  classify(src: Int32Array, srcOff: number): number;
}

/** What a packed stepper needs besides its step: the stored values of a row. */
type Stepper = Omit<PackedDynamics, 'classify'>;

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
  let stepper: Stepper | null = null;
  if (format.kind === 'fixed' && 2 * format.bits + 2 <= 53) stepper = fixedPacked(format, n, a, b, initial);
  else if (format.kind === 'float') stepper = floatPacked(net, format, n, a, b, initial);
  if (stepper === null) return null;
  return { ...stepper, classify: classifier(net, mixer, stepper) };
}

/**
 * Classifies rows: y = round(h·wo) (integer arithmetic for small fixed formats), then the rest of the
 * network, which depends on (symbol, y) only, memoised on those codes: y has far fewer values than h.
 */
function classifier(net: RecurrentNetworkExec, mixer: LrnnExec, stepper: Stepper): (src: Int32Array, off: number) => number {
  const n = mixer.stateSize;
  const d = net.config.width;
  const format = net.format;
  const arith = net.arith;
  const wo = mixer.readout;
  const y = new Float64Array(d);
  const yCodes = new Int32Array(d);
  const logits = new Float64Array(net.config.classes);
  const memo = new Map<string, number>();
  const fixedFast = format.kind === 'fixed' && 2 * format.bits + Math.ceil(Math.log2(n + 1)) <= 52;
  const woCodes = fixedFast ? Int32Array.from(wo, (v) => format.encode(v)) : null;
  return (src, off) => {
    if (src[off] < 0) return argmax(net.logits(-1, new Float64Array(n), logits));
    if (woCodes !== null && format.kind === 'fixed') {
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += woCodes[i * d + j] * src[off + 1 + i];
        yCodes[j] = format.roundFixedScaled(acc, 2 * format.fracBits);
        y[j] = yCodes[j] * format.ulp + 0;
      }
    } else {
      const h = stepper.values(src, off);
      for (let j = 0; j < d; j++) {
        y[j] = arith.dot(wo, j, d, h, n, 0);
        yCodes[j] = arith.code(y[j]);
      }
    }
    // Integer codes, not doubles, in the key: number-to-string of a double costs microseconds.
    let key = `${src[off]}`;
    for (let j = 0; j < d; j++) key += `,${yCodes[j]}`;
    let label = memo.get(key);
    if (label === undefined) {
      label = argmax(net.logitsAfterOutput(src[off], y, logits));
      memo.set(key, label);
    }
    return label;
  };
}

function fixedPacked(format: FixedFormat, n: number, a: Float64Array, b: Float64Array, initial: Int32Array): Stepper {
  const f = format.fracBits;
  const scale = 2 ** f;
  const ka = Int32Array.from(a, (v) => format.encode(v));
  // b's code pre-shifted by F: a product of two codes has 2F fraction bits.
  const kb = Float64Array.from(b, (v) => format.encode(v) * scale);
  const kbShifted = Int32Array.from(b, (v) => format.encode(v) * scale);
  const ulp = format.ulp;
  const { codeMin, codeMax } = format;
  // |a·h + b·2^F| < 2^(2·bits): with 2·bits <= 29 the sum and the rounding stay in int32, inlined here
  // (the same formulas as fixed.ts's roundFixedScaled, which the wide case calls).
  const small = 2 * format.bits <= 29 && f > 0;
  const half = small ? (1 << (f - 1)) - 1 : 0;
  const mode = format.rounding;
  const values = (src: Int32Array, off: number): Float64Array => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = src[off + 1 + j] * ulp + 0;
    return out;
  };
  if (small && mode === 'half-even') {
    return {
      width: n + 1,
      initial,
      step(src, srcOff, symbol, dst, dstOff) {
        const base = symbol * n;
        dst[dstOff] = symbol;
        for (let j = 0; j < n; j++) {
          // a·h + b with 2F fraction bits, rounded to F with ties to even (b enters before the rounding:
          // adding it afterwards would move ties to the wrong even neighbour).
          const n2 = ka[base + j] * src[srcOff + 1 + j] + kbShifted[base + j];
          let k = (n2 + half + ((n2 >> f) & 1)) >> f;
          if (k < codeMin) k = codeMin;
          else if (k > codeMax) k = codeMax;
          dst[dstOff + 1 + j] = k;
        }
      },
      values,
    };
  }
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
    values,
  };
}

function floatPacked(
  net: RecurrentNetworkExec,
  format: FloatFormat,
  n: number,
  a: Float64Array,
  b: Float64Array,
  initial: Int32Array,
): Stepper {
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
