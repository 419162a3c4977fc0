// The search step of a tabulated fixed-point LRNN with the interning hash and the readout folded in: one
// pass over a row looks each unit's next code up, assembles the codes into the row's int32 words (one
// store a word, and an FNV-1a step on each word: the row's hash without a second pass over it), and adds
// woCodes[j][i]·code to the readout sums (the exact integer sums the unfused classifier computes from the
// stored row; widths 1 and 2 share one float64 product a unit). The search then interns with that hash
// and labels a new row from its sums: rounded exactly as before, then (symbol, y codes) → label through a
// direct table when it is small, else a memo. Same rows, same ids, same labels as the unfused route
// (tests hold the two together), in fewer passes over memory.
import type { FixedFormat } from '../format.js';
import { argmax, type RecurrentNetworkExec } from './network.js';
import { RowTable } from './rows.js';

/** The fused stepper of a packed machine (same rows as its PackedDynamics.step). */
export interface FusedDynamics {
  /** Readout sums a step writes (the readout's width d). */
  readonly sums: number;
  /** The row hash this stepper's RowTable must use throughout (step returns the same for the rows it writes). */
  hash(src: Int32Array, srcOff: number): number;
  /** Writes step(src row, symbol) at dst[dstOff..], its d readout sums at sums[sumsOff..], and returns its hash. */
  step(src: Int32Array, srcOff: number, symbol: number, dst: Int32Array, dstOff: number, sums: Float64Array, sumsOff: number): number;
  /**
   * Over a two-symbol alphabet, step(src, 0) and step(src, 1) in one pass: rows at dst[dstOff..] and the
   * next row, sums at sums[sumsOff..] and the next d, hashes at hashes[hashOff] and the next. Null where
   * not specialised (other alphabets, 2-byte codes, readouts of more than 2 outputs).
   */
  readonly stepPair:
    | ((src: Int32Array, srcOff: number, dst: Int32Array, dstOff: number, sums: Float64Array, sumsOff: number, hashes: Int32Array, hashOff: number) => void)
    | null;
  /** The class of a row stepped with `symbol` from its readout sums at sums[sumsOff..]: the machine's classify of it. */
  label(symbol: number, sums: Float64Array, sumsOff: number): number;
}

/** The code element views the packed rows are read and written through. */
type CodeArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/** What the fused stepper needs from the packed one. */
export interface FusedInputs {
  readonly net: RecurrentNetworkExec;
  readonly format: FixedFormat;
  readonly n: number;
  /** next code = table[(symbol·n + j)·size + code − codeMin] (packed.ts's transition table). */
  readonly table: Int8Array | Int16Array | Int32Array;
  readonly perWord: number;
  /** A cached view maker over row arrays (packed.ts's Layout.viewer). */
  readonly viewer: () => (words: Int32Array) => CodeArray;
  /** The readout weights wo[i·d + j] (stored values). */
  readonly readout: Float64Array;
}

/** Formats of more codes than this keep the unfused route (4-byte codes; the step table is then too large anyway). */
const MAX_FUSED_CODES = 2 ** 16;
/** The direct (symbol, y codes) → label table holds at most this many one-byte entries. */
const MAX_LABEL_TABLE = 2 ** 22;
const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Murmur3's finaliser, so the low bits of the hash (the table slot) depend on every bit of the row. */
function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The fused stepper, or null where the unfused route must stay: more than 2^16 codes, readout sums that
 * float64 cannot hold exactly (2·bits + log2(n + 1) > 52), or a big-endian machine.
 */
export function fusedFixed(inputs: FusedInputs): FusedDynamics | null {
  const { net, format, n, table, perWord, readout } = inputs;
  const size = format.size;
  const d = net.config.width;
  const vocab = net.config.vocab;
  if (size > MAX_FUSED_CODES || 2 * format.bits + Math.ceil(Math.log2(n + 1)) > 52) return null;
  const codeMin = format.codeMin;
  // Rows are written as whole int32 words assembled from perWord codes, low code in the low bits: the
  // byte order of the typed-array views the unfused step writes through, on little-endian machines only.
  if (!LITTLE_ENDIAN || (perWord !== 2 && perWord !== 4)) return null;
  const full = Math.floor(n / perWord);
  const codeBits = 32 / perWord;
  const codeMask = perWord === 4 ? 0xff : 0xffff;
  // wo codes by output then unit: wc[j·n + i] = code of wo[i][j].
  const wc = Int32Array.from({ length: n * d }, (_, k) => format.encode(readout[(k % n) * d + Math.floor(k / n)]));
  // Widths 1 and 2 sum both outputs in one float64 product a unit: packed[i] = wo_i0·2^K + wo_i1, so
  // Σ packed[i]·c_i = acc0·2^K + acc1, exact while |acc1| < 2^(K−1) and every partial sum stays below
  // 2^53 (bounded by each output's Σ|wo code|·max|code|); else one sum an output.
  const maxCode = Math.max(-codeMin, format.codeMax);
  const bound = (j: number): number => wc.subarray(j * n, (j + 1) * n).reduce((sum, w) => sum + Math.abs(w), 0) * maxCode;
  const low = d === 2 ? Math.ceil(Math.log2(bound(1) + 1)) + 2 : 0;
  const packable = d <= 2 && bound(0) * 2 ** low + bound(d - 1) < 2 ** 52;
  const scale = 2 ** low;
  const packed = packable ? Float64Array.from({ length: n }, (_, i) => (d === 2 ? wc[i] * scale + wc[n + i] : wc[i])) : new Float64Array(0);
  const srcOf = inputs.viewer();
  const width = 1 + Math.ceil(n / perWord);
  /** Writes the d sums a packed sum holds (acc0·2^K + acc1, or acc0 alone at width 1). */
  const unpack = (sum: number, sums: Float64Array, at: number): void => {
    if (d === 2) {
      const high = Math.round(sum / scale);
      sums[at] = high;
      sums[at + 1] = sum - high * scale;
    } else sums[at] = sum;
  };

  const hash = (src: Int32Array, srcOff: number): number => {
    let h = Math.imul(FNV_BASIS ^ src[srcOff], FNV_PRIME);
    for (let k = 1; k < width; k++) h = Math.imul(h ^ src[srcOff + k], FNV_PRIME);
    return finish(h);
  };

  let step: FusedDynamics['step'];
  if (packable) {
    step = (src, srcOff, symbol, dst, dstOff, sums, sumsOff) => {
      const from = srcOf(src);
      let at = symbol * n * size - codeMin;
      let i = (srcOff + 1) * perWord;
      let o = dstOff + 1;
      dst[dstOff] = symbol;
      let h = Math.imul(FNV_BASIS ^ symbol, FNV_PRIME);
      // Two partial sums: independent add chains.
      let s0 = 0;
      let s1 = 0;
      let j = 0;
      if (perWord === 4) {
        for (let q = 0; q < full; q++, j += 4, i += 4, at += 4 * size, o++) {
          const c0 = table[at + from[i]];
          const c1 = table[at + size + from[i + 1]];
          const c2 = table[at + 2 * size + from[i + 2]];
          const c3 = table[at + 3 * size + from[i + 3]];
          s0 += packed[j] * c0 + packed[j + 2] * c2;
          s1 += packed[j + 1] * c1 + packed[j + 3] * c3;
          const word = (c0 & 0xff) | ((c1 & 0xff) << 8) | ((c2 & 0xff) << 16) | (c3 << 24);
          dst[o] = word;
          h = Math.imul(h ^ word, FNV_PRIME);
        }
      } else {
        for (let q = 0; q < full; q++, j += 2, i += 2, at += 2 * size, o++) {
          const c0 = table[at + from[i]];
          const c1 = table[at + size + from[i + 1]];
          s0 += packed[j] * c0;
          s1 += packed[j + 1] * c1;
          const word = (c0 & 0xffff) | (c1 << 16);
          dst[o] = word;
          h = Math.imul(h ^ word, FNV_PRIME);
        }
      }
      if (j < n) {
        let word = 0;
        for (let shift = 0; j < n; j++, i++, at += size, shift += codeBits) {
          const c = table[at + from[i]];
          s0 += packed[j] * c;
          word |= (c & codeMask) << shift;
        }
        dst[o] = word;
        h = Math.imul(h ^ word, FNV_PRIME);
      }
      unpack(s0 + s1, sums, sumsOff);
      return finish(h);
    };
  } else {
    step = (src, srcOff, symbol, dst, dstOff, sums, sumsOff) => {
      const from = srcOf(src);
      let at = symbol * n * size - codeMin;
      let i = (srcOff + 1) * perWord;
      let o = dstOff + 1;
      dst[dstOff] = symbol;
      let h = Math.imul(FNV_BASIS ^ symbol, FNV_PRIME);
      sums.fill(0, sumsOff, sumsOff + d);
      let word = 0;
      let shift = 0;
      for (let j = 0; j < n; j++, i++, at += size) {
        const c = table[at + from[i]];
        for (let k = 0, w = j; k < d; k++, w += n) sums[sumsOff + k] += wc[w] * c;
        word |= (c & codeMask) << shift;
        shift += codeBits;
        if (shift === 32 || j === n - 1) {
          dst[o++] = word;
          h = Math.imul(h ^ word, FNV_PRIME);
          word = 0;
          shift = 0;
        }
      }
      return finish(h);
    };
  }


  let stepPair: FusedDynamics['stepPair'] = null;
  if (packable && vocab === 2 && perWord === 4) {
    // Both symbols' next codes of one (unit, code) side by side (pairs[2·((j·size + code − codeMin)) + symbol]):
    // one cache line serves both steps, and the source row is read once.
    const pairs = new Int8Array(2 * n * size);
    for (let x = 0; x < 2; x++) for (let k = 0; k < n * size; k++) pairs[2 * k + x] = table[x * n * size + k];
    stepPair = (src, srcOff, dst, dstOff, sums, sumsOff, hashes, hashOff) => {
      const from = srcOf(src);
      let at = -2 * codeMin;
      let i = (srcOff + 1) * perWord;
      let o = dstOff + 1;
      const second = dstOff + width;
      dst[dstOff] = 0;
      dst[second] = 1;
      let h0 = Math.imul(FNV_BASIS, FNV_PRIME);
      let h1 = Math.imul(FNV_BASIS ^ 1, FNV_PRIME);
      let s0 = 0;
      let s1 = 0;
      let j = 0;
      for (let q = 0; q < full; q++, j += 4, i += 4, at += 8 * size, o++) {
        const x0 = at + 2 * from[i];
        const x1 = at + 2 * size + 2 * from[i + 1];
        const x2 = at + 4 * size + 2 * from[i + 2];
        const x3 = at + 6 * size + 2 * from[i + 3];
        const c0 = pairs[x0];
        const c1 = pairs[x1];
        const c2 = pairs[x2];
        const c3 = pairs[x3];
        const e0 = pairs[x0 + 1];
        const e1 = pairs[x1 + 1];
        const e2 = pairs[x2 + 1];
        const e3 = pairs[x3 + 1];
        s0 += packed[j] * c0 + packed[j + 1] * c1 + packed[j + 2] * c2 + packed[j + 3] * c3;
        s1 += packed[j] * e0 + packed[j + 1] * e1 + packed[j + 2] * e2 + packed[j + 3] * e3;
        const word0 = (c0 & 0xff) | ((c1 & 0xff) << 8) | ((c2 & 0xff) << 16) | (c3 << 24);
        const word1 = (e0 & 0xff) | ((e1 & 0xff) << 8) | ((e2 & 0xff) << 16) | (e3 << 24);
        dst[o] = word0;
        dst[o + width] = word1;
        h0 = Math.imul(h0 ^ word0, FNV_PRIME);
        h1 = Math.imul(h1 ^ word1, FNV_PRIME);
      }
      if (j < n) {
        let word0 = 0;
        let word1 = 0;
        for (let shift = 0; j < n; j++, i++, at += 2 * size, shift += 8) {
          const x = at + 2 * from[i];
          const c = pairs[x];
          const e = pairs[x + 1];
          s0 += packed[j] * c;
          s1 += packed[j] * e;
          word0 |= (c & 0xff) << shift;
          word1 |= (e & 0xff) << shift;
        }
        dst[o] = word0;
        dst[o + width] = word1;
        h0 = Math.imul(h0 ^ word0, FNV_PRIME);
        h1 = Math.imul(h1 ^ word1, FNV_PRIME);
      }
      unpack(s0, sums, sumsOff);
      unpack(s1, sums, sumsOff + d);
      hashes[hashOff] = finish(h0);
      hashes[hashOff + 1] = finish(h1);
    };
  }

  const y = new Float64Array(d);
  const codes = new Int32Array(d);
  const logits = new Float64Array(net.config.classes);
  const shift = 2 * format.fracBits;
  /** The class after y = the rounded sums (codes already in `codes`): what the unfused memo caches. */
  const compute = (symbol: number): number => {
    for (let j = 0; j < d; j++) y[j] = codes[j] * format.ulp + 0;
    return argmax(net.logitsAfterOutput(symbol, y, logits));
  };
  let entries = vocab;
  for (let j = 0; j < d; j++) entries *= size;
  let label: FusedDynamics['label'];
  if (entries <= MAX_LABEL_TABLE && net.config.classes <= 127) {
    // Index symbol·size^d + Σ (code_j − codeMin)·size^(d−1−j); −1: not yet computed.
    const labels = new Int8Array(entries).fill(-1);
    label = (symbol, acc, accOff) => {
      let at = symbol;
      for (let j = 0; j < d; j++) {
        const code = format.roundFixedScaled(acc[accOff + j], shift);
        codes[j] = code;
        at = at * size + (code - codeMin);
      }
      let label = labels[at];
      if (label < 0) label = labels[at] = compute(symbol);
      return label;
    };
  } else {
    // Rows [symbol, y codes] → label; fixed readouts take few values, so this memo hits.
    const memo = new RowTable(d + 1, 256);
    let memoLabels = new Int32Array(256);
    label = (symbol, acc, accOff) => {
      const at = memo.reserve();
      const key = memo.arena;
      key[at] = symbol;
      for (let j = 0; j < d; j++) {
        const code = format.roundFixedScaled(acc[accOff + j], shift);
        codes[j] = code;
        key[at + 1 + j] = code;
      }
      const before = memo.count;
      const id = memo.commit();
      if (id === before) {
        if (id >= memoLabels.length) {
          const bigger = new Int32Array(memoLabels.length * 2);
          bigger.set(memoLabels);
          memoLabels = bigger;
        }
        memoLabels[id] = compute(symbol);
      }
      return memoLabels[id];
    };
  }
  return { sums: d, hash, step, stepPair, label };
}
