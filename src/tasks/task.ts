// What a task is: a language (or a labelling of words) with a seeded sampler, and, when it is regular,
// its minimal reference automaton. Models train on samples, extraction and verification compare with the
// reference, reductions split two-party tasks at `split`.
import type { Dfa } from '../automata/dfa.js';
import type { Word } from '../machine.js';
import type { Rng } from '../random.js';

/** A labelled word. */
export interface Example {
  readonly word: Word;
  readonly label: number;
}

/** An inclusive range of word lengths. */
export interface LengthRange {
  readonly min: number;
  readonly max: number;
}

/** An integer parameter of a task family (m of mod-m, k and d of Dyck-(k,d), n of EQ_n, ...). */
export interface TaskParam {
  readonly name: string;
  readonly description: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** A task instance with all parameters fixed. */
export interface Task {
  /** Canonical name, parameters included: 'parity', 'tomita3', 'mod:m=3', 'dyck:k=2,d=2'. */
  readonly name: string;
  readonly family: string;
  /** One line for listings. */
  readonly description: string;
  readonly alphabet: readonly string[];
  /** Output classes; binary tasks use ['reject', 'accept']. */
  readonly classes: readonly string[];
  /** 'regular': `reference` is its minimal DFA. 'bounded': inputs of a fixed shape, exact labels only. */
  readonly kind: 'regular' | 'bounded';
  /** The minimal complete reference automaton (regular tasks only), states in BFS order. */
  readonly reference?: Dfa;
  /** For two-party tasks (EQ, DISJ, INDEX): Alice holds word[0, split), Bob the rest. */
  readonly split?: number;
  /** For fixed-shape tasks (EQ_n, DISJ_n, INDEX_n): the one input length (the default training lengths). */
  readonly inputLength?: number;
  /** The classes the sampler draws (default: every class); modular arithmetic never draws 'invalid'. */
  readonly sampledClasses?: readonly number[];
  /** The exact label of a word; throws InputError for a word outside the task's input shape. */
  label(word: Word): number;
  /** A labelled word of length within the range, classes balanced; throws InputError if none exists. */
  sample(rng: Rng, lengths: LengthRange): Example;
}

/** A family of tasks sharing a definition, instantiated by its integer parameters. */
export interface TaskFamily {
  readonly family: string;
  readonly summary: string;
  readonly params: readonly TaskParam[];
  create(params: Readonly<Record<string, number>>): Task;
}

/** The chance level of a task's accuracy: one over the number of classes its sampler actually draws. */
export function chanceLevel(task: Task): number {
  return 1 / (task.sampledClasses ?? task.classes).length;
}
