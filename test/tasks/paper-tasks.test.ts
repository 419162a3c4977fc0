import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { chanceLevel } from '../../src/tasks/task.js';
import { movedPoints } from '../../src/tasks/wordproblem.js';
import { symmetricGroup } from '../../src/tasks/groups.js';
import { allWords, classCounts, samples, text } from './helpers.js';

/** Value mod 5 of a bracket-free expression, 5 ('invalid') unless it is digit (op digit)*. */
function modarithDirect(w: string): number {
  if (!/^[0-4]([-+*][0-4])*$/.test(w)) return 5;
  let sum = 0;
  for (const term of w.match(/^[0-4](\*[0-4])*|[-+][0-4](\*[0-4])*/g) ?? []) {
    const sign = term[0] === '-' ? -1 : 1;
    sum += sign * term.replace(/^[-+]/, '').split('*').map(Number).reduce((a, b) => a * b, 1);
  }
  return ((sum % 5) + 5) % 5;
}

/** Value of a fully bracketed expression by rewriting innermost '(a op b)' to its digit; 5 when not one. */
function bracketsDirect(w: string): number {
  let s = w;
  for (;;) {
    const next = s.replace(/\(([0-4])([-+*])([0-4])\)/, (_, a: string, op: string, b: string) => {
      const [x, y] = [Number(a), Number(b)];
      return String(op === '+' ? (x + y) % 5 : op === '-' ? (x - y + 5) % 5 : (x * y) % 5);
    });
    if (next === s) break;
    s = next;
  }
  return /^[0-4]$/.test(s) ? Number(s) : 5;
}

const word = (alphabet: readonly string[], s: string): number[] => [...s].map((c) => alphabet.indexOf(c));

describe('chance level', () => {
  it('counts the classes the sampler draws: modarith has 5, not 6', () => {
    expect(chanceLevel(parseTask('parity'))).toBe(1 / 2);
    expect(chanceLevel(parseTask('s3'))).toBe(1 / 6);
    for (const name of ['modarith', 'modarith-paper', 'modarith-brackets']) {
      const task = parseTask(name);
      expect(task.classes).toHaveLength(6);
      expect(chanceLevel(task)).toBe(1 / 5);
    }
  });
});

describe('modarith-paper', () => {
  const task = parseTask('modarith-paper');

  it("labels an expression by its value only after '=' and agrees with a direct evaluator", () => {
    expect(task.alphabet).toEqual(['0', '1', '2', '3', '4', '+', '-', '*', '=']);
    expect(task.label(word(task.alphabet, '2+3*4='))).toBe(4);
    expect(task.label(word(task.alphabet, '2+3*4'))).toBe(5);
    expect(task.label(word(task.alphabet, '2+3*4=1'))).toBe(5);
    expect(task.label(word(task.alphabet, '='))).toBe(5);
    const direct = (w: string) => (w.endsWith('=') ? modarithDirect(w.slice(0, -1)) : 5);
    const bad: string[] = [];
    for (const w of allWords(task.alphabet.length, 4)) if (task.label(w) !== direct(text(task, w))) bad.push(text(task, w));
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('draws digits and operators uniformly (values unbalanced), seeded, in range', () => {
    const a = samples(task, 4, 2000, { min: 3, max: 21 });
    expect(samples(task, 4, 20, { min: 3, max: 21 })).toEqual(a.slice(0, 20));
    for (const e of a.slice(0, 300)) {
      const w = text(task, e.word);
      expect(e.word.length % 2).toBe(0);
      expect(e.word.length).toBeGreaterThanOrEqual(4);
      expect(e.label).toBe(modarithDirect(w.slice(0, -1)));
    }
    // position 1 holds an operator, each about a third of the time
    const ops = [0, 0, 0];
    for (const e of a) ops[e.word[1] - 5]++;
    for (const n of ops) expect(Math.abs(n - 2000 / 3)).toBeLessThan(120);
    expect(classCounts(task, a)[5]).toBe(0);
  });

  it('refuses a range with no even length', () => {
    expect(() => task.sample(new Rng(1), { min: 3, max: 3 })).toThrow(InputError);
  });
});

describe('modarith-brackets', () => {
  const task = parseTask('modarith-brackets');

  it('labels exactly the fully bracketed expressions by their value (all words up to length 5, random ones)', () => {
    expect(task.kind).toBe('bounded');
    expect(task.label(word(task.alphabet, '((1+2)*(4-3))'))).toBe(3);
    expect(task.label(word(task.alphabet, '(1+2*3)'))).toBe(5);
    expect(task.label(word(task.alphabet, '1+2'))).toBe(5);
    const bad: string[] = [];
    for (const w of allWords(task.alphabet.length, 5)) if (task.label(w) !== bracketsDirect(text(task, w))) bad.push(text(task, w));
    expect(bad.slice(0, 5)).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 30 }), (w) => task.label(w) === bracketsDirect(text(task, w))),
      { numRuns: 500, seed: 5 },
    );
  });

  it('samples balanced values at lengths 1 + 4k, each word correct; refuses a range without such a length', () => {
    const a = samples(task, 8, 1000, { min: 2, max: 60 });
    for (const e of a) {
      expect(e.word.length % 4).toBe(1);
      expect(e.word.length).toBeGreaterThanOrEqual(5);
      expect(bracketsDirect(text(task, e.word))).toBe(e.label);
    }
    const counts = classCounts(task, a);
    expect(counts[5]).toBe(0);
    for (let v = 0; v < 5; v++) expect(counts[v]).toBeGreaterThan(150);
    expect(() => task.sample(new Rng(1), { min: 6, max: 8 })).toThrow(InputError);
    // deep words come out without recursion
    expect(task.sample(new Rng(2), { min: 4001, max: 4001 }).word).toHaveLength(4001);
  });
});

describe('restricted S5 (P3 Figure 4)', () => {
  it('s5-swaps reads the identity and the 10 swaps, s5-swaps3 also the 20 3-cycles; both reach all 120 elements', () => {
    const swaps = parseTask('s5-swaps');
    const swaps3 = parseTask('s5-swaps3');
    expect(swaps.alphabet).toHaveLength(11);
    expect(swaps3.alphabet).toHaveLength(31);
    const full = parseTask('s5');
    for (const t of [swaps, swaps3]) {
      expect(t.classes).toEqual(full.classes);
      expect(t.reference?.nStates).toBe(120);
      // the label is the s5 label of the same permutations
      for (const e of samples(t, 3, 100, { min: 1, max: 32 })) {
        const asS5 = e.word.map((a) => full.alphabet.indexOf(t.alphabet[a]));
        expect(full.label(asS5)).toBe(e.label);
      }
    }
    const moved = symmetricGroup(5).map(movedPoints);
    expect(moved.filter((m) => m <= 2)).toHaveLength(11);
    expect(moved.filter((m) => m <= 3)).toHaveLength(31);
  });
});
