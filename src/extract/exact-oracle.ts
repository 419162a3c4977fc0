// The exact equivalence oracle. At a fixed number format a model is itself a finite automaton, so
// "hypothesis = model" is decidable: a breadth-first search over the reachable pairs (hypothesis state,
// system state) either finds a pair whose classes differ (the word leading to it is a shortest
// counterexample) or exhausts the pairs, which proves that they agree on every word. Systems that are
// plain Dfas go through the automata core's Int32Array product search instead.
//
// The product is built on the fly, and the system's side of it is kept between equivalence rounds: its
// states are interned once (by the exact search's explorer, with the packed fast path where the machine
// has one) and their successors stored in an Int32Array, so a later round walks integer tables and steps
// the network only where no earlier round went. A learner plus this oracle then costs about one exact
// search plus cheap integer walks, not one search per round.
import { Dfa } from '../automata/dfa.js';
import { separatingWord } from '../automata/equivalence.js';
import { AlphabetMismatchError, TooManyStatesError } from '../errors.js';
import type { Machine, Word } from '../machine.js';
import { type Explorer, explorer } from './exact.js';
import type { EquivalenceOracle, EquivalenceVerdict } from './oracle.js';

/** Where a product search stands, for progress displays. */
export interface ExactOracleProgress {
  /** Equivalence round (1-based). */
  readonly round: number;
  /** Distinct system states interned so far, all rounds together. */
  readonly systemStates: number;
  /** (hypothesis, system) pairs explored in this round. */
  readonly pairs: number;
  /** Pairs of this round whose successors are stepped (pairs - expanded wait in the queue). */
  readonly expanded: number;
}

/** Options of the exact oracle. */
export interface ExactOracleOptions {
  /** Cap on explored (hypothesis, system) pairs per round, and on system states; past it a TooManyStatesError. */
  maxPairs: number;
  /** Called every few thousand pairs while a round runs. */
  onProgress?: (progress: ExactOracleProgress) => void;
}

// Often enough for a progress line and extract's time cap to be timely, rarely enough to cost nothing.
const PROGRESS_EVERY = 1 << 12;

/** Decides equivalence of a hypothesis with a deterministic machine by product search. */
export class ExactOracle<S> implements EquivalenceOracle {
  readonly name = 'exact (product search)';
  /** Pairs explored by the last check. */
  explored = 0;
  private system: Explorer | undefined;
  /** Successor ids of interned system states (id * k + symbol), -1 where not stepped yet. */
  private successors = new Int32Array(0);

  constructor(
    private readonly machine: Machine<S>,
    private readonly options: ExactOracleOptions = { maxPairs: 1_000_000 },
  ) {}

  /** Distinct system states interned so far (0 for Dfa systems, which need none). */
  get systemStates(): number {
    return this.system?.count ?? 0;
  }

  check(hypothesis: Dfa, round = 1): EquivalenceVerdict {
    const classes = this.machine.classes;
    if (classes.length !== hypothesis.classes.length || classes.some((c, i) => c !== hypothesis.classes[i]))
      throw new AlphabetMismatchError(`exact oracle: class lists differ: [${hypothesis.classes.join(', ')}] vs [${classes.join(', ')}]`);
    if (this.machine instanceof Dfa) {
      const word = separatingWord(hypothesis, this.machine);
      if (word) return { equivalent: false, counterexample: word };
      return {
        equivalent: true,
        guarantee: 'proof',
        detail: `the product of hypothesis (${hypothesis.nStates} states) and system (${this.machine.nStates} states) has no pair of differing classes`,
      };
    }
    try {
      return this.search(hypothesis, round);
    } catch (error) {
      // The explorer names itself 'exact extraction'; here the cap is the oracle's.
      if (error instanceof TooManyStatesError && error.construction !== 'exact oracle product search')
        throw new TooManyStatesError('exact oracle product search', error.cap, error.partial);
      throw error;
    }
  }

  /** The successor id of system state `id` on `symbol`, stepping the machine only the first time. */
  private successor(id: number, symbol: number, k: number): number {
    const slot = id * k + symbol;
    if (slot >= this.successors.length) {
      const grown = new Int32Array(Math.max(1024 * k, this.successors.length * 2)).fill(-1);
      grown.set(this.successors);
      this.successors = grown;
    }
    let next = this.successors[slot];
    if (next < 0) {
      next = (this.system as Explorer).successor(id, symbol);
      this.successors[slot] = next;
    }
    return next;
  }

  private search(hypothesis: Dfa, round: number): EquivalenceVerdict {
    const k = hypothesis.nSymbols;
    const cap = this.options.maxPairs;
    if (this.system === undefined) {
      this.system = explorer(this.machine, { maxStates: cap });
      this.system.initial();
    }
    const system = this.system;
    const nHyp = hypothesis.nStates;
    const onProgress = this.options.onProgress;
    // Pairs in BFS order: system id, hypothesis state, parent pair, symbol.
    let sys = new Int32Array(1024);
    let hyp = new Int32Array(1024);
    let parent = new Int32Array(1024);
    let via = new Int32Array(1024);
    const seen = new Set<number>([hypothesis.start]);
    sys[0] = 0;
    hyp[0] = hypothesis.start;
    parent[0] = -1;
    let count = 1;
    const pathTo = (id: number): Word => {
      const word: number[] = [];
      for (let i = id; parent[i] >= 0; i = parent[i]) word.push(via[i]);
      return word.reverse();
    };
    if (hypothesis.labels[hypothesis.start] !== system.label(0)) return { equivalent: false, counterexample: [] };
    for (let id = 0; id < count; id++) {
      const s = sys[id];
      const h = hyp[id];
      for (let a = 0; a < k; a++) {
        const s2 = this.successor(s, a, k);
        const h2 = hypothesis.table[h * k + a];
        const key = s2 * nHyp + h2;
        if (seen.has(key)) continue;
        seen.add(key);
        if (count >= cap) throw new TooManyStatesError('exact oracle product search', cap);
        if (count === sys.length) {
          const grow = (old: Int32Array): Int32Array<ArrayBuffer> => {
            const next = new Int32Array(old.length * 2);
            next.set(old);
            return next;
          };
          sys = grow(sys);
          hyp = grow(hyp);
          parent = grow(parent);
          via = grow(via);
        }
        sys[count] = s2;
        hyp[count] = h2;
        parent[count] = id;
        via[count] = a;
        count++;
        if (onProgress !== undefined && count % PROGRESS_EVERY === 0) onProgress({ round, systemStates: system.count, pairs: count, expanded: id });
        if (hypothesis.labels[h2] !== system.label(s2)) {
          this.explored = count;
          return { equivalent: false, counterexample: pathTo(count - 1) };
        }
      }
    }
    this.explored = count;
    return {
      equivalent: true,
      guarantee: 'proof',
      detail: `all ${count} reachable (hypothesis, system) state pairs carry equal classes`,
    };
  }
}
