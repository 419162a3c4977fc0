// A regular task is its reference automaton: labels come from the minimal DFA, samples from sampleFromDfa.
// Families build whatever DFA is easiest to read (an explicit table, a product construction) and let
// minimise() make it minimal and BFS-numbered, so the reference is canonical however it was built.
import type { Dfa } from '../automata/dfa.js';
import { minimise } from '../automata/minimise.js';
import type { Word } from '../machine.js';
import type { Rng } from '../random.js';
import { sampleFromDfa } from './sample.js';
import { checkSymbols } from './shape.js';
import type { Example, LengthRange, Task } from './task.js';

/** What a regular task is built from. */
export interface RegularTaskSpec {
  readonly name: string;
  readonly family: string;
  readonly description: string;
  /** Any complete DFA (or Moore machine) for the task; it is minimised here. */
  readonly dfa: Dfa;
  /** Classes the sampler draws from (default: all). */
  readonly sampleClasses?: readonly number[];
  /** A sampler of the task's own (a paper's distribution) in place of sampleFromDfa; gets the minimised reference. */
  readonly sampler?: (reference: Dfa, rng: Rng, lengths: LengthRange) => Example;
}

/** A regular task whose reference is the minimised DFA and whose labels and samples come from it. */
export function regularTask(spec: RegularTaskSpec): Task {
  const reference = minimise(spec.dfa);
  const { name, sampleClasses, sampler } = spec;
  const options = sampleClasses === undefined ? { task: name } : { task: name, classes: sampleClasses };
  return Object.freeze({
    name,
    family: spec.family,
    description: spec.description,
    alphabet: reference.alphabet,
    classes: reference.classes,
    kind: 'regular' as const,
    reference,
    ...(sampleClasses === undefined ? {} : { sampledClasses: Object.freeze([...sampleClasses]) }),
    label(word: Word): number {
      checkSymbols(name, reference.alphabet, word);
      return reference.evaluate(word);
    },
    sample(rng: Rng, lengths: LengthRange): Example {
      return sampler === undefined ? sampleFromDfa(reference, rng, lengths, options) : sampler(reference, rng, lengths);
    },
  });
}
