import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { minimise } from '../../src/automata/minimise.js';
import { determinise, Nfa } from '../../src/automata/nfa.js';
import { bfsOrder } from '../../src/automata/reach.js';
import { AutomatonError, TooManyStatesError } from '../../src/errors.js';
import { thrown } from '../fixtures/thrown.js';

const BIN = ['0', '1'];

/** The classic blow-up: (0|1)*1(0|1)^n, whose minimal DFA has 2^(n+1) states. */
function nthFromLastIs1(n: number): Nfa {
  const transitions: [number, number, number][] = [
    [0, 0, 0],
    [0, 1, 0],
    [0, 1, 1],
  ];
  for (let s = 1; s <= n; s++) transitions.push([s, 0, s + 1], [s, 1, s + 1]);
  return new Nfa({ alphabet: BIN, nStates: n + 2, initial: [0], accepting: [n + 1], transitions });
}

/** Random NFAs with ε-moves: up to 6 states, any number of initial and accepting states. */
const randomNfa = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc
    .record({
      initial: fc.uniqueArray(fc.nat(n - 1), { maxLength: 2 }),
      accepting: fc.uniqueArray(fc.nat(n - 1), { maxLength: n }),
      transitions: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(1), fc.nat(n - 1)), { maxLength: 3 * n }),
      epsilon: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n }),
    })
    .map((spec) => new Nfa({ alphabet: BIN, nStates: n, ...spec })),
);

describe('Nfa', () => {
  it('stores sorted, repeat-free successors and simulates words', () => {
    const nfa = new Nfa({
      alphabet: BIN,
      nStates: 3,
      initial: [0, 0],
      accepting: [2],
      transitions: [
        [0, 1, 2],
        [0, 1, 1],
        [0, 1, 2],
      ],
      epsilon: [[1, 2]],
    });
    expect([...nfa.initial]).toEqual([0]);
    expect([...nfa.successors(0, 1)]).toEqual([1, 2]);
    expect([...nfa.successors(0, 0)]).toEqual([]);
    expect([...nfa.epsilonSuccessors(1)]).toEqual([2]);
    expect(nfa.acceptsWord([1])).toBe(true);
    expect(nfa.acceptsWord([])).toBe(false);
    expect(nfa.acceptsWord([0])).toBe(false);
    expect(Object.isFrozen(nfa)).toBe(true);
  });

  it('names the bad state or symbol of a malformed spec', () => {
    const base = { alphabet: BIN, nStates: 2, initial: [0], accepting: [1] };
    expect(() => new Nfa({ ...base, initial: [2] })).toThrow(new AutomatonError('NFA: initial state 2 is not a state in [0, 2)'));
    expect(() => new Nfa({ ...base, accepting: [-1] })).toThrow(/accepting state -1 is not a state/);
    expect(() => new Nfa({ ...base, transitions: [[0, 2, 1]] })).toThrow(
      /transition from state 0 uses symbol 2, not a symbol index in \[0, 2\)/,
    );
    expect(() => new Nfa({ ...base, transitions: [[0, 1, 5]] })).toThrow(
      /transition from state 0 on symbol '1' goes to 5, not a state in \[0, 2\)/,
    );
    expect(() => new Nfa({ ...base, epsilon: [[1, 7]] })).toThrow(/ε-move from state 1 goes to 7/);
    expect(() => new Nfa({ ...base, nStates: 1.5 })).toThrow(/nStates must be a non-negative integer/);
  });
});

describe('determinise', () => {
  it('accepts exactly the words the NFA accepts', () => {
    fc.assert(
      fc.property(randomNfa, fc.array(fc.array(fc.nat(1), { maxLength: 8 }), { minLength: 30, maxLength: 30 }), (nfa, words) => {
        const dfa = determinise(nfa);
        expect(words.map((w) => dfa.acceptsWord(w))).toEqual(words.map((w) => nfa.acceptsWord(w)));
        expect(bfsOrder(dfa).length).toBe(dfa.nStates);
      }),
      { numRuns: 300 },
    );
  });

  it('follows ε-chains and ε-cycles', () => {
    // 0 -ε-> 1 -ε-> 2 -ε-> 0 (a cycle); 2 reads 1 into 3 (accepting).
    const nfa = new Nfa({
      alphabet: BIN,
      nStates: 4,
      initial: [0],
      accepting: [3],
      transitions: [[2, 1, 3]],
      epsilon: [
        [0, 1],
        [1, 2],
        [2, 0],
      ],
    });
    const dfa = determinise(nfa);
    expect(dfa.acceptsWord([1])).toBe(true);
    expect(dfa.acceptsWord([0, 1])).toBe(false);
    expect(minimise(dfa).nStates).toBe(3);
  });

  it('makes the empty subset a rejecting sink (no initial states: one state)', () => {
    const empty = determinise(new Nfa({ alphabet: BIN, nStates: 2, initial: [], accepting: [1] }));
    expect(empty.nStates).toBe(1);
    expect([...empty.table]).toEqual([0, 0]);
    expect([...empty.labels]).toEqual([0]);
    const none = determinise(new Nfa({ alphabet: BIN, nStates: 0, initial: [], accepting: [] }));
    expect(none.nStates).toBe(1);
  });

  it('blows up on (0|1)*1(0|1)^n exactly as theory says, and stops at the cap', () => {
    expect(minimise(determinise(nthFromLastIs1(3))).nStates).toBe(16);
    expect(determinise(nthFromLastIs1(6)).nStates).toBe(128);
    const error = thrown(() => determinise(nthFromLastIs1(12), { maxStates: 100 }));
    expect(error).toBeInstanceOf(TooManyStatesError);
    expect(error).toMatchObject({ construction: 'subset construction', cap: 100 });
    expect((error as Error).message).toMatch(
      /^subset construction: more than 100 states \(raise the cap, e.g. --max-states, to go on\); every word up to length \d+ read, 101 subsets of the \d+-state NFA found and more waiting$/,
    );
  });

  it('reports its progress (expanded, discovered, depth) while it runs, and the BFS depth it reached at the cap', () => {
    const seen: { expanded: number; discovered: number; depth: number }[] = [];
    const error = thrown(() => determinise(nthFromLastIs1(16), { maxStates: 20_000, onProgress: (p) => seen.push(p) }));
    expect(error).toBeInstanceOf(TooManyStatesError);
    // A subset remembers where the last 1s were: the words up to length d make 2^d subsets (16,384 for
    // d = 14, 32,768 for d = 15), so the cap of 20,000 falls while the words of length 15 are read.
    expect((error as Error).message).toContain('every word up to length 14 read, 20001 subsets');
    // One call per 4,096 subsets expanded; about 10,000 are expanded by the time 20,000 are found.
    expect(seen.length).toBe(2);
    for (let i = 0; i < seen.length; i++) {
      expect(seen[i].expanded).toBe(4096 * (i + 1));
      expect(seen[i].discovered).toBeGreaterThan(seen[i].expanded);
      if (i > 0) expect(seen[i].depth).toBeGreaterThanOrEqual(seen[i - 1].depth);
    }
  });
});
