// The automata core's one data structure: a complete DFA whose states carry class labels (a Moore
// machine). A binary DFA is the case classes = ['reject', 'accept']; multi-class tasks (word problems)
// use more classes. Transitions live in one dense Int32Array, indexed state * nSymbols + symbol, as in
// LearnLib's CompactDFA. Validated once here, then immutable.
import { AutomatonError } from '../errors.js';
import { BINARY_CLASSES, isBinaryClasses, type Machine, type Word } from '../machine.js';
import { formatWord, parseWord, validateAlphabet } from './alphabet.js';

/** A state of a Dfa: an index in [0, nStates). */
export type StateId = number & { readonly __brand: 'StateId' };

/** An Int32Array whose contents the type system will not let you change. */
export type ReadonlyInt32Array = Omit<Int32Array, 'set' | 'fill' | 'copyWithin' | 'sort' | 'reverse'> & {
  readonly [index: number]: number;
};

/** What a Dfa is built from; arrays are copied, so the caller may reuse them. */
export interface DfaSpec {
  alphabet: readonly string[];
  /** Class names; defaults to the binary ['reject', 'accept']. */
  classes?: readonly string[];
  /** nStates * alphabet.length targets: table[state * nSymbols + symbol]. */
  table: ArrayLike<number>;
  /** One class index per state (for binary DFAs: 1 = accepting). */
  labels: ArrayLike<number>;
  /** Initial state; 0 when omitted. */
  initial?: number;
}

/** A complete deterministic automaton with a class label per state (binary or multi-class). */
export class Dfa implements Machine<StateId> {
  readonly alphabet: readonly string[];
  readonly classes: readonly string[];
  readonly nStates: number;
  readonly nSymbols: number;
  readonly start: StateId;
  readonly table: ReadonlyInt32Array;
  readonly labels: ReadonlyInt32Array;

  /** Validates the spec (naming the bad state or symbol) and freezes a copy of it. */
  constructor(spec: DfaSpec) {
    validateAlphabet(spec.alphabet, 'DFA');
    const classes = spec.classes ?? BINARY_CLASSES;
    if (classes.length < 1) throw new AutomatonError('DFA: no classes');
    if (new Set(classes).size !== classes.length) throw new AutomatonError('DFA: class names repeat');
    const k = spec.alphabet.length;
    const n = spec.labels.length;
    if (n === 0) throw new AutomatonError('DFA: no states (a complete DFA has at least one)');
    if (spec.table.length !== n * k)
      throw new AutomatonError(
        `DFA: transition table has ${spec.table.length} entries, expected ${n} states × ${k} symbols = ${n * k}`,
      );
    const table = Int32Array.from(spec.table);
    for (let i = 0; i < table.length; i++) {
      const t = table[i];
      if (!Number.isInteger(spec.table[i]) || t < 0 || t >= n)
        throw new AutomatonError(
          `DFA: transition from state ${Math.floor(i / k)} on symbol '${spec.alphabet[i % k]}' goes to ${spec.table[i]}, not a state in [0, ${n})`,
        );
    }
    const labels = Int32Array.from(spec.labels);
    for (let s = 0; s < n; s++) {
      if (!Number.isInteger(spec.labels[s]) || labels[s] < 0 || labels[s] >= classes.length)
        throw new AutomatonError(`DFA: state ${s} has label ${spec.labels[s]}, not a class in [0, ${classes.length})`);
    }
    const initial = spec.initial ?? 0;
    if (!Number.isInteger(initial) || initial < 0 || initial >= n)
      throw new AutomatonError(`DFA: initial state ${initial} is not a state in [0, ${n})`);
    this.alphabet = Object.freeze([...spec.alphabet]);
    this.classes = isBinaryClasses(classes) ? BINARY_CLASSES : Object.freeze([...classes]);
    this.nStates = n;
    this.nSymbols = k;
    this.start = initial as StateId;
    this.table = table;
    this.labels = labels;
    Object.freeze(this);
  }

  /** A binary DFA from a table and the set of accepting states. */
  static binary(alphabet: readonly string[], table: ArrayLike<number>, accepting: Iterable<number>, initial = 0): Dfa {
    const n = Math.floor(table.length / Math.max(alphabet.length, 1));
    const labels = new Int32Array(n);
    for (const s of accepting) {
      if (!Number.isInteger(s) || s < 0 || s >= n)
        throw new AutomatonError(`DFA: accepting state ${s} is not a state in [0, ${n})`);
      labels[s] = 1;
    }
    return new Dfa({ alphabet, table, labels, initial });
  }

  /** True for accept/reject automata. */
  get isBinary(): boolean {
    return this.classes === BINARY_CLASSES;
  }

  initial(): StateId {
    return this.start;
  }

  step(state: StateId, symbol: number): StateId {
    return this.table[state * this.nSymbols + symbol] as StateId;
  }

  classify(state: StateId): number {
    return this.labels[state];
  }

  accepts(state: StateId): boolean {
    return this.labels[state] === 1;
  }

  key(state: StateId): number {
    return state;
  }

  /** The state reached from `from` (default: the initial state) after reading the word. */
  run(word: Word, from: StateId = this.start): StateId {
    let s: number = from;
    for (const a of word) s = this.table[s * this.nSymbols + a];
    return s as StateId;
  }

  /** The class of a word. */
  evaluate(word: Word): number {
    return this.labels[this.run(word)];
  }

  /** Whether a binary DFA accepts the word. */
  acceptsWord(word: Word): boolean {
    return this.evaluate(word) === 1;
  }

  /** The accepting states of a binary DFA (states labelled 1). */
  acceptingStates(): StateId[] {
    const out: StateId[] = [];
    for (let s = 0; s < this.nStates; s++) if (this.labels[s] === 1) out.push(s as StateId);
    return out;
  }

  /** Prints a word over this alphabet. */
  formatWord(word: Word): string {
    return formatWord(this.alphabet, word);
  }

  /** Parses a printed word over this alphabet. */
  parseWord(text: string): number[] {
    return parseWord(this.alphabet, text);
  }
}
