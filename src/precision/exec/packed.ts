// The fast path of exact extraction: a one-layer diagonal LRNN (lrnn-pos, lrnn-neg) whose gates depend on
// the symbol only, so they are computed once per symbol and a step is n multiply-add-round operations on
// integer codes kept in a row of int32 words: word 0 the last symbol, then the codes packed 1, 2 or 4 bytes
// each (a 64-unit row of an 8-bit fixed format is 17 words, not 65, so hashing, comparing and storing a
// state touch a quarter of the memory). Same rules and same results as the generic executor
// (network.ts; tests hold the two together), only faster:
// - a step is one table lookup per unit where the format has few codes (fixed formats: a full table;
//   floats of at most 2^16 codes: filled on first use), else integer arithmetic (fixed) or TwoSum with an
//   exact tie-break (fp32), the generic exact sums only where overflow makes that undecidable;
// - with a table, a fixed format also gets a fused step (fused.ts: the next row, its hash and its readout
//   sums in one pass), which exact extraction prefers;
// - the readout y = round(h·wo) is integer arithmetic (small fixed) or a float64 sum with an error bound
//   that decides the rounding almost always (filteredDot), and the rest of the network is memoised on
//   (symbol, codes of y) while that memo hits.
import type { FloatFormat, FixedFormat } from '../format.js';
import { significandBits } from './arith.js';
import { fusedFixed, type FusedDynamics } from './fused.js';
import { LrnnExec } from './lrnn.js';
import { RowTable } from './rows.js';
import { argmax, type RecurrentNetworkExec } from './network.js';

/**
 * An integer-coded stepper: states are rows of `width` int32 words, row[0] the last symbol (−1 at start),
 * then the unit codes packed `codeBytes` to a code (unused bytes of the last word stay 0).
 */
export interface PackedDynamics {
  readonly width: number;
  readonly codeBytes: 1 | 2 | 4;
  readonly initial: Int32Array;
  /** Writes the row of step(src row, symbol) at dst[dstOff..]. */
  step(src: Int32Array, srcOff: number, symbol: number, dst: Int32Array, dstOff: number): void;
  /** The stored values of a row (state values without the symbol). */
  values(src: Int32Array, srcOff: number): Float64Array;
  /** The class of a row (the machine's classify of the same state). */
  classify(src: Int32Array, srcOff: number): number;
  /** The same step with hash and readout folded in (tabulated fixed formats), or null. */
  readonly fused: FusedDynamics | null;
}

/** What a packed stepper needs besides its step: the stored values of a row. */
type Stepper = Omit<PackedDynamics, 'classify' | 'fused'> & {
  /** Writes the stored values of a row into out (no allocation). */
  decodeInto(src: Int32Array, srcOff: number, out: Float64Array): void;
};

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
  const layout = layoutOf(format, n);
  let stepper: Stepper | null = null;
  let fused: FusedDynamics | null = null;
  if (format.kind === 'fixed' && 2 * format.bits + 2 <= 53) {
    stepper = fixedPacked(format, n, a, b, layout);
    if (vocab * n * format.size <= MAX_FIXED_TABLE_ENTRIES) {
      const tab = tabulated(stepper, vocab, n, format.codeMin, format.size, layout);
      stepper = tab.stepper;
      fused = fusedFixed({ net, format, n, table: tab.table, perWord: layout.perWord, viewer: layout.viewer, readout: mixer.readout });
    }
  } else if (format.kind === 'float') stepper = floatPacked(net, format, n, a, b, layout);
  if (stepper === null) return null;
  return { ...stepper, classify: classifier(net, mixer, stepper, layout), fused };
}

/** Typed arrays a row's codes are read and written through (one element per code). */
type CodeArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/**
 * How a format's codes sit in a row: `perWord` codes to an int32 word, the codes of the row at word offset
 * off starting at element (off + 1)·perWord of `view(row array)`.
 */
interface Layout {
  readonly width: number;
  readonly codeBytes: 1 | 2 | 4;
  readonly perWord: number;
  readonly initial: Int32Array;
  /** A cached view maker: the code view of an int32 row array (a new view only when the array changes). */
  viewer(): (words: Int32Array) => CodeArray;
}

/** The element a format's codes are stored in: fixed codes signed, 1, 2 or 4 bytes; float codes unsigned patterns, 2 or 4. */
function layoutOf(format: FixedFormat | FloatFormat, n: number): Layout {
  type Make = (buffer: ArrayBufferLike, byteOffset: number, length: number) => CodeArray;
  let codeBytes: 1 | 2 | 4 = 4;
  let make: Make | null = null;
  if (format.kind === 'fixed') {
    if (format.codeMin >= -128 && format.codeMax <= 127) [codeBytes, make] = [1, (b, o, l) => new Int8Array(b, o, l)];
    else if (format.codeMin >= -32768 && format.codeMax <= 32767) [codeBytes, make] = [2, (b, o, l) => new Int16Array(b, o, l)];
  } else if (format.size <= 65536) {
    // Not one byte for the 8-bit floats: every small float then reads and writes one element type, so
    // the steppers' shared code stays monomorphic (measured: bf16 after fp8 in one process ran at half
    // speed with a byte layout for fp8).
    [codeBytes, make] = [2, (b, o, l) => new Uint16Array(b, o, l)];
  }
  const perWord = 4 / codeBytes;
  const width = 1 + Math.ceil(n / perWord);
  const initial = new Int32Array(width);
  initial[0] = -1;
  const viewer = (): ((words: Int32Array) => CodeArray) => {
    if (make === null) return (words) => words;
    const narrow = make;
    return cachedView((words) => narrow(words.buffer, words.byteOffset, words.length * perWord));
  };
  return { width, codeBytes, perWord, initial, viewer };
}

/**
 * A view maker that builds view(words) only when the row array changes (it is replaced when the table
 * grows), so hot loops pay one comparison per call instead of a view allocation.
 */
function cachedView<V>(view: (words: Int32Array) => V): (words: Int32Array) => V {
  let last: Int32Array | null = null;
  let current: V | undefined;
  return (words) => {
    if (words !== last) {
      last = words;
      current = view(words);
    }
    return current as V;
  };
}

/**
 * round(Σ_i w[wOff + i·stride]·x[i]) decided in float64, or NaN when float64 cannot decide it (the caller
 * then sums exactly). Every product must be exact in float64. |Σ p_i − fl(Σ p_i)| <= (n − 1)·2^−53·Σ|p_i|
 * (recursive summation; additions that underflow are exact), and the margin also covers the rounding of
 * sum ± bound: when both ends of that interval round alike, so does the exact sum (rounding is monotone).
 */
export function filteredDot(round: (x: number) => number, w: Float64Array, wOff: number, stride: number, x: Float64Array, n: number): number {
  let sum = 0;
  let mag = 0;
  for (let i = 0; i < n; i++) {
    const p = w[wOff + i * stride] * x[i];
    sum += p;
    mag += Math.abs(p);
  }
  const bound = mag * ((n + 4) * 2 ** -52);
  if (bound - bound !== 0) return NaN;
  const lo = round(sum - bound);
  return lo === round(sum + bound) ? lo + 0 : NaN;
}

/** Lookups at the memo's first review (then at every doubling). */
const MEMO_TRIAL = 4096;
/** A memo whose share of misses exceeds this at a review is dropped (measured on the bench LRNN: bf16 misses 91% of the first 4096 and 7% overall, fp32 100%). */
const MEMO_MAX_MISS_RATE = 0.95;

/**
 * Classifies rows: y = round(h·wo), then the rest of the network, which depends on (symbol, y) only and is
 * memoised on those codes (y has far fewer values than h). y is exact either in integer arithmetic (small
 * fixed formats) or through a float64 filter: the products are exact, the float64 sum is within a known
 * bound of the exact one, and when rounding both ends of that interval gives one value (rounding is
 * monotone), that value is round(exact sum); only the rare undecided sums take the exact route.
 */
function classifier(net: RecurrentNetworkExec, mixer: LrnnExec, stepper: Stepper, layout: Layout): (src: Int32Array, off: number) => number {
  const n = mixer.stateSize;
  const d = net.config.width;
  const format = net.format;
  const arith = net.arith;
  const wo = mixer.readout;
  const h = new Float64Array(n);
  const y = new Float64Array(d);
  const logits = new Float64Array(net.config.classes);
  // Memo rows [symbol, code(y_0), ..., code(y_{d−1})] -> label.
  const memo = new RowTable(d + 1, 256);
  let memoLabels = new Int32Array(256);
  let memoise = true;
  let lookups = 0;
  let nextReview = MEMO_TRIAL;
  const emptyLabel = argmax(net.logits(-1, new Float64Array(n), logits));
  const fixedFast = format.kind === 'fixed' && 2 * format.bits + Math.ceil(Math.log2(n + 1)) <= 52;
  // Column-major (woCodes[j·n + i] = code of wo[i][j]) so each output reads one contiguous column.
  const woCodes = fixedFast ? Int32Array.from({ length: n * d }, (_, k) => format.encode(wo[(k % n) * d + Math.floor(k / n)])) : null;
  // Row-major (woPairs[2i + j] = code of wo[i][j]) for width 2.
  const woPairs = fixedFast && d === 2 ? Int32Array.from(wo, (v) => format.encode(v)) : null;
  // Products of two stored values are exact in float64 when their significands fit 53 bits together.
  const filter = 2 * significandBits(format) <= 53;
  const round = (x: number): number => format.round(x);
  const codesOf = layout.viewer();
  const perWord = layout.perWord;
  return (src, off) => {
    const symbol = src[off];
    if (symbol < 0) return emptyLabel;
    const at = memo.reserve();
    const key = memo.arena;
    key[at] = symbol;
    if (woPairs !== null && format.kind === 'fixed') {
      // Width 2 (the common binary readout): both outputs in one pass over the codes.
      const codes = codesOf(src);
      const first = (off + 1) * perWord;
      let acc0 = 0;
      let acc1 = 0;
      for (let i = 0; i < n; i++) {
        const c = codes[first + i];
        acc0 += woPairs[2 * i] * c;
        acc1 += woPairs[2 * i + 1] * c;
      }
      const code0 = format.roundFixedScaled(acc0, 2 * format.fracBits);
      const code1 = format.roundFixedScaled(acc1, 2 * format.fracBits);
      key[at + 1] = code0;
      key[at + 2] = code1;
      y[0] = code0 * format.ulp + 0;
      y[1] = code1 * format.ulp + 0;
    } else if (woCodes !== null && format.kind === 'fixed') {
      const codes = codesOf(src);
      const first = (off + 1) * perWord;
      for (let j = 0; j < d; j++) {
        let acc = 0;
        const col = j * n - first;
        for (let i = first; i < first + n; i++) acc += woCodes[col + i] * codes[i];
        const code = format.roundFixedScaled(acc, 2 * format.fracBits);
        key[at + 1 + j] = code;
        y[j] = code * format.ulp + 0;
      }
    } else {
      stepper.decodeInto(src, off, h);
      for (let j = 0; j < d; j++) {
        let v = filter ? filteredDot(round, wo, j, d, h, n) : NaN;
        if (v !== v) v = arith.dot(wo, j, d, h, n, 0);
        y[j] = v;
        // fp32 codes past 2^31 wrap to negative int32 words: still one word per code.
        key[at + 1 + j] = arith.code(v);
      }
    }
    if (!memoise) return argmax(net.logitsAfterOutput(symbol, y, logits));
    const before = memo.count;
    const id = memo.commit();
    // A memo that almost never hits (fp32: y takes a new value at nearly every state) only costs time and
    // memory; one that hits a few times in ten pays (a lookup is a few words hashed, the network after y
    // exact sums). Early in a search nearly every y is new, so the verdict is revised as lookups double.
    if (++lookups === nextReview) {
      nextReview *= 2;
      if (memo.count > lookups * MEMO_MAX_MISS_RATE) memoise = false;
    }
    if (id === before) {
      if (id >= memoLabels.length) {
        const bigger = new Int32Array(memoLabels.length * 2);
        bigger.set(memoLabels);
        memoLabels = bigger;
      }
      memoLabels[id] = argmax(net.logitsAfterOutput(symbol, y, logits));
    }
    return memoLabels[id];
  };
}

/** Fixed formats small enough for a full transition table (vocab · units · codes entries). */
const MAX_FIXED_TABLE_ENTRIES = 2 ** 22;

/**
 * The same stepper as one table lookup per unit: next code = table[(symbol·n + j)·size + code − codeMin],
 * filled by running the stepper itself on rows whose units all hold one code (units are independent).
 */
function tabulated(
  stepper: Stepper,
  vocab: number,
  n: number,
  codeMin: number,
  size: number,
  layout: Layout,
): { stepper: Stepper; table: Int8Array | Int16Array | Int32Array } {
  // The narrowest element that holds every code: a 64-unit table of a byte format then fits in L1.
  const length = vocab * n * size;
  const table = size <= 256 ? new Int8Array(length) : size <= 65536 ? new Int16Array(length) : new Int32Array(length);
  const src = new Int32Array(layout.width);
  const dst = new Int32Array(layout.width);
  const srcCodes = layout.viewer()(src);
  const dstCodes = layout.viewer()(dst);
  const first = layout.perWord;
  for (let symbol = 0; symbol < vocab; symbol++) {
    for (let c = 0; c < size; c++) {
      srcCodes.fill(codeMin + c, first, first + n);
      stepper.step(src, 0, symbol, dst, 0);
      for (let j = 0; j < n; j++) table[(symbol * n + j) * size + c] = dstCodes[first + j];
    }
  }
  const perWord = layout.perWord;
  const srcOf = layout.viewer();
  const dstOf = layout.viewer();
  const fast: Stepper = {
    ...stepper,
    step(src, srcOff, symbol, dst, dstOff) {
      const from = srcOf(src);
      const to = dstOf(dst);
      let at = symbol * n * size - codeMin;
      dst[dstOff] = symbol;
      const i0 = (srcOff + 1) * perWord;
      const o0 = (dstOff + 1) * perWord;
      for (let j = 0; j < n; j++, at += size) to[o0 + j] = table[at + from[i0 + j]];
    },
  };
  return { stepper: fast, table };
}

function fixedPacked(format: FixedFormat, n: number, a: Float64Array, b: Float64Array, layout: Layout): Stepper {
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
  const { width, codeBytes, initial, perWord } = layout;
  const codesOf = layout.viewer();
  const srcOf = layout.viewer();
  const dstOf = layout.viewer();
  const decodeInto = (src: Int32Array, off: number, out: Float64Array): void => {
    const codes = codesOf(src);
    const i0 = (off + 1) * perWord;
    for (let j = 0; j < n; j++) out[j] = codes[i0 + j] * ulp + 0;
  };
  const values = (src: Int32Array, off: number): Float64Array => {
    const out = new Float64Array(n);
    decodeInto(src, off, out);
    return out;
  };
  if (small && mode === 'half-even') {
    return {
      width,
      codeBytes,
      initial,
      step(src, srcOff, symbol, dst, dstOff) {
        const from = srcOf(src);
        const to = dstOf(dst);
        const base = symbol * n;
        dst[dstOff] = symbol;
        const i0 = (srcOff + 1) * perWord;
        const o0 = (dstOff + 1) * perWord;
        for (let j = 0; j < n; j++) {
          // a·h + b with 2F fraction bits, rounded to F with ties to even (b enters before the rounding:
          // adding it afterwards would move ties to the wrong even neighbour).
          const n2 = ka[base + j] * from[i0 + j] + kbShifted[base + j];
          let k = (n2 + half + ((n2 >> f) & 1)) >> f;
          if (k < codeMin) k = codeMin;
          else if (k > codeMax) k = codeMax;
          to[o0 + j] = k;
        }
      },
      values,
      decodeInto,
    };
  }
  return {
    width,
    codeBytes,
    initial,
    step(src, srcOff, symbol, dst, dstOff) {
      const from = srcOf(src);
      const to = dstOf(dst);
      const base = symbol * n;
      dst[dstOff] = symbol;
      const i0 = (srcOff + 1) * perWord;
      const o0 = (dstOff + 1) * perWord;
      for (let j = 0; j < n; j++) to[o0 + j] = format.roundFixedScaled(ka[base + j] * from[i0 + j] + kb[base + j], 2 * f);
    },
    values,
    decodeInto,
  };
}

/**
 * round(s + err) for a round-to-nearest-even format, where s = fl64(s + err) and err is TwoSum's error
 * (both finite): round(s) unless s is a midpoint of the format, where err's sign breaks the tie (format
 * midpoints are doubles, so none lies strictly between s and the exact sum). NaN where overflow makes it
 * undecidable here (|round(s)| reaches `max`): the caller then rounds exactly.
 */
export function roundTwoSum(round: (x: number) => number, max: number, s: number, err: number): number {
  const r = round(s);
  if (err === 0 || r === s) return r + 0;
  if (!(Math.abs(r) < max)) return NaN;
  const twice = 2 * (s - r); // exact: s and r are close
  const other = r + twice;
  // s is a midpoint exactly when its mirror image through r is exact and a value of the format (then the
  // neighbour of r on s's side; other − r is exact by Sterbenz's lemma).
  if (other - r !== twice || round(other) !== other) return r + 0;
  return err > 0 === other > r ? other + 0 : r + 0;
}

/** Transition tables of small float formats hold at most this many entries (one or two bytes each). */
const MAX_TABLE_ENTRIES = 2 ** 25;

/**
 * Float formats: h' = round(a·h + b) where a·h is exact in float64 and TwoSum gives s + err = a·h + b
 * exactly. round(s + err) = round(s) unless s is a midpoint of the format (midpoints are doubles, so none
 * lies strictly between s and the exact sum), where err's sign breaks the tie; overflow and non-finite
 * values take the generic exact route. Formats of at most 2^16 codes memoise each (symbol, unit, code)
 * transition in a table filled on first use.
 */
function floatPacked(
  net: RecurrentNetworkExec,
  format: FloatFormat,
  n: number,
  a: Float64Array,
  b: Float64Array,
  layout: Layout,
): Stepper {
  const arith = net.arith;
  const { width, codeBytes, initial, perWord } = layout;
  const codesOf = layout.viewer();
  const srcOf = layout.viewer();
  const dstOf = layout.viewer();
  const fp32 = format.name === 'fp32';
  const buffer = new ArrayBuffer(4);
  const asFloat = new Float32Array(buffer);
  const asInt = new Int32Array(buffer);
  const nan = format.nanCode | 0;
  const max = format.max;
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
  const round = fp32 ? Math.fround : (x: number) => format.round(x);
  /** round(a_i·h + b_i), the stored value the generic executor computes. */
  const next = (i: number, h: number): number => {
    const ai = a[i];
    const bi = b[i];
    const p = ai * h; // exact: two significands of at most 24 bits
    const s = p + bi;
    const t = s - p;
    const err = p - (s - t) + (bi - t);
    if (err !== err) return round(s); // a non-finite term: IEEE rules, as in the generic executor
    const v = roundTwoSum(round, max, s, err);
    if (v === v) return v;
    return arith.begin().add2(ai, h).add1(bi).end();
  };
  const decodeInto = (src: Int32Array, off: number, out: Float64Array): void => {
    const codes = codesOf(src);
    const i0 = (off + 1) * perWord;
    for (let j = 0; j < n; j++) out[j] = decode(codes[i0 + j]) + 0;
  };
  const values = (src: Int32Array, off: number): Float64Array => {
    const out = new Float64Array(n);
    decodeInto(src, off, out);
    return out;
  };
  const vocab = a.length / n;
  // Even at bf16 (65536 codes a unit, a cache miss per lookup) the table beats format.round + encode.
  if (!fp32 && vocab * n * format.size <= MAX_TABLE_ENTRIES) {
    const size = format.size;
    // Unfilled entries hold the −0 code, which is never canonical (−0 is stored as +0). One element type
    // for every small float, as for the rows.
    const unknown = size / 2;
    const memo = new Uint16Array(vocab * n * size).fill(unknown);
    return {
      width,
      codeBytes,
      initial,
      step(src, srcOff, symbol, dst, dstOff) {
        const from = srcOf(src);
        const to = dstOf(dst);
        const base = symbol * n;
        dst[dstOff] = symbol;
        const i0 = (srcOff + 1) * perWord;
        const o0 = (dstOff + 1) * perWord;
        for (let j = 0; j < n; j++) {
          const code = from[i0 + j];
          // Both symbols' entries of one (unit, code) share a cache line: BFS steps a row by each in turn.
          const at = (j * size + code) * vocab + symbol;
          let out = memo[at];
          if (out === unknown) out = memo[at] = encode(next(base + j, decode(code)));
          to[o0 + j] = out;
        }
      },
      values,
      decodeInto,
    };
  }
  if (fp32) {
    // fp32 codes are float32 bit patterns in whole words: a Float32Array over the same rows reads and
    // writes the values themselves, with no decode or encode per unit.
    const asValues = (): ((words: Int32Array) => Float32Array) =>
      cachedView((words) => new Float32Array(words.buffer, words.byteOffset, words.length));
    const srcValues = asValues();
    const dstValues = asValues();
    const rowValues = asValues();
    return {
      width,
      codeBytes,
      initial,
      step(src, srcOff, symbol, dst, dstOff) {
        const from = srcValues(src);
        const to = dstValues(dst);
        const base = symbol * n;
        dst[dstOff] = symbol;
        for (let j = 0; j < n; j++) {
          const v = next(base + j, from[srcOff + 1 + j]);
          // NaN takes the one canonical code; −0 is stored as +0.
          if (v !== v) dst[dstOff + 1 + j] = nan;
          else to[dstOff + 1 + j] = v + 0;
        }
      },
      values,
      decodeInto(src, off, out) {
        const from = rowValues(src);
        for (let j = 0; j < n; j++) out[j] = from[off + 1 + j] + 0;
      },
    };
  }
  return {
    width,
    codeBytes,
    initial,
    step(src, srcOff, symbol, dst, dstOff) {
      const from = srcOf(src);
      const to = dstOf(dst);
      const base = symbol * n;
      dst[dstOff] = symbol;
      const i0 = (srcOff + 1) * perWord;
      const o0 = (dstOff + 1) * perWord;
      for (let j = 0; j < n; j++) to[o0 + j] = encode(next(base + j, decode(from[i0 + j])));
    },
    values,
    decodeInto,
  };
}
