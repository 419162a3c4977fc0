// Bounded tasks: languages that are not regular (or whose natural DFA is exponential in a parameter), so
// they carry exact labels and samplers but no reference automaton. A model is only ever checked against
// them on the fixed shape (EQ_n, INDEX_n) or on bounded lengths (a^n b^n, majority).
import { BINARY_CLASSES, type Word } from '../machine.js';
import type { Rng } from '../random.js';
import { checkSymbols } from './shape.js';
import type { Example, LengthRange, Task } from './task.js';

/** What a bounded task is built from; `label` may assume every symbol is in the alphabet. */
export interface BoundedTaskSpec {
  readonly name: string;
  readonly family: string;
  readonly description: string;
  readonly alphabet: readonly string[];
  readonly classes?: readonly string[];
  readonly split?: number;
  readonly inputLength?: number;
  /** The classes the sampler draws (default: all). */
  readonly sampledClasses?: readonly number[];
  label(word: Word): number;
  sample(rng: Rng, lengths: LengthRange): Example;
}

/** A frozen Task of kind 'bounded' whose label() first checks that every symbol is in the alphabet. */
export function boundedTask(spec: BoundedTaskSpec): Task {
  const alphabet = Object.freeze([...spec.alphabet]);
  const { name } = spec;
  const task: Task = {
    name,
    family: spec.family,
    description: spec.description,
    alphabet,
    classes: spec.classes === undefined ? BINARY_CLASSES : Object.freeze([...spec.classes]),
    kind: 'bounded',
    ...(spec.split === undefined ? {} : { split: spec.split }),
    ...(spec.inputLength === undefined ? {} : { inputLength: spec.inputLength }),
    ...(spec.sampledClasses === undefined ? {} : { sampledClasses: Object.freeze([...spec.sampledClasses]) }),
    label(word: Word): number {
      checkSymbols(name, alphabet, word);
      return spec.label(word);
    },
    sample: (rng: Rng, lengths: LengthRange): Example => spec.sample(rng, lengths),
  };
  return Object.freeze(task);
}

/** n uniformly random bits. */
export function randomBits(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.int(0, 1));
}
