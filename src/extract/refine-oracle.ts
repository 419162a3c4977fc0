// The abstraction-refinement equivalence oracle of Weiss, Goldberg & Yahav (ICML 2018, "Extracting
// automata from recurrent neural networks using queries and counterexamples"). The network's continuous
// state space is cut into blocks (one block at first); a breadth-first search over words walks the
// network's abstraction (word ↦ block of its hidden state) and the hypothesis in parallel, expanding a
// block only the first time it is met. Two kinds of conflict stop the walk:
//   - a word the network labels differently from the hypothesis: a counterexample;
//   - a word reaching a block already claimed by another hypothesis state. A shortest suffix s separating
//     the two hypothesis states decides who is wrong: if the network disagrees with the hypothesis on
//     either word·s, that word is a counterexample; otherwise the network separates the two words as the
//     hypothesis does, so the abstraction is too coarse: the block is split and the walk starts again.
// Weiss split a block with an SVM over its states; here a block splits along the perpendicular bisector of
// the two conflicting state vectors (a node of a nearest-centre tree), which is deterministic and needs no
// fitting. The partition persists across rounds, as in the paper. One addition to the paper: Weiss's walk
// never looks past a block met again by the same hypothesis state, so from one block a one-state
// hypothesis that labels ε and the one-symbol words right passes; here such a meeting also tries every
// suffix up to `lookahead` symbols on both words (the hypothesis labels them alike, so a suffix on which
// the network does not is a counterexample). A walk that closes without a conflict
// finds no counterexample among the explored words; that is NOT a proof (the abstraction may merge states
// the hypothesis never separates), so its verdict carries guarantee 'none'.
// The hidden state is the executor's (precision/machine.ts rule 6: last symbol and every layer's mixer
// state), not Network.features: the final stream of a readout-only model (the DFA-in-an-RNN construction)
// does not carry the state, and a partition of it could never separate states.
import type { Dfa, StateId } from '../automata/dfa.js';
import { separatingWordFrom } from '../automata/equivalence.js';
import { EigenstateError, InputError } from '../errors.js';
import type { Machine, Word } from '../machine.js';
import type { CheckpointMachine, ExactState } from '../precision/machine.js';
import type { EquivalenceOracle, EquivalenceVerdict, MembershipOracle } from './oracle.js';

/** A machine whose states are points of a continuous space (the network's hidden states). */
export interface HiddenStates<S> {
  readonly machine: Machine<S>;
  /** The state as a vector; every state of one system has the same length. */
  vector(state: S): Float64Array;
}

/** Caps of one equivalence check. */
export interface RefineOptions {
  /** Words explored in one check, restarts included; past it a RefineCapError. */
  maxWords: number;
  /** Block splits in one check; past it a RefineCapError. */
  maxRefinements: number;
  /** Suffix length tried when a block is met again by the same hypothesis state (0: Weiss's walk alone). */
  lookahead: number;
}

/**
 * A check passed one of its caps before its walk closed: an honest "don't know" (exit 3), not bad input;
 * the message says what the walk found (the words on which the hypothesis and the network agree).
 */
export class RefineCapError extends EigenstateError {
  override readonly exitCode = 3;
}

/** Default caps. */
export const DEFAULT_REFINE_OPTIONS: RefineOptions = Object.freeze({ maxWords: 100_000, maxRefinements: 1_000, lookahead: 3 });

/** A checkpoint machine's states as vectors: one-hot of the last symbol (zeros for the empty word), then the mixer states. */
export function checkpointHiddenStates(machine: CheckpointMachine, family: string): HiddenStates<ExactState> {
  // A transformer's state is its whole prefix: there is no fixed-length hidden vector to partition.
  if (family === 'transformer') throw new InputError(`--oracle refine: family transformer has no recurrent hidden state to partition; use --oracle exact, pac or wmethod`);
  const k = machine.alphabet.length;
  return {
    machine,
    vector(state: ExactState): Float64Array {
      const v = new Float64Array(k + state.values.length);
      if (state.symbol >= 0) v[state.symbol] = 1;
      v.set(state.values, k);
      return v;
    },
  };
}

/** A partition of R^n as a tree of nearest-centre splits; leaves are blocks, numbered from 0. */
export class BisectorPartition {
  // Node i is a leaf with block leaf[i] (and left[i] = -1), or splits between centres a[i] and b[i].
  private readonly leaf: number[] = [0];
  private readonly left: number[] = [-1];
  private readonly right: number[] = [-1];
  private readonly a: (Float64Array | null)[] = [null];
  private readonly b: (Float64Array | null)[] = [null];
  private readonly nodeOfBlock: number[] = [0];

  /** Number of blocks. */
  get blocks(): number {
    return this.nodeOfBlock.length;
  }

  /** The block of a point. */
  blockOf(x: Float64Array): number {
    let i = 0;
    while (this.left[i] >= 0) i = distance2(x, this.a[i]!) <= distance2(x, this.b[i]!) ? this.left[i] : this.right[i];
    return this.leaf[i];
  }

  /** Splits block `block` by the perpendicular bisector of p and q (both in it, p ≠ q); p keeps the old block number. */
  split(block: number, p: Float64Array, q: Float64Array): void {
    const i = this.nodeOfBlock[block];
    const l = this.leaf.length;
    this.leaf.push(block, this.nodeOfBlock.length);
    this.left.push(-1, -1);
    this.right.push(-1, -1);
    this.a.push(null, null);
    this.b.push(null, null);
    this.nodeOfBlock[block] = l;
    this.nodeOfBlock.push(l + 1);
    this.left[i] = l;
    this.right[i] = l + 1;
    this.a[i] = p;
    this.b[i] = q;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function distance2(x: Float64Array, c: Float64Array): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += (x[j] - c[j]) ** 2;
  return s;
}

interface Visit<S> {
  readonly word: Word;
  readonly state: S;
  readonly hyp: StateId;
  readonly vector: Float64Array;
}

/** Weiss–Goldberg–Yahav abstraction refinement: counterexamples from a parallel walk; agreement is no proof. */
export class RefineOracle<S> implements EquivalenceOracle {
  readonly name = 'abstraction refinement (Weiss et al. 2018; bisector splits)';
  readonly partition = new BisectorPartition();
  /** Words explored and blocks split by the last check. */
  explored = 0;
  refinements = 0;

  constructor(
    private readonly states: HiddenStates<S>,
    private readonly oracle: MembershipOracle,
    private readonly options: RefineOptions = DEFAULT_REFINE_OPTIONS,
  ) {}

  check(hypothesis: Dfa, round = 1): EquivalenceVerdict {
    this.explored = 0;
    this.refinements = 0;
    // Labels are asked once per word and check: restarts after a split walk the same words again.
    const labels = new Map<string, number>();
    const label = (word: Word): number => {
      const key = word.join(',');
      let c = labels.get(key);
      if (c === undefined) {
        c = this.oracle.query(word);
        labels.set(key, c);
      }
      return c;
    };
    // Every word labelled so far was compared with the hypothesis and agreed (else the check had returned).
    const capped = (cap: string) =>
      new RefineCapError(
        `refine oracle: ${cap}; no verdict: the round-${round} hypothesis (${plural(hypothesis.nStates, 'state')}) and the network agree on all ${labels.size} words checked ` +
          `(${plural(this.refinements, 'split')}, ${plural(this.partition.blocks, 'block')})`,
      );
    for (;;) {
      const outcome = this.walk(hypothesis, label, capped);
      if (outcome !== 'split') return outcome;
      if (++this.refinements > this.options.maxRefinements) throw capped(`more than ${this.options.maxRefinements} block splits in one check (raise --max-splits)`);
    }
  }

  /**
   * Two words in one block and one hypothesis state: the hypothesis labels them alike after every suffix,
   * so a short suffix on which the network labels them differently gives a counterexample.
   */
  private lookahead(hypothesis: Dfa, owner: Visit<S>, word: Word, vector: Float64Array, label: (word: Word) => number): Word | null {
    if (this.options.lookahead < 1 || distance2(owner.vector, vector) === 0) return null;
    const k = hypothesis.nSymbols;
    let suffixes: Word[] = [[]];
    for (let n = 1; n <= this.options.lookahead; n++) {
      suffixes = suffixes.flatMap((s) => Array.from({ length: k }, (_, a) => [...s, a]));
      for (const s of suffixes)
        for (const w of [[...owner.word, ...s], [...word, ...s]]) if (label(w) !== hypothesis.evaluate(w)) return w;
    }
    return null;
  }

  /** One parallel walk: a verdict, or 'split' after refining the partition. */
  private walk(hypothesis: Dfa, label: (word: Word) => number, capped: (cap: string) => RefineCapError): EquivalenceVerdict | 'split' {
    const m = this.states.machine;
    const k = hypothesis.nSymbols;
    const claimed = new Map<number, Visit<S>>();
    const queue: { word: Word; state: S; hyp: StateId }[] = [{ word: [], state: m.initial(), hyp: hypothesis.start }];
    for (let head = 0; head < queue.length; head++) {
      const { word, state, hyp } = queue[head];
      if (++this.explored > this.options.maxWords) throw capped(`more than ${this.options.maxWords} explored words in one check (raise --max-words)`);
      if (label(word) !== hypothesis.classify(hyp)) return { equivalent: false, counterexample: word };
      const vector = this.states.vector(state);
      const block = this.partition.blockOf(vector);
      const owner = claimed.get(block);
      if (owner === undefined) {
        claimed.set(block, { word, state, hyp, vector });
        for (let a = 0; a < k; a++) queue.push({ word: [...word, a], state: m.step(state, a), hyp: hypothesis.step(hyp, a) });
        continue;
      }
      if (owner.hyp === hyp) {
        const cex = this.lookahead(hypothesis, owner, word, vector, label);
        if (cex) return { equivalent: false, counterexample: cex };
        continue;
      }
      const suffix = separatingWordFrom(hypothesis, owner.hyp, hyp);
      // Equivalent hypothesis states (a non-minimal hypothesis) make no conflict.
      if (suffix === null) continue;
      for (const w of [[...owner.word, ...suffix], [...word, ...suffix]])
        if (label(w) !== hypothesis.evaluate(w)) return { equivalent: false, counterexample: w };
      // The network separates the two words as the hypothesis does, yet one block holds both: split it.
      if (distance2(owner.vector, vector) === 0)
        throw new InputError(
          `refine oracle: words ${owner.word.join('')} and ${word.join('')} reach the same hidden vector but the network separates them by suffix ${suffix.join('')}: the vector is not the state`,
        );
      this.partition.split(block, owner.vector, vector);
      return 'split';
    }
    return {
      equivalent: true,
      guarantee: 'none',
      detail:
        `no counterexample found: the walk over ${claimed.size} blocks of the hidden-state partition (${this.partition.blocks} blocks; ` +
        `${this.explored} words explored, ${this.refinements} splits this round) closed without conflict; NOT a proof of equivalence`,
    };
  }
}
