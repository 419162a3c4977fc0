import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { AutomatonError } from '../../src/errors.js';

const parity = () => Dfa.binary(['0', '1'], [0, 1, 1, 0], [1]);

describe('Dfa', () => {
  it('runs words and labels them', () => {
    const d = parity();
    expect(d.acceptsWord(d.parseWord('0110'))).toBe(false);
    expect(d.acceptsWord(d.parseWord('0111'))).toBe(true);
    expect(d.acceptsWord([])).toBe(false);
    expect(d.isBinary).toBe(true);
    expect(d.acceptingStates()).toEqual([1]);
  });

  it('names the bad state and symbol of a malformed table', () => {
    expect(() => Dfa.binary(['0', '1'], [0, 1, 5, 0], [1])).toThrow(
      new AutomatonError("DFA: transition from state 1 on symbol '0' goes to 5, not a state in [0, 2)"),
    );
    expect(() => new Dfa({ alphabet: ['a'], table: [0], labels: [2] })).toThrow(/state 0 has label 2/);
    expect(() => new Dfa({ alphabet: ['a', 'a'], table: [0, 0], labels: [0] })).toThrow(/appears twice/);
    expect(() => new Dfa({ alphabet: ['a'], table: [0, 0], labels: [0] })).toThrow(/expected 1 states/);
  });

  it('copies its input, so later changes to the caller’s arrays do not leak in', () => {
    const table = [0, 1, 1, 0];
    const d = Dfa.binary(['0', '1'], table, [1]);
    table[1] = 0;
    expect(d.step(d.initial(), 1)).toBe(1);
    expect(Object.isFrozen(d)).toBe(true);
  });

  it('supports multi-class labels', () => {
    const mod3 = new Dfa({ alphabet: ['a'], classes: ['0', '1', '2'], table: [1, 2, 0], labels: [0, 1, 2] });
    expect(mod3.isBinary).toBe(false);
    expect(mod3.evaluate([0, 0, 0, 0, 0])).toBe(2);
  });
});
