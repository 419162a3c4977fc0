// The exact equivalence oracle. At a fixed number format a model is itself a finite automaton, so
// "hypothesis = model" is decidable: a breadth-first search over the reachable pairs (hypothesis state,
// system state) either finds a pair whose classes differ (the word leading to it is a shortest
// counterexample) or exhausts the pairs, which proves that they agree on every word. Systems that are
// plain Dfas go through the automata core's Int32Array product search instead of hashing keys.
import { Dfa } from '../automata/dfa.js';
import { separatingWord } from '../automata/equivalence.js';
import { AlphabetMismatchError, TooManyStatesError } from '../errors.js';
import type { Machine, Word } from '../machine.js';
import type { EquivalenceOracle, EquivalenceVerdict } from './oracle.js';

/** Options of the exact oracle. */
export interface ExactOracleOptions {
  /** Cap on explored (hypothesis, system) pairs; past it a TooManyStatesError. */
  maxPairs: number;
  /** Called every 4096 pairs of one check with the pairs explored so far. */
  onProgress?: (pairs: number) => void;
}

/** Decides equivalence of a hypothesis with a deterministic machine by product search. */
export class ExactOracle<S> implements EquivalenceOracle {
  readonly name = 'exact (product search)';
  /** Pairs explored by the last check. */
  explored = 0;

  constructor(
    private readonly machine: Machine<S>,
    private readonly options: ExactOracleOptions = { maxPairs: 1_000_000 },
  ) {}

  check(hypothesis: Dfa): EquivalenceVerdict {
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
    return this.search(hypothesis);
  }

  private search(hypothesis: Dfa): EquivalenceVerdict {
    const m = this.machine;
    const k = hypothesis.nSymbols;
    const states: S[] = [m.initial()];
    const hyp: number[] = [hypothesis.start];
    const parent: number[] = [-1];
    const via: number[] = [-1];
    const seen = new Set<string>([`${hypothesis.start}|${String(m.key(states[0]))}`]);
    const pathTo = (id: number): Word => {
      const word: number[] = [];
      for (let i = id; parent[i] >= 0; i = parent[i]) word.push(via[i]);
      return word.reverse();
    };
    if (hypothesis.classify(hypothesis.start) !== m.classify(states[0])) return { equivalent: false, counterexample: [] };
    for (let id = 0; id < states.length; id++) {
      for (let a = 0; a < k; a++) {
        const s = m.step(states[id], a);
        const h = hypothesis.step(hyp[id] as never, a);
        const key = `${h}|${String(m.key(s))}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (states.length >= this.options.maxPairs) throw new TooManyStatesError('exact oracle product search', this.options.maxPairs);
        states.push(s);
        if ((states.length & 4095) === 0) this.options.onProgress?.(states.length);
        hyp.push(h);
        parent.push(id);
        via.push(a);
        if (hypothesis.classify(h) !== m.classify(s)) {
          this.explored = states.length;
          return { equivalent: false, counterexample: pathTo(states.length - 1) };
        }
      }
    }
    this.explored = states.length;
    return {
      equivalent: true,
      guarantee: 'proof',
      detail: `all ${states.length} reachable (hypothesis, system) state pairs carry equal classes`,
    };
  }
}
