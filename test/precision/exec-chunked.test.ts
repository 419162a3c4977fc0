import { describe, expect, it } from '@jest/globals';
import { TooManyStatesError } from '../../src/errors.js';
import { checkAgainstReference, exactAutomaton } from '../../src/extract/exact.js';
import type { Machine } from '../../src/machine.js';
import type { Checkpoint } from '../../src/models/checkpoint.js';
import { planChunks, unitSets } from '../../src/precision/exec/chunked.js';
import { checkpointMachine, type ExactState } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { randomCheckpoint, smallConfig } from '../fixtures/handbuilt.js';
import { walkAgainstGeneric } from './walk.js';

/** The same machine with its packed fast path hidden, so extraction takes the generic route. */
function generic(machine: Machine<ExactState>): Machine<ExactState> {
  return { ...machine, packed: null } as Machine<ExactState>;
}

/** A random LRNN over `vocab` symbols (the task's alphabet widened to match). */
function lrnn(family: 'lrnn-pos' | 'lrnn-neg', vocab: number, state: number, width: number, seed: number, scale: number): Checkpoint {
  const ckpt = randomCheckpoint(smallConfig(family, { vocab, state, width }), seed, scale);
  const alphabet = Array.from({ length: vocab }, (_, i) => 'abcdefgh'[i]);
  return { ...ckpt, task: { ...ckpt.task, alphabet } };
}

describe('unitSets', () => {
  it('finds exactly the codes reachable from 0, numbered in BFS order, and gives up past the cap', () => {
    // Unit j: x -> (x·(j + 2) + symbol) mod (7 + j), over 2 symbols.
    const step = (symbol: number, j: number, code: number) => (code * (j + 2) + symbol) % (7 + j);
    const sets = unitSets(3, 2, step, 100)!;
    for (let j = 0; j < 3; j++) {
      const seen = [0];
      for (let i = 0; i < seen.length; i++) for (const x of [0, 1]) if (!seen.includes(step(x, j, seen[i]))) seen.push(step(x, j, seen[i]));
      expect(Array.from(sets.codes[j])).toEqual(seen);
      for (let l = 0; l < seen.length; l++) {
        for (const x of [0, 1]) expect(sets.codes[j][sets.next[j][2 * l + x]]).toBe(step(x, j, seen[l]));
      }
    }
    expect(unitSets(3, 2, step, 8)).toBeNull();
    expect(unitSets(3, 2, step, 9)).not.toBeNull();
  });
});

describe('planChunks', () => {
  it('places every unit once, byte chunks within 256 values and first, wide chunks for the larger units', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 50; trial++) {
      const sizes = Array.from({ length: rng.int(1, 64) }, () => (rng.int(0, 9) === 0 ? rng.int(257, 5000) : rng.int(1, 256)));
      const plan = planChunks(sizes);
      expect(plan.units.flat().sort((p, q) => p - q)).toEqual(sizes.map((_, j) => j));
      plan.units.forEach((units, c) => {
        const radix = units.reduce((r, j) => r * sizes[j], 1);
        expect(plan.radix[c]).toBe(radix);
        if (c < plan.bytes) expect(radix).toBeLessThanOrEqual(256);
        else expect(units.some((j) => sizes[j] > 256)).toBe(true);
        expect(radix).toBeLessThanOrEqual(65536);
      });
      // First fit: no two byte chunks could have been one.
      const byteRadix = plan.radix.slice(0, plan.bytes).sort((p, q) => p - q);
      if (byteRadix.length >= 2) expect(byteRadix[0] * byteRadix[1]).toBeGreaterThan(256);
    }
  });
});

describe('the chunked route and the generic executor', () => {
  // [format, family, vocab, units, readout width, seed, weight scale]: small and large state sizes, both
  // families, two and three symbols, widths 1 to 3 (width 3 sums one lane an output).
  const CASES: [string, 'lrnn-pos' | 'lrnn-neg', number, number, number, number, number][] = [
    ['fixed<2,6>', 'lrnn-neg', 2, 1, 2, 3, 1.5],
    ['fixed<2,6>', 'lrnn-neg', 2, 64, 2, 5, 0.3],
    ['fixed<2,6>', 'lrnn-pos', 3, 5, 3, 6, 1.5],
    ['fixed<2,4>', 'lrnn-neg', 3, 16, 2, 7, 1],
    ['fixed<2,4>', 'lrnn-pos', 2, 64, 1, 8, 0.6],
    ['fixed<3,2>', 'lrnn-neg', 2, 9, 2, 9, 1.5],
    ['fixed<3,2>', 'lrnn-pos', 3, 32, 2, 10, 1],
    ['fixed<2,8>', 'lrnn-neg', 2, 3, 2, 11, 1.5],
    ['fixed<2,8>', 'lrnn-pos', 3, 2, 3, 12, 1.5],
    ['bf16', 'lrnn-neg', 2, 2, 2, 13, 1.5],
    ['bf16', 'lrnn-pos', 3, 1, 2, 14, 1.5],
    ['fp8-e4m3', 'lrnn-neg', 2, 64, 2, 15, 0.3],
    ['fp8-e4m3', 'lrnn-pos', 3, 6, 2, 16, 1.5],
  ];

  /** The outcome of an extraction: the automaton, or the cap error's message. */
  const extract = (m: Machine<ExactState>, maxStates: number, progress: number[]) => {
    try {
      const r = exactAutomaton(m, { maxStates, onProgress: (s) => progress.push(s) });
      return { explored: r.explored, table: Array.from(r.dfa.table), labels: Array.from(r.dfa.labels) };
    } catch (error) {
      if (!(error instanceof TooManyStatesError)) throw error;
      return { cap: error.message };
    }
  };

  it.each(CASES)('build the same automaton at %s (%s, vocab %i, %i units, width %i, seed %i)', (name, family, vocab, state, width, seed, scale) => {
    const m = checkpointMachine(lrnn(family, vocab, state, width, seed, scale), parseFormat(name));
    expect(m.packed!.layout.kind).toBe('chunks');
    const fastProgress: number[] = [];
    const slowProgress: number[] = [];
    const fast = extract(m, 6000, fastProgress);
    const slow = extract(generic(m), 6000, slowProgress);
    expect(fast).toEqual(slow);
    expect(fastProgress).toEqual(slowProgress);
    if ('explored' in fast) {
      expect(fast.explored).toBeGreaterThan(20);
      // One state short of the cap, both stop alike.
      expect(extract(m, fast.explored! - 1, [])).toEqual(extract(generic(m), fast.explored! - 1, []));
      expect(JSON.stringify(extract(m, fast.explored! - 1, []))).toContain(`more than ${fast.explored! - 1} states`);
    }
    // The on-the-fly check explores state for state alike, to a verdict or the cap.
    const reference = checkpointMachine(lrnn(family, vocab, 1, width, seed + 100, 1), parseFormat('fixed<2,6>'));
    const dfa = exactAutomaton(reference, { maxStates: 1000 }).dfa;
    const fastCheck = checkAgainstReference(m, dfa, { maxStates: 3000 });
    const slowCheck = checkAgainstReference(generic(m), dfa, { maxStates: 3000 });
    expect(fastCheck).toEqual({ ...slowCheck, seconds: fastCheck.seconds });
  });

  it('holds rows of fewer words than one code a unit on a 64-unit network', () => {
    const m = checkpointMachine(lrnn('lrnn-neg', 2, 64, 2, 2024, 0.8), parseFormat('fixed<2,6>'));
    const layout = m.packed!.layout;
    expect(layout.kind).toBe('chunks');
    // 64 one-byte codes are 16 words; the chunks of the same states take fewer.
    expect(m.packed!.width).toBeLessThan(1 + 16);
    walkAgainstGeneric(m, 2, 10, 40);
  });
});
