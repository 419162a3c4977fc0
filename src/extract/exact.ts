// Exact automata: a deterministic machine over exactly keyed states (a checkpoint at a format) is a finite
// automaton over its reachable states. Breadth-first search finds them all (or hits the cap), the result
// is minimised, and comparing it with a reference DFA is a proof for every input length at that
// precision, or the shortest word the model gets wrong (docs/theory.md, "Finite precision").
import { formatWord, requireSameAlphabet } from '../automata/alphabet.js';
import { Dfa } from '../automata/dfa.js';
import { minimise } from '../automata/minimise.js';
import { AlphabetMismatchError, TooManyStatesError } from '../errors.js';
import { type Clock, wallClock } from '../clock.js';
import type { Machine, Word } from '../machine.js';
import type { FusedDynamics } from '../precision/exec/fused.js';
import type { PackedDynamics } from '../precision/exec/packed.js';
import { RowTable } from '../precision/exec/rows.js';

/** The result of an exact extraction. */
export interface ExactExtraction {
  /** The minimal automaton of the machine, states in BFS order (state 0 = the empty word). */
  dfa: Dfa;
  /** Distinct machine states reached (the unminimised automaton's size). */
  explored: number;
  /** The whole extraction. */
  seconds: number;
  /** The search alone (stepping, interning and labelling every state); the rest is minimisation. */
  exploreSeconds: number;
}

/** The default cap on explored states (`--max-states`). */
export const DEFAULT_MAX_STATES = 1_000_000;

/** Options of exactAutomaton. */
export interface ExactOptions {
  maxStates: number;
  /** Called now and then with the number of states found so far and, where the search knows it, how many of them it has expanded. */
  onProgress?: (explored: number, expanded?: number) => void;
}

/** Options of checkAgainstReference: the state cap and, optionally, a time limit. */
export interface CheckOptions extends ExactOptions {
  /** Stop (without a verdict) after this many seconds. */
  seconds?: number;
  /** The clock the time limit is read on (default: the wall clock). */
  clock?: Clock;
}

const PROGRESS_EVERY = 4096;

/** The minimal automaton of every state reachable from machine.initial(); TooManyStatesError past maxStates. */
export function exactAutomaton<S>(machine: Machine<S>, options: ExactOptions): ExactExtraction {
  const started = performance.now();
  const packed = packedOf(machine);
  if (packed !== null) {
    const { table, labels } = packedAutomaton(packed, machine.alphabet.length, options);
    const exploreSeconds = (performance.now() - started) / 1000;
    const raw = new Dfa({ alphabet: machine.alphabet, classes: machine.classes, table, labels });
    return { dfa: minimise(raw), explored: labels.length, seconds: (performance.now() - started) / 1000, exploreSeconds };
  }
  const states = explorer(machine, options);
  const k = machine.alphabet.length;
  let table = new Int32Array(1024 * k);
  states.initial();
  for (let id = 0; id < states.count; id++) {
    if ((id + 1) * k > table.length) table = grow(table);
    for (let x = 0; x < k; x++) table[id * k + x] = states.successor(id, x);
    // Expanded states are not needed again: BFS never returns to them.
    states.release(id);
  }
  const n = states.count;
  const labels = states.labels();
  const exploreSeconds = (performance.now() - started) / 1000;
  const raw = new Dfa({ alphabet: machine.alphabet, classes: machine.classes, table: table.subarray(0, n * k), labels });
  return { dfa: minimise(raw), explored: n, seconds: (performance.now() - started) / 1000, exploreSeconds };
}

/** The result of checking a machine against a reference on the fly. */
export interface ExactCheck {
  /** The verdict, or null when the cap or the time limit came first (no counterexample up to `checkedLength`). */
  verdict: ReferenceVerdict | null;
  /** Why there is no verdict: the state cap or the time limit; null with a verdict. */
  stopped: 'cap' | 'time' | null;
  /** Every non-empty word up to this length was checked (the whole language when verdict is set). */
  checkedLength: number;
  explored: number;
  seconds: number;
}

/**
 * Breadth-first search over pairs (machine state, reference state): the shortest non-empty word the
 * machine gets wrong as soon as it is reached, a proof when the pairs run out, or, past maxStates machine
 * states, the length up to which every word was checked. Refutes long before the automaton is complete.
 */
export function checkAgainstReference<S>(machine: Machine<S>, reference: Dfa, options: CheckOptions): ExactCheck {
  const started = performance.now();
  requireSameAlphabet(reference.alphabet, machine.alphabet, 'check against reference');
  requireSameClasses(machine.classes, reference.classes, 'check against reference');
  const states = explorer(machine, options);
  const k = machine.alphabet.length;
  const nRef = reference.nStates;
  let cache = new Int32Array(1024 * k).fill(-1);
  const pairs = new Map<number, number>();
  const pm: number[] = [];
  const pr: number[] = [];
  const parent: number[] = [];
  const via: number[] = [];
  const depth: number[] = [];
  const clock = options.clock ?? wallClock;
  // Work charged to the clock: one unit per executor step (a transition already in the cache is free).
  let steps = 0;
  const done = (verdict: ReferenceVerdict | null, checkedLength: number, stopped: ExactCheck['stopped'] = null): ExactCheck => {
    clock.spend(steps);
    steps = 0;
    return { verdict, stopped, checkedLength, explored: states.count, seconds: (performance.now() - started) / 1000 };
  };
  const root = states.initial();
  let id = -1;
  try {
    const limit = options.seconds === undefined ? Infinity : clock.now() + 1000 * options.seconds;
    for (; id < pm.length; id++) {
      // Every pair of depth <= depth[id] has been discovered and checked before pair id is expanded.
      if ((id & 63) === 0 && id > 0) {
        clock.spend(steps);
        steps = 0;
        if (clock.now() > limit) return done(null, depth[id], 'time');
      }
      const m = id < 0 ? root : pm[id];
      const r = id < 0 ? reference.start : pr[id];
      for (let x = 0; x < k; x++) {
        while ((m + 1) * k > cache.length) {
          const bigger = new Int32Array(cache.length * 2).fill(-1);
          bigger.set(cache);
          cache = bigger;
        }
        let next = cache[m * k + x];
        if (next < 0) {
          next = cache[m * k + x] = states.successor(m, x);
          steps++;
        }
        const rNext = reference.table[r * k + x];
        const key = next * nRef + rNext;
        if (pairs.has(key)) continue;
        pairs.set(key, pm.length);
        pm.push(next);
        pr.push(rNext);
        parent.push(id);
        via.push(x);
        depth.push(id < 0 ? 1 : depth[id] + 1);
        const got = states.label(next);
        const expected = reference.labels[rNext];
        if (got !== expected) {
          const word: number[] = [];
          for (let i = pm.length - 1; i !== -1; i = parent[i]) word.push(via[i]);
          return done({ equal: false, word: word.reverse(), expected, got }, word.length - 1);
        }
      }
    }
  } catch (error) {
    if (!(error instanceof TooManyStatesError)) throw error;
    return done(null, id < 0 ? 0 : depth[id], 'cap');
  }
  return done({ equal: true }, Infinity);
}

function requireSameClasses(a: readonly string[], b: readonly string[], what: string): void {
  if (a.length !== b.length || a.some((c, i) => c !== b[i])) {
    throw new AlphabetMismatchError(`${what}: class lists differ: [${a.join(', ')}] vs [${b.join(', ')}]`);
  }
}

/** Interned machine states by id in discovery order, with their labels and successors. */
export interface Explorer {
  readonly count: number;
  /** Interns the initial state (id 0). */
  initial(): number;
  successor(id: number, symbol: number): number;
  label(id: number): number;
  /** Every state's label, by id (a fresh array). */
  labels(): Int32Array;
  /** The state will not be stepped again (its memory may go). */
  release(id: number): void;
}

/** An explorer of the machine's states (the packed fast path where the machine has one), capped at maxStates. */
export function explorer<S>(machine: Machine<S>, options: ExactOptions): Explorer {
  const packed = packedOf(machine);
  return packed === null ? genericExplorer(machine, options) : packedExplorer(packed, options);
}

/** The packed stepper a checkpoint machine carries (duck-typed: extract must not depend on its class). */
function packedOf(machine: Machine<unknown>): PackedDynamics | null {
  const candidate = (machine as { packed?: unknown }).packed;
  return candidate !== undefined && candidate !== null ? (candidate as PackedDynamics) : null;
}

function genericExplorer<S>(machine: Machine<S>, options: ExactOptions): Explorer {
  const ids = new Map<string | bigint | number, number>();
  const states: (S | undefined)[] = [];
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
  return {
    get count() {
      return states.length;
    },
    initial: () => intern(machine.initial()),
    successor: (id, x) => intern(machine.step(states[id] as S, x)),
    label: (id) => labels[id],
    labels: () => Int32Array.from(labels),
    release: (id) => {
      states[id] = undefined;
    },
  };
}

/** A copy of the array at least twice as long, and at least `reserve` long. */
function grow(array: Int32Array<ArrayBuffer>, reserve = 0): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(array.length * 2, reserve));
  out.set(array);
  return out;
}

/**
 * Integer-coded rows interned in place: the successor is stepped straight into the free row of the arena
 * and kept only when new (no strings, no per-state objects, no copy).
 */
function packedExplorer(packed: PackedDynamics, options: ExactOptions): Explorer {
  const rows = searchRows(packed.width, options.maxStates, 1);
  let labels = new Int32Array(1024);
  const w = packed.width;
  const fused = packed.fused;
  const sums = new Float64Array(fused === null ? 0 : fused.sums);
  /** Labels the row just interned as id (new), or throws past the cap. */
  const fresh = (id: number, label: () => number): void => {
    if (id >= options.maxStates) throw new TooManyStatesError('exact extraction', options.maxStates);
    if (id >= labels.length) labels = grow(labels);
    labels[id] = label();
    if (options.onProgress !== undefined && id % PROGRESS_EVERY === 0 && id > 0) options.onProgress(id);
  };
  /** The id of the row just written at rows.reserve(), labelling it when new. */
  const intern = (): number => {
    const before = rows.count;
    const id = rows.commit();
    if (id === before) fresh(id, () => packed.classify(rows.arena, id * w));
    return id;
  };
  if (fused !== null) {
    return {
      get count() {
        return rows.count;
      },
      initial: () => {
        rows.arena.set(packed.initial, rows.reserve());
        // The fused hash throughout: the table never mixes two hash functions.
        const id = rows.commitHashed(fused.hash(rows.arena, 0));
        if (id === 0) fresh(id, () => packed.classify(rows.arena, 0));
        return id;
      },
      successor: (id, x) => {
        const at = rows.reserve();
        const before = rows.count;
        const next = rows.commitHashed(fused.step(rows.arena, id * w, x, rows.arena, at, sums, 0));
        if (next === before) fresh(next, () => fused.label(x, sums, 0));
        return next;
      },
      label: (id) => labels[id],
      labels: () => labels.slice(0, rows.count),
      release: () => undefined,
    };
  }
  return {
    get count() {
      return rows.count;
    },
    initial: () => {
      rows.arena.set(packed.initial, rows.reserve());
      return intern();
    },
    successor: (id, x) => {
      const at = rows.reserve();
      packed.step(rows.arena, id * w, x, rows.arena, at);
      return intern();
    },
    label: (id) => labels[id],
    labels: () => labels.slice(0, rows.count),
    release: () => undefined,
  };
}

/** States expanded together: their successors' hash-table misses overlap (RowTable.commitRows). */
const BATCH = 16;

/** The arena reserved ahead (virtual memory; pages are mapped as rows are written), in bytes. */
const ARENA_RESERVE_BYTES = 2 ** 28;

/** Rows of `words` int32 words to reserve for a search capped at maxStates (k symbols): all it can reach, within ARENA_RESERVE_BYTES. */
function reservedRows(words: number, maxStates: number, k: number): number {
  return Math.max(1024, Math.min(maxStates + BATCH * k + 1, Math.floor(ARENA_RESERVE_BYTES / (4 * words))));
}

/** A row table for a search capped at maxStates, its arena reserved ahead (reservedRows). */
function searchRows(width: number, maxStates: number, k: number): RowTable {
  return new RowTable(width, 1024, reservedRows(width, maxStates, k));
}

/**
 * The unminimised automaton of a packed machine, ids in BFS order (as the generic route numbers them):
 * the successors of BATCH states are stepped straight into the free rows of the arena, interned in
 * (state, symbol) order and labelled when new, with no per-state calls through the Explorer interface.
 */
function packedAutomaton(packed: PackedDynamics, k: number, options: ExactOptions): { table: Int32Array; labels: Int32Array } {
  if (packed.fused !== null) return fusedAutomaton(packed, packed.fused, k, options);
  const { width: w, step, classify } = packed;
  const { maxStates, onProgress } = options;
  const rows = searchRows(w, maxStates, k);
  // Reserved like the arena (the first growth goes to all a search can reach): grown by doubling, the
  // transition table's copies were a tenth of a fixed<2,6> search.
  const reserve = reservedRows(k, maxStates, k);
  let labels = new Int32Array(1024);
  let table = new Int32Array(1024 * k);
  const ids = new Int32Array(BATCH * k);
  rows.arena.set(packed.initial, rows.reserve());
  rows.commit();
  labels[0] = classify(rows.arena, 0);
  for (let id = 0; id < rows.count; ) {
    const end = Math.min(id + BATCH, rows.count);
    const m = (end - id) * k;
    let at = rows.reserveRows(m);
    const arena = rows.arena;
    for (let s = id; s < end; s++) {
      for (let x = 0; x < k; x++, at += w) step(arena, s * w, x, arena, at);
    }
    const fresh = rows.count;
    rows.commitRows(m, ids);
    if (rows.count > maxStates) throw new TooManyStatesError('exact extraction', maxStates);
    while (end * k > table.length) table = grow(table, reserve * k);
    for (let i = 0; i < m; i++) table[id * k + i] = ids[i];
    while (rows.count > labels.length) labels = grow(labels, reserve);
    for (let s = fresh; s < rows.count; s++) {
      labels[s] = classify(rows.arena, s * w);
      if (onProgress !== undefined && s % PROGRESS_EVERY === 0) onProgress(s, id);
    }
    id = end;
  }
  return { table: table.subarray(0, rows.count * k), labels: labels.slice(0, rows.count) };
}

/**
 * packedAutomaton through the fused step: the successors of BATCH states are stepped straight into the
 * free rows (both symbols in one pass where the stepper has stepPair) with their hashes and readout sums, interned with those hashes (commitRowsHashed), and the
 * new ones labelled from their sums. Same ids, labels, cap and progress calls as the unfused route.
 */
function fusedAutomaton(packed: PackedDynamics, fused: FusedDynamics, k: number, options: ExactOptions): { table: Int32Array; labels: Int32Array } {
  const w = packed.width;
  const d = fused.sums;
  const pair = k === 2 ? fused.stepPair : null;
  const { maxStates, onProgress } = options;
  const rows = searchRows(w, maxStates, k);
  // Reserved like the arena (the first growth goes to all a search can reach): grown by doubling, the
  // transition table's copies were a tenth of a fixed<2,6> search.
  const reserve = reservedRows(k, maxStates, k);
  let labels = new Int32Array(1024);
  let table = new Int32Array(1024 * k);
  const ids = new Int32Array(BATCH * k);
  const hashes = new Int32Array(BATCH * k);
  const sums = new Float64Array(BATCH * k * d);
  rows.arena.set(packed.initial, rows.reserve());
  rows.commitHashed(fused.hash(rows.arena, 0));
  labels[0] = packed.classify(rows.arena, 0);
  for (let id = 0; id < rows.count; ) {
    const end = Math.min(id + BATCH, rows.count);
    const m = (end - id) * k;
    let at = rows.reserveRows(m);
    const arena = rows.arena;
    for (let s = id, r = 0; s < end; s++) {
      if (pair !== null) {
        pair(arena, s * w, arena, at, sums, r * d, hashes, r);
        at += 2 * w;
        r += 2;
      } else {
        for (let x = 0; x < k; x++, at += w, r++) hashes[r] = fused.step(arena, s * w, x, arena, at, sums, r * d);
      }
    }
    const fresh = rows.count;
    rows.commitRowsHashed(m, ids, hashes);
    if (rows.count > maxStates) throw new TooManyStatesError('exact extraction', maxStates);
    while (end * k > table.length) table = grow(table, reserve * k);
    while (rows.count > labels.length) labels = grow(labels, reserve);
    for (let r = 0, next = fresh; r < m; r++) {
      table[id * k + r] = ids[r];
      // New rows take ids in order of their first appearance in the batch.
      if (ids[r] !== next) continue;
      labels[next] = fused.label(r % k, sums, r * d);
      if (onProgress !== undefined && next % PROGRESS_EVERY === 0) onProgress(next, id);
      next++;
    }
    id = end;
  }
  return { table: table.subarray(0, rows.count * k), labels: labels.slice(0, rows.count) };
}

/** How an automaton compares with a task's reference on non-empty words. */
export type ReferenceVerdict = { equal: true } | { equal: false; word: Word; expected: number; got: number };

/**
 * Equal on every non-empty word, or a shortest non-empty word on which dfa's class differs from the
 * reference's (the network never sees the empty word). Alphabets and class lists must match.
 */
export function compareWithReference(dfa: Dfa, reference: Dfa): ReferenceVerdict {
  requireSameAlphabet(reference.alphabet, dfa.alphabet, 'compare with reference');
  requireSameClasses(dfa.classes, reference.classes, 'compare with reference');
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
