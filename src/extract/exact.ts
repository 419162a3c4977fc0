// Exact automata: a deterministic machine over exactly keyed states (a checkpoint at a format) is a finite
// automaton over its reachable states. Breadth-first search finds them all (or hits the cap), the result
// is minimised, and comparing it with a reference DFA is a proof for every input length at that
// precision, or the shortest word the model gets wrong (THEORY.md, "Finite precision").
import { formatWord, requireSameAlphabet } from '../automata/alphabet.js';
import { Dfa } from '../automata/dfa.js';
import { minimise } from '../automata/minimise.js';
import { AlphabetMismatchError, TooManyStatesError } from '../errors.js';
import type { Machine, Word } from '../machine.js';
import type { PackedDynamics } from '../precision/exec/packed.js';

/** The result of an exact extraction. */
export interface ExactExtraction {
  /** The minimal automaton of the machine, states in BFS order (state 0 = the empty word). */
  dfa: Dfa;
  /** Distinct machine states reached (the unminimised automaton's size). */
  explored: number;
  seconds: number;
}

/** The default cap on explored states (`--max-states`). */
export const DEFAULT_MAX_STATES = 1_000_000;

/** Options of exactAutomaton. */
export interface ExactOptions {
  maxStates: number;
  /** Called now and then with the number of states found so far. */
  onProgress?: (explored: number) => void;
}

const PROGRESS_EVERY = 4096;

/** The minimal automaton of every state reachable from machine.initial(); TooManyStatesError past maxStates. */
export function exactAutomaton<S>(machine: Machine<S>, options: ExactOptions): ExactExtraction {
  const started = performance.now();
  const packed = packedOf(machine);
  const raw =
    packed === null
      ? searchGeneric(machine, options)
      : searchPacked(machine, packed, options);
  const dfa = minimise(raw);
  return { dfa, explored: raw.nStates, seconds: (performance.now() - started) / 1000 };
}

/** The packed stepper a checkpoint machine carries (duck-typed: extract must not depend on its class). */
function packedOf(machine: Machine<unknown>): PackedDynamics | null {
  const candidate = (machine as { packed?: unknown }).packed;
  return candidate !== undefined && candidate !== null ? (candidate as PackedDynamics) : null;
}

function searchGeneric<S>(machine: Machine<S>, options: ExactOptions): Dfa {
  const k = machine.alphabet.length;
  const ids = new Map<string | bigint | number, number>();
  const states: S[] = [];
  let table = new Int32Array(1024 * k);
  const labels: number[] = [];
  const intern = (s: S): number => {
    const key = machine.key(s);
    let id = ids.get(key);
    if (id === undefined) {
      id = states.length;
      if (id >= options.maxStates) throw new TooManyStatesError('exact extraction', options.maxStates);
      ids.set(key, id);
      states.push(s);
      labels.push(machine.classify(s));
      if (options.onProgress !== undefined && id % PROGRESS_EVERY === 0 && id > 0) options.onProgress(id);
    }
    return id;
  };
  intern(machine.initial());
  for (let id = 0; id < states.length; id++) {
    const s = states[id];
    for (let x = 0; x < k; x++) {
      const t = intern(machine.step(s, x));
      if ((id + 1) * k > table.length) table = grow(table);
      table[id * k + x] = t;
    }
    // Expanded states are not needed again; dropping them keeps memory to the BFS frontier.
    (states as (S | undefined)[])[id] = undefined;
  }
  return new Dfa({ alphabet: machine.alphabet, classes: machine.classes, table: table.subarray(0, states.length * k), labels });
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}

/** BFS on integer-coded rows in an open-addressing hash (no strings, no per-state objects). */
function searchPacked(machine: Machine<unknown>, packed: PackedDynamics, options: ExactOptions): Dfa {
  const k = machine.alphabet.length;
  const w = packed.width;
  let pool = new Int32Array(1024 * w);
  let count = 0;
  let slots = new Int32Array(2048).fill(-1);
  let mask = slots.length - 1;
  let table = new Int32Array(1024 * k);
  let labels = new Int32Array(1024);
  const scratch = new Int32Array(w);

  const hashRow = (row: Int32Array, off: number): number => {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < w; i++) h = Math.imul(h ^ row[off + i], 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  };
  const sameRow = (id: number): boolean => {
    const base = id * w;
    for (let i = 0; i < w; i++) if (pool[base + i] !== scratch[i]) return false;
    return true;
  };
  const rehash = (): void => {
    slots = new Int32Array(slots.length * 2).fill(-1);
    mask = slots.length - 1;
    for (let id = 0; id < count; id++) {
      let h = hashRow(pool, id * w) & mask;
      while (slots[h] !== -1) h = (h + 1) & mask;
      slots[h] = id;
    }
  };
  /** The id of the row in scratch, interning it when new. */
  const intern = (): number => {
    let h = hashRow(scratch, 0) & mask;
    for (;;) {
      const id = slots[h];
      if (id === -1) break;
      if (sameRow(id)) return id;
      h = (h + 1) & mask;
    }
    const id = count;
    if (id >= options.maxStates) throw new TooManyStatesError('exact extraction', options.maxStates);
    if ((id + 1) * w > pool.length) pool = grow(pool);
    pool.set(scratch, id * w);
    if (id >= labels.length) labels = grow(labels);
    labels[id] = packed.classify(scratch, 0);
    slots[h] = id;
    count++;
    if (2 * count > slots.length) rehash();
    if (options.onProgress !== undefined && id % PROGRESS_EVERY === 0 && id > 0) options.onProgress(id);
    return id;
  };

  scratch.set(packed.initial);
  intern();
  for (let id = 0; id < count; id++) {
    if ((id + 1) * k > table.length) table = grow(table);
    for (let x = 0; x < k; x++) {
      packed.step(pool, id * w, x, scratch, 0);
      table[id * k + x] = intern();
    }
  }
  return new Dfa({
    alphabet: machine.alphabet,
    classes: machine.classes,
    table: table.subarray(0, count * k),
    labels: labels.subarray(0, count),
  });
}

/** How an automaton compares with a task's reference on non-empty words. */
export type ReferenceVerdict = { equal: true } | { equal: false; word: Word; expected: number; got: number };

/**
 * Equal on every non-empty word, or a shortest non-empty word on which dfa's class differs from the
 * reference's (the network never sees the empty word). Alphabets and class lists must match.
 */
export function compareWithReference(dfa: Dfa, reference: Dfa): ReferenceVerdict {
  requireSameAlphabet(reference.alphabet, dfa.alphabet, 'compare with reference');
  const sameClasses = dfa.classes.length === reference.classes.length && dfa.classes.every((c, i) => c === reference.classes[i]);
  if (!sameClasses) {
    throw new AlphabetMismatchError(
      `compare with reference: class lists differ: [${dfa.classes.join(', ')}] vs [${reference.classes.join(', ')}]`,
    );
  }
  const k = dfa.nSymbols;
  const nb = reference.nStates;
  // Pairs reached by non-empty words only: the root pair is not checked unless a non-empty word returns to it.
  const seen = new Map<number, number>();
  const pa: number[] = [];
  const pb: number[] = [];
  const parent: number[] = [];
  const via: number[] = [];
  const visit = (p: number, q: number, from: number, x: number): number | null => {
    const key = p * nb + q;
    if (seen.has(key)) return null;
    const id = pa.length;
    seen.set(key, id);
    pa.push(p);
    pb.push(q);
    parent.push(from);
    via.push(x);
    return dfa.labels[p] !== reference.labels[q] ? id : null;
  };
  const wordTo = (id: number): number[] => {
    const word: number[] = [];
    for (let i = id; i !== -1; i = parent[i]) word.push(via[i]);
    return word.reverse();
  };
  const found = (id: number): ReferenceVerdict => ({
    equal: false,
    word: wordTo(id),
    expected: reference.labels[pb[id]],
    got: dfa.labels[pa[id]],
  });
  for (let x = 0; x < k; x++) {
    const hit = visit(dfa.table[dfa.start * k + x], reference.table[reference.start * k + x], -1, x);
    if (hit !== null) return found(hit);
  }
  for (let id = 0; id < pa.length; id++) {
    for (let x = 0; x < k; x++) {
      const hit = visit(dfa.table[pa[id] * k + x], reference.table[pb[id] * k + x], id, x);
      if (hit !== null) return found(hit);
    }
  }
  return { equal: true };
}

/** What a verdict is about, for its one-line description. */
export interface VerdictContext {
  task: string;
  format: string;
  alphabet: readonly string[];
  classes: readonly string[];
}

/** The verdict as one sentence: a proof at that precision, or the shortest counterexample. */
export function describeVerdict(verdict: ReferenceVerdict, context: VerdictContext): string {
  if (verdict.equal) return `recognises ${context.task} on every non-empty input at ${context.format}`;
  const word = formatWord(context.alphabet, verdict.word);
  return (
    `does not recognise ${context.task} at ${context.format}: shortest counterexample '${word}' (length ${verdict.word.length}): ` +
    `expected ${context.classes[verdict.expected]}, got ${context.classes[verdict.got]}`
  );
}
