// Regular expressions to minimal DFAs. Parsing and Thompson's construction are automata.js's (the user's
// choice of library); this file rewrites the user's regex into the dialect automata.js understands, reads
// its NFA back onto our alphabet, and determinises and minimises it.
//
// Syntax: single-character alphabet symbols, concatenation, `|`, `*`, `+`, `?`, `( )`, `.` (any symbol),
// classes `[abc]`, `[a-c]`, `[^ab]`, the empty regex and empty alternatives / groups (ε), and `\c` for a
// symbol c that is itself one of the metacharacters `( ) | * + ? . [ ] \`.
//
// automata.js quirks, and how the rewrite gets around each:
// - It only lexes [A-Za-z0-9_ ]. Every alphabet symbol is therefore renamed to a placeholder character
//   (symbol i -> PLACEHOLDERS[i]) and mapped back when its NFA is read.
// - It has no `.`, classes, ε or ∅. `.` and classes become alternations of placeholders; ε and ∅
//   (an empty class such as [^01] over {0, 1}) become two reserved marker characters whose edges are
//   read back as ε-moves and as no move at all.
// - It rejects empty regexes, empty groups `()` and empty alternatives `(a|)`; we put the ε marker there.
// - It silently ignores everything after an unmatched `)` ("a)b" parses as "a") and after a second
//   quantifier ("a**" parses as "a*", "a+?" as "a+"). We check parentheses ourselves; a `?` right after
//   a quantifier is JavaScript's lazy marker and is dropped (it does not change the language: "a+?"
//   means a+, not (a+)?), and other stacked quantifiers become nested groups ("a**" -> "(a*)*"), their
//   meaning in POSIX EREs (JavaScript rejects them).
// - The FSM that parseToNFA returns cannot be trusted, so we read the NFA's object graph instead
//   (RegParser#nfa: states with nextStates = [token, state] pairs), telling states apart by identity:
//   * its _reorderNFAStateId renumbers states during a BFS whose visited set is keyed by the ids it is
//     rewriting, so after a loop edge a state can keep an old id that the counter then hands to another
//     state; the FSM, keyed by id, merges the two. Its FSM for "b*|(((a|_))?|(_))", our rewrite of
//     "1*|(((0|))?|())", accepts "aa" (found by the RegExp property test; the graph is right);
//   * it keys transitions by target (transitions[from][to] = label), so parallel edges would collapse;
//   * its ids have gaps and numOfStates is not a count of states;
//   * acceptStates never lists the start state (only edge targets are inspected).
//   Reading the graph needs nothing but parseToNFA having run; the one final state is RegParser#nfa's
//   endState. This relies on automata.js 0.2.x internals, which is why parse() checks for them.
// - It throws plain Errors naming its own tokens; we map them to InputError with our symbols.
import automata, { type RegParser } from 'automata.js';
import { InputError, InternalError } from '../errors.js';
import { validateAlphabet } from './alphabet.js';
import type { Dfa } from './dfa.js';
import { minimise } from './minimise.js';
import { determinise, type DeterminiseProgress, Nfa } from './nfa.js';

/** Characters automata.js lexes as plain symbols, one per alphabet symbol (61 of them). */
const PLACEHOLDERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY0123456789';
/** Reserved placeholder read back as an ε-move. */
const EPSILON_MARK = '_';
/** Reserved placeholder read back as no move (the empty language). */
const EMPTY_MARK = 'Z';
/** automata.js's own label for ε-moves. */
const LIBRARY_EPSILON = 'ε';

/** The deepest group nesting a regex may have. */
export const MAX_REGEX_NESTING = 1000;

/** Options of regexToDfa: the subset construction's state cap (default 10^6) and its progress callback. */
export interface RegexOptions {
  maxStates?: number;
  onProgress?: (progress: DeterminiseProgress) => void;
}

/** The minimal DFA of a regular expression over an alphabet of single-character symbols; TooManyStatesError past maxStates. */
export function regexToDfa(regex: string, alphabet: readonly string[], options: RegexOptions = {}): Dfa {
  validateAlphabet(alphabet, `regex '${regex}'`);
  for (const symbol of alphabet)
    if ([...symbol].length !== 1)
      throw new InputError(`regex '${regex}': alphabet symbol '${symbol}' is not a single character`);
  if (alphabet.length > PLACEHOLDERS.length)
    throw new InputError(`regex '${regex}': alphabet has ${alphabet.length} symbols, at most ${PLACEHOLDERS.length} are supported`);
  const graph = parse(rewrite(regex, alphabet), regex, alphabet);
  return minimise(determinise(toNfa(graph, alphabet), { maxStates: options.maxStates, onProgress: options.onProgress }));
}

/** One open group of the regex being rewritten. */
interface Frame {
  /** Where in the output the group's '(' is (-1 for the whole regex). */
  groupStart: number;
  /** Position of the '(' in the input, for error messages. */
  openedAt: number;
  /** Nothing emitted since the group opened or since its last '|'. */
  emptyAlternative: boolean;
  /** Output index where the last atom (with its quantifiers) starts; -1 when there is none to repeat. */
  atomStart: number;
  /** The last token emitted was a quantifier. */
  afterQuantifier: boolean;
  /** A '?' now would be JavaScript's lazy marker: it directly follows a quantifier that has none. */
  lazyAllowed: boolean;
}

function openFrame(groupStart: number, openedAt: number): Frame {
  return { groupStart, openedAt, emptyAlternative: true, atomStart: -1, afterQuantifier: false, lazyAllowed: false };
}

/** Our regex in automata.js's dialect over placeholder characters (see the quirks above). */
function rewrite(regex: string, alphabet: readonly string[]): string {
  const chars = [...regex];
  const fail = (reason: string): never => {
    throw new InputError(`regex '${regex}': ${reason}`);
  };
  const symbolOf = (c: string, at: number): number => {
    const i = alphabet.indexOf(c);
    if (i < 0) fail(`symbol '${c}' at position ${at + 1} is not in the alphabet [${alphabet.join(', ')}]`);
    return i;
  };
  let out = '';
  const stack: Frame[] = [];
  let frame = openFrame(-1, -1);
  const emitAtom = (text: string): void => {
    frame.atomStart = out.length;
    out += text;
    frame.emptyAlternative = false;
    frame.afterQuantifier = false;
    frame.lazyAllowed = false;
  };

  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    switch (c) {
      case '(':
        // automata.js parses by recursion: deeper nesting overflows its stack (about 3,000 levels)
        if (stack.length >= MAX_REGEX_NESTING) return fail(`groups nested deeper than ${MAX_REGEX_NESTING} (at position ${i + 1})`);
        stack.push(frame);
        frame = openFrame(out.length, i);
        out += '(';
        break;
      case ')': {
        const parent = stack.pop();
        if (parent === undefined) return fail(`unmatched ')' at position ${i + 1}`);
        if (frame.emptyAlternative) out += EPSILON_MARK;
        out += ')';
        const groupStart = frame.groupStart;
        frame = parent;
        frame.atomStart = groupStart;
        frame.emptyAlternative = false;
        frame.afterQuantifier = false;
        frame.lazyAllowed = false;
        break;
      }
      case '|':
        if (frame.emptyAlternative) out += EPSILON_MARK;
        out += '|';
        frame.emptyAlternative = true;
        frame.atomStart = -1;
        frame.afterQuantifier = false;
        frame.lazyAllowed = false;
        break;
      case '*':
      case '+':
      case '?':
        if (frame.atomStart < 0) return fail(`'${c}' at position ${i + 1} has nothing to repeat`);
        if (c === '?' && frame.lazyAllowed) {
          // JavaScript's lazy marker ("a+?"): it changes which match is found, not the language.
          frame.lazyAllowed = false;
          break;
        }
        if (frame.afterQuantifier) out = `${out.slice(0, frame.atomStart)}(${out.slice(frame.atomStart)})`;
        out += c;
        frame.afterQuantifier = true;
        frame.lazyAllowed = true;
        break;
      case '.':
        emitAtom(alternation(alphabet.map((_, s) => s)));
        break;
      case '[': {
        const [members, end] = parseClass(chars, i, alphabet, fail, symbolOf);
        emitAtom(alternation(members));
        i = end;
        break;
      }
      case '\\':
        if (i + 1 >= chars.length) return fail(`'\\' at the end escapes nothing`);
        i++;
        emitAtom(PLACEHOLDERS[symbolOf(chars[i], i)]);
        break;
      default:
        emitAtom(PLACEHOLDERS[symbolOf(c, i)]);
    }
  }
  if (stack.length > 0) return fail(`'(' at position ${frame.openedAt + 1} is never closed`);
  if (frame.emptyAlternative) out += EPSILON_MARK;
  return out;
}

/** A class [...] starting at chars[open]: its members as symbol indices, and the index of its ']'. */
function parseClass(
  chars: readonly string[],
  open: number,
  alphabet: readonly string[],
  fail: (reason: string) => never,
  symbolOf: (c: string, at: number) => number,
): [number[], number] {
  let i = open + 1;
  const negated = chars[i] === '^';
  if (negated) i++;
  const members = new Set<number>();
  const item = (): string => {
    if (i >= chars.length) fail(`'[' at position ${open + 1} is never closed`);
    if (chars[i] === '\\') {
      if (i + 1 >= chars.length) fail(`'[' at position ${open + 1} is never closed`);
      i++;
    }
    return chars[i++];
  };
  while (i < chars.length && chars[i] !== ']') {
    const at = i;
    const lo = item();
    if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
      i++;
      const hi = item();
      const from = lo.codePointAt(0) ?? 0;
      const to = hi.codePointAt(0) ?? 0;
      if (from > to) fail(`range '${lo}-${hi}' at position ${at + 1} is out of order`);
      // A range is a set of characters: it keeps the alphabet symbols inside it, whatever else it spans.
      alphabet.forEach((symbol, s) => {
        const code = symbol.codePointAt(0) ?? 0;
        if (code >= from && code <= to) members.add(s);
      });
    } else {
      members.add(symbolOf(lo, at));
    }
  }
  if (i >= chars.length) fail(`'[' at position ${open + 1} is never closed`);
  const chosen = negated ? alphabet.map((_, s) => s).filter((s) => !members.has(s)) : [...members].sort((x, y) => x - y);
  return [chosen, i];
}

/** automata.js text matching exactly one of the given symbols (∅ when there are none). */
function alternation(symbols: readonly number[]): string {
  if (symbols.length === 0) return EMPTY_MARK;
  if (symbols.length === 1) return PLACEHOLDERS[symbols[0]];
  return `(${symbols.map((s) => PLACEHOLDERS[s]).join('|')})`;
}

/** automata.js's Thompson NFA as it keeps it in memory (RegParser#nfa once parseToNFA has run; 0.2.x). */
interface ThompsonState {
  nextStates: [{ text: string }, ThompsonState][];
}
interface ThompsonNfa {
  startState: ThompsonState;
  endState: ThompsonState;
}

/** Runs automata.js's parser on a rewritten regex and returns its NFA's object graph. */
function parse(rewritten: string, regex: string, alphabet: readonly string[]): ThompsonNfa {
  let parser: RegParser;
  try {
    parser = new automata.RegParser(rewritten);
    parser.parseToNFA();
  } catch (error) {
    // automata.js throws plain Errors that name its own tokens, i.e. our placeholders.
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`regex '${regex}': ${unplaceholder(reason, alphabet)}`);
  }
  const nfa = (parser as unknown as { nfa?: Partial<ThompsonNfa> }).nfa;
  if (nfa?.startState === undefined || nfa.endState === undefined)
    throw new InternalError('regex: automata.js did not leave its NFA in RegParser#nfa (a version other than 0.2.x?)');
  return nfa as ThompsonNfa;
}

/** The NFA graph as our Nfa, states told apart by object identity; placeholders back to symbols, markers to ε or nothing. */
function toNfa(graph: ThompsonNfa, alphabet: readonly string[]): Nfa {
  const ids = new Map<ThompsonState, number>([[graph.startState, 0]]);
  const queue = [graph.startState];
  const transitions: [number, number, number][] = [];
  const epsilon: [number, number][] = [];
  for (let from = 0; from < queue.length; from++) {
    for (const [token, target] of queue[from].nextStates) {
      let to = ids.get(target);
      if (to === undefined) {
        to = ids.size;
        ids.set(target, to);
        queue.push(target);
      }
      const label = token.text;
      if (label === LIBRARY_EPSILON || label === EPSILON_MARK) epsilon.push([from, to]);
      else if (label !== EMPTY_MARK) {
        const symbol = PLACEHOLDERS.indexOf(label);
        if (label.length !== 1 || symbol < 0 || symbol >= alphabet.length)
          throw new InternalError(`regex: automata.js produced an edge labelled '${label}', which no symbol maps to`);
        transitions.push([from, symbol, to]);
      }
    }
  }
  const end = ids.get(graph.endState);
  const accepting = end === undefined ? [] : [end];
  return new Nfa({ alphabet, nStates: ids.size, initial: [0], accepting, transitions, epsilon });
}

/** A message of automata.js with its placeholder characters turned back into our symbols. */
function unplaceholder(message: string, alphabet: readonly string[]): string {
  return message.replace(/: (.*)$/, (_, token: string) => {
    if (token === 'EOF') return ': unexpected end of regex';
    if (token === EPSILON_MARK) return `: unexpected empty expression`;
    const s = PLACEHOLDERS.indexOf(token);
    if (token.length === 1 && s >= 0 && s < alphabet.length) return `: unexpected '${alphabet[s]}'`;
    return `: unexpected '${token}'`;
  });
}
