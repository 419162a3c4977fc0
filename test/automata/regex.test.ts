import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isMinimal } from '../../src/automata/minimise.js';
import { regexToDfa } from '../../src/automata/regex.js';
import { InputError } from '../../src/errors.js';

/**
 * Random regexes over the given characters in the syntax both regexToDfa and JavaScript's RegExp read
 * the same way: symbols, '.', classes (plain, negated, ranges), concatenation, '|', '*', '+', '?',
 * stacked quantifiers that JS reads as lazy ('*?', '+?', '??'; same language), '()' and empty
 * alternatives.
 */
function regexArbitrary(chars: readonly string[]): fc.Arbitrary<string> {
  const atom = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...chars) },
    { weight: 1, arbitrary: fc.constant('.') },
    { weight: 1, arbitrary: fc.subarray([...chars], { minLength: 1 }).map((cs) => `[${cs.join('')}]`) },
    { weight: 1, arbitrary: fc.subarray([...chars]).map((cs) => `[^${cs.join('')}]`) },
    { weight: 1, arbitrary: fc.constant(`[${chars[0]}-${chars[chars.length - 1]}]`) },
    { weight: 1, arbitrary: fc.constant('()') },
  );
  const { re } = fc.letrec<{ re: string }>((tie) => ({
    re: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('re'), tie('re')).map(([a, b]) => a + b),
      fc.tuple(tie('re'), tie('re')).map(([a, b]) => `(${a}|${b})`),
      fc.tuple(tie('re'), tie('re')).map(([a, b]) => `${a}|${b}`),
      tie('re').map((a) => `(${a}|)`),
      fc.tuple(tie('re'), fc.constantFrom('*', '+', '?', '*?', '+?', '??')).map(([a, q]) => `(${a})${q}`),
      fc.tuple(atom, fc.constantFrom('*', '+', '?')).map(([a, q]) => `${a}${q}`),
    ),
  }));
  return re;
}

/** Every word over the characters up to the given length. */
function allWords(chars: readonly string[], maxLength: number): string[] {
  const out = [''];
  for (let i = 0; out[i].length < maxLength; i++) for (const c of chars) out.push(out[i] + c);
  return out;
}

function agreesWithRegExp(chars: readonly string[], maxLength: number, extra: fc.Arbitrary<string[]>): void {
  const words = allWords(chars, maxLength);
  fc.assert(
    fc.property(regexArbitrary(chars), extra, (regex, longer) => {
      const dfa = regexToDfa(regex, chars);
      const js = new RegExp(`^(?:${regex})$`);
      const sample = [...words, ...longer];
      expect(sample.filter((w) => dfa.acceptsWord(dfa.parseWord(w)))).toEqual(sample.filter((w) => js.test(w)));
      expect(isMinimal(dfa)).toBe(true);
    }),
    { numRuns: 300 },
  );
}

describe('regexToDfa', () => {
  it('agrees with JavaScript RegExp over {0, 1}', () => {
    const longer = fc.array(fc.stringMatching(/^[01]{6,14}$/), { maxLength: 10 });
    agreesWithRegExp(['0', '1'], 5, longer);
  });

  it('agrees with JavaScript RegExp over {a, b, c}', () => {
    const longer = fc.array(fc.stringMatching(/^[abc]{4,10}$/), { maxLength: 10 });
    agreesWithRegExp(['a', 'b', 'c'], 3, longer);
  });

  it('gives the known minimal sizes', () => {
    const bin = ['0', '1'];
    expect(regexToDfa('(0|1)*1(0|1)(0|1)', bin).nStates).toBe(8);
    expect(regexToDfa('(0*10*1)*0*', bin).nStates).toBe(2); // even number of 1s
    expect(regexToDfa('(0|1(01*0)*1)*', bin).nStates).toBe(3); // binary multiples of 3
    expect(regexToDfa('.*', bin).nStates).toBe(1);
    expect(regexToDfa('[^01]', bin).nStates).toBe(1); // ∅
    expect(regexToDfa('[^01]', bin).acceptsWord([])).toBe(false);
    const eps = regexToDfa('', bin);
    expect(eps.nStates).toBe(2);
    expect(eps.acceptsWord([])).toBe(true);
    expect(eps.acceptsWord([0])).toBe(false);
    expect(regexToDfa('()', bin).table).toEqual(eps.table);
  });

  it('rewrites what automata.js would silently truncate', () => {
    const bin = ['0', '1'];
    // automata.js alone reads "0**1" as "0*", "0+?1" as "0+" and "0)1" as "0".
    expect(regexToDfa('0**1', bin).acceptsWord([0, 0, 1])).toBe(true);
    const lazy = regexToDfa('0+?1', bin); // lazy: the language of 0+1, not of (0+)?1
    expect([[1], [0, 1], [0, 0, 1]].map((w) => lazy.acceptsWord(w))).toEqual([false, true, true]);
    expect(() => regexToDfa('0)1', bin)).toThrow("regex '0)1': unmatched ')' at position 2");
  });

  it('does not inherit the state-id mix-up of the FSM that automata.js exports', () => {
    // automata.js's own FSM for this regex accepts 00; its object graph, which we read, does not.
    const dfa = regexToDfa('1*|(((0|))?|())', ['0', '1']);
    expect(['', '0', '00', '1', '11', '01'].map((w) => dfa.acceptsWord(dfa.parseWord(w)))).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('handles symbols that are not letters or digits, escaped when they are metacharacters', () => {
    const alphabet = ['(', ')', '#'];
    const dyck1 = regexToDfa('(\\(\\))*#', alphabet);
    expect(dyck1.acceptsWord(dyck1.parseWord('()()#'))).toBe(true);
    expect(dyck1.acceptsWord(dyck1.parseWord('(#'))).toBe(false);
    expect(regexToDfa('[#]', alphabet).acceptsWord([2])).toBe(true);
  });

  it('raises InputError naming the problem', () => {
    const bin = ['0', '1'];
    const cases: [string, string][] = [
      ['0(1', "regex '0(1': '(' at position 2 is never closed"],
      ['02', "regex '02': symbol '2' at position 2 is not in the alphabet [0, 1]"],
      ['*0', "regex '*0': '*' at position 1 has nothing to repeat"],
      ['(|*)', "regex '(|*)': '*' at position 3 has nothing to repeat"],
      ['[01', "regex '[01': '[' at position 1 is never closed"],
      ['[1-0]', "regex '[1-0]': range '1-0' at position 2 is out of order"],
      ['0\\', "regex '0\\': '\\' at the end escapes nothing"],
    ];
    for (const [regex, message] of cases) {
      expect(() => regexToDfa(regex, bin)).toThrow(InputError);
      expect(() => regexToDfa(regex, bin)).toThrow(message);
    }
    expect(() => regexToDfa('a', ['ab', 'c'])).toThrow("regex 'a': alphabet symbol 'ab' is not a single character");
  });
});
