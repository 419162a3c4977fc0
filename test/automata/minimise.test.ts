import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Dfa } from '../../src/automata/dfa.js';
import { separatingWord, separatingWordFrom } from '../../src/automata/equivalence.js';
import { isMinimal, minimise } from '../../src/automata/minimise.js';
import { randomDfa } from '../../src/automata/random.js';
import { bfsOrder } from '../../src/automata/reach.js';
import { Rng } from '../../src/random.js';

/** Small complete DFAs with arbitrary (possibly unreachable) states and labels in [0, nClasses). */
function smallDfa(maxStates: number, alphabet: readonly string[], classes?: readonly string[]): fc.Arbitrary<Dfa> {
  const k = alphabet.length;
  const nClasses = classes?.length ?? 2;
  return fc.integer({ min: 1, max: maxStates }).chain((n) =>
    fc
      .record({
        table: fc.array(fc.nat(n - 1), { minLength: n * k, maxLength: n * k }),
        labels: fc.array(fc.nat(nClasses - 1), { minLength: n, maxLength: n }),
        initial: fc.nat(n - 1),
      })
      .map(({ table, labels, initial }) => new Dfa({ alphabet, classes, table, labels, initial })),
  );
}

/** Number of Myhill–Nerode classes of the reachable states, by Moore's naive signature refinement. */
function naiveMinimalSize(dfa: Dfa): number {
  const reachable = [...bfsOrder(dfa)];
  let cls = new Map<number, number>(reachable.map((s) => [s, dfa.labels[s]]));
  let count = new Set(cls.values()).size;
  for (;;) {
    const ids = new Map<string, number>();
    const next = new Map<number, number>();
    for (const s of reachable) {
      const signature = [cls.get(s), ...dfa.alphabet.map((_, a) => cls.get(dfa.table[s * dfa.nSymbols + a]))].join(',');
      if (!ids.has(signature)) ids.set(signature, ids.size);
      next.set(s, ids.get(signature) as number);
    }
    cls = next;
    if (ids.size === count) return count;
    count = ids.size;
  }
}

function sameTables(a: Dfa, b: Dfa): boolean {
  return (
    a.start === b.start &&
    a.nStates === b.nStates &&
    a.table.every((t, i) => t === b.table[i]) &&
    a.labels.every((l, i) => l === b.labels[i])
  );
}

/** The same automaton with its states renamed by a permutation (initial state included). */
function permute(dfa: Dfa, perm: readonly number[]): Dfa {
  const k = dfa.nSymbols;
  const table = new Int32Array(dfa.nStates * k);
  const labels = new Int32Array(dfa.nStates);
  for (let s = 0; s < dfa.nStates; s++) {
    labels[perm[s]] = dfa.labels[s];
    for (let a = 0; a < k; a++) table[perm[s] * k + a] = perm[dfa.table[s * k + a]];
  }
  return new Dfa({ alphabet: dfa.alphabet, classes: dfa.classes, table, labels, initial: perm[dfa.start] });
}

const BIN = ['0', '1'];

describe('minimise', () => {
  it('gives the known minimal sizes of hand-made languages', () => {
    // Binary numbers divisible by 3, with a redundant copy of every state (6 states -> 3).
    // State r < 3 reads bit b into copy 3 + (2r + b) mod 3; copy 3 + r reads it back into (2r + b) mod 3.
    const mod3 = Dfa.binary(BIN, [3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2], [0, 3]);
    expect(minimise(mod3).nStates).toBe(3);
    // Parity with a duplicated even state and an unreachable junk state.
    const parity = Dfa.binary(BIN, [2, 1, 1, 0, 0, 1, 3, 3], [1]);
    const p = minimise(parity);
    expect(p.nStates).toBe(2);
    expect([...p.table]).toEqual([0, 1, 1, 0]);
    expect([...p.labels]).toEqual([0, 1]);
  });

  it('keeps the dead state of a complete DFA (∅ and Σ* have one state)', () => {
    expect(minimise(Dfa.binary(BIN, [1, 2, 1, 2, 2, 1], [])).nStates).toBe(1);
    expect(minimise(Dfa.binary(BIN, [1, 2, 1, 2, 2, 1], [0, 1, 2])).nStates).toBe(1);
    // Words starting with 1: start, dead, accept-all.
    const startsWith1 = minimise(Dfa.binary(BIN, [1, 2, 1, 1, 2, 2], [2]));
    expect(startsWith1.nStates).toBe(3);
  });

  it('minimises multi-class (Moore) machines by their labels', () => {
    // A counter mod 6 whose output is the count mod 3: six states, three classes, three minimal states.
    const table = [1, 2, 3, 4, 5, 0];
    const mod6 = new Dfa({ alphabet: ['a'], classes: ['r0', 'r1', 'r2'], table, labels: [0, 1, 2, 0, 1, 2] });
    const m = minimise(mod6);
    expect(m.nStates).toBe(3);
    expect(m.classes).toEqual(['r0', 'r1', 'r2']);
    expect([...m.labels]).toEqual([0, 1, 2]);
    // Output mod 2 of a mod-6 counter needs only 2 states; output "count = 0" needs all 6.
    expect(minimise(new Dfa({ alphabet: ['a'], table, labels: [0, 1, 0, 1, 0, 1] })).nStates).toBe(2);
    expect(minimise(new Dfa({ alphabet: ['a'], table, labels: [1, 0, 0, 0, 0, 0] })).nStates).toBe(6);
  });

  it('agrees with a naive Moore minimiser, and its result is equivalent, minimal and canonical', () => {
    fc.assert(
      fc.property(smallDfa(7, BIN), (dfa) => {
        const m = minimise(dfa);
        expect(m.nStates).toBe(naiveMinimalSize(dfa));
        expect(separatingWord(dfa, m)).toBeNull();
        for (let p = 0; p < m.nStates; p++)
          for (let q = p + 1; q < m.nStates; q++) expect(separatingWordFrom(m, p, q)).not.toBeNull();
        expect(isMinimal(m)).toBe(true);
        expect(sameTables(minimise(m), m)).toBe(true);
        expect([...bfsOrder(m)]).toEqual([...Array(m.nStates).keys()]);
      }),
      { numRuns: 300 },
    );
  });

  it('does the same for three symbols and three classes', () => {
    fc.assert(
      fc.property(smallDfa(8, ['a', 'b', 'c'], ['x', 'y', 'z']), (dfa) => {
        const m = minimise(dfa);
        expect(m.nStates).toBe(naiveMinimalSize(dfa));
        expect(separatingWord(dfa, m)).toBeNull();
        expect(isMinimal(m)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('gives identical tables for automata that differ only in state names', () => {
    fc.assert(
      fc.property(
        smallDfa(8, BIN).chain((dfa) =>
          fc.tuple(fc.constant(dfa), fc.shuffledSubarray([...Array(dfa.nStates).keys()], { minLength: dfa.nStates })),
        ),
        ([dfa, perm]) => {
          expect(sameTables(minimise(permute(dfa, perm)), minimise(dfa))).toBe(true);
        },
      ),
    );
  });

  it('matches the naive minimiser on larger random DFAs with many equivalent states', () => {
    for (let seed = 0; seed < 6; seed++) {
      // Few accepting states and 1 symbol or 2 make many equivalent states and long refinement chains.
      const dfa = randomDfa(new Rng(seed), 400 + 100 * seed, seed % 2 === 0 ? 1 : 2, { acceptProbability: 0.02 });
      const m = minimise(dfa);
      expect(m.nStates).toBe(naiveMinimalSize(dfa));
      expect(separatingWord(dfa, m)).toBeNull();
    }
  });

  it('recognises minimal and non-minimal DFAs', () => {
    expect(isMinimal(Dfa.binary(BIN, [0, 1, 1, 0], [1]))).toBe(true);
    expect(isMinimal(Dfa.binary(BIN, [0, 1, 1, 0, 0, 0], [1]))).toBe(false); // state 2 unreachable
    expect(isMinimal(Dfa.binary(BIN, [1, 1, 0, 0], [0, 1]))).toBe(false); // both states accept
  });
});
