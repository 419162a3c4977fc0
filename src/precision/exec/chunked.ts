// Unit-local tabulation with chunked rows, the fast path of exact extraction on a one-layer diagonal LRNN
// whose gates depend on the symbol only. There unit j evolves by h_j' = round(a_j(x)·h_j + b_j(x)) alone,
// so the codes it takes over all words are exactly its 1-D reachable set R_j under the per-symbol unit
// maps: a tiny BFS per unit from code 0 finds it, and a state is the tuple of each unit's local id in its
// R_j (BFS order). Units are grouped into chunks whose product of set sizes fits a byte (or, for units of
// more than 256 codes, 16 bits), a chunk's value being the mixed-radix number of its units' local ids. A
// step is then one table lookup per chunk (the next chunk value), plus, for the fused step of fixed
// formats, one precomputed exact partial readout sum per chunk; rows hold chunk values instead of codes. On
// the bench LRNN (64 units): fixed<2,6> 37 chunks in an 11-word row (was 64 lookups, 17 words), fixed<2,8>
// 45 chunks in 14 words (was 33), bf16 50 chunks in 16 words (was 33, and arithmetic steps). The rows are a
// bijection of the code rows, so BFS numbering, labels and the cap are those of every other route (tests
// hold them together). Units whose sets pass a cap (wide formats: fp32 units often reach millions of
// codes) stay raw: one word each after the chunks, holding the code, stepped by arithmetic (packed.ts);
// the others are still chunked (on the bench LRNN at fp32: 26 of 64 units in 26 chunks, 51 words a row
// instead of 65).
import * as fusedModule from './fused.js';
import type { FusedDynamics, ReadoutLanes } from './fused.js';
import { cachedView } from './rows.js';

// Module-local copies of the hashing helpers the steps call a word at a time: under tsx (the bench, the
// tests) every use of an imported binding is a getter call, which took a tenth of a fixed<2,6> search.
const { FNV_BASIS, FNV_PRIME, finish, rowHash } = fusedModule;

/** One unit's reachable codes and their transitions, by local id (BFS order; local 0 = code 0). */
export interface UnitSet {
  /** codes[local]: the code of a local id. */
  readonly codes: Int32Array;
  /** next[local·vocab + symbol]: the local id the unit moves to on `symbol`. */
  readonly next: Int32Array;
}

/** The reachable codes of every unit and their transitions, by local id (BFS order; local 0 = code 0). */
export interface UnitSets {
  /** codes[j][local]: the code of unit j's local id. */
  readonly codes: readonly Int32Array[];
  /** next[j][local·vocab + symbol]: the local id unit j moves to on `symbol`. */
  readonly next: readonly Int32Array[];
}

/**
 * Each unit's reachable set under unitStep(symbol, j, code) from code 0 (the initial state), or null as
 * soon as one unit reaches more than `cap` codes (the caller keeps a code-per-unit route).
 */
export function unitSets(n: number, vocab: number, unitStep: (symbol: number, j: number, code: number) => number, cap: number): UnitSets | null {
  const explore = unitExplorer(cap);
  const codes: Int32Array[] = [];
  const next: Int32Array[] = [];
  for (let j = 0; j < n; j++) {
    const set = explore(vocab, (x, code) => unitStep(x, j, code));
    if (set === null) return null;
    codes.push(set.codes);
    next.push(set.next);
  }
  return { codes, next };
}

/**
 * A function that finds one unit's reachable set under step(symbol, code) from code 0, or null once it
 * passes `cap` codes. Codes are interned in an open-addressing table of int32 keys (a Map cost ~10x
 * more a step, which mattered for units that run to a cap of 2^16 at fp32); the table is reused from
 * unit to unit through a generation stamp, so exploring many units allocates it once.
 */
export function unitExplorer(cap: number): (vocab: number, step: (symbol: number, code: number) => number) => UnitSet | null {
  const bits = Math.ceil(Math.log2(2 * cap + 2));
  const size = 2 ** bits;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const ids = new Int32Array(size);
  const stamps = new Int32Array(size);
  let generation = 0;
  return (vocab, step) => {
    generation++;
    let list = new Int32Array(Math.min(cap, 64));
    let moves = new Int32Array(list.length * vocab);
    let count = 0;
    /** The local id of a code, a new one when unseen; −1 past the cap. */
    const intern = (code: number): number => {
      let h = Math.imul(code, 0x9e3779b1) >>> (32 - bits);
      for (;;) {
        if (stamps[h] !== generation) break;
        if (keys[h] === code) return ids[h];
        h = (h + 1) & mask;
      }
      if (count >= cap) return -1;
      if (count === list.length) {
        const bigger = new Int32Array(Math.min(cap, 2 * list.length));
        bigger.set(list);
        list = bigger;
        const more = new Int32Array(bigger.length * vocab);
        more.set(moves);
        moves = more;
      }
      stamps[h] = generation;
      keys[h] = code;
      ids[h] = count;
      list[count] = code;
      return count++;
    };
    intern(0);
    for (let l = 0; l < count; l++) {
      for (let x = 0; x < vocab; x++) {
        const id = intern(step(x, list[l]));
        if (id < 0) return null;
        moves[l * vocab + x] = id;
      }
    }
    return { codes: list.slice(0, count), next: moves.slice(0, count * vocab) };
  };
}

/** Chunks of one byte hold a product of set sizes up to this. */
const BYTE_RADIX = 256;
/**
 * Chunks for units of more than 256 codes hold a product up to this (16-bit values). Kept well below 2^16:
 * a wide chunk's tables are radix·(vocab·2 + 8) bytes, and tables past L2 cost a miss a lookup.
 */
const WIDE_RADIX = 2 ** 12;

/** Units grouped into chunks: the byte chunks first, then the wide (16-bit) ones. */
export interface ChunkPlan {
  /** units[c]: the units of chunk c, lowest mixed-radix digit first. */
  readonly units: readonly (readonly number[])[];
  /** radix[c]: the product of its units' set sizes (its values are 0 .. radix − 1). */
  readonly radix: readonly number[];
  /** Chunks 0 .. bytes − 1 are one byte a value, the rest two. */
  readonly bytes: number;
}

/**
 * First-fit decreasing over set sizes: each unit, largest first, joins the first chunk its size still fits
 * (radix·size within the chunk's capacity), else opens one (a byte chunk when it fits one). Few chunks,
 * so few lookups a step and few words a row.
 */
export function planChunks(sizes: readonly number[]): ChunkPlan {
  const order = sizes.map((_, j) => j).sort((p, q) => sizes[q] - sizes[p] || p - q);
  const chunks: { units: number[]; radix: number; capacity: number }[] = [];
  for (const j of order) {
    const size = sizes[j];
    const home = chunks.find((c) => c.radix * size <= c.capacity);
    if (home !== undefined) {
      home.units.push(j);
      home.radix *= size;
    } else chunks.push({ units: [j], radix: size, capacity: size <= BYTE_RADIX ? BYTE_RADIX : Math.max(WIDE_RADIX, size) });
  }
  const byte = chunks.filter((c) => c.capacity === BYTE_RADIX);
  const wide = chunks.filter((c) => c.capacity !== BYTE_RADIX);
  return { units: [...byte, ...wide].map((c) => c.units), radix: [...byte, ...wide].map((c) => c.radix), bytes: byte.length };
}

/**
 * A stepper over chunked rows: word 0 the last symbol (−1 at start), then the chunk values, then one word
 * a raw unit (a unit past the cap of its set: its code itself, stepped by the caller).
 */
export interface ChunkedRows {
  readonly width: number;
  readonly initial: Int32Array;
  readonly chunks: number;
  /** The raw units, in the order of their words; empty when every unit is chunked. */
  readonly raw: Int32Array;
  /** The word of a row that holds the first raw unit's code (the others follow). */
  readonly rawOffset: number;
  /** Writes word 0 and the chunk words of step(src row, symbol) at dst[dstOff..] (not the raw units' words). */
  step(src: Int32Array, srcOff: number, symbol: number, dst: Int32Array, dstOff: number): void;
  /** Writes the code of every unit of a row into out[0 .. n). */
  codesInto(src: Int32Array, srcOff: number, out: Int32Array): void;
  /**
   * A writer of the stored values of a row (out[j] = decode(code of unit j)), through a table of chunk
   * values; `binary32`: raw codes are float32 bit patterns, read as values through a Float32Array.
   */
  decoder(decode: (code: number) => number, binary32?: boolean): (src: Int32Array, srcOff: number, out: Float64Array) => void;
  /** The fused step over these rows (only when no unit is raw): readout sums in the given lanes, labels by `label`. */
  fused(lanes: ReadoutLanes, label: FusedDynamics['label']): FusedDynamics;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Fresh cached byte and 16-bit views of row arrays (one per hot loop, so each keeps its own last array). */
const byteViewer = (): ((w: Int32Array) => Uint8Array) => cachedView((w) => new Uint8Array(w.buffer, w.byteOffset, w.length * 4));
const shortViewer = (): ((w: Int32Array) => Uint16Array) => cachedView((w) => new Uint16Array(w.buffer, w.byteOffset, w.length * 2));

/**
 * The chunked stepper of unit sets over `vocab` symbols (a null set: a raw unit, one word of its own), or
 * null on a big-endian machine (rows are written as whole words assembled low byte first and read back
 * through byte views).
 */
export function chunkedRows(perUnit: readonly (UnitSet | null)[], vocab: number): ChunkedRows | null {
  if (!LITTLE_ENDIAN) return null;
  const chunkedUnits = perUnit.flatMap((u, j) => (u === null ? [] : [j]));
  const raw = Int32Array.from(perUnit.flatMap((u, j) => (u === null ? [j] : [])));
  const R = raw.length;
  const sets = { codes: chunkedUnits.map((j) => perUnit[j]!.codes), next: chunkedUnits.map((j) => perUnit[j]!.next) };
  // The plan numbers the chunked units 0 .. m − 1; unitOrder maps them back to the network's units.
  const plan = planChunks(sets.codes.map((c) => c.length));
  const nChunks = plan.radix.length;
  const B = plan.bytes;
  const W = nChunks - B;
  const byteWords = Math.ceil(B / 4);
  const rawOffset = 1 + byteWords + Math.ceil(W / 2);
  const width = rawOffset + raw.length;
  const initial = new Int32Array(width);
  initial[0] = -1;
  // Per chunk: the locals of each value, then the next value on each symbol and the units' codes.
  // Byte chunks use a fixed stride of 256 values; wide chunks are laid end to end (bases below).
  const base = new Int32Array(nChunks + 1);
  for (let c = 0; c < nChunks; c++) base[c + 1] = base[c] + (c < B ? BYTE_RADIX : plan.radix[c]);
  const nextTable = new Int32Array(base[nChunks] * vocab);
  const unitStart = new Int32Array(nChunks + 1);
  for (let c = 0; c < nChunks; c++) unitStart[c + 1] = unitStart[c] + plan.units[c].length;
  const unitOrder = Int32Array.from(plan.units.flat(), (i) => chunkedUnits[i]);
  // chunkCodes[codeBase[c] + v·k + t]: the code of unit t of chunk c at value v.
  const codeBase = new Int32Array(nChunks + 1);
  for (let c = 0; c < nChunks; c++) codeBase[c + 1] = codeBase[c] + plan.radix[c] * plan.units[c].length;
  const chunkCodes = new Int32Array(codeBase[nChunks]);
  for (let c = 0; c < nChunks; c++) {
    const units = plan.units[c];
    const k = units.length;
    for (let v = 0; v < plan.radix[c]; v++) {
      for (let x = 0; x < vocab; x++) {
        let rest = v;
        let stride = 1;
        let out = 0;
        for (let t = 0; t < k; t++) {
          const size = sets.codes[units[t]].length;
          const local = rest % size;
          rest = (rest - local) / size;
          out += sets.next[units[t]][local * vocab + x] * stride;
          stride *= size;
        }
        nextTable[(base[c] + v) * vocab + x] = out;
      }
      let rest = v;
      for (let t = 0; t < k; t++) {
        const size = sets.codes[units[t]].length;
        const local = rest % size;
        rest = (rest - local) / size;
        chunkCodes[codeBase[c] + v * k + t] = sets.codes[units[t]][local];
      }
    }
  }
  // Both symbols' (all symbols') next values of one chunk value side by side: one cache line serves a pair step.
  const byteNext = Uint8Array.from(nextTable.subarray(0, B * BYTE_RADIX * vocab));
  const wideNext = Uint16Array.from(nextTable.subarray(B * BYTE_RADIX * vocab));
  // Where wide chunk c (counted from B) starts in wideNext, in entries.
  const wideBase = Int32Array.from({ length: W }, (_, c) => (base[B + c] - base[B]) * vocab);
  const fullBytes = B >> 2;
  const restBytes = B & 3;
  const BYTE_STEP = BYTE_RADIX * vocab;

  const bytesOf = byteViewer();
  const shortsOf = shortViewer();
  // The steps read a source row a word at a time and split it into chunk values with shifts (one load
  // a word, not one a chunk).
  const step: ChunkedRows['step'] = (src, srcOff, symbol, dst, dstOff) => {
    dst[dstOff] = symbol;
    let i = srcOff + 1;
    let o = dstOff + 1;
    let at = symbol;
    for (let q = 0; q < fullBytes; q++, i++, at += 4 * BYTE_STEP, o++) {
      const w = src[i];
      const c0 = byteNext[at + (w & 0xff) * vocab];
      const c1 = byteNext[at + BYTE_STEP + ((w >>> 8) & 0xff) * vocab];
      const c2 = byteNext[at + 2 * BYTE_STEP + ((w >>> 16) & 0xff) * vocab];
      const c3 = byteNext[at + 3 * BYTE_STEP + (w >>> 24) * vocab];
      dst[o] = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    }
    if (restBytes > 0) {
      const w = src[i++];
      let word = 0;
      for (let r = 0; r < restBytes; r++, at += BYTE_STEP) word |= byteNext[at + ((w >>> (8 * r)) & 0xff) * vocab] << (8 * r);
      dst[o++] = word;
    }
    for (let c = 0; c < W; c += 2, i++, o++) {
      const w = src[i];
      const c0 = wideNext[wideBase[c] + (w & 0xffff) * vocab + symbol];
      const c1 = c + 1 < W ? wideNext[wideBase[c + 1] + (w >>> 16) * vocab + symbol] : 0;
      dst[o] = c0 | (c1 << 16);
    }
  };

  /** Calls visit(c, value) for every chunk of a row. */
  const valuesOf = (src: Int32Array, srcOff: number, visit: (c: number, v: number) => void): void => {
    const b8 = bytesOf(src);
    const b16 = shortsOf(src);
    const i = (srcOff + 1) * 4;
    for (let c = 0; c < B; c++) visit(c, b8[i + c]);
    const iw = (srcOff + 1 + byteWords) * 2;
    for (let c = 0; c < W; c++) visit(B + c, b16[iw + c]);
  };

  const codesInto: ChunkedRows['codesInto'] = (src, srcOff, out) => {
    const b8 = bytesOf(src);
    const b16 = shortsOf(src);
    const i = (srcOff + 1) * 4;
    const iw = (srcOff + 1 + byteWords) * 2 - B;
    for (let c = 0; c < nChunks; c++) {
      const v = c < B ? b8[i + c] : b16[iw + c];
      const first = unitStart[c];
      const k = unitStart[c + 1] - first;
      const at = codeBase[c] + v * k;
      for (let t = 0; t < k; t++) out[unitOrder[first + t]] = chunkCodes[at + t];
    }
    for (let r = 0, o = srcOff + rawOffset; r < R; r++) out[raw[r]] = src[o + r];
  };

  const fused = (lanes: ReadoutLanes, label: FusedDynamics['label']): FusedDynamics => {
    if (R > 0) throw new Error('chunkedRows: a fused step needs every unit chunked');
    const L = lanes.lanes;
    // sumTable[(base[c] + v)·L + l]: lane l's exact partial readout sum over chunk c's units at value v.
    const sumTable = new Float64Array(base[nChunks] * L);
    for (let c = 0; c < nChunks; c++) {
      const first = unitStart[c];
      const k = unitStart[c + 1] - first;
      for (let v = 0; v < plan.radix[c]; v++) {
        for (let l = 0; l < L; l++) {
          let sum = 0;
          for (let t = 0; t < k; t++) sum += lanes.weights[unitOrder[first + t] * L + l] * chunkCodes[codeBase[c] + v * k + t];
          sumTable[(base[c] + v) * L + l] = sum;
        }
      }
    }
    const hash = rowHash(width);
    const totals = new Float64Array(L);
    if (L !== 1) {
      // Readouts that need one lane an output (wide formats or width > 2): step, then hash and sum the new row.
      return {
        sums: lanes.sums,
        hash,
        step(src, srcOff, symbol, dst, dstOff, sums, sumsOff) {
          step(src, srcOff, symbol, dst, dstOff);
          totals.fill(0);
          valuesOf(dst, dstOff, (c, v) => {
            for (let l = 0; l < L; l++) totals[l] += sumTable[(base[c] + v) * L + l];
          });
          lanes.unpack(totals, sums, sumsOff);
          return hash(dst, dstOff);
        },
        stepPair: null,
        label,
      };
    }
    const byteSums = sumTable.subarray(0, B * BYTE_RADIX);
    const wideSums = sumTable.subarray(B * BYTE_RADIX);
    const wideSumBase = Int32Array.from({ length: W }, (_, c) => base[B + c] - base[B]);
    const fusedStep: FusedDynamics['step'] = (src, srcOff, symbol, dst, dstOff, sums, sumsOff) => {
      dst[dstOff] = symbol;
      let h = Math.imul(FNV_BASIS ^ symbol, FNV_PRIME);
      let i = srcOff + 1;
      let o = dstOff + 1;
      let at = symbol;
      let st = 0;
      // Two partial sums: independent add chains.
      let s0 = 0;
      let s1 = 0;
      for (let q = 0; q < fullBytes; q++, i++, at += 4 * BYTE_STEP, st += 4 * BYTE_RADIX, o++) {
        const w = src[i];
        const c0 = byteNext[at + (w & 0xff) * vocab];
        const c1 = byteNext[at + BYTE_STEP + ((w >>> 8) & 0xff) * vocab];
        const c2 = byteNext[at + 2 * BYTE_STEP + ((w >>> 16) & 0xff) * vocab];
        const c3 = byteNext[at + 3 * BYTE_STEP + (w >>> 24) * vocab];
        s0 += byteSums[st + c0] + byteSums[st + 2 * BYTE_RADIX + c2];
        s1 += byteSums[st + BYTE_RADIX + c1] + byteSums[st + 3 * BYTE_RADIX + c3];
        const word = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
        dst[o] = word;
        h = Math.imul(h ^ word, FNV_PRIME);
      }
      if (restBytes > 0) {
        const w = src[i++];
        let word = 0;
        for (let r = 0; r < restBytes; r++, at += BYTE_STEP, st += BYTE_RADIX) {
          const c = byteNext[at + ((w >>> (8 * r)) & 0xff) * vocab];
          s0 += byteSums[st + c];
          word |= c << (8 * r);
        }
        dst[o++] = word;
        h = Math.imul(h ^ word, FNV_PRIME);
      }
      for (let c = 0; c < W; c += 2, i++, o++) {
        const w = src[i];
        const c0 = wideNext[wideBase[c] + (w & 0xffff) * vocab + symbol];
        s0 += wideSums[wideSumBase[c] + c0];
        let c1 = 0;
        if (c + 1 < W) {
          c1 = wideNext[wideBase[c + 1] + (w >>> 16) * vocab + symbol];
          s1 += wideSums[wideSumBase[c + 1] + c1];
        }
        const word = c0 | (c1 << 16);
        dst[o] = word;
        h = Math.imul(h ^ word, FNV_PRIME);
      }
      totals[0] = s0 + s1;
      lanes.unpack(totals, sums, sumsOff);
      return finish(h);
    };
    const d = lanes.sums;
    let stepPair: FusedDynamics['stepPair'] = null;
    if (vocab === 2) {
      // The sums of both successors of a byte chunk value beside each other, indexed as byteNext is: no
      // wait for the next value before its sum can be fetched.
      const pairSums = Float64Array.from({ length: B * BYTE_RADIX * 2 }, (_, k) => byteSums[(k >> 9) * BYTE_RADIX + byteNext[k]]);
      stepPair = (src, srcOff, dst, dstOff, sums, sumsOff, hashes, hashOff) => {
        dst[dstOff] = 0;
        dst[dstOff + width] = 1;
        let h0 = Math.imul(FNV_BASIS, FNV_PRIME);
        let h1 = Math.imul(FNV_BASIS ^ 1, FNV_PRIME);
        let i = srcOff + 1;
        let o = dstOff + 1;
        let at = 0;
        let s0 = 0;
        let s1 = 0;
        for (let q = 0; q < fullBytes; q++, i++, at += 8 * BYTE_RADIX, o++) {
          const w = src[i];
          const x0 = at + 2 * (w & 0xff);
          const x1 = at + 2 * BYTE_RADIX + 2 * ((w >>> 8) & 0xff);
          const x2 = at + 4 * BYTE_RADIX + 2 * ((w >>> 16) & 0xff);
          const x3 = at + 6 * BYTE_RADIX + 2 * (w >>> 24);
          s0 += pairSums[x0] + pairSums[x1] + pairSums[x2] + pairSums[x3];
          s1 += pairSums[x0 + 1] + pairSums[x1 + 1] + pairSums[x2 + 1] + pairSums[x3 + 1];
          const word0 = byteNext[x0] | (byteNext[x1] << 8) | (byteNext[x2] << 16) | (byteNext[x3] << 24);
          const word1 = byteNext[x0 + 1] | (byteNext[x1 + 1] << 8) | (byteNext[x2 + 1] << 16) | (byteNext[x3 + 1] << 24);
          dst[o] = word0;
          dst[o + width] = word1;
          h0 = Math.imul(h0 ^ word0, FNV_PRIME);
          h1 = Math.imul(h1 ^ word1, FNV_PRIME);
        }
        if (restBytes > 0) {
          const w = src[i++];
          let word0 = 0;
          let word1 = 0;
          for (let r = 0; r < restBytes; r++, at += 2 * BYTE_RADIX) {
            const x = at + 2 * ((w >>> (8 * r)) & 0xff);
            s0 += pairSums[x];
            s1 += pairSums[x + 1];
            word0 |= byteNext[x] << (8 * r);
            word1 |= byteNext[x + 1] << (8 * r);
          }
          dst[o] = word0;
          dst[o + width] = word1;
          o++;
          h0 = Math.imul(h0 ^ word0, FNV_PRIME);
          h1 = Math.imul(h1 ^ word1, FNV_PRIME);
        }
        for (let c = 0; c < W; c += 2, i++, o++) {
          const w = src[i];
          let x = wideBase[c] + 2 * (w & 0xffff);
          let c0 = wideNext[x];
          let e0 = wideNext[x + 1];
          s0 += wideSums[wideSumBase[c] + c0];
          s1 += wideSums[wideSumBase[c] + e0];
          if (c + 1 < W) {
            x = wideBase[c + 1] + 2 * (w >>> 16);
            const c1 = wideNext[x];
            const e1 = wideNext[x + 1];
            s0 += wideSums[wideSumBase[c + 1] + c1];
            s1 += wideSums[wideSumBase[c + 1] + e1];
            c0 |= c1 << 16;
            e0 |= e1 << 16;
          }
          dst[o] = c0;
          dst[o + width] = e0;
          h0 = Math.imul(h0 ^ c0, FNV_PRIME);
          h1 = Math.imul(h1 ^ e0, FNV_PRIME);
        }
        totals[0] = s0;
        lanes.unpack(totals, sums, sumsOff);
        totals[0] = s1;
        lanes.unpack(totals, sums, sumsOff + d);
        hashes[hashOff] = finish(h0);
        hashes[hashOff + 1] = finish(h1);
      };
    }
    return { sums: d, hash, step: fusedStep, stepPair, label };
  };

  const decoder: ChunkedRows['decoder'] = (decode, binary32 = false) => {
    // Values, not codes: a float's decode is itself a table lookup, a second cache miss a unit.
    const chunkValues = Float64Array.from(chunkCodes, (code) => decode(code) + 0);
    const floatsOf = binary32 ? cachedView((w) => new Float32Array(w.buffer, w.byteOffset, w.length)) : null;
    return (src, srcOff, out) => {
      const b8 = bytesOf(src);
      const b16 = shortsOf(src);
      const i = (srcOff + 1) * 4;
      const iw = (srcOff + 1 + byteWords) * 2 - B;
      for (let c = 0; c < nChunks; c++) {
        const v = c < B ? b8[i + c] : b16[iw + c];
        const first = unitStart[c];
        const k = unitStart[c + 1] - first;
        const at = codeBase[c] + v * k;
        for (let t = 0; t < k; t++) out[unitOrder[first + t]] = chunkValues[at + t];
      }
      if (floatsOf !== null) {
        const f32 = floatsOf(src);
        for (let r = 0, o = srcOff + rawOffset; r < R; r++) out[raw[r]] = f32[o + r] + 0;
      } else for (let r = 0, o = srcOff + rawOffset; r < R; r++) out[raw[r]] = decode(src[o + r]) + 0;
    };
  };

  return { width, initial, chunks: nChunks, raw, rawOffset, step, codesInto, decoder, fused };
}
