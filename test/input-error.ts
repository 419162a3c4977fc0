// Shared by the tests of bad input: the one-line message of the InputError a call must throw.
import { expect } from '@jest/globals';
import { InputError } from '../src/errors.js';

/** The message of the InputError `fn` throws; fails the test if it throws anything else or nothing. */
export function inputErrorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}
