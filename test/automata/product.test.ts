import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Dfa } from '../../src/automata/dfa.js';
import { equivalent } from '../../src/automata/equivalence.js';
import {
  complement,
  difference,
  intersection,
  PairIndex,
  product,
  symmetricDifference,
  union,
} from '../../src/automata/product.js';
import { randomDfa } from '../../src/automata/random.js';
import { bfsOrder } from '../../src/automata/reach.js';
import { AlphabetMismatchError, AutomatonError, TooManyStatesError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { thrown } from '../fixtures/thrown.js';

const BIN = ['0', '1'];

/** Two random binary DFAs over {0, 1} (all states reachable) and a batch of random words. */
const pairAndWords = fc.record({
  a: fc.tuple(fc.nat(10_000), fc.integer({ min: 1, max: 8 })).map(([seed, n]) => randomDfa(new Rng(seed), n, BIN)),
  b: fc.tuple(fc.nat(10_000), fc.integer({ min: 1, max: 8 })).map(([seed, n]) => randomDfa(new Rng(seed), n, BIN)),
  words: fc.array(fc.array(fc.nat(1), { maxLength: 12 }), { minLength: 20, maxLength: 40 }),
});

/** Binary numbers (most significant bit first) divisible by m. */
function divisibleBy(m: number): Dfa {
  const table: number[] = [];
  for (let r = 0; r < m; r++) table.push((2 * r) % m, (2 * r + 1) % m);
  return Dfa.binary(BIN, table, [0]);
}

describe('set operations', () => {
  it('follow their definitions on random words', () => {
    fc.assert(
      fc.property(pairAndWords, ({ a, b, words }) => {
        const and = intersection(a, b);
        const or = union(a, b);
        const minus = difference(a, b);
        const xor = symmetricDifference(a, b);
        const not = complement(a);
        const actual = words.map((w) => [and, or, minus, xor, not].map((d) => d.acceptsWord(w)));
        const expected = words.map((w) => {
          const x = a.acceptsWord(w);
          const y = b.acceptsWord(w);
          return [x && y, x || y, x && !y, x !== y, !x];
        });
        expect(actual).toEqual(expected);
      }),
    );
  });

  it('obey De Morgan, difference = ∩ complement, and double complement', () => {
    fc.assert(
      fc.property(pairAndWords, ({ a, b }) => {
        expect(equivalent(complement(union(a, b)), intersection(complement(a), complement(b)))).toBe(true);
        expect(equivalent(complement(intersection(a, b)), union(complement(a), complement(b)))).toBe(true);
        expect(equivalent(difference(a, b), intersection(a, complement(b)))).toBe(true);
        expect(equivalent(symmetricDifference(a, b), union(difference(a, b), difference(b, a)))).toBe(true);
        expect(equivalent(complement(complement(a)), a)).toBe(true);
      }),
    );
  });

  it('builds only reachable pairs, numbered in BFS order', () => {
    // Divisibility by 2 and by 3 is divisibility by 6: the product has exactly 6 reachable pairs.
    const six = intersection(divisibleBy(2), divisibleBy(3));
    expect(six.nStates).toBe(6);
    expect([...bfsOrder(six)]).toEqual([0, 1, 2, 3, 4, 5]);
    for (let v = 0; v < 40; v++) expect(six.acceptsWord([...v.toString(2)].map(Number))).toBe(v % 6 === 0);
  });

  it('labels multi-class products by the combining function', () => {
    const mod2 = new Dfa({ alphabet: ['a'], classes: ['0', '1'], table: [1, 0], labels: [0, 1] });
    const mod3 = new Dfa({ alphabet: ['a'], classes: ['0', '1', '2'], table: [1, 2, 0], labels: [0, 1, 2] });
    const classes = ['0', '1', '2', '3', '4', '5'];
    // Chinese remainder: (n mod 2, n mod 3) determines n mod 6.
    const crt = (r2: number, r3: number): number => [0, 1, 2, 3, 4, 5].find((n) => n % 2 === r2 && n % 3 === r3) as number;
    const mod6 = product(mod2, mod3, crt, { classes });
    expect(mod6.nStates).toBe(6);
    expect(mod6.classes).toEqual(classes);
    for (let n = 0; n < 20; n++) expect(mod6.evaluate(Array(n).fill(0))).toBe(n % 6);
    expect(() => product(mod2, mod3, (x, y) => x + y)).toThrow(/combine\(1, 1\) = 2, not a class index in \[0, 2\)/);
  });

  it('stops at the state cap with a typed error', () => {
    const a = randomDfa(new Rng(1), 200, BIN);
    const b = randomDfa(new Rng(2), 200, BIN);
    expect(() => union(a, b, { maxStates: 1000 })).toThrow(TooManyStatesError);
    expect(() => product(a, b, () => 0, { maxStates: 1000 })).toThrow('product: more than 1000 states');
    const error = thrown(() => intersection(a, b, { maxStates: 50 }));
    expect(error).toBeInstanceOf(TooManyStatesError);
    expect(error).toMatchObject({ construction: 'product', cap: 50 });
  });

  it('refuses multi-class automata and different alphabets', () => {
    const multi = new Dfa({ alphabet: BIN, classes: ['x', 'y', 'z'], table: [0, 0], labels: [2] });
    const bin = Dfa.binary(BIN, [0, 0], [0]);
    expect(() => complement(multi)).toThrow(AutomatonError);
    expect(() => complement(multi)).toThrow(/complement: the DFA has classes \[x, y, z\]/);
    expect(() => union(bin, multi)).toThrow(/union: the second DFA has classes/);
    expect(() => intersection(bin, Dfa.binary(['a', 'b'], [0, 0], [0]))).toThrow(AlphabetMismatchError);
  });
});

describe('PairIndex', () => {
  it('interns pairs densely in first-seen order, through many rehashes', () => {
    const index = new PairIndex(4);
    const rng = new Rng(7);
    const seen = new Map<string, number>();
    const expected: number[] = [];
    const actual: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const p = rng.int(0, 300);
      const q = rng.int(0, 300);
      const key = `${p},${q}`;
      if (!seen.has(key)) seen.set(key, seen.size);
      expected.push(seen.get(key) as number);
      actual.push(index.intern(p, q));
    }
    expect(actual).toEqual(expected);
    expect(index.size).toBe(seen.size);
    const keys = [...seen.keys()];
    expect(keys.map((_, id) => `${index.first[id]},${index.second[id]}`)).toEqual(keys);
  });
});
