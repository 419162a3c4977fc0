import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { match } from 'ts-pattern';
import { InputError } from '../../src/errors.js';
import { FLOAT_FORMAT_NAMES, ROUNDING_MODES } from '../../src/precision/format.js';
import type { NumberFormat } from '../../src/precision/format.js';
import { FORMAT_HELP, parseFormat } from '../../src/precision/parse.js';

/** Exhaustive over the union: adding a third kind breaks this at compile time. */
const describeFormat = (format: NumberFormat): string =>
  match(format)
    .with({ kind: 'fixed' }, (f) => `fixed ${f.intBits}.${f.fracBits} ${f.rounding}`)
    .with({ kind: 'float' }, (f) => `float e${f.expBits}m${f.mantBits}`)
    .exhaustive();

describe('parseFormat', () => {
  it('reads fixed formats with their rounding mode and canonical name', () => {
    expect(describeFormat(parseFormat('fixed<2,6>'))).toBe('fixed 2.6 half-even');
    expect(parseFormat('  fixed<2,6,floor>  ').name).toBe('fixed<2,6,floor>');
    expect(parseFormat('fixed<2,6,half-up>').name).toBe('fixed<2,6,half-up>');
    expect(parseFormat('fixed<2,6,half-even>').name).toBe('fixed<2,6>');
    expect(parseFormat(' Fixed< 2 , 6 , Floor > ').name).toBe('fixed<2,6,floor>');
    expect(parseFormat('fixed<32,0>').bits).toBe(32);
    expect(parseFormat('fixed<1,0>').max).toBe(0);
  });

  it('reads the floating formats, case-insensitively, as shared instances', () => {
    expect(FLOAT_FORMAT_NAMES).toEqual(['fp32', 'fp16', 'bf16', 'fp8-e5m2', 'fp8-e4m3']);
    expect(FLOAT_FORMAT_NAMES.map((n) => describeFormat(parseFormat(n)))).toEqual([
      'float e8m23',
      'float e5m10',
      'float e8m7',
      'float e5m2',
      'float e4m3',
    ]);
    expect(parseFormat(' FP16 ')).toBe(parseFormat('fp16'));
  });

  it('round-trips every canonical name', () => {
    for (const name of FLOAT_FORMAT_NAMES) expect(parseFormat(name).name).toBe(name);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.nat(31), fc.constantFrom(...ROUNDING_MODES), (i, f, mode) => {
        fc.pre(i + f <= 32);
        const format = parseFormat(`fixed<${i},${f},${mode}>`);
        const again = parseFormat(format.name);
        return (
          again.name === format.name &&
          again.kind === 'fixed' &&
          format.kind === 'fixed' &&
          again.rounding === mode &&
          again.intBits === i &&
          again.fracBits === f &&
          again.min === format.min &&
          again.max === format.max
        );
      }),
      { seed: 0xba5e, numRuns: 300 },
    );
  });

  it('names the text and what it expected, on one line', () => {
    const anyFormat = 'expected fixed<I,F>, fixed<I,F,MODE> or one of fp32, fp16, bf16, fp8-e5m2, fp8-e4m3';
    const cases: [string, string][] = [
      ['fixed<0,3>', "format 'fixed<0,3>': expected fixed<I,F> with integers I >= 1, F >= 0"],
      ['fixed<2>', "format 'fixed<2>': expected fixed<I,F> with integers I >= 1, F >= 0"],
      ['fixed<2,-1>', "format 'fixed<2,-1>': expected fixed<I,F> with integers I >= 1, F >= 0"],
      ['fixed<2.5,3>', "format 'fixed<2.5,3>': expected fixed<I,F> with integers I >= 1, F >= 0"],
      ['fixed<,>', "format 'fixed<,>': expected fixed<I,F> with integers I >= 1, F >= 0"],
      ['fixed<20,13>', "format 'fixed<20,13>': I + F = 33 bits, expected at most 32"],
      [
        'fixed<2,6,sideways>',
        "format 'fixed<2,6,sideways>': unknown rounding mode 'sideways' (expected half-even, floor, half-up)",
      ],
      ['fp12', `format 'fp12': ${anyFormat}`],
      ['', `format '': ${anyFormat}`],
      [' fixed<2,6>x', `format 'fixed<2,6>x': ${anyFormat}`],
      ['fixed<2,6,floor,1>', `format 'fixed<2,6,floor,1>': ${anyFormat}`],
    ];
    for (const [text, message] of cases) expect(() => parseFormat(text)).toThrow(new InputError(message));
    let caught: unknown;
    try {
      parseFormat('fp\n16');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toBe(`format 'fp\\x0a16': ${anyFormat}`);
  });

  it('help text lists every float format and the fixed syntax', () => {
    for (const name of FLOAT_FORMAT_NAMES) expect(FORMAT_HELP).toContain(name);
    expect(FORMAT_HELP).toContain('fixed<I,F,MODE>');
    expect(FORMAT_HELP).not.toContain('\n');
  });
});
