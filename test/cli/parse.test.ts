import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';
import { parseCount, parsePositive } from '../../src/cli/parse.js';

describe('option parsers', () => {
  it('parsePositive says "positive" for every value it refuses, 0 included (issue 25)', () => {
    for (const bad of ['0', '-1', 'x', '', '1.5']) expect(() => parsePositive(bad)).toThrow(new InvalidArgumentError('expected a positive integer.'));
    expect(parsePositive('3')).toBe(3);
    expect(() => parsePositive('99999999999999999999')).toThrow('too large.');
  });

  it('parseCount takes 0 and says "non-negative"', () => {
    expect(parseCount('0')).toBe(0);
    expect(() => parseCount('-1')).toThrow('expected a non-negative integer.');
  });
});
