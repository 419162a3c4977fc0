import { describe, expect, it } from '@jest/globals';
import { randomDfa, symbolNames } from '../../src/automata/random.js';
import { bfsOrder } from '../../src/automata/reach.js';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';

describe('randomDfa', () => {
  it('is a function of the seed', () => {
    const a = randomDfa(new Rng(42), 500, 3);
    const b = randomDfa(new Rng(42), 500, 3);
    const c = randomDfa(new Rng(43), 500, 3);
    expect(b.table).toEqual(a.table);
    expect(b.labels).toEqual(a.labels);
    expect(c.table).not.toEqual(a.table);
  });

  it('reaches every state from state 0, even with one symbol', () => {
    for (const k of [1, 2, 5]) {
      const dfa = randomDfa(new Rng(k), 2000, k);
      expect(dfa.start).toBe(0);
      expect(bfsOrder(dfa).length).toBe(2000);
    }
  });

  it('names symbols, and takes explicit alphabets, accept probabilities and classes', () => {
    expect(symbolNames(3)).toEqual(['0', '1', '2']);
    expect(symbolNames(26)[25]).toBe('p');
    expect(symbolNames(64).slice(61)).toEqual(['Z', 's62', 's63']);
    expect(randomDfa(new Rng(1), 10, ['x', 'y']).alphabet).toEqual(['x', 'y']);
    const sparse = randomDfa(new Rng(1), 10_000, 2, { acceptProbability: 0.1 });
    const accepting = sparse.acceptingStates().length;
    expect(accepting).toBeGreaterThan(800);
    expect(accepting).toBeLessThan(1200);
    expect(randomDfa(new Rng(1), 50, 2, { acceptProbability: 0 }).acceptingStates()).toEqual([]);
    const multi = randomDfa(new Rng(1), 300, 2, { classes: ['a', 'b', 'c'] });
    expect(multi.classes).toEqual(['a', 'b', 'c']);
    expect(new Set(multi.labels)).toEqual(new Set([0, 1, 2]));
  });

  it('rejects impossible requests with InputError', () => {
    expect(() => randomDfa(new Rng(1), 0, 2)).toThrow(InputError);
    expect(() => randomDfa(new Rng(1), 5, 0)).toThrow(/alphabet size must be a positive integer/);
    expect(() => randomDfa(new Rng(1), 5, 2, { acceptProbability: 1.5 })).toThrow(/acceptProbability must lie in \[0, 1\]/);
    expect(() => randomDfa(new Rng(1), 5, 2, { classes: [] })).toThrow(/classes is empty/);
    expect(() => randomDfa(new Rng(1), 5, 2, { classes: ['a'], acceptProbability: 0.5 })).toThrow(/not both/);
  });
});
