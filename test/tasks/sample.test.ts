import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { sampleFromDfa } from '../../src/tasks/sample.js';

// a*-words over 64 symbols: at length 1000 the one positive is 64^-1000 ≈ 10^-1806 of all words, far below
// the smallest double, so this only works with log-space counts.
function onlyFirstSymbol(k: number): Dfa {
  const alphabet = Array.from({ length: k }, (_, i) => `s${i}`);
  const table: number[] = [];
  for (let a = 0; a < k; a++) table.push(a === 0 ? 0 : 1);
  for (let a = 0; a < k; a++) table.push(1);
  return Dfa.binary(alphabet, table, [0]);
}

describe('sampleFromDfa', () => {
  it('draws each class half the time, even when positives are astronomically rare', () => {
    const dfa = onlyFirstSymbol(64);
    const rng = new Rng(7);
    let positives = 0;
    for (let i = 0; i < 200; i++) {
      const e = sampleFromDfa(dfa, rng, { min: 1000, max: 1000 }, { task: 't' });
      expect(e.word).toHaveLength(1000);
      expect(dfa.evaluate(e.word)).toBe(e.label);
      positives += e.label;
    }
    expect(positives).toBeGreaterThan(70);
    expect(positives).toBeLessThan(130);
  });

  it('draws words uniformly within a class and length', () => {
    // Parity at length 4: the 8 odd words should each appear about 1/8 of the time.
    const parity = Dfa.binary(['0', '1'], [0, 1, 1, 0], [1]);
    const rng = new Rng(3);
    const seen = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const e = sampleFromDfa(parity, rng, { min: 4, max: 4 }, { task: 'parity', classes: [1] });
      const key = e.word.join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(8);
    for (const n of seen.values()) {
      expect(n).toBeGreaterThan(400);
      expect(n).toBeLessThan(600);
    }
  });

  it('draws lengths uniformly among those where the class has words', () => {
    // (10)*: positives only at even lengths.
    const dfa = Dfa.binary(['0', '1'], [2, 1, 0, 2, 2, 2], [0]);
    const rng = new Rng(5);
    const lengths = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const e = sampleFromDfa(dfa, rng, { min: 3, max: 8 }, { task: 'tomita2', classes: [1] });
      lengths.set(e.word.length, (lengths.get(e.word.length) ?? 0) + 1);
    }
    expect([...lengths.keys()].sort()).toEqual([4, 6, 8]);
    for (const n of lengths.values()) expect(n).toBeGreaterThan(850);
  });

  it('gives the empty word at length 0', () => {
    const parity = Dfa.binary(['0', '1'], [0, 1, 1, 0], [1]);
    const e = sampleFromDfa(parity, new Rng(1), { min: 0, max: 0 }, { task: 'parity' });
    expect(e).toEqual({ word: [], label: 0 });
  });

  it('rejects bad ranges and ranges without words', () => {
    const parity = Dfa.binary(['0', '1'], [0, 1, 1, 0], [1]);
    const rng = new Rng(1);
    expect(() => sampleFromDfa(parity, rng, { min: 3, max: 2 }, { task: 'parity' })).toThrow(
      new InputError("task 'parity': length range [3, 2] is empty (min > max)"),
    );
    expect(() => sampleFromDfa(parity, rng, { min: -1, max: 2 }, { task: 'parity' })).toThrow(
      new InputError("task 'parity': length min = -1 must be a non-negative integer"),
    );
    expect(() => sampleFromDfa(parity, rng, { min: 0, max: 1.5 }, { task: 'parity' })).toThrow(/length max = 1.5/);
    expect(() => sampleFromDfa(parity, rng, { min: 0, max: 0 }, { task: 'parity', classes: [1] })).toThrow(
      new InputError("task 'parity': no word of length in [0, 0] has a class among accept"),
    );
    expect(() => sampleFromDfa(parity, rng, { min: 0, max: 1e9 }, { task: 'parity' })).toThrow(/more than the cap/);
  });
});
