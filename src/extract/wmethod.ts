// The W-method (Chow 1978; Vasilevskii 1973): test every word p·x·w with p from the hypothesis's
// transition cover, x any word of length ≤ m and w from a characterising set. If all pass and the system
// has at most (hypothesis states + m) states, the two are equivalent: a conditional proof, stated as such.
// Tests run shortest middle part first, so cheap counterexamples come early.
import type { Dfa } from '../automata/dfa.js';
import { separatingWordFrom } from '../automata/equivalence.js';
import { minimise } from '../automata/minimise.js';
import { InputError } from '../errors.js';
import type { Word } from '../machine.js';
import type { EquivalenceOracle, EquivalenceVerdict, MembershipOracle } from './oracle.js';

/** Options of the W-method oracle. */
export interface WMethodOptions {
  /** m: how many states the system may have beyond the hypothesis's. */
  extraStates: number;
  /** Refuse to start a check that would need more tests than this. */
  maxTests: number;
}

/** Access words of every state of a DFA, shortest first (breadth-first, symbols in order). */
export function accessWords(dfa: Dfa): Word[] {
  const access: (Word | undefined)[] = new Array(dfa.nStates).fill(undefined);
  access[dfa.start] = [];
  const queue = [dfa.start as number];
  for (let head = 0; head < queue.length; head++) {
    const q = queue[head];
    for (let a = 0; a < dfa.nSymbols; a++) {
      const t = dfa.table[q * dfa.nSymbols + a];
      if (access[t] === undefined) {
        access[t] = [...(access[q] as Word), a];
        queue.push(t);
      }
    }
  }
  return access.filter((w): w is Word => w !== undefined);
}

/** A characterising set: words whose classes from each state tell every two inequivalent states apart. */
export function characterisingSet(dfa: Dfa): Word[] {
  const min = minimise(dfa);
  const words: Word[] = [[]];
  const signature = Array.from({ length: min.nStates }, (_, q) => String(min.labels[q]));
  while (true) {
    const byKey = new Map<string, number>();
    let clash: [number, number] | undefined;
    for (let q = 0; q < min.nStates && !clash; q++) {
      const other = byKey.get(signature[q]);
      if (other === undefined) byKey.set(signature[q], q);
      else clash = [other, q];
    }
    if (!clash) return words;
    const w = separatingWordFrom(min, clash[0], clash[1]);
    if (w === null) throw new InputError('W-method: minimise returned two equivalent states');
    words.push(w);
    for (let q = 0; q < min.nStates; q++) signature[q] += `,${min.labels[min.run(w, q as never)]}`;
  }
}

/** Every word of length exactly n over k symbols, in lexicographic order. */
function* wordsOfLength(k: number, n: number): Generator<Word> {
  const word = new Array<number>(n).fill(0);
  while (true) {
    yield word.slice();
    let i = n - 1;
    while (i >= 0 && word[i] === k - 1) word[i--] = 0;
    if (i < 0) return;
    word[i]++;
  }
}

/** Conformance testing by the W-method, with the state bound of its guarantee in the verdict. */
export class WMethodOracle implements EquivalenceOracle {
  readonly name: string;
  /** Tests run by the last check. */
  tests = 0;

  constructor(
    private readonly oracle: MembershipOracle,
    private readonly options: WMethodOptions,
  ) {
    this.name = `W-method (${options.extraStates} extra states)`;
  }

  check(hypothesis: Dfa): EquivalenceVerdict {
    const k = hypothesis.nSymbols;
    const m = this.options.extraStates;
    const access = accessWords(hypothesis);
    const cover: Word[] = [...access];
    for (const p of access) for (let a = 0; a < k; a++) cover.push([...p, a]);
    const w = characterisingSet(hypothesis);
    let middles = 0;
    for (let j = 0; j <= m; j++) middles += k ** j;
    const planned = cover.length * middles * w.length;
    if (planned > this.options.maxTests)
      throw new InputError(`W-method: ${planned} tests needed, more than the cap ${this.options.maxTests} (lower the extra states or raise the cap)`);
    this.tests = 0;
    for (let j = 0; j <= m; j++)
      for (const x of wordsOfLength(k, j))
        for (const p of cover)
          for (const suffix of w) {
            const word = [...p, ...x, ...suffix];
            this.tests++;
            if (hypothesis.evaluate(word) !== this.oracle.query(word)) return { equivalent: false, counterexample: word };
          }
    return {
      equivalent: true,
      guarantee: 'bounded',
      detail: `all ${this.tests} W-method tests pass: equivalent provided the system has at most ${hypothesis.nStates + m} states`,
    };
  }
}
