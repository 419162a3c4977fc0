// SMT-LIB dumps that native solvers run as they are: Z3's toSmtlib2() writes no (set-logic ...), and cvc5
// then warns and falls back to every theory. The logic is read off the text: the encodings are bit-vectors,
// quantifier-free unless a forall/exists appears; anything with Int or Real sorts gets ALL.

/** The narrowest standard logic covering an SMT-LIB 2 text written by eigenstate's encodings. */
export function smtLogic(text: string): string {
  if (/\b(Int|Real)\b/.test(text)) return 'ALL';
  return /\((forall|exists)\b/.test(text) ? 'BV' : 'QF_BV';
}

/** The text with `(set-logic L)` as its first line (an existing set-logic is kept; Z3's empty leading comment dropped). */
export function withSetLogic(text: string): string {
  if (/^\s*\(set-logic\b/m.test(text)) return text;
  const body = text.replace(/^;\s*\n/, '');
  return `(set-logic ${smtLogic(body)})\n${body}`;
}
