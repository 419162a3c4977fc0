import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { dfaFromJson, dfaToJson, dfaToJsonText } from '../../src/automata/json.js';
import { InputError } from '../../src/errors.js';

const parity = Dfa.binary(['0', '1'], [0, 1, 1, 0], [1]);

describe('automaton JSON', () => {
  it('round-trips, multi-class included', () => {
    const mod3 = new Dfa({ alphabet: ['a', 'b'], classes: ['r0', 'r1', 'r2'], table: [1, 0, 2, 1, 0, 2], labels: [0, 1, 2] });
    for (const d of [parity, mod3]) {
      const back = dfaFromJson(JSON.parse(dfaToJsonText(d)), 'x.json');
      expect(back.alphabet).toEqual(d.alphabet);
      expect(back.classes).toEqual(d.classes);
      expect(Array.from(back.table)).toEqual(Array.from(d.table));
      expect(Array.from(back.labels)).toEqual(Array.from(d.labels));
    }
  });

  it('renumbers states in BFS order and drops unreachable ones', () => {
    // state 0 unreachable from initial 2; 2 -> 1 -> 2
    const d = Dfa.binary(['a'], [0, 2, 1], [1], 2);
    const json = dfaToJson(d);
    expect(json.states).toEqual([
      { class: 'reject', next: [1] },
      { class: 'accept', next: [0] },
    ]);
  });

  const bad: [string, (j: ReturnType<typeof dfaToJson>) => unknown, string][] = [
    ['wrong format', (j) => ({ ...j, format: 'other' }), 'p.json: format: '],
    ['future version', (j) => ({ ...j, version: 2 }), 'p.json: version: unsupported version (this eigenstate reads version 1) (got 2)'],
    ['target out of range', (j) => ({ ...j, states: [j.states[0], { class: 'accept', next: [0, 7] }] }), 'p.json: states[1].next[1]: target is not a state (there are 2) (got 7)'],
    ['unknown class', (j) => ({ ...j, states: [j.states[0], { class: 'maybe', next: [1, 0] }] }), "p.json: states[1].class: not one of the classes [reject, accept] (got \"maybe\")"],
    ['short next', (j) => ({ ...j, states: [j.states[0], { class: 'accept', next: [1] }] }), 'p.json: states[1].next: needs one target per symbol (2) (got [1])'],
    ['repeated symbol', (j) => ({ ...j, alphabet: ['0', '0'] }), "p.json: alphabet[1]: symbol '0' appears twice"],
    ['bad initial', (j) => ({ ...j, initial: 5 }), 'p.json: initial: not a state (there are 2) (got 5)'],
    ['missing field', (j) => ({ ...j, states: undefined }), 'p.json: states: '],
  ];
  it.each(bad)('rejects %s with one line naming the field', (_what, mutate, message) => {
    const data = mutate(dfaToJson(parity));
    expect(() => dfaFromJson(data, 'p.json')).toThrow(InputError);
    expect(() => dfaFromJson(data, 'p.json')).toThrow(message);
  });

  it('reads an automaton over 10^5 symbols in linear time and still names a repeated symbol or class', () => {
    // Issue 25 case 3: the duplicate checks were indexOf per symbol, O(k^2): 6.8 s for `dfa show`.
    const k = 100_000;
    const alphabet = Array.from({ length: k }, (_, i) => `s${i}`);
    const json = {
      ...dfaToJson(parity),
      alphabet,
      states: [
        { class: 'reject', next: alphabet.map((_, i) => i % 2) },
        { class: 'accept', next: alphabet.map((_, i) => 1 - (i % 2)) },
      ],
    };
    const d = dfaFromJson(json, 'wide.json');
    expect(d.nSymbols).toBe(k);
    expect(d.run([1, 3, 99_999, 4])).toBe(1);
    expect(Array.from(d.labels)).toEqual([0, 1]);
    const repeated = { ...json, alphabet: [...alphabet.slice(0, k - 1), 's17'] };
    expect(() => dfaFromJson(repeated, 'wide.json')).toThrow(`wide.json: alphabet[${k - 1}]: symbol 's17' appears twice`);
    const classes = { ...json, classes: ['reject', 'accept', 'reject'] };
    expect(() => dfaFromJson(classes, 'wide.json')).toThrow("wide.json: classes[2]: class 'reject' appears twice");
  });
});
