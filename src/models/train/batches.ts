// Training data from a Task. A batch holds words of one length T (so it is a dense [B, T] tensor without
// padding, which a recurrence would read as input); T is drawn uniformly from the training range per batch,
// and words come from task.sample, which balances classes. Labels are the word's class (output 'last') or
// the class of every prefix (output 'every', word problems).
import { InputError } from '../../errors.js';
import type { Word } from '../../machine.js';
import type { Rng } from '../../random.js';
import type { LengthRange, Task } from '../../tasks/task.js';

/** One batch as plain data: rows of equal length, labels per row or per row and position. */
export interface Batch {
  /** Rows. */
  size: number;
  /** Length of every row. */
  length: number;
  /** Symbol indices, row-major [size, length]. */
  tokens: Int32Array;
  /** Class per row [size] ('last') or per row and position [size, length] ('every'). */
  labels: Int32Array;
}

/** The class of every non-empty prefix of a word: the reference automaton's run when there is one. */
export function prefixLabels(task: Task, word: Word): number[] {
  const dfa = task.reference;
  if (dfa === undefined) return word.map((_, t) => task.label(word.slice(0, t + 1)));
  const out: number[] = [];
  let s = dfa.initial();
  for (const a of word) {
    s = dfa.step(s, a);
    out.push(dfa.classify(s));
  }
  return out;
}

/** A batch of `size` words of exactly `length` symbols, class-balanced by the task's sampler. */
export function sampleBatch(task: Task, rng: Rng, length: number, size: number, output: 'last' | 'every'): Batch {
  if (length < 1) throw new InputError(`task '${task.name}': training words need length >= 1 (got ${length})`);
  const tokens = new Int32Array(size * length);
  const labels = new Int32Array(output === 'last' ? size : size * length);
  for (let i = 0; i < size; i++) {
    const { word, label } = task.sample(rng, { min: length, max: length });
    tokens.set(word, i * length);
    if (output === 'last') labels[i] = label;
    else labels.set(prefixLabels(task, word), i * length);
  }
  return { size, length, tokens, labels };
}

/** A training batch: its length drawn uniformly from the range, then sampleBatch. */
export function trainingBatch(task: Task, rng: Rng, lengths: LengthRange, size: number, output: 'last' | 'every'): Batch {
  return sampleBatch(task, rng, rng.int(lengths.min, lengths.max), size, output);
}

/** Lengths spread evenly over a range, both ends included, at most `count` of them, in increasing order. */
export function spreadLengths(range: LengthRange, count: number): number[] {
  const span = range.max - range.min;
  if (count <= 1 || span === 0) return [range.max];
  const n = Math.min(count, span + 1);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(range.min + Math.round((i * span) / (n - 1)));
  return [...out];
}
