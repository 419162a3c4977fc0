// Input checks shared by every task: the messages name the task, the position and the symbol or length at
// fault, because a bad word usually comes from a user's file or command line, not from a bug.
import { InputError } from '../errors.js';
import type { Word } from '../machine.js';
import type { LengthRange } from './task.js';

/** Throws InputError unless every symbol of the word is an index into the alphabet. */
export function checkSymbols(task: string, alphabet: readonly string[], word: Word): void {
  for (let i = 0; i < word.length; i++) {
    const a = word[i];
    if (!Number.isInteger(a) || a < 0 || a >= alphabet.length)
      throw new InputError(
        `task '${task}': symbol ${a} at position ${i} is not in the alphabet (indices 0..${alphabet.length - 1})`,
      );
  }
}

/** Throws InputError unless the range is 0 <= min <= max with integer bounds. */
export function checkLengthRange(task: string, lengths: LengthRange): void {
  for (const key of ['min', 'max'] as const) {
    const v = lengths[key];
    if (!Number.isSafeInteger(v) || v < 0)
      throw new InputError(`task '${task}': length ${key} = ${v} must be a non-negative integer`);
  }
  if (lengths.min > lengths.max)
    throw new InputError(`task '${task}': length range [${lengths.min}, ${lengths.max}] is empty (min > max)`);
}

/** Throws InputError unless the range contains the task's one input length. */
export function checkFixedLength(task: string, lengths: LengthRange, length: number, formula: string): void {
  checkLengthRange(task, lengths);
  if (length < lengths.min || length > lengths.max)
    throw new InputError(
      `task '${task}': inputs have length ${formula} = ${length}, outside the requested lengths [${lengths.min}, ${lengths.max}]`,
    );
}

/** Throws InputError unless the word has the task's one input length. */
export function checkWordLength(task: string, word: Word, length: number, formula: string): void {
  if (word.length !== length)
    throw new InputError(`task '${task}': word has length ${word.length}, expected ${formula} = ${length}`);
}

/** The InputError for a symbol that is in the alphabet but not allowed at its position. */
export function misplaced(task: string, alphabet: readonly string[], word: Word, i: number, expected: string): InputError {
  return new InputError(`task '${task}': position ${i} holds '${alphabet[word[i]]}', expected ${expected}`);
}
