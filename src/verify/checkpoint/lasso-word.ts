// Lasso words u·v^k and their printed notation `u(v)^k`: how all-length verdicts name a counterexample that
// may be millions of symbols long, and how `eigenstate run` reads one back. Symbols print joined when every
// symbol of the alphabet is one character (as `task label` takes words), otherwise comma-separated.
import { InputError } from '../../errors.js';
import type { Word } from '../../machine.js';

/** A word prefix·loop^power; a plain word is the prefix with an empty loop and power 1. */
export interface Lasso {
  readonly prefix: Word;
  readonly loop: Word;
  readonly power: number;
}

/** The word prefix·loop^power, symbol by symbol (built: callers cap its length first). */
export function lassoSymbols(l: Lasso): number[] {
  const word = [...l.prefix];
  for (let i = 0; i < l.power; i++) word.push(...l.loop);
  return word;
}

/** Total length |prefix| + power·|loop|. */
export function lassoLength(l: Lasso): number {
  return l.prefix.length + l.power * l.loop.length;
}

/** The symbols of a word in the alphabet's notation (joined or comma-separated; '' for the empty word). */
export function printSymbols(alphabet: readonly string[], word: Word): string {
  const names = word.map((s) => alphabet[s]);
  return alphabet.every((a) => a.length === 1) ? names.join('') : names.join(',');
}

/** `u(v)^k`, or the plain word when the loop is empty. */
export function printLasso(alphabet: readonly string[], l: Lasso): string {
  const u = printSymbols(alphabet, l.prefix);
  if (l.loop.length === 0) return u;
  const sep = u !== '' && !alphabet.every((a) => a.length === 1) ? ',' : '';
  return `${u}${sep}(${printSymbols(alphabet, l.loop)})^${l.power}`;
}

function parseSymbols(alphabet: readonly string[], text: string, whole: string): number[] {
  const t = text.trim().replace(/^,|,$/g, '');
  if (t === '' || t === 'ε') return [];
  const singles = alphabet.every((a) => a.length === 1);
  const parts = singles && !t.includes(',') ? [...t] : t.split(',').map((p) => p.trim());
  return parts.map((p) => {
    const i = alphabet.indexOf(p);
    if (i < 0) throw new InputError(`word '${cut(whole)}': symbol '${cut(p)}' is not in the alphabet [${alphabet.join(', ')}]`);
    return i;
  });
}

function cut(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Reads `u`, `u(v)^k` or `(v)^k` (k a non-negative integer); InputError naming the part at fault. */
export function parseLasso(alphabet: readonly string[], text: string): Lasso {
  const m = /^([^()]*)\(([^()]*)\)\^(\d+)\s*$/.exec(text.trim());
  if (m === null) {
    if (/[()^]/.test(text)) throw new InputError(`word '${cut(text)}': expected u, u(v)^k or (v)^k with k a whole number`);
    return { prefix: parseSymbols(alphabet, text, text), loop: [], power: 1 };
  }
  const power = Number(m[3]);
  if (!Number.isSafeInteger(power)) throw new InputError(`word '${cut(text)}': power ${cut(m[3])} is too large`);
  const loop = parseSymbols(alphabet, m[2], text);
  if (loop.length === 0) throw new InputError(`word '${cut(text)}': the loop in (...)^${power} is empty`);
  return { prefix: parseSymbols(alphabet, m[1], text), loop, power };
}
