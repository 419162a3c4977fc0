import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { separatingWord } from '../../src/automata/equivalence.js';
import { minimise } from '../../src/automata/minimise.js';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import type { Task } from '../../src/tasks/task.js';
import { allWords, classCounts, samples, text } from './helpers.js';

/** The reference is minimal, BFS-numbered from 0, and agrees with label() and a direct definition. */
function checkRegular(task: Task, states: number, direct: (w: string) => boolean | number, upTo: number): void {
  const ref = task.reference;
  expect(task.kind).toBe('regular');
  if (ref === undefined) throw new Error('no reference');
  expect(ref.nStates).toBe(states);
  expect(minimise(ref).nStates).toBe(ref.nStates);
  expect(ref.start).toBe(0);
  expect(ref.alphabet).toEqual(task.alphabet);
  expect(ref.classes).toEqual(task.classes);
  // Mismatches are collected rather than asserted one by one: an expect() per word costs more than the word.
  const bad: string[] = [];
  for (const w of allWords(task.alphabet.length, upTo)) {
    const label = task.label(w);
    if (label !== ref.evaluate(w) || label !== Number(direct(text(task, w)))) bad.push(text(task, w));
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

const count = (w: string, c: string) => [...w].filter((x) => x === c).length;

/** Maximal runs of equal letters, as [letter, length]. */
function runs(w: string): [string, number][] {
  const out: [string, number][] = [];
  for (const c of w) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === c) last[1]++;
    else out.push([c, 1]);
  }
  return out;
}

const TOMITA: [number, (w: string) => boolean][] = [
  [2, (w) => /^1*$/.test(w)],
  [3, (w) => /^(10)*$/.test(w)],
  [5, (w) => !runs(w).some(([c, n], i) => c === '1' && n % 2 === 1 && runs(w)[i + 1]?.[0] === '0' && runs(w)[i + 1][1] % 2 === 1)],
  [4, (w) => !w.includes('000')],
  [4, (w) => count(w, '0') % 2 === 0 && count(w, '1') % 2 === 0],
  [3, (w) => (((count(w, '0') - count(w, '1')) % 3) + 3) % 3 === 0],
  [5, (w) => /^0*1*0*1*$/.test(w)],
];

describe('counting tasks', () => {
  it('parity: odd number of 1s, 2 states', () => {
    checkRegular(parseTask('parity'), 2, (w) => count(w, '1') % 2 === 1, 10);
  });

  it('mod:m counts 1s mod m with m states', () => {
    for (const m of [2, 3, 5, 7]) checkRegular(parseTask(`mod:m=${m}`), m, (w) => count(w, '1') % m === 0, 10);
    expect(parseTask('mod:m=64').reference?.nStates).toBe(64);
  });
});

describe('Tomita grammars', () => {
  TOMITA.forEach(([states, direct], i) => {
    it(`tomita${i + 1}: ${states} states, matches the direct definition on all words up to length 10`, () => {
      const task = parseTask(`tomita${i + 1}`);
      checkRegular(task, states, direct, 10);
      expect(task.label([])).toBe(1);
    });
  });

  it('tomita3 rejects a word ending in an odd 1-run then an odd 0-run, and accepts its even extension', () => {
    const t = parseTask('tomita3');
    const w = (s: string) => [...s].map(Number);
    expect(t.label(w('0111000'))).toBe(0);
    expect(t.label(w('01110000'))).toBe(1);
    expect(t.label(w('1101'))).toBe(1);
    expect(t.label(w('10'))).toBe(0);
    expect(t.label(w('101'))).toBe(0);
  });
});

/** Balanced and depth-bounded, by an explicit stack. */
function dyckDirect(d: number): (w: string) => boolean {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{', '>': '<' };
  return (w) => {
    const stack: string[] = [];
    for (const c of w) {
      if (c in pairs) {
        if (stack.pop() !== pairs[c]) return false;
      } else {
        stack.push(c);
        if (stack.length > d) return false;
      }
    }
    return stack.length === 0;
  };
}

describe('bounded Dyck', () => {
  it('dyck:k=2,d=2 has 8 states (7 stacks and a sink)', () => {
    checkRegular(parseTask('dyck'), 8, dyckDirect(2), 8);
  });

  it('has Σ k^i + 1 states and matches a stack machine', () => {
    for (const [k, d, upTo] of [
      [1, 1, 10],
      [1, 4, 10],
      [3, 2, 6],
      [2, 3, 8],
      [4, 3, 4],
    ]) {
      let stacks = 0;
      for (let i = 0; i <= d; i++) stacks += k ** i;
      checkRegular(parseTask(`dyck:k=${k},d=${d}`), stacks + 1, dyckDirect(d), upTo);
    }
  });

  it('dyck:k=1,d is language-equivalent to a bounded counter with a sink', () => {
    for (const d of [1, 3, 8]) {
      // States 0..d are the depth, d + 1 the sink.
      const table: number[] = [];
      for (let h = 0; h <= d; h++) table.push(h < d ? h + 1 : d + 1, h > 0 ? h - 1 : d + 1);
      table.push(d + 1, d + 1);
      const counter = Dfa.binary(['(', ')'], table, [0]);
      const ref = parseTask(`dyck:k=1,d=${d}`).reference;
      if (ref === undefined) throw new Error('no reference');
      expect(separatingWord(counter, ref)).toBeNull();
    }
  });

  it('builds the largest instance, dyck:k=4,d=8', () => {
    expect(parseTask('dyck:k=4,d=8').reference?.nStates).toBe((4 ** 9 - 1) / 3 + 1);
  });
});

describe('flip-flop', () => {
  it('4 states; accepts iff every read returns the last write', () => {
    const direct = (w: string) => {
      let mem: string | null = null;
      for (const [op, bit] of w.match(/../g) ?? []) {
        if (op === 'w') mem = bit;
        if (op === 'r' && mem !== bit) return false;
      }
      return true;
    };
    checkRegular(parseTask('flipflop'), 4, direct, 6);
  });
});

/** Value mod 5 of a bracket-free expression, 5 ('invalid') unless it is digit (op digit)*. */
function modarithDirect(w: string): number {
  if (!/^[0-4]([-+*][0-4])*$/.test(w)) return 5;
  let sum = 0;
  for (const term of w.match(/^[0-4](\*[0-4])*|[-+][0-4](\*[0-4])*/g) ?? []) {
    const sign = term[0] === '-' ? -1 : 1;
    const factors = term.replace(/^[-+]/, '').split('*').map(Number);
    sum += sign * factors.reduce((a, b) => a * b, 1);
  }
  return ((sum % 5) + 5) % 5;
}

describe('modular arithmetic', () => {
  const task = parseTask('modarith');

  it('is a 51-state Moore machine that evaluates with * before + and −', () => {
    expect(task.classes).toEqual(['0', '1', '2', '3', '4', 'invalid']);
    checkRegular(task, 51, modarithDirect, 5);
    const w = (s: string) => [...s].map((c) => task.alphabet.indexOf(c));
    expect(task.label(w('2+3*4'))).toBe(4); // 14
    expect(task.label(w('1-2*3'))).toBe(0); // −5
    expect(task.label(w('4*4*4-1'))).toBe(3); // 63
    expect(task.label(w('2+'))).toBe(5);
    expect(task.label(w('+2'))).toBe(5);
    expect(task.label(w('23'))).toBe(5);
    expect(task.label([])).toBe(5);
  });

  it('agrees with a direct evaluator on long random words', () => {
    for (const e of samples(task, 11, 300, { min: 1, max: 41 })) {
      expect(e.label).toBe(modarithDirect(text(task, e.word)));
      expect(e.label).toBeLessThan(5);
      expect(e.word.length % 2).toBe(1);
    }
  });

  it('samples only well-formed expressions, each value about a fifth of the time', () => {
    const counts = classCounts(task, samples(task, 3, 1000, { min: 0, max: 30 }));
    expect(counts[5]).toBe(0);
    for (let v = 0; v < 5; v++) expect(counts[v]).toBeGreaterThan(140);
  });
});

/** Product of one-line permutation names, left to right: (p·q)(i) = q(p(i)). */
function product(names: readonly string[], n: number): string {
  let images = Array.from({ length: n }, (_, i) => i + 1);
  for (const q of names) images = images.map((i) => Number(q[i - 1]));
  return images.join('');
}

describe('word problems', () => {
  for (const [family, n, size] of [
    ['s3', 3, 6],
    ['s5', 5, 120],
    ['a5', 5, 60],
  ] as const) {
    it(`${family}: ${size} states, one class per element, identity first`, () => {
      const task = parseTask(family);
      expect(task.classes).toEqual(task.alphabet);
      expect(task.alphabet[0]).toBe(product([], n));
      checkRegular(task, size, (w) => task.classes.indexOf(product(w.match(new RegExp(`.{${n}}`, 'g')) ?? [], n)), n === 3 ? 4 : 2);
      for (const e of samples(task, 5, 200, { min: 0, max: 30 }))
        expect(task.classes[e.label]).toBe(product(e.word.map((a) => task.alphabet[a]), n));
    });

    it(`${family}-identity: ${size} states, accepts iff the product is the identity`, () => {
      const task = parseTask(`${family}-identity`);
      const id = product([], n);
      checkRegular(task, size, (w) => product(w.match(new RegExp(`.{${n}}`, 'g')) ?? [], n) === id, n === 3 ? 4 : 2);
      const counts = classCounts(task, samples(task, 9, 1000, { min: 1, max: 20 }));
      expect(counts[1]).toBeGreaterThan(300);
      expect(counts[0]).toBeGreaterThan(300);
    });
  }

  it('the -identity languages are the product machines with the identity class accepted', () => {
    for (const family of ['s3', 's5', 'a5']) {
      const product = parseTask(family).reference;
      const binary = parseTask(`${family}-identity`).reference;
      if (product === undefined || binary === undefined) throw new Error('no reference');
      const relabelled = new Dfa({
        alphabet: product.alphabet,
        table: product.table,
        labels: Array.from(product.labels, (c) => (c === 0 ? 1 : 0)),
        initial: product.start,
      });
      expect(separatingWord(relabelled, binary)).toBeNull();
    }
  });

  it('applies the left element first', () => {
    const s3 = parseTask('s3');
    const w = ['213', '132'].map((x) => s3.alphabet.indexOf(x));
    // 1 → 2 → 3, 2 → 1 → 1, 3 → 3 → 2.
    expect(s3.classes[s3.label(w)]).toBe('312');
    expect(s3.classes[s3.label([...w].reverse())]).toBe('231');
  });
});

describe('regular samplers', () => {
  const binary = [
    'parity',
    'mod:m=3',
    'mod:m=7',
    ...Array.from({ length: 7 }, (_, i) => `tomita${i + 1}`),
    'dyck:k=2,d=2',
    'dyck:k=3,d=4',
    'flipflop',
  ];

  it.each(binary)('%s: deterministic, in range, correct, balanced', (spec) => {
    const task = parseTask(spec);
    const range = { min: 0, max: 24 };
    const a = samples(task, 42, 1000, range);
    expect(samples(task, 42, 50, range)).toEqual(a.slice(0, 50));
    expect(samples(task, 43, 50, range)).not.toEqual(a.slice(0, 50));
    const wrong = a.filter((e) => e.word.length > range.max || task.label(e.word) !== e.label);
    expect(wrong).toEqual([]);
    const [neg, pos] = classCounts(task, a);
    expect(neg).toBeGreaterThan(300);
    expect(pos).toBeGreaterThan(300);
  });

  it('reaches long lengths (tomita1 and dyck at length 1000)', () => {
    for (const spec of ['tomita1', 'dyck:k=2,d=4']) {
      const task = parseTask(spec);
      const ex = samples(task, 1, 20, { min: 1000, max: 1000 });
      for (const e of ex) {
        expect(e.word.length).toBe(1000);
        expect(task.label(e.word)).toBe(e.label);
      }
      expect(new Set(ex.map((e) => e.label)).size).toBe(2);
    }
  });

  it('modarith has no expression of even length', () => {
    expect(() => parseTask('modarith').sample(new Rng(1), { min: 2, max: 2 })).toThrow(
      new InputError("task 'modarith': no word of length in [2, 2] has a class among 0, 1, 2, 3, 4"),
    );
  });
});
