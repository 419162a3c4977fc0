import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TooManyStatesError } from '../../src/errors.js';
import { checkAgainstReference, exactAutomaton } from '../../src/extract/exact.js';
import type { Machine } from '../../src/machine.js';
import { Arith } from '../../src/precision/exec/arith.js';
import { filteredDot, roundTwoSum, type RowLayout } from '../../src/precision/exec/packed.js';
import { RowTable } from '../../src/precision/exec/rows.js';
import { checkpointMachine, type ExactState } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { randomCheckpoint, smallConfig } from '../fixtures/handbuilt.js';
import { walkAgainstGeneric } from './walk.js';

/** A row layout in short: all chunks, chunks beside raw units ('hybrid'), or one code a unit. */
const layoutOf = (layout: RowLayout) => (layout.kind === 'codes' ? 'codes' : layout.raw === 0 ? 'chunks' : 'hybrid');

/** The same machine with its packed fast path hidden, so extraction takes the generic route. */
function generic(machine: Machine<ExactState>): Machine<ExactState> {
  return { ...machine, packed: null } as Machine<ExactState>;
}

describe('RowTable', () => {
  it.each([
    ['growing by 4', undefined],
    ['growing to a reserve first', 700],
  ])('interns rows by content, ids in insertion order, across rehashes and arena growth (%s)', (_, arenaRows) => {
    const rng = new Rng(3);
    const table = new RowTable(3, 2, arenaRows);
    expect(table.arena.length).toBe(2 * 3);
    const seen = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      // Values that differ only in high bits too, so a hash that ignores them would pile up.
      const row = Int32Array.from({ length: 3 }, () => rng.int(0, 40) * (rng.int(0, 1) === 0 ? 1 : 1 << 24));
      const key = row.join(',');
      const id = table.intern(row, 0);
      if (!seen.has(key)) seen.set(key, seen.size);
      if (id !== seen.get(key)) throw new Error(`row ${key}: id ${id}, expected ${seen.get(key)}`);
      for (let j = 0; j < 3; j++) if (table.arena[id * 3 + j] !== row[j]) throw new Error(`row ${key} stored wrongly`);
      // The first growth goes straight to the reserve.
      if (arenaRows !== undefined && table.count > 2 && table.count <= arenaRows) expect(table.arena.length).toBe(arenaRows * 3);
    }
    expect(table.count).toBe(seen.size);
    expect(table.count).toBeGreaterThan(700);
  });

  it('commitRows gives the ids m commits would, with repeats inside a batch and across batches', () => {
    const rng = new Rng(4);
    const batched = new RowTable(5, 2);
    const single = new RowTable(5, 2);
    const ids = new Int32Array(40);
    for (let round = 0; round < 200; round++) {
      const m = rng.int(1, 40);
      // Few distinct rows, so most batches repeat rows of their own and of earlier batches.
      const rows = Array.from({ length: m }, () => Int32Array.from({ length: 5 }, () => rng.int(0, 2) << (8 * rng.int(0, 3))));
      let at = batched.reserveRows(m);
      for (const row of rows) {
        batched.arena.set(row, at);
        at += 5;
      }
      batched.commitRows(m, ids);
      const expected = rows.map((row) => single.intern(row, 0));
      if (expected.some((id, r) => id !== ids[r])) throw new Error(`round ${round}: ids ${Array.from(ids.subarray(0, m))}, expected ${expected}`);
    }
    expect(Array.from(batched.arena.subarray(0, 5 * batched.count))).toEqual(Array.from(single.arena.subarray(0, 5 * single.count)));
    expect(batched.count).toBeGreaterThan(100);
  });
});

describe('roundTwoSum', () => {
  const fp32 = Math.fround;
  it('breaks an fp32 tie that float64 cannot see by the sign of the TwoSum error', () => {
    const s = 1 + 2 ** -24; // the midpoint of 1 and 1 + 2^-23
    expect(roundTwoSum(fp32, 3.4e38, s, 2 ** -80)).toBe(1 + 2 ** -23);
    expect(roundTwoSum(fp32, 3.4e38, s, -(2 ** -80))).toBe(1);
    expect(roundTwoSum(fp32, 3.4e38, s, 0)).toBe(1); // an exact tie goes to even
    // Below a power of two the spacing halves: 1 − 2^-25 is the midpoint of 1 − 2^-24 and 1.
    expect(roundTwoSum(fp32, 3.4e38, 1 - 2 ** -25, -(2 ** -90))).toBe(1 - 2 ** -24);
    expect(roundTwoSum(fp32, 3.4e38, 1 - 2 ** -25, 2 ** -90)).toBe(1);
    // Not a midpoint: the error cannot move the result.
    expect(roundTwoSum(fp32, 3.4e38, 1 + 2 ** -25, 2 ** -80)).toBe(1);
    // Half the smallest subnormal, pushed either way.
    expect(roundTwoSum(fp32, 3.4e38, 2 ** -150, 2 ** -220)).toBe(2 ** -149);
    expect(roundTwoSum(fp32, 3.4e38, 2 ** -150, -(2 ** -220))).toBe(0);
    // At the overflow boundary it declines.
    expect(roundTwoSum(fp32, 3.4e38, 3.4028235677973366e38, 1)).toBeNaN();
  });

  it.each(['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fp8-e5m2'])('a·h + b at %s agrees with the exact Arith', (name) => {
    const format = parseFormat(name);
    const arith = new Arith(format);
    const round = name === 'fp32' ? Math.fround : (x: number) => format.round(x);
    const max = format.kind === 'float' ? format.max : Infinity;
    const rng = new Rng(17);
    const mant = format.kind === 'float' ? format.mantBits : 0;
    const sign = () => (rng.int(0, 1) === 0 ? -1 : 1);
    // Few significand bits and nearby exponents make exact float64 sums and format ties common.
    const value = () => format.round(sign() * rng.int(1, 64) * 2 ** rng.int(-40, 4));
    /** a·h = 2^e·(1 + 2^−q + 2^−r + 2^−(mant+1)), a midpoint of the format, plus a tiny b that float64 drops. */
    const tieProne = (): [number, number, number] => {
      const q = rng.int(1, mant);
      const e1 = rng.int(-6, 3);
      const e2 = rng.int(-6, 3);
      const a = sign() * (1 + 2 ** -q) * 2 ** e1;
      const h = (1 + 2 ** -(mant + 1 - q)) * 2 ** e2;
      const b = sign() * 2 ** (e1 + e2 - rng.int(56, 70));
      return [a, h, format.round(b) === b ? b : value()];
    };
    let decided = 0;
    let ties = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const [a, h, b] = rng.int(0, 1) === 0 ? tieProne() : [value(), value(), value()];
      const p = a * h;
      const s = p + b;
      const t = s - p;
      const err = p - (s - t) + (b - t);
      const got = roundTwoSum(round, max, s, err);
      if (got !== got) continue;
      decided++;
      const exact = arith.begin().add2(a, h).add1(b).end();
      if (!Object.is(got, exact)) throw new Error(`${a}·${h} + ${b}: ${got}, exact ${exact}`);
      if (err !== 0 && got !== round(s)) ties++;
    }
    expect(decided).toBeGreaterThan(3000);
    // The tie-breaking branch was exercised, not just round(s), where float64 can drop a term at all.
    if (name === 'fp32' || name === 'bf16') expect(ties).toBeGreaterThan(100);
  });
});

describe('filteredDot', () => {
  it('declines a sum that float64 rounds onto a midpoint, and agrees with the exact Arith elsewhere', () => {
    const format = parseFormat('fp32');
    const round = (x: number) => format.round(x);
    // 1 + 2^-24 + 2^-70: float64 drops the last term and lands on the fp32 midpoint of 1 and 1 + 2^-23.
    const w = Float64Array.of(1, 1, 1);
    expect(filteredDot(round, w, 0, 1, Float64Array.of(1, 2 ** -24, 2 ** -70), 3)).toBeNaN();
    expect(filteredDot(round, w, 0, 1, Float64Array.of(1, 2 ** -26, 2 ** -70), 3)).toBe(1);
    for (const name of ['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fixed<2,6>', 'fixed<8,16,floor>', 'fixed<4,12,half-up>']) {
      const f = parseFormat(name);
      const arith = new Arith(f);
      const rng = new Rng(31);
      const value = () => f.round((rng.float() - 0.5) * 2 ** rng.int(-20, 3));
      let declined = 0;
      for (let trial = 0; trial < 1500; trial++) {
        const n = rng.int(1, 16);
        const a = Float64Array.from({ length: n }, value);
        const x = Float64Array.from({ length: n }, value);
        const got = filteredDot((v) => f.round(v), a, 0, 1, x, n);
        if (got !== got) {
          declined++;
          continue;
        }
        const exact = arith.dot(a, 0, 1, x, n, 0);
        if (got !== exact) throw new Error(`${name}: [${Array.from(a)}]·[${Array.from(x)}] = ${got}, exact ${exact}`);
      }
      // Random sums are almost always decided in float64.
      expect(declined).toBeLessThan(150);
    }
  });
});

describe('the packed fast path and the generic executor', () => {
  const FORMATS = ['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fp8-e5m2', 'fixed<2,6>', 'fixed<4,8>', 'fixed<3,5,floor>', 'fixed<2,10,half-up>', 'fixed<8,16>'];

  /**
   * The row layout of the two networks below: chunks of unit ids in formats of at most 2^16 codes; in wider
   * ones, units past 2^12 codes stay raw, beside chunks of the others ('hybrid') or alone ('codes').
   */
  const LAYOUT: Record<string, [pos: 'chunks' | 'hybrid' | 'codes', neg: 'chunks' | 'hybrid' | 'codes']> = {
    fp32: ['hybrid', 'codes'], 'fixed<8,16>': ['hybrid', 'hybrid'],
  };

  it.each(FORMATS)('step and classify alike on random words at %s', (name) => {
    const format = parseFormat(name);
    for (const family of ['lrnn-pos', 'lrnn-neg'] as const) {
      // 13 units: the last word of a row is part padding, which must stay zero (it is hashed).
      // Widths 2 and 3: the fixed readout has its own one-pass path for width 2.
      const ckpt = randomCheckpoint(smallConfig(family, { width: family === 'lrnn-neg' ? 2 : 3, state: 13 }), 23, 1.2);
      const m = checkpointMachine(ckpt, format);
      const packed = m.packed!;
      expect(packed).not.toBeNull();
      expect(layoutOf(packed.layout)).toBe((LAYOUT[name] ?? ['chunks', 'chunks'])[family === 'lrnn-pos' ? 0 : 1]);
      if (packed.layout.kind === 'codes') {
        const bytes = packed.layout.codeBytes;
        expect(packed.width).toBe(1 + Math.ceil((13 * bytes) / 4));
      }
      // Codes rows: the bytes past the last code; chunked rows: the words past the last chunk value are hashed as a whole, checked by the exact row comparison below.
      const padding = (row: Int32Array) =>
        packed.layout.kind === 'codes' ? new Uint8Array(row.buffer).subarray(4 + 13 * packed.layout.codeBytes) : new Uint8Array(0);
      walkAgainstGeneric(m, 8, 30, 25, (row) => expect(padding(row).every((byte) => byte === 0)).toBe(true));
    }
  });

  it.each([
    ['fp8-e4m3', 'lrnn-neg', 4],
    ['fp8-e5m2', 'lrnn-neg', 4],
    ['bf16', 'lrnn-pos', 2],
    ['bf16', 'lrnn-neg', 2],
    ['fixed<4,8>', 'lrnn-neg', 2],
    ['fixed<3,5,floor>', 'lrnn-neg', 4],
    ['fixed<2,10,half-up>', 'lrnn-neg', 2],
  ] as [string, 'lrnn-pos' | 'lrnn-neg', number][])('build identical automata at %s (%s, %i units)', (name, family, state) => {
    const m = checkpointMachine(randomCheckpoint(smallConfig(family, { width: 3, state }), 11, 1.5), parseFormat(name));
    expect(m.packed).not.toBeNull();
    const fast = exactAutomaton(m, { maxStates: 50_000 });
    const slow = exactAutomaton(generic(m), { maxStates: 50_000 });
    expect(fast.explored).toBeGreaterThan(100);
    expect(fast.explored).toBe(slow.explored);
    expect(Array.from(fast.dfa.table)).toEqual(Array.from(slow.dfa.table));
    expect(Array.from(fast.dfa.labels)).toEqual(Array.from(slow.dfa.labels));
  });

  it('build identical automata past the classify memo reviews (fp16, 2-byte codes, 13841 states)', () => {
    // Thousands of states: the readout memo is reviewed (kept or dropped) at 4096 and 8192 lookups.
    const m = checkpointMachine(randomCheckpoint(smallConfig('lrnn-neg', { width: 3, state: 2 }), 1, 1.5), parseFormat('fp16'));
    const fast = exactAutomaton(m, { maxStates: 50_000 });
    const slow = exactAutomaton(generic(m), { maxStates: 50_000 });
    expect(fast.explored).toBeGreaterThan(2 * 4096);
    expect(fast.explored).toBe(slow.explored);
    expect(fast.dfa.nStates).toBeGreaterThan(1000);
    expect(Array.from(fast.dfa.table)).toEqual(Array.from(slow.dfa.table));
    expect(Array.from(fast.dfa.labels)).toEqual(Array.from(slow.dfa.labels));
  });
});

describe('hybrid rows (chunks and raw units) and the generic executor', () => {
  // Wide formats on random small LRNNs: the seeds and scales give rows of every kind (all raw, some raw
  // units beside chunks, all chunked), which the property does not choose; it holds each to the generic
  // route: every step and class on random words, and the whole automaton (or the same cap) past 2000 states.
  it('agree on random models and words at fp32, fixed<8,16> and fixed<5,14,floor>, rows of every kind', () => {
    const kinds = new Set<string>();
    for (const name of ['fp32', 'fixed<8,16>', 'fixed<5,14,floor>']) {
      fc.assert(
        fc.property(
          fc.constantFrom('lrnn-pos' as const, 'lrnn-neg' as const),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 10_000 }),
          fc.constantFrom(1.2, 1.5, 2),
          (family, state, width, seed, scale) => {
            const m = checkpointMachine(randomCheckpoint(smallConfig(family, { width, state }), seed, scale), parseFormat(name));
            kinds.add(layoutOf(m.packed!.layout));
            walkAgainstGeneric(m, seed, 3, 30);
            const outcome = (machine: Machine<ExactState>) => {
              try {
                const r = exactAutomaton(machine, { maxStates: 2000 });
                return { explored: r.explored, table: Array.from(r.dfa.table), labels: Array.from(r.dfa.labels) };
              } catch (error) {
                if (!(error instanceof TooManyStatesError)) throw error;
                return { cap: error.message };
              }
            };
            expect(outcome(m)).toEqual(outcome(generic(m)));
          },
        ),
        { seed: 0x5eed, numRuns: 12 },
      );
    }
    expect([...kinds].sort()).toEqual(['chunks', 'codes', 'hybrid']);
  });
});

describe('the fused step (chunked fixed formats) and the unfused packed route', () => {
  /** The same machine with only its fused step hidden. */
  const unfused = (machine: Machine<ExactState>): Machine<ExactState> => {
    const m = machine as Machine<ExactState> & { packed: NonNullable<ReturnType<typeof checkpointMachine>['packed']> };
    return { ...m, packed: { ...m.packed, fused: null } } as Machine<ExactState>;
  };
  // Widths 1 and 2 sum the readout in locals, width 3 in an array; 256 codes give a direct label table at
  // widths 1 and 2, 4096 codes (and width 3) the memo; fixed<6,0> rounds with no fraction bits.
  const CASES: [string, number][] = [
    ['fixed<2,6>', 1], ['fixed<2,6>', 2], ['fixed<2,6>', 3], ['fixed<3,5,floor>', 2], ['fixed<4,8>', 2],
    ['fixed<2,10,half-up>', 3], ['fixed<6,0>', 2],
  ];

  it.each(CASES)('step, hash and label alike on random words at %s, width %i', (name, width) => {
    const m = checkpointMachine(randomCheckpoint(smallConfig('lrnn-neg', { width, state: 13 }), 23, 1.2), parseFormat(name));
    const packed = m.packed!;
    const fused = packed.fused!;
    expect(fused).not.toBeNull();
    expect(fused.sums).toBe(width);
    // The one-pass pair step covers two-symbol alphabets and readouts of width 1 or 2 (one lane).
    expect(fused.stepPair !== null).toBe(width <= 2);
    const rng = new Rng(9);
    for (let i = 0; i < 30; i++) {
      let row = Int32Array.from(packed.initial);
      for (let t = 0; t < 25; t++) {
        const x = rng.int(0, 1);
        const slow = new Int32Array(packed.width);
        const fast = new Int32Array(packed.width);
        packed.step(row, 0, x, slow, 0);
        // The sums at an offset, between guard values that must stay untouched.
        const sums = new Float64Array(fused.sums + 2).fill(7.5);
        const hash = fused.step(row, 0, x, fast, 0, sums, 1);
        expect(Array.from(fast)).toEqual(Array.from(slow));
        expect(hash).toBe(fused.hash(fast, 0));
        expect(fused.label(x, sums, 1)).toBe(packed.classify(fast, 0));
        expect([sums[0], sums[fused.sums + 1]]).toEqual([7.5, 7.5]);
        if (fused.stepPair !== null) {
          // Both symbols in one pass: the same two rows, sums and hashes as two steps.
          const rows = new Int32Array(1 + 2 * packed.width);
          const pairSums = new Float64Array(1 + 2 * fused.sums);
          const hashes = new Int32Array(3);
          fused.stepPair(row, 0, rows, 1, pairSums, 1, hashes, 1);
          for (const symbol of [0, 1]) {
            const one = new Int32Array(packed.width);
            const oneSums = new Float64Array(fused.sums);
            expect(hashes[1 + symbol]).toBe(fused.step(row, 0, symbol, one, 0, oneSums, 0));
            expect(Array.from(rows.subarray(1 + symbol * packed.width, 1 + (symbol + 1) * packed.width))).toEqual(Array.from(one));
            expect(Array.from(pairSums.subarray(1 + symbol * fused.sums, 1 + (symbol + 1) * fused.sums))).toEqual(Array.from(oneSums));
          }
        }
        row = fast;
      }
    }
  });

  // [format, width, units, seed]: networks whose minimal automata have more than one state where one was found.
  const EXPLORATIONS: [string, number, number, number][] = [
    ['fixed<2,6>', 1, 4, 12], ['fixed<2,6>', 2, 4, 12], ['fixed<2,6>', 3, 2, 13], ['fixed<3,5,floor>', 2, 3, 13],
    ['fixed<4,8>', 2, 3, 12], ['fixed<2,10,half-up>', 3, 2, 11], ['fixed<6,0>', 2, 3, 13],
  ];

  it.each(EXPLORATIONS)('build the same exploration at %s, width %i (%i units, seed %i)', (name, width, state, seed) => {
    const m = checkpointMachine(randomCheckpoint(smallConfig('lrnn-neg', { width, state }), seed, 1.5), parseFormat(name));
    expect(m.packed!.fused).not.toBeNull();
    const seen: number[] = [];
    const fast = exactAutomaton(m, { maxStates: 50_000, onProgress: (s) => seen.push(s) });
    const slow = exactAutomaton(unfused(m), { maxStates: 50_000 });
    expect(fast.explored).toBeGreaterThan(200);
    expect(fast.explored).toBe(slow.explored);
    expect(seen).toEqual(Array.from({ length: Math.floor((fast.explored - 1) / 4096) }, (_, i) => 4096 * (i + 1)));
    expect(Array.from(fast.dfa.table)).toEqual(Array.from(slow.dfa.table));
    expect(Array.from(fast.dfa.labels)).toEqual(Array.from(slow.dfa.labels));
    // The on-the-fly check explores through the fused step too, state for state.
    const reference = fast.dfa;
    const fastCheck = checkAgainstReference(m, reference, { maxStates: 50_000 });
    const slowCheck = checkAgainstReference(unfused(m), reference, { maxStates: 50_000 });
    expect(fastCheck).toEqual({ ...slowCheck, seconds: fastCheck.seconds });
    expect(fastCheck.explored).toBe(fast.explored);
    // One state short of the cap, both stop alike.
    expect(() => exactAutomaton(m, { maxStates: fast.explored - 1 })).toThrow(`more than ${fast.explored - 1} states`);
  });

  it('sums a 24-bit readout in one lane an output (fixed<8,16>: no pair step) and builds the generic automaton', () => {
    const m = checkpointMachine(randomCheckpoint(smallConfig('lrnn-neg', { width: 2, state: 1 }), 12, 0.6), parseFormat('fixed<8,16>'));
    expect(m.packed!.layout.kind).toBe('chunks');
    expect(m.packed!.fused).not.toBeNull();
    expect(m.packed!.fused!.stepPair).toBeNull();
    const fast = exactAutomaton(m, { maxStates: 50_000 });
    const slow = exactAutomaton(generic(m), { maxStates: 50_000 });
    expect(fast.explored).toBeGreaterThan(1000);
    expect(fast.explored).toBe(slow.explored);
    expect(Array.from(fast.dfa.table)).toEqual(Array.from(slow.dfa.table));
  });
});
