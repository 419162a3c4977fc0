// Nondeterministic automata with ε-moves, and the subset construction that turns them into complete DFAs.
// Transitions are stored compressed (CSR): the targets of state s on symbol x are
// targets[start[s·k + x] .. start[s·k + x + 1]), sorted and without repeats; ε-moves likewise per state.
// Subsets are interned by content in a hash over a flat Int32Array pool, so the construction allocates
// no per-subset objects and no string keys.
import { AutomatonError, TooManyStatesError } from '../errors.js';
import type { Word } from '../machine.js';
import { validateAlphabet } from './alphabet.js';
import { Dfa, type ReadonlyInt32Array } from './dfa.js';

/** What an Nfa is built from; the iterables are read once and copied. */
export interface NfaSpec {
  alphabet: readonly string[];
  nStates: number;
  /** Initial states (any number, possibly none). */
  initial: Iterable<number>;
  accepting: Iterable<number>;
  /** Labelled moves [from, symbol index, to]. */
  transitions?: Iterable<readonly [number, number, number]>;
  /** ε-moves [from, to]. */
  epsilon?: Iterable<readonly [number, number]>;
}

/** A nondeterministic finite automaton with ε-moves; validated at construction, then immutable. */
export class Nfa {
  readonly alphabet: readonly string[];
  readonly nStates: number;
  readonly nSymbols: number;
  /** Initial states, sorted, no repeats. */
  readonly initial: ReadonlyInt32Array;
  /** 1 for accepting states, 0 otherwise. */
  readonly accepting: Readonly<Uint8Array>;
  private readonly moveStart: Int32Array;
  private readonly moveTargets: Int32Array;
  private readonly epsStart: Int32Array;
  private readonly epsTargets: Int32Array;

  /** Validates the spec, naming the bad state or symbol, and freezes a compressed copy. */
  constructor(spec: NfaSpec) {
    validateAlphabet(spec.alphabet, 'NFA');
    const n = spec.nStates;
    const k = spec.alphabet.length;
    if (!Number.isInteger(n) || n < 0) throw new AutomatonError(`NFA: nStates must be a non-negative integer, got ${n}`);
    const state = (s: number, role: string): number => {
      if (!Number.isInteger(s) || s < 0 || s >= n) throw new AutomatonError(`NFA: ${role} ${s} is not a state in [0, ${n})`);
      return s;
    };
    this.alphabet = Object.freeze([...spec.alphabet]);
    this.nStates = n;
    this.nSymbols = k;
    this.initial = sortedUnique(Array.from(spec.initial, (s) => state(s, 'initial state')));
    const accepting = new Uint8Array(n);
    for (const s of spec.accepting) accepting[state(s, 'accepting state')] = 1;
    this.accepting = accepting;

    const moves: number[] = [];
    for (const [from, symbol, to] of spec.transitions ?? []) {
      state(from, 'transition source');
      if (!Number.isInteger(symbol) || symbol < 0 || symbol >= k)
        throw new AutomatonError(`NFA: transition from state ${from} uses symbol ${symbol}, not a symbol index in [0, ${k})`);
      if (!Number.isInteger(to) || to < 0 || to >= n)
        throw new AutomatonError(
          `NFA: transition from state ${from} on symbol '${spec.alphabet[symbol]}' goes to ${to}, not a state in [0, ${n})`,
        );
      moves.push(from * k + symbol, to);
    }
    [this.moveStart, this.moveTargets] = compress(moves, n * k);
    const eps: number[] = [];
    for (const [from, to] of spec.epsilon ?? []) {
      state(from, 'ε-move source');
      if (!Number.isInteger(to) || to < 0 || to >= n)
        throw new AutomatonError(`NFA: ε-move from state ${from} goes to ${to}, not a state in [0, ${n})`);
      eps.push(from, to);
    }
    [this.epsStart, this.epsTargets] = compress(eps, n);
    Object.freeze(this);
  }

  /** The compressed move and ε tables (CSR, see the header), for the subset construction's hot loop; read only. */
  get tables(): { moveStart: ReadonlyInt32Array; moveTargets: ReadonlyInt32Array; epsStart: ReadonlyInt32Array; epsTargets: ReadonlyInt32Array } {
    return { moveStart: this.moveStart, moveTargets: this.moveTargets, epsStart: this.epsStart, epsTargets: this.epsTargets };
  }

  /** The states reached from `state` on symbol `symbol` (without ε-closure), sorted. */
  successors(state: number, symbol: number): ReadonlyInt32Array {
    const i = state * this.nSymbols + symbol;
    return this.moveTargets.subarray(this.moveStart[i], this.moveStart[i + 1]);
  }

  /** The states reached from `state` by one ε-move, sorted. */
  epsilonSuccessors(state: number): ReadonlyInt32Array {
    return this.epsTargets.subarray(this.epsStart[state], this.epsStart[state + 1]);
  }

  /** Whether the NFA accepts the word (direct simulation on state sets; for tests and small inputs). */
  acceptsWord(word: Word): boolean {
    let current = this.closure(this.initial);
    for (const symbol of word) {
      const next: number[] = [];
      for (const s of current) next.push(...this.successors(s, symbol));
      current = this.closure(next);
    }
    return current.some((s) => this.accepting[s] === 1);
  }

  private closure(states: ArrayLike<number>): number[] {
    const seen = new Set<number>(Array.from(states));
    const stack = [...seen];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      for (const t of this.epsilonSuccessors(s))
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
    }
    return [...seen];
  }
}

/** CSR from (bucket, value) pairs: values of each bucket sorted and deduplicated. */
function compress(pairs: number[], nBuckets: number): [Int32Array, Int32Array] {
  const start = new Int32Array(nBuckets + 1);
  for (let i = 0; i < pairs.length; i += 2) start[pairs[i] + 1]++;
  for (let b = 0; b < nBuckets; b++) start[b + 1] += start[b];
  const raw = new Int32Array(pairs.length / 2);
  const cursor = start.slice(0, nBuckets);
  for (let i = 0; i < pairs.length; i += 2) raw[cursor[pairs[i]]++] = pairs[i + 1];
  // Sort each bucket, then squeeze out repeats in place.
  const out = new Int32Array(raw.length);
  let w = 0;
  for (let b = 0; b < nBuckets; b++) {
    const bucket = raw.subarray(start[b], start[b + 1]).sort();
    start[b] = w;
    for (let i = 0; i < bucket.length; i++) if (i === 0 || bucket[i] !== bucket[i - 1]) out[w++] = bucket[i];
  }
  start[nBuckets] = w;
  return [start, out.slice(0, w)];
}

function sortedUnique(values: number[]): Int32Array {
  const sorted = Int32Array.from(values).sort();
  let w = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[w - 1]) sorted[w++] = sorted[i];
  return sorted.slice(0, w);
}

/** Where a subset construction stands, for progress displays. */
export interface DeterminiseProgress {
  /** Subsets whose successors are computed (BFS order). */
  readonly expanded: number;
  /** Subsets found so far (DFA states); discovered - expanded wait in the queue. */
  readonly discovered: number;
  /** Every word up to this length has been read. */
  readonly depth: number;
}

/** Options of `determinise`. */
export interface DeterminiseOptions {
  /** Cap on DFA states (subsets, the empty one included); default 10^6. */
  maxStates?: number;
  /** Called every few thousand expanded subsets. */
  onProgress?: (progress: DeterminiseProgress) => void;
}

const PROGRESS_EVERY = 1 << 12;

/**
 * Subset construction with ε-closure: a complete binary DFA (the empty subset is the sink), BFS numbered.
 * A subset keeps only its "important" NFA states (those with a labelled move, and accepting ones): two
 * closures with the same important states behave alike, so the pure-ε states of a Thompson NFA (most of
 * them) never enter a key. Past maxStates a TooManyStatesError that says how far the search got.
 */
export function determinise(nfa: Nfa, options: DeterminiseOptions = {}): Dfa {
  const cap = options.maxStates ?? 1_000_000;
  if (!Number.isInteger(cap) || cap < 1)
    throw new AutomatonError(`subset construction: maxStates must be a positive integer, got ${cap}`);
  const { onProgress } = options;
  const n = nfa.nStates;
  const k = nfa.nSymbols;
  const { moveStart, moveTargets, epsStart, epsTargets } = nfa.tables;
  const important = new Uint8Array(n);
  for (let s = 0; s < n; s++) important[s] = nfa.accepting[s] === 1 || moveStart[s * k + k] > moveStart[s * k] ? 1 : 0;
  const subsets = new SubsetIndex();
  // stamp[s] === generation marks s as already in the subset being built.
  const stamp = new Int32Array(n);
  let generation = 0;
  const buffer = new Int32Array(n);
  let depth = 0;

  /** ε-closes buffer[0 .. len), keeps its important states, sorts and interns them; returns the subset id. */
  const closeAndIntern = (len: number): number => {
    for (let i = 0; i < len; i++) {
      const s = buffer[i];
      for (let j = epsStart[s], end = epsStart[s + 1]; j < end; j++) {
        const t = epsTargets[j];
        if (stamp[t] !== generation) {
          stamp[t] = generation;
          buffer[len++] = t;
        }
      }
    }
    let m = 0;
    let accepting = 0;
    for (let i = 0; i < len; i++) {
      const s = buffer[i];
      if (important[s] === 0) continue;
      accepting |= nfa.accepting[s];
      // Insertion sort: subsets of important states are short.
      let j = m++;
      for (; j > 0 && buffer[j - 1] > s; j--) buffer[j] = buffer[j - 1];
      buffer[j] = s;
    }
    const id = subsets.intern(buffer, m, accepting);
    if (subsets.size > cap)
      throw new TooManyStatesError(
        'subset construction',
        cap,
        `every word up to length ${depth} read, ${subsets.size} subsets of the ${n}-state NFA found and more waiting`,
      );
    return id;
  };

  generation++;
  let len = 0;
  for (const s of nfa.initial) {
    stamp[s] = generation;
    buffer[len++] = s;
  }
  closeAndIntern(len);
  let table = new Int32Array(Math.min(cap, 1024) * k);
  // Subsets [levelEnd, size) are one symbol longer than those before: BFS levels, for the cap's message.
  let levelEnd = 1;
  for (let id = 0; id < subsets.size; id++) {
    if (id === levelEnd) {
      depth++;
      levelEnd = subsets.size;
    }
    if (onProgress !== undefined && id % PROGRESS_EVERY === 0 && id > 0) onProgress({ expanded: id, discovered: subsets.size, depth });
    if ((id + 1) * k > table.length) {
      const bigger = new Int32Array(table.length * 2);
      bigger.set(table);
      table = bigger;
    }
    for (let x = 0; x < k; x++) {
      generation++;
      len = 0;
      // Re-read the pool on every symbol: interning may have replaced it.
      const from = subsets.offsets[id];
      const to = subsets.offsets[id + 1];
      for (let i = from; i < to; i++) {
        const slot = subsets.pool[i] * k + x;
        for (let j = moveStart[slot], end = moveStart[slot + 1]; j < end; j++) {
          const t = moveTargets[j];
          if (stamp[t] !== generation) {
            stamp[t] = generation;
            buffer[len++] = t;
          }
        }
      }
      table[id * k + x] = closeAndIntern(len);
    }
  }
  const nStates = subsets.size;
  return new Dfa({
    alphabet: nfa.alphabet,
    table: table.subarray(0, nStates * k),
    labels: subsets.labels.subarray(0, nStates),
  });
}

/** Interns sorted subsets by content; subset i is pool[offsets[i] .. offsets[i + 1]). */
class SubsetIndex {
  pool = new Int32Array(1024);
  offsets = new Int32Array(1025);
  labels = new Int32Array(1024);
  size = 0;
  private slots = new Int32Array(2048).fill(-1);
  private hashes = new Int32Array(1024);

  /** The id of subset[0 .. len) (sorted), added with its label when new. */
  intern(subset: Int32Array, len: number, label: number): number {
    const h = hashSubset(subset, len);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.hashes[id] === h && this.equals(id, subset, len)) return id;
    }
    const id = this.size++;
    if (this.size >= this.labels.length) this.growIds();
    const end = this.offsets[id] + len;
    if (end > this.pool.length) {
      const pool = new Int32Array(Math.max(this.pool.length * 2, end));
      pool.set(this.pool);
      this.pool = pool;
    }
    for (let i = 0; i < len; i++) this.pool[this.offsets[id] + i] = subset[i];
    this.offsets[id + 1] = end;
    this.labels[id] = label;
    this.hashes[id] = h;
    if (this.size * 2 > this.slots.length) this.rehash();
    else this.place(id, h);
    return id;
  }

  private equals(id: number, subset: Int32Array, len: number): boolean {
    const from = this.offsets[id];
    if (this.offsets[id + 1] - from !== len) return false;
    for (let i = 0; i < len; i++) if (this.pool[from + i] !== subset[i]) return false;
    return true;
  }

  private place(id: number, h: number): void {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private growIds(): void {
    const capacity = this.labels.length * 2;
    const offsets = new Int32Array(capacity + 1);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const labels = new Int32Array(capacity);
    labels.set(this.labels);
    this.labels = labels;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let id = 0; id < this.size; id++) this.place(id, this.hashes[id]);
  }
}

function hashSubset(subset: Int32Array, len: number): number {
  let h = 0x811c9dc5 ^ len;
  for (let i = 0; i < len; i++) {
    h = Math.imul(h ^ subset[i], 0x01000193);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}
