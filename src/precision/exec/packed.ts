// The fast path of exact extraction: a one-layer diagonal LRNN (lrnn-pos, lrnn-neg) whose gates depend on
// the symbol only, so they are computed once per symbol and each unit evolves alone. States are rows of
// int32 words, word 0 the last symbol. Same rules and same results as the generic executor (network.ts;
// tests hold the two together), only faster:
// - where every unit reaches at most 2^16 codes (always for formats of at most 2^16 codes; for wider
//   ones, fp32 and fixed<8,16> say, when the weights keep the units' sets small), rows hold chunks of the
//   units' local ids and a step is one table lookup per chunk (chunked.ts: fewer lookups and shorter rows
//   to hash, compare and store than one code a unit); fixed formats also get a fused step (the next row,
//   its hash and its exact readout sums in one pass), which exact extraction prefers;
// - else rows hold the unit codes packed 1, 2 or 4 bytes each and a step is integer arithmetic (fixed) or
//   TwoSum with an exact tie-break (floats), the generic exact sums only where overflow makes that
//   undecidable;
// - the readout y = round(h·wo) is integer arithmetic (small fixed) or a float64 sum with an error bound
//   that decides the rounding almost always (filteredDot), and the rest of the network is memoised on
//   (symbol, codes of y) while that memo hits.
import type { FloatFormat, FixedFormat } from '../format.js';
import { significandBits } from './arith.js';
import { chunkedRows, unitExplorer, type ChunkedRows } from './chunked.js';
import { fixedLabeller, readoutLanes, type FusedDynamics } from './fused.js';
import { LrnnExec } from './lrnn.js';
import { cachedView, RowTable } from './rows.js';
import * as network from './network.js';
import type { RecurrentNetworkExec } from './network.js';

// A module-local copy: under tsx every use of an imported binding is a getter call (argmax runs once a state).
const { argmax } = network;

/** How a packed row stores the units after word 0: chunks of local ids (chunked.ts), or one code each. */
export type RowLayout =
  | { readonly kind: 'chunks'; readonly chunks: number; /** Units past the cap of a chunkable set, one code word each after the chunks. */ readonly raw: number }
  | { readonly kind: 'codes'; readonly codeBytes: 1 | 2 | 4 };

/**
 * An integer-coded stepper: states are rows of `width` int32 words, row[0] the last symbol (−1 at start),
 * then the units as `layout` says (unused bytes of the last word stay 0, as they are hashed).
 */
export interface PackedDynamics {
  readonly width: number;
  readonly layout: RowLayout;
  readonly initial: Int32Array;
  /** Writes the row of step(src row, symbol) at dst[dstOff..]. */
  step(src: Int32Array, srcOff: number, symbol: number, dst: Int32Array, dstOff: number): void;
  /** The stored values of a row (state values without the symbol). */
  values(src: Int32Array, srcOff: number): Float64Array;
  /** The class of a row (the machine's classify of the same state). */
  classify(src: Int32Array, srcOff: number): number;
  /** The same step with hash and readout folded in (chunked fixed formats), or null. */
  readonly fused: FusedDynamics | null;
}

/** What a packed stepper needs besides its step: the stored values and codes of a row. */
type Stepper = Omit<PackedDynamics, 'classify' | 'fused'> & {
  /** Writes the stored values of a row into out (no allocation). */
  decodeInto(src: Int32Array, srcOff: number, out: Float64Array): void;
  /** Writes the unit codes of a row into out (no allocation). */
  codesInto(src: Int32Array, srcOff: number, out: Int32Array): void;
};

/** Units of more reachable codes than this keep the code-per-unit rows (chunk values are at most 16 bits). */
const MAX_UNIT_CODES = 2 ** 16;
/**
 * In formats of more codes than MAX_UNIT_CODES (fp32, wide fixed point), units past this many codes stay
 * raw: finding a set costs a unit step a code (at fp32, 0.5 s to take the bench LRNN's 28 large units to
 * 2^16 before they fail), and a raw unit's arithmetic step costs about what a lookup in a table of 2^16
 * values costs once it is out of cache.
 */
const WIDE_UNIT_CODES = 2 ** 12;

/** The codesInto of a code-per-unit row: the n codes of the row at word offset `off`, read through `codesOf`. */
function codeCopier(codesOf: (words: Int32Array) => CodeArray, perWord: number, n: number): (src: Int32Array, off: number, out: Int32Array) => void {
  return (src, off, out) => {
    const codes = codesOf(src);
    const i0 = (off + 1) * perWord;
    for (let j = 0; j < n; j++) out[j] = codes[i0 + j];
  };
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
  if (format.kind === 'fixed' && 2 * format.bits + 2 > 53) return null;
  const floats = format.kind === 'float' ? floatUnit(net, format, a, b) : null;
  const map: UnitMap = format.kind === 'fixed' ? fixedUnit(format, n, a, b) : floats!;
  const explore = unitExplorer(format.size <= MAX_UNIT_CODES ? MAX_UNIT_CODES : WIDE_UNIT_CODES);
  const sets = Array.from({ length: n }, (_, j) => explore(vocab, (x, code) => map.step(x * n + j, code)));
  // Every unit raw: the code rows below are the same rows, with no chunk machinery.
  const chunked = sets.every((set) => set === null) ? null : chunkedRows(sets, vocab);
  if (chunked !== null) {
    const decodeInto = chunked.decoder(map.decode, floats !== null && floats.fp32);
    const stepper: Stepper = {
      width: chunked.width,
      layout: { kind: 'chunks', chunks: chunked.chunks, raw: chunked.raw.length },
      initial: chunked.initial,
      step: chunked.raw.length === 0 ? chunked.step : withRawUnits(chunked, n, format, map, floats),
      decodeInto,
      codesInto: chunked.codesInto,
      values(src, off) {
        const out = new Float64Array(n);
        decodeInto(src, off, out);
        return out;
      },
    };
    let fused: FusedDynamics | null = null;
    if (format.kind === 'fixed' && chunked.raw.length === 0) {
      const lanes = readoutLanes(net, format, n, mixer.readout);
      if (lanes !== null) fused = chunked.fused(lanes, fixedLabeller(net, format));
    }
    return { ...stepper, classify: classifier(net, mixer, stepper), fused };
  }
  const layout = layoutOf(format, n);
  const stepper = format.kind === 'fixed' ? fixedPacked(format, n, map, layout) : floatPacked(format, n, floats!, layout);
  return { ...stepper, classify: classifier(net, mixer, stepper), fused: null };
}

/**
 * The step of chunked rows with raw units: the chunk words by table, then each raw unit's code word by the
 * unit map (fixed: integer codes; fp32: on the float32 values through a Float32Array over the rows, as
 * floatPacked steps; other floats: decode, step, encode).
 */
function withRawUnits(chunked: ChunkedRows, n: number, format: FixedFormat | FloatFormat, map: UnitMap, floats: FloatUnit | null): PackedDynamics['step'] {
  const chunkStep = chunked.step;
  const { raw, rawOffset } = chunked;
  const R = raw.length;
  if (floats !== null && floats.fp32) {
    const next = floats.next;
    const nan = (format as FloatFormat).nanCode | 0;
    const asValues = (): ((words: Int32Array) => Float32Array) => cachedView((words) => new Float32Array(words.buffer, words.byteOffset, words.length));
    const srcValues = asValues();
    const dstValues = asValues();
    return (src, srcOff, symbol, dst, dstOff) => {
      chunkStep(src, srcOff, symbol, dst, dstOff);
      const from = srcValues(src);
      const to = dstValues(dst);
      const base = symbol * n;
      const i0 = srcOff + rawOffset;
      const o0 = dstOff + rawOffset;
      for (let r = 0; r < R; r++) {
        const v = next(base + raw[r], from[i0 + r]);
        // NaN takes the one canonical code; −0 is stored as +0.
        if (v !== v) dst[o0 + r] = nan;
        else to[o0 + r] = v + 0;
      }
    };
  }
  const unitStep = map.step;
  return (src, srcOff, symbol, dst, dstOff) => {
    chunkStep(src, srcOff, symbol, dst, dstOff);
    const base = symbol * n;
    const i0 = srcOff + rawOffset;
    const o0 = dstOff + rawOffset;
    for (let r = 0; r < R; r++) dst[o0 + r] = unitStep(base + raw[r], src[i0 + r]);
  };
}

/** One unit's exact step on codes: step(symbol·n + j, code of h_j) = code of round(a_j·h_j + b_j). */
interface UnitMap {
  step(i: number, code: number): number;
  decode(code: number): number;
}

/** The unit map of a fixed format: a·h + b·2^F on codes, rounded once from 2F fraction bits. */
function fixedUnit(format: FixedFormat, n: number, a: Float64Array, b: Float64Array): UnitMap {
  const f = format.fracBits;
  const ka = Int32Array.from(a, (v) => format.encode(v));
  const kb = Float64Array.from(b, (v) => format.encode(v) * 2 ** f);
  const ulp = format.ulp;
  return { step: (i, code) => format.roundFixedScaled(ka[i] * code + kb[i], 2 * f), decode: (code) => code * ulp };
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
  readonly rows: RowLayout;
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
  return { width, codeBytes, rows: { kind: 'codes', codeBytes }, perWord, initial, viewer };
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
  return decided(round, sum, mag * ((n + 4) * 2 ** -52));
}

/** round(s) for every s within `bound` of `sum` when that is one value (then it is round(exact sum)), else NaN. */
function decided(round: (x: number) => number, sum: number, bound: number): number {
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
function classifier(net: RecurrentNetworkExec, mixer: LrnnExec, stepper: Stepper): (src: Int32Array, off: number) => number {
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
  const round = format.kind === 'float' && format.name === 'fp32' ? Math.fround : (x: number): number => format.round(x);
  const codes = new Int32Array(n);
  return (src, off) => {
    const symbol = src[off];
    if (symbol < 0) return emptyLabel;
    const at = memo.reserve();
    const key = memo.arena;
    key[at] = symbol;
    if (woPairs !== null && format.kind === 'fixed') {
      // Width 2 (the common binary readout): both outputs in one pass over the codes.
      stepper.codesInto(src, off, codes);
      let acc0 = 0;
      let acc1 = 0;
      for (let i = 0; i < n; i++) {
        const c = codes[i];
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
      stepper.codesInto(src, off, codes);
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += woCodes[j * n + i] * codes[i];
        const code = format.roundFixedScaled(acc, 2 * format.fracBits);
        key[at + 1 + j] = code;
        y[j] = code * format.ulp + 0;
      }
    } else {
      stepper.decodeInto(src, off, h);
      if (filter && d === 2) {
        // Width 2: both filtered sums in one pass over h (filteredDot's bound, each output its own).
        let sum0 = 0;
        let sum1 = 0;
        let mag0 = 0;
        let mag1 = 0;
        for (let i = 0; i < n; i++) {
          const hi = h[i];
          const p0 = wo[2 * i] * hi;
          const p1 = wo[2 * i + 1] * hi;
          sum0 += p0;
          sum1 += p1;
          mag0 += Math.abs(p0);
          mag1 += Math.abs(p1);
        }
        y[0] = decided(round, sum0, mag0 * ((n + 4) * 2 ** -52));
        y[1] = decided(round, sum1, mag1 * ((n + 4) * 2 ** -52));
        if (y[0] !== y[0]) y[0] = arith.dot(wo, 0, d, h, n, 0);
        if (y[1] !== y[1]) y[1] = arith.dot(wo, 1, d, h, n, 0);
      } else {
        for (let j = 0; j < d; j++) {
          let v = filter ? filteredDot(round, wo, j, d, h, n) : NaN;
          if (v !== v) v = arith.dot(wo, j, d, h, n, 0);
          y[j] = v;
        }
      }
      if (!memoise) return argmax(net.logitsAfterOutput(symbol, y, logits));
      // fp32 codes past 2^31 wrap to negative int32 words: still one word per code.
      for (let j = 0; j < d; j++) key[at + 1 + j] = arith.code(y[j]);
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

/** Rows of unit codes stepped by arithmetic: fixed formats whose units reach more than 2^16 codes. */
function fixedPacked(format: FixedFormat, n: number, unit: UnitMap, layout: Layout): Stepper {
  const ulp = format.ulp;
  const { width, rows, initial, perWord } = layout;
  const codesOf = layout.viewer();
  const srcOf = layout.viewer();
  const dstOf = layout.viewer();
  const codesInto = codeCopier(codesOf, perWord, n);
  const decodeInto = (src: Int32Array, off: number, out: Float64Array): void => {
    const codes = codesOf(src);
    const i0 = (off + 1) * perWord;
    for (let j = 0; j < n; j++) out[j] = codes[i0 + j] * ulp + 0;
  };
  return {
    width,
    layout: rows,
    initial,
    step(src, srcOff, symbol, dst, dstOff) {
      const from = srcOf(src);
      const to = dstOf(dst);
      const base = symbol * n;
      dst[dstOff] = symbol;
      const i0 = (srcOff + 1) * perWord;
      const o0 = (dstOff + 1) * perWord;
      for (let j = 0; j < n; j++) to[o0 + j] = unit.step(base + j, from[i0 + j]);
    },
    values(src, off) {
      const out = new Float64Array(n);
      decodeInto(src, off, out);
      return out;
    },
    decodeInto,
    codesInto,
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

/** A float format's unit map, with the value-level step and the code conversions the code rows use. */
interface FloatUnit extends UnitMap {
  /** round(a_i·h + b_i) on values. */
  next(i: number, h: number): number;
  /** The canonical code of a value (NaN: the one NaN code, −0: +0). */
  encode(v: number): number;
  readonly fp32: boolean;
}

/**
 * Float formats: h' = round(a·h + b) where a·h is exact in float64 and TwoSum gives s + err = a·h + b
 * exactly. round(s + err) = round(s) unless s is a midpoint of the format (midpoints are doubles, so none
 * lies strictly between s and the exact sum), where err's sign breaks the tie; overflow and non-finite
 * values take the generic exact route.
 */
function floatUnit(net: RecurrentNetworkExec, format: FloatFormat, a: Float64Array, b: Float64Array): FloatUnit {
  const arith = net.arith;
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
  return { next, encode, decode, fp32, step: (i, code) => encode(next(i, decode(code))) };
}

/**
 * Rows of float codes, for formats whose units reach more than 2^16 codes (fp32; the small floats only
 * on a big-endian machine, where chunked rows are not built). fp32 steps on the float32 values themselves.
 */
function floatPacked(format: FloatFormat, n: number, unit: FloatUnit, layout: Layout): Stepper {
  const { width, rows, initial, perWord } = layout;
  const codesOf = layout.viewer();
  const srcOf = layout.viewer();
  const dstOf = layout.viewer();
  const { fp32, decode, encode, next } = unit;
  const nan = format.nanCode | 0;
  const codesInto = codeCopier(codesOf, perWord, n);
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
      layout: rows,
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
      codesInto,
      decodeInto(src, off, out) {
        const from = rowValues(src);
        for (let j = 0; j < n; j++) out[j] = from[off + 1 + j] + 0;
      },
    };
  }
  return {
    width,
    layout: rows,
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
    codesInto,
  };
}
