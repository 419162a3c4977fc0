import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import type { Task } from '../../src/tasks/task.js';
import { allWords, classCounts, samples } from './helpers.js';

const bits = (s: string) => [...s].map((c) => (c === '#' ? 2 : Number(c)));

/** Deterministic, in range and correctly labelled samples, and the class counts of 1000 of them. */
function checkSampler(task: Task, min: number, max: number, direct: (w: readonly number[]) => number): number[] {
  const ex = samples(task, 17, 1000, { min, max });
  expect(samples(task, 17, 30, { min, max })).toEqual(ex.slice(0, 30));
  const wrong = ex.filter(
    (e) => e.word.length < min || e.word.length > max || task.label(e.word) !== e.label || direct(e.word) !== e.label,
  );
  expect(wrong).toEqual([]);
  return classCounts(task, ex);
}

describe('index lookup', () => {
  const task = parseTask('index:n=4,a=3');

  it('has letters, then query tokens; classes are the letters; split = n', () => {
    expect(task.kind).toBe('bounded');
    expect(task.reference).toBeUndefined();
    expect(task.alphabet).toEqual(['a', 'b', 'c', '@1', '@2', '@3', '@4']);
    expect(task.classes).toEqual(['a', 'b', 'c']);
    expect(task.split).toBe(4);
  });

  it('returns the queried letter', () => {
    expect(task.label([0, 2, 1, 1, 3])).toBe(0);
    expect(task.label([0, 2, 1, 1, 4])).toBe(2);
    expect(task.label([0, 2, 1, 0, 6])).toBe(0);
    const counts = checkSampler(task, 0, 10, (w) => w[w[4] - 3]);
    for (const c of counts) expect(c).toBeGreaterThan(250);
  });

  it('names the position and symbol of a malformed input', () => {
    expect(() => task.label([0, 1, 2])).toThrow(
      new InputError("task 'index:n=4,a=3': word has length 3, expected n + 1 = 5"),
    );
    expect(() => task.label([0, 3, 1, 1, 4])).toThrow(
      new InputError("task 'index:n=4,a=3': position 1 holds '@1', expected a letter a..c"),
    );
    expect(() => task.label([0, 1, 1, 1, 2])).toThrow(
      new InputError("task 'index:n=4,a=3': position 4 holds 'c', expected a query token @1..@4"),
    );
    expect(() => task.label([0, 1, 9, 1, 4])).toThrow(
      new InputError("task 'index:n=4,a=3': symbol 9 at position 2 is not in the alphabet (indices 0..6)"),
    );
    expect(() => task.sample(new Rng(1), { min: 0, max: 4 })).toThrow(
      new InputError("task 'index:n=4,a=3': inputs have length n + 1 = 5, outside the requested lengths [0, 4]"),
    );
  });
});

describe('equality and disjointness', () => {
  const eq = parseTask('equality:n=3');
  const disj = parseTask('disjointness:n=3');

  it('split Alice x# from Bob y', () => {
    expect(eq.alphabet).toEqual(['0', '1', '#']);
    expect(eq.split).toBe(4);
    expect(disj.split).toBe(4);
    expect(eq.classes).toEqual(['reject', 'accept']);
  });

  it('label every well-formed input correctly', () => {
    for (let x = 0; x < 8; x++)
      for (let y = 0; y < 8; y++) {
        const w = bits(`${x.toString(2).padStart(3, '0')}#${y.toString(2).padStart(3, '0')}`);
        expect(eq.label(w)).toBe(x === y ? 1 : 0);
        expect(disj.label(w)).toBe((x & y) === 0 ? 1 : 0);
      }
  });

  it('sample balanced classes with correct labels', () => {
    const eqDirect = (w: readonly number[]) => (w.slice(0, 3).join() === w.slice(4).join() ? 1 : 0);
    const disjDirect = (w: readonly number[]) => (w.slice(0, 3).some((b, i) => b === 1 && w[4 + i] === 1) ? 0 : 1);
    for (const c of checkSampler(eq, 7, 7, eqDirect)) expect(c).toBeGreaterThan(400);
    for (const c of checkSampler(disj, 0, 100, disjDirect)) expect(c).toBeGreaterThan(400);
    const big = parseTask('equality:n=64');
    for (const e of samples(big, 2, 200, { min: 0, max: 200 })) expect(big.label(e.word)).toBe(e.label);
  });

  it('name the fault in a malformed input', () => {
    expect(() => eq.label(bits('01#01'))).toThrow(new InputError("task 'equality:n=3': word has length 5, expected 2n + 1 = 7"));
    expect(() => eq.label(bits('0101010'))).toThrow(
      new InputError("task 'equality:n=3': position 3 holds '1', expected the separator '#'"),
    );
    expect(() => disj.label(bits('01##010'))).toThrow(
      new InputError("task 'disjointness:n=3': position 2 holds '#', expected a bit '0' or '1'"),
    );
    expect(() => disj.sample(new Rng(1), { min: 8, max: 20 })).toThrow(/length 2n \+ 1 = 7, outside the requested lengths \[8, 20\]/);
  });
});

describe('a^n b^n', () => {
  const task = parseTask('anbn');
  const direct = (w: readonly number[]) => {
    const s = w.map((a) => 'ab'[a]).join('');
    const j = s.length / 2;
    return s === 'a'.repeat(j) + 'b'.repeat(j) ? 1 : 0;
  };

  it('accepts exactly a^j b^j', () => {
    expect([...allWords(2, 10)].filter((w) => task.label(w) !== direct(w))).toEqual([]);
    expect(task.label([])).toBe(1);
    expect(task.label([0, 0, 1, 1])).toBe(1);
    expect(task.label([0, 1, 0, 1])).toBe(0);
    expect(() => task.label([0, 2])).toThrow(new InputError("task 'anbn': symbol 2 at position 1 is not in the alphabet (indices 0..1)"));
  });

  it('samples balanced classes, including near misses', () => {
    const [neg, pos] = checkSampler(task, 0, 30, direct);
    expect(neg).toBeGreaterThan(400);
    expect(pos).toBeGreaterThan(400);
    const ex = samples(task, 4, 300, { min: 10, max: 10 });
    const words = new Set(ex.filter((e) => e.label === 0).map((e) => e.word.join('')));
    expect(words.has('0000001111')).toBe(true); // count near miss
    expect([...words].some((w) => w.startsWith('0000') && w.endsWith('1111') && w !== '0000001111' && w !== '0000111111')).toBe(true);
  });

  it('gives only what exists: negatives at odd lengths, ε at length 0', () => {
    expect(samples(task, 1, 50, { min: 7, max: 7 }).every((e) => e.label === 0)).toBe(true);
    expect(samples(task, 1, 5, { min: 0, max: 0 })).toEqual(Array(5).fill({ word: [], label: 1 }));
  });
});

describe('majority', () => {
  const task = parseTask('majority');
  const direct = (w: readonly number[]) => (2 * w.filter((a) => a === 1).length > w.length ? 1 : 0);

  it('accepts strictly more 1s than 0s', () => {
    expect([...allWords(2, 10)].filter((w) => task.label(w) !== direct(w))).toEqual([]);
    expect(task.label([0, 1])).toBe(0);
    expect(task.label([])).toBe(0);
  });

  it('samples balanced classes at short and long lengths', () => {
    for (const [min, max] of [
      [0, 12],
      [500, 600],
    ]) {
      const [neg, pos] = checkSampler(task, min, max, direct);
      expect(neg).toBeGreaterThan(400);
      expect(pos).toBeGreaterThan(400);
    }
    expect(samples(task, 1, 3, { min: 0, max: 0 })).toEqual(Array(3).fill({ word: [], label: 0 }));
  });
});
