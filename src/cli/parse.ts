// Parsers for option values, shared by every command; each throws commander's InvalidArgumentError so
// that a bad value becomes one line naming the option and the value.
import { InvalidArgumentError } from 'commander';
import type { LengthRange } from '../tasks/task.js';

/** Parses a non-negative integer option value. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a non-negative integer.');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('too large.');
  return n;
}

/** Parses an integer option value (seeds may be negative). */
export function parseInteger(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected an integer.');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('too large.');
  return n;
}

/** Parses a length range 'MIN:MAX' (inclusive) or a single length 'N'. */
export function parseLengthRange(value: string): LengthRange {
  const m = /^\s*(\d+)\s*(?::\s*(\d+)\s*)?$/.exec(value);
  if (!m) throw new InvalidArgumentError("expected MIN:MAX or N, e.g. '3:40'.");
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min) throw new InvalidArgumentError(`MIN ${min} is above MAX ${max}.`);
  return { min, max };
}

/** Parses a comma-separated list of names ('0,1' or 'a, b'). */
export function parseList(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('expected a comma-separated list without empty items.');
  return items;
}

/** A commander parser accepting exactly one of the given choices. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}.`);
    return value as T;
  };
}

/** Parses a positive integer option value (a time limit, a count that must not be 0). */
export function parsePositive(value: string): number {
  // The same message for '-1', 'x' and '0': a message that says "non-negative" must not refuse 0
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError('expected a positive integer.');
  return parseCount(value);
}

/** The longest word `task sample` draws: 10^6 symbols (a word is printed, so longer is never wanted). */
export const MAX_SAMPLE_LENGTH = 1_000_000;

/** The longest word `eval` and `quantize` run a model on: 10^4 positions (a bucket of them takes minutes of tfjs time already). */
export const MAX_EVAL_LENGTH = 10_000;

/** The most symbols one `eval` reads in all (buckets x words per bucket x longest length). */
export const MAX_EVAL_SYMBOLS = 20_000_000;

/** A length-range parser that refuses a MAX above `cap`, naming the cap. */
export function parseLengthRangeUpTo(cap: number): (value: string) => LengthRange {
  return (value: string): LengthRange => {
    const range = parseLengthRange(value);
    if (range.max > cap) throw new InvalidArgumentError(`MAX ${range.max} is above the cap of ${cap} symbols.`);
    return range;
  };
}
