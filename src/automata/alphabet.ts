// Alphabets are lists of symbol names. Words print without separators when every name is one character
// (the papers write 0110), and space-separated otherwise (w0 r0 i1).
import { AlphabetMismatchError, InputError } from '../errors.js';
import type { Word } from '../machine.js';

/** The printed form of the empty word. */
export const EPSILON = 'ε';

/** Throws unless the alphabet is non-empty with distinct, non-empty names. */
export function validateAlphabet(alphabet: readonly string[], where: string): void {
  if (alphabet.length === 0) throw new InputError(`${where}: alphabet is empty`);
  const seen = new Set<string>();
  for (const name of alphabet) {
    if (typeof name !== 'string' || name.length === 0 || /\s/.test(name))
      throw new InputError(`${where}: alphabet symbol ${JSON.stringify(name)} must be a non-empty string without spaces`);
    if (seen.has(name)) throw new InputError(`${where}: alphabet symbol '${name}' appears twice`);
    seen.add(name);
  }
}

/** True when both alphabets list the same names in the same order. */
export function sameAlphabet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Throws AlphabetMismatchError unless the two alphabets are identical. */
export function requireSameAlphabet(a: readonly string[], b: readonly string[], what: string): void {
  if (!sameAlphabet(a, b))
    throw new AlphabetMismatchError(`${what}: alphabets differ: [${a.join(', ')}] vs [${b.join(', ')}]`);
}

/** Prints a word over an alphabet; the empty word is ε. */
export function formatWord(alphabet: readonly string[], word: Word): string {
  if (word.length === 0) return EPSILON;
  const names = word.map((s) => alphabet[s]);
  return alphabet.every((n) => n.length === 1) ? names.join('') : names.join(' ');
}

/** Parses a printed word (the inverse of formatWord); names the symbol at fault. */
export function parseWord(alphabet: readonly string[], text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === EPSILON) return [];
  const singles = alphabet.every((n) => n.length === 1);
  const parts = singles && !/\s/.test(trimmed) ? [...trimmed] : trimmed.split(/\s+/);
  return parts.map((p) => {
    const i = alphabet.indexOf(p);
    if (i < 0) throw new InputError(`word '${text}': symbol '${p}' is not in the alphabet [${alphabet.join(', ')}]`);
    return i;
  });
}
