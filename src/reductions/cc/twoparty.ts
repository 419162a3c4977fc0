// A two-party function f(x, y) as the communication-complexity code sees it: Alice's inputs are rows,
// Bob's are columns, each row and column is also a word of the task (Alice's prefix, Bob's suffix), so a
// bound found here can be replayed on a model that reads prefix then suffix. The named families (EQ_n,
// DISJ_n, INDEX_n, GT_n) get direct formulas, and every other task split at a position is enumerated
// through task.label; the tests check the formulas against task.label cell by cell.
import { match, P } from 'ts-pattern';
import { InputError } from '../../errors.js';
import type { Word } from '../../machine.js';
import { BINARY_CLASSES } from '../../machine.js';
import type { Task } from '../../tasks/task.js';

/** The closed forms the symbolic (Z3) lemma and the large-n bounds know. */
export type SymbolicFamily =
  | { kind: 'equality'; n: number }
  | { kind: 'disjointness'; n: number }
  | { kind: 'gt'; n: number }
  | { kind: 'index'; n: number; a: number };

/** A total two-party function on finite input sets, rows for Alice and columns for Bob. */
export interface TwoPartyFunction {
  /** Short name, e.g. 'EQ_8', 'INDEX_4,3' or 'parity@3/6'. */
  readonly name: string;
  readonly description: string;
  /** The task the rows and columns are words of, when there is one (GT_n has none). */
  readonly task?: Task;
  readonly rows: number;
  readonly cols: number;
  /** Output names; f's values are indices into this list. */
  readonly outputs: readonly string[];
  /** Alice's part of the input as task symbols (a prefix of the task's word). */
  aliceWord(row: number): Word;
  /** Bob's part (the suffix). */
  bobWord(col: number): Word;
  /** f(row, col), an index into `outputs`. */
  value(row: number, col: number): number;
  /** The closed form, for the symbolic lemma and for n past the matrix cap. */
  readonly symbolic?: SymbolicFamily;
}

/** Largest number of words the generic (task.label) enumeration visits. */
export const MAX_ENUMERATED_WORDS = 1 << 22;

/** The bits of i, most significant first, as n symbols 0/1. */
export function bitsOf(i: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => (i >>> (n - 1 - k)) & 1);
}

/** The base-a digits of i, most significant first, n of them. */
export function digitsOf(i: number, n: number, a: number): number[] {
  const out = new Array<number>(n);
  let v = i;
  for (let k = n - 1; k >= 0; k--) {
    out[k] = v % a;
    v = Math.floor(v / a);
  }
  return out;
}

// n past the matrix cap is still a valid function (the symbolic lemma handles it); `value` is only ever
// called on matrices of at most MAX_CELLS cells, so row and column indices stay far below 2^31.
const MAX_N = 64;

function checkN(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_N) throw new InputError(`${name}: n = ${n} must be an integer in 1..${MAX_N}`);
}

// EQ/DISJ use the task's alphabet ['0','1','#']: Alice's word is x then the separator.
const SEP = 2;

/** EQ_n or DISJ_n built from their task (Alice: x#, Bob: y). */
function binaryTwoParty(task: Task, kind: 'equality' | 'disjointness', n: number): TwoPartyFunction {
  checkN(task.name, n);
  const size = 2 ** n;
  return {
    name: `${kind === 'equality' ? 'EQ' : 'DISJ'}_${n}`,
    description: task.description,
    task,
    rows: size,
    cols: size,
    outputs: task.classes,
    aliceWord: (i) => [...bitsOf(i, n), SEP],
    bobWord: (j) => bitsOf(j, n),
    value: kind === 'equality' ? (i, j) => (i === j ? 1 : 0) : (i, j) => ((i & j) === 0 ? 1 : 0),
    symbolic: { kind, n },
  };
}

/** INDEX_n over a letters built from its task (Alice: x_1..x_n, Bob: the query @p). */
function indexTwoParty(task: Task, n: number, a: number): TwoPartyFunction {
  checkN(task.name, n);
  // May exceed 2^53 for large n; then only the symbolic lemma runs and this count is just "too many".
  const rows = a ** n;
  return {
    name: `INDEX_${n},${a}`,
    description: task.description,
    task,
    rows,
    cols: n,
    outputs: task.classes,
    aliceWord: (i) => digitsOf(i, n, a),
    bobWord: (p) => [a + p],
    // Digit p of i in base a, most significant first, without building the word.
    value: (i, p) => Math.floor(i / a ** (n - 1 - p)) % a,
    symbolic: { kind: 'index', n, a },
  };
}

/** GT_n: x > y as n-bit binary numbers (no task: words are the bits, Alice's first). */
export function greaterThan(n: number): TwoPartyFunction {
  checkN('gt', n);
  const size = 2 ** n;
  return {
    name: `GT_${n}`,
    description: `greater than: x > y for x, y ∈ {0,1}^${n} read as binary numbers`,
    rows: size,
    cols: size,
    outputs: BINARY_CLASSES,
    aliceWord: (i) => bitsOf(i, n),
    bobWord: (j) => bitsOf(j, n),
    value: (i, j) => (i > j ? 1 : 0),
    symbolic: { kind: 'gt', n },
  };
}

/** Every word of a length over k symbols, in lexicographic order; capped. */
function allWords(k: number, length: number, what: string): Word[] {
  const count = k ** length;
  if (count > MAX_ENUMERATED_WORDS) throw new InputError(`${what}: ${k}^${length} = ${count} words is more than ${MAX_ENUMERATED_WORDS} to enumerate`);
  return Array.from({ length: count }, (_, i) => digitsOf(i, length, k));
}

/**
 * Any task split at a position, by enumeration: Alice holds every word of length `split`, Bob every word
 * of length `length − split`; a pair the task refuses (label throws) is outside the input shape. Rows and
 * columns with no valid pair are dropped; a shape that is not a product (a valid row meets an invalid
 * cell) is a partial function, which this module does not handle, so it is an InputError.
 */
export function enumeratedTwoParty(task: Task, length: number, split: number): TwoPartyFunction {
  if (!Number.isSafeInteger(split) || split < 0 || split > length)
    throw new InputError(`${task.name}: split ${split} must lie in 0..${length} (the word length)`);
  const k = task.alphabet.length;
  const prefixes = allWords(k, split, task.name);
  const suffixes = allWords(k, length - split, task.name);
  if (prefixes.length * suffixes.length > MAX_ENUMERATED_WORDS)
    throw new InputError(`${task.name}: ${prefixes.length}×${suffixes.length} cells is more than ${MAX_ENUMERATED_WORDS} to enumerate`);
  const UNDEF = -1;
  const cell = (x: Word, y: Word): number => {
    try {
      return task.label([...x, ...y]);
    } catch (error) {
      if (error instanceof InputError) return UNDEF;
      throw error;
    }
  };
  const table = prefixes.map((x) => suffixes.map((y) => cell(x, y)));
  const rowIdx = prefixes.map((_, i) => i).filter((i) => table[i].some((v) => v !== UNDEF));
  const colIdx = suffixes.map((_, j) => j).filter((j) => rowIdx.some((i) => table[i][j] !== UNDEF));
  if (rowIdx.length === 0) throw new InputError(`${task.name}: no word of length ${length} is a valid input`);
  for (const i of rowIdx)
    for (const j of colIdx)
      if (table[i][j] === UNDEF) {
        const show = (w: Word) => w.map((s) => task.alphabet[s]).join(' ');
        throw new InputError(
          `${task.name}: split at ${split} is not a product of input sets: '${show(prefixes[i])}' + '${show(suffixes[j])}' is not a valid input`,
        );
      }
  const values = rowIdx.map((i) => colIdx.map((j) => table[i][j]));
  return {
    name: `${task.name}@${split}/${length}`,
    description: `${task.description}, split after ${split} of ${length} symbols`,
    task,
    rows: rowIdx.length,
    cols: colIdx.length,
    outputs: task.classes,
    aliceWord: (r) => prefixes[rowIdx[r]],
    bobWord: (c) => suffixes[colIdx[c]],
    value: (r, c) => values[r][c],
  };
}

/** Where to cut a task without a built-in formula: the word length and Alice's share (default: task.split). */
export interface SplitOptions {
  length?: number;
  split?: number;
}

/** The two-party function of a task: the direct formula for equality/disjointness/index, else enumeration. */
export function twoPartyOfTask(task: Task, opts: SplitOptions = {}): TwoPartyFunction {
  const n = (key: string): number => {
    const m = new RegExp(`[:,]${key}=(\\d+)`).exec(task.name);
    if (!m) throw new InputError(`${task.name}: cannot read parameter ${key} from the task name`);
    return Number(m[1]);
  };
  return match(task.family)
    .with(P.union('equality', 'disjointness'), (kind) => binaryTwoParty(task, kind, n('n')))
    .with('index', () => indexTwoParty(task, n('n'), n('a')))
    .otherwise(() => {
      const split = opts.split ?? task.split;
      if (opts.length === undefined || split === undefined)
        throw new InputError(`${task.name}: no built-in two-party form; give the word length and the split position (--length, --split)`);
      return enumeratedTwoParty(task, opts.length, split);
    });
}
