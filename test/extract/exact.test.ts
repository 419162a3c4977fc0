import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { TooManyStatesError } from '../../src/errors.js';
import { checkAgainstReference, compareWithReference, describeVerdict, exactAutomaton } from '../../src/extract/exact.js';
import type { Machine } from '../../src/machine.js';
import { checkpointMachine } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { parityLrnn, randomCheckpoint, smallConfig } from '../fixtures/handbuilt.js';

const FORMATS = ['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fixed<2,6>', 'fixed<2,4>'];
const parity = parseTask('parity');

describe('exact extraction of hand-built parity LRNNs', () => {
  it.each(FORMATS)('proves the lrnn-neg construction is parity at %s', (name) => {
    const format = parseFormat(name);
    const machine = checkpointMachine(parityLrnn('lrnn-neg'), format);
    const { dfa, explored } = exactAutomaton(machine, { maxStates: 1000 });
    // start, (0, h=0), (1, h=1), (0, h=1), (1, h=0): five raw states, two after minimisation.
    expect(explored).toBe(5);
    expect(dfa.nStates).toBeLessThanOrEqual(3);
    const verdict = compareWithReference(dfa, parity.reference!);
    expect(verdict).toEqual({ equal: true });
    expect(describeVerdict(verdict, { task: 'parity', format: format.name, alphabet: dfa.alphabet, classes: dfa.classes })).toBe(
      `recognises parity on every non-empty input at ${format.name}`,
    );
  });

  it.each(FORMATS)('refutes the lrnn-pos construction at %s with the shortest counterexample 11', (name) => {
    const format = parseFormat(name);
    const machine = checkpointMachine(parityLrnn('lrnn-pos'), format);
    const { dfa } = exactAutomaton(machine, { maxStates: 1000 });
    const verdict = compareWithReference(dfa, parity.reference!);
    expect(verdict).toEqual({ equal: false, word: [1, 1], expected: 0, got: 1 });
    expect(describeVerdict(verdict, { task: 'parity', format: format.name, alphabet: dfa.alphabet, classes: dfa.classes })).toBe(
      `does not recognise parity at ${format.name}: shortest counterexample '11' (length 2): expected reject, got accept`,
    );
  });
});

describe('checkAgainstReference', () => {
  it.each(FORMATS)('proves lrnn-neg and refutes lrnn-pos on the fly at %s', (name) => {
    const format = parseFormat(name);
    const neg = checkAgainstReference(checkpointMachine(parityLrnn('lrnn-neg'), format), parity.reference!, { maxStates: 100 });
    expect(neg.verdict).toEqual({ equal: true });
    expect(neg.checkedLength).toBe(Infinity);
    const pos = checkAgainstReference(checkpointMachine(parityLrnn('lrnn-pos'), format), parity.reference!, { maxStates: 100 });
    expect(pos.verdict).toEqual({ equal: false, word: [1, 1], expected: 0, got: 1 });
    expect(pos.checkedLength).toBe(1);
  });

  it('reports how far it checked when the cap comes first, and refutes past the cap of a full extraction', () => {
    // A counter mod 1000 that accepts odd counts: parity on every word, but 1000 states to prove it.
    const counter = (modulus: number) => ({
      alphabet: ['0', '1'],
      classes: ['reject', 'accept'],
      initial: () => 0,
      step: (s: number, x: number) => (s + x) % modulus,
      classify: (s: number) => s % 2,
      accepts: (s: number) => s % 2 === 1,
      key: (s: number) => s,
    });
    const capped = checkAgainstReference(counter(1000), parity.reference!, { maxStates: 50 });
    expect(capped.verdict).toBeNull();
    expect(capped.checkedLength).toBe(49);
    expect(capped.stopped).toBe('cap');
    // Modulus 7 is odd: 1^7 returns to count 0 and is rejected, although parity accepts it.
    const wrong = checkAgainstReference(counter(7), parity.reference!, { maxStates: 50 });
    expect(wrong.verdict).toEqual({ equal: false, word: [1, 1, 1, 1, 1, 1, 1], expected: 1, got: 0 });
  });
});

describe('compareWithReference', () => {
  it('ignores the empty word but checks non-empty words that return to the start pair', () => {
    // a: accepts everything, even ε; reference: accepts every non-empty word. Equal on non-empty words.
    const all = Dfa.binary(['a'], [0], [0]);
    const nonEmpty = Dfa.binary(['a'], [1, 1], [1]);
    expect(compareWithReference(all, nonEmpty)).toEqual({ equal: true });
    // Reference that accepts only even lengths >= 2 (start state rejecting ε would be odd): differs at 'a'.
    const even = Dfa.binary(['a'], [1, 0], [0]);
    expect(compareWithReference(all, even)).toEqual({ equal: false, word: [0], expected: 0, got: 1 });
    // Differing only at length 2, reached by returning to the start pair.
    const odd = Dfa.binary(['a'], [1, 0], [1]);
    const oddOrEps = Dfa.binary(['a'], [1, 2, 1], [0, 1]);
    expect(compareWithReference(odd, oddOrEps)).toEqual({ equal: true });
    const mod3 = Dfa.binary(['a'], [1, 2, 0], [1, 2]);
    expect(compareWithReference(mod3, all)).toEqual({ equal: false, word: [0, 0, 0], expected: 1, got: 0 });
  });
});

describe('exactAutomaton', () => {
  it('throws TooManyStatesError when the cap is hit', () => {
    const machine = {
      alphabet: ['a'],
      classes: ['reject', 'accept'],
      initial: () => 0,
      step: (s: number) => s + 1,
      classify: (s: number) => s % 2,
      accepts: (s: number) => s % 2 === 1,
      key: (s: number) => s,
    };
    expect(() => exactAutomaton(machine, { maxStates: 100 })).toThrow(TooManyStatesError);
    expect(() => exactAutomaton(machine, { maxStates: 100 })).toThrow('exact extraction: more than 100 states');
  });

  // The packed route (1-layer LRNNs) expands states in batches; the generic route one at a time.
  const packedCase = (format: string) => checkpointMachine(randomCheckpoint(smallConfig('lrnn-neg', { width: 3, state: 2 }), 1, 1.5), parseFormat(format));

  it('caps the packed route at exactly maxStates states, as the generic route does', () => {
    const m = packedCase('fixed<2,6>');
    expect(m.packed).not.toBeNull();
    const full = exactAutomaton(m, { maxStates: 100_000 });
    const cap = full.explored - 1;
    expect(() => exactAutomaton(m, { maxStates: cap })).toThrow(`exact extraction: more than ${cap} states`);
    expect(() => exactAutomaton({ ...m, packed: null } as typeof m, { maxStates: cap })).toThrow(`exact extraction: more than ${cap} states`);
    expect(exactAutomaton(m, { maxStates: full.explored }).explored).toBe(full.explored);
  });

  it('reports progress on the packed route and splits its time into search and minimisation', () => {
    const m = packedCase('fp16');
    const seen: number[] = [];
    const r = exactAutomaton(m, { maxStates: 100_000, onProgress: (explored) => seen.push(explored) });
    expect(r.explored).toBeGreaterThan(3 * 4096);
    expect(seen).toEqual([4096, 8192, 12288]);
    expect(r.exploreSeconds).toBeGreaterThan(0);
    expect(r.exploreSeconds).toBeLessThanOrEqual(r.seconds);
  });
});

describe('the packed and generic routes reach the same verdicts', () => {
  /** The verdict of a full extraction, or 'cap' past 5000 states. */
  const outcome = (m: Machine<unknown>) => {
    try {
      return compareWithReference(exactAutomaton(m, { maxStates: 5000 }).dfa, parity.reference!);
    } catch (error) {
      if (error instanceof TooManyStatesError) return 'cap';
      throw error;
    }
  };

  it.each(['fixed<2,6>', 'fixed<4,8>', 'fp8-e4m3', 'bf16'])('on random LRNNs against parity at %s', (name) => {
    for (const seed of [1, 2, 3]) {
      const m = checkpointMachine(randomCheckpoint(smallConfig('lrnn-neg', { width: 3, state: 2 }), seed, 1.5), parseFormat(name));
      expect(m.packed).not.toBeNull();
      const generic = { ...m, packed: null } as typeof m;
      const fast = checkAgainstReference(m, parity.reference!, { maxStates: 3000 });
      const slow = checkAgainstReference(generic, parity.reference!, { maxStates: 3000 });
      expect(fast).toEqual({ ...slow, seconds: fast.seconds });
      expect(outcome(m)).toEqual(outcome(generic));
    }
  });
});
