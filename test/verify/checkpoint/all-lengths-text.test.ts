import { describe, expect, it } from '@jest/globals';
import { checkedWords, invariantFailureWords, whyUnknown } from '../../../src/verify/checkpoint/all-lengths-text.js';
import type { AllLengthsResult, DeciderTime } from '../../../src/verify/checkpoint/types.js';

/** An unknown answer that took `seconds`, with these decider outcomes. */
function unknown(seconds: number, outcomes: [DeciderTime['name'], string][]): AllLengthsResult {
  return {
    verdict: 'unknown',
    arithmetic: 'real',
    counterexample: null,
    proof: null,
    certificate: null,
    checkedUpTo: 3,
    diagnosis: null,
    abstractStates: 0,
    refinementRounds: 0,
    lassos: { tried: 0, closed: 0, open: 0 },
    seconds,
    work: 0,
    minLength: 1,
    notes: [],
    deciders: outcomes.map(([name, outcome]) => ({ name, seconds: 0, work: 0, outcome })),
  };
}

describe('the words of an all-lengths answer (issue 25)', () => {
  it('never says "up to length Infinity" or "up to length 0"', () => {
    expect(checkedWords(Number.POSITIVE_INFINITY, 1)).toBe('every non-empty word (the exhaustive search closed)');
    expect(checkedWords(Number.POSITIVE_INFINITY, 5)).toBe('every word of length 5 or more (the exhaustive search closed)');
    expect(checkedWords(0, 1)).toBeNull();
    expect(checkedWords(4, 5)).toBeNull();
    expect(checkedWords(8, 1)).toBe('every non-empty word up to length 8');
    expect(checkedWords(9, 5)).toBe('every word of length 5..9');
  });

  it('says the budget ran out only when it did, and otherwise how much of it was used', () => {
    expect(whyUnknown(unknown(1.6, [['exhaustive', 'no word checked'], ['lassos', 'no counterexample'], ['invariant', 'failed (a box left the finite range)']]), 10)).toBe(
      'every decider stopped after 1.60 s of the 10 s budget, none for lack of time',
    );
    expect(whyUnknown(unknown(6, [['lassos', 'out of budget'], ['invariant', 'failed (a box left the finite range)']]), 10)).toBe('the 10 s budget ran out');
    expect(whyUnknown(unknown(10.01, []), 10)).toBe('the 10 s budget ran out');
    expect(invariantFailureWords('overflow')).toBe('a box left the finite range');
  });

  it('on a work budget (--work), speaks of work units, not seconds', () => {
    const early = { ...unknown(50, [['invariant', 'failed (a box left the finite range)']]), work: 700 };
    expect(whyUnknown(early, 1, 1000)).toBe('every decider stopped after 700 of the 1000 work units, none for lack of work');
    expect(whyUnknown({ ...early, work: 1000 }, 1, 1000)).toBe('the budget of 1000 work units ran out');
    expect(whyUnknown({ ...unknown(0.1, [['lassos', 'out of budget']]), work: 10 }, 1, 1000)).toBe('the budget of 1000 work units ran out');
  });
});
