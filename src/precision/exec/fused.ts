// The readout folded into the search step of a fixed-point LRNN: the step that writes a row also hashes it
// (FNV-1a a word, so interning needs no second pass) and sums the readout h·wo exactly in float64 integer
// arithmetic (chunked.ts adds one precomputed partial sum per chunk of units). The search then interns
// with that hash and labels a new row from its sums: rounded exactly as the unfused classifier rounds
// them, then (symbol, y codes) → label through a direct table when it is small, else a memo. This file
// holds what such a step shares: its interface, the row hash, how the readout weights pack into float64
// lanes, and the labeller.
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
   * not specialised (other alphabets, readouts whose sums do not pack into one lane).
   */
  readonly stepPair:
    | ((src: Int32Array, srcOff: number, dst: Int32Array, dstOff: number, sums: Float64Array, sumsOff: number, hashes: Int32Array, hashOff: number) => void)
    | null;
  /** The class of a row stepped with `symbol` from its readout sums at sums[sumsOff..]: the machine's classify of it. */
  label(symbol: number, sums: Float64Array, sumsOff: number): number;
}

/** The direct (symbol, y codes) → label table holds at most this many one-byte entries. */
const MAX_LABEL_TABLE = 2 ** 22;
export const FNV_BASIS = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** Murmur3's finaliser, so the low bits of the hash (the table slot) depend on every bit of the row. */
export function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over the `width` words of a row, then finish: the hash a fused step returns for the row it writes. */
export function rowHash(width: number): (src: Int32Array, srcOff: number) => number {
  return (src, srcOff) => {
    let h = Math.imul(FNV_BASIS ^ src[srcOff], FNV_PRIME);
    for (let k = 1; k < width; k++) h = Math.imul(h ^ src[srcOff + k], FNV_PRIME);
    return finish(h);
  };
}

/**
 * The readout as float64 lanes of exact integer sums: lane weights weights[i·lanes + l] of unit i, so that
 * Σ_i weights[i·lanes + l]·code_i is exact in float64 for every subset of units and every order of
 * addition, and unpack turns the lane totals into the d sums Σ_i code(wo[i][j])·code_i.
 */
export interface ReadoutLanes {
  readonly lanes: number;
  /** The readout's width d: the sums unpack writes. */
  readonly sums: number;
  readonly weights: Float64Array;
  /** Writes the d readout sums of lane totals totals[0 .. lanes) at sums[at ..]. */
  unpack(totals: Float64Array, sums: Float64Array, at: number): void;
}

/**
 * The lanes of a fixed readout, or null where float64 cannot hold its sums exactly
 * (2·bits + log2(n + 1) > 52). Widths 1 and 2 take one lane: packed[i] = wo_i0·2^K + wo_i1, so
 * Σ packed[i]·c_i = acc0·2^K + acc1, exact while |acc1| < 2^(K−1) and every partial sum stays below 2^52
 * (each is bounded by Σ|wo code|·max|code| of its output); else one lane an output.
 */
export function readoutLanes(net: RecurrentNetworkExec, format: FixedFormat, n: number, readout: Float64Array): ReadoutLanes | null {
  const d = net.config.width;
  if (2 * format.bits + Math.ceil(Math.log2(n + 1)) > 52) return null;
  // wo codes by output then unit: wc[j·n + i] = code of wo[i][j].
  const wc = Int32Array.from({ length: n * d }, (_, k) => format.encode(readout[(k % n) * d + Math.floor(k / n)]));
  const maxCode = Math.max(-format.codeMin, format.codeMax);
  const bound = (j: number): number => wc.subarray(j * n, (j + 1) * n).reduce((sum, w) => sum + Math.abs(w), 0) * maxCode;
  const low = d === 2 ? Math.ceil(Math.log2(bound(1) + 1)) + 2 : 0;
  const packable = d <= 2 && bound(0) * 2 ** low + bound(d - 1) < 2 ** 52;
  if (!packable) {
    const weights = Float64Array.from({ length: n * d }, (_, k) => wc[(k % d) * n + Math.floor(k / d)]);
    return { lanes: d, sums: d, weights, unpack: (totals, sums, at) => sums.set(totals.subarray(0, d), at) };
  }
  const scale = 2 ** low;
  const weights = Float64Array.from({ length: n }, (_, i) => (d === 2 ? wc[i] * scale + wc[n + i] : wc[i]));
  const unpack = (totals: Float64Array, sums: Float64Array, at: number): void => {
    const sum = totals[0];
    if (d === 2) {
      const high = Math.round(sum / scale);
      sums[at] = high;
      sums[at + 1] = sum - high * scale;
    } else sums[at] = sum;
  };
  return { lanes: 1, sums: d, weights, unpack };
}

/**
 * The label of a row from its d exact readout sums (2F fraction bits): y = the sums rounded to the
 * format, then the rest of the network, which depends on (symbol, y codes) only and is cached on them.
 */
export function fixedLabeller(net: RecurrentNetworkExec, format: FixedFormat): FusedDynamics['label'] {
  const d = net.config.width;
  const vocab = net.config.vocab;
  const size = format.size;
  const codeMin = format.codeMin;
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
  if (entries <= MAX_LABEL_TABLE && net.config.classes <= 127) {
    // Index symbol·size^d + Σ (code_j − codeMin)·size^(d−1−j); −1: not yet computed.
    const labels = new Int8Array(entries).fill(-1);
    return (symbol, acc, accOff) => {
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
  }
  // Rows [symbol, y codes] → label; fixed readouts take few values, so this memo hits.
  const memo = new RowTable(d + 1, 256);
  let memoLabels = new Int32Array(256);
  return (symbol, acc, accOff) => {
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
