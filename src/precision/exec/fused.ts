// The search step of a tabulated fixed-point LRNN with the interning hash and the readout folded in: one
// pass over a row looks each unit's next code up, writes it, XORs in that (unit, code)'s random word (a
// Zobrist hash: the row's hash without a second pass over it) and adds woCodes[j][i]·code to each output's
// accumulator (the exact integer sum the unfused classifier computes from the stored row). The search then
// interns with that hash and labels a new row from those sums: rounding them exactly as before, then
// (symbol, y codes) → label through a direct table when it is small, else a memo. Same rows, same ids,
// same labels as the unfused route (tests hold the two together), only fewer passes over memory.
import type { FixedFormat } from '../format.js';
import { Rng } from '../../random.js';
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

/** Formats of more codes than this keep the unfused route (the hash words are a table per unit and code). */
const MAX_FUSED_CODES = 2 ** 16;
/** The direct (symbol, y codes) → label table holds at most this many one-byte entries. */
const MAX_LABEL_TABLE = 2 ** 22;
/** Seed of the hash words: any fixed value (the hash only places rows; equal rows are compared). */
const HASH_SEED = 0x5eed;

/**
 * The fused stepper, or null where the unfused route must stay: more than 2^16 codes, or readout sums
 * that float64 cannot hold exactly (2·bits + log2(n + 1) > 52).
 */
export function fusedFixed(inputs: FusedInputs): FusedDynamics | null {
  const { net, format, n, table, perWord, readout } = inputs;
  const size = format.size;
  const d = net.config.width;
  const vocab = net.config.vocab;
  if (size > MAX_FUSED_CODES || 2 * format.bits + Math.ceil(Math.log2(n + 1)) > 52) return null;
  const codeMin = format.codeMin;
  const rng = new Rng(HASH_SEED);
  const word = (): number => (rng.int(0, 0xffff) << 16) | rng.int(0, 0xffff);
  // zobrist[j·size + code − codeMin]: unit j holding code; symbolWords[symbol + 1]: the row's symbol.
  const zobrist = Int32Array.from({ length: n * size }, word);
  const symbolWords = Int32Array.from({ length: vocab + 1 }, word);
  // wo codes by output then unit (wc[j·n + i] = code of wo[i][j]), and the first two outputs apart.
  const wc = Int32Array.from({ length: n * d }, (_, k) => format.encode(readout[(k % n) * d + Math.floor(k / n)]));
  const w0 = wc.subarray(0, n);
  const w1 = d >= 2 ? wc.subarray(n, 2 * n) : new Int32Array(n);
  const srcOf = inputs.viewer();
  const dstOf = inputs.viewer();
  const rowOf = inputs.viewer();

  const hash = (src: Int32Array, srcOff: number): number => {
    const codes = rowOf(src);
    const i0 = (srcOff + 1) * perWord;
    let h = symbolWords[src[srcOff] + 1];
    for (let j = 0, z = -codeMin; j < n; j++, z += size) h ^= zobrist[z + codes[i0 + j]];
    return h;
  };

  let step: FusedDynamics['step'];
  if (d <= 2) {
    // Widths 1 and 2 (the common binary readout) keep their sums in locals; width 1 adds zeros to acc1.
    step = (src, srcOff, symbol, dst, dstOff, acc, accOff) => {
      const from = srcOf(src);
      const to = dstOf(dst);
      let at = symbol * n * size - codeMin;
      let z = -codeMin;
      dst[dstOff] = symbol;
      const i0 = (srcOff + 1) * perWord;
      const o0 = (dstOff + 1) * perWord;
      let h = symbolWords[symbol + 1];
      let a0 = 0;
      let a1 = 0;
      for (let j = 0; j < n; j++, at += size, z += size) {
        const c = table[at + from[i0 + j]];
        to[o0 + j] = c;
        h ^= zobrist[z + c];
        a0 += w0[j] * c;
        a1 += w1[j] * c;
      }
      acc[accOff] = a0;
      if (d === 2) acc[accOff + 1] = a1;
      return h;
    };
  } else {
    step = (src, srcOff, symbol, dst, dstOff, acc, accOff) => {
      const from = srcOf(src);
      const to = dstOf(dst);
      let at = symbol * n * size - codeMin;
      let z = -codeMin;
      dst[dstOff] = symbol;
      const i0 = (srcOff + 1) * perWord;
      const o0 = (dstOff + 1) * perWord;
      let h = symbolWords[symbol + 1];
      acc.fill(0, accOff, accOff + d);
      for (let j = 0; j < n; j++, at += size, z += size) {
        const c = table[at + from[i0 + j]];
        to[o0 + j] = c;
        h ^= zobrist[z + c];
        for (let k = 0, w = j; k < d; k++, w += n) acc[accOff + k] += wc[w] * c;
      }
      return h;
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
  return { sums: d, hash, step, label };
}
