// Training data from a Task. A batch holds words of one length T (so it is a dense [B, T] tensor without
// padding, which a recurrence would read as input); T is drawn uniformly from the training range per batch,
// and words come from task.sample, which balances classes. Labels are the word's class (output 'last') or
// the class of every prefix (output 'every', word problems).
import { InputError } from '../../errors.js';
import type { Word } from '../../machine.js';
import { Rng } from '../../random.js';
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

const usable = new WeakMap<Task, Map<number, boolean>>();

/**
 * True when the task has words at exactly this length (modular arithmetic has none at even lengths, Tomita 2
 * none at odd ones); probed once per task and length with a throwaway generator, so no caller's draws change.
 */
export function lengthHasWords(task: Task, length: number): boolean {
  let known = usable.get(task);
  if (known === undefined) usable.set(task, (known = new Map()));
  let ok = known.get(length);
  if (ok === undefined) {
    try {
      task.sample(new Rng(0), { min: length, max: length });
      ok = true;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      ok = false;
    }
    known.set(length, ok);
  }
  return ok;
}

/** The length itself when the task has words there, else the nearest one in the range that has (ties: shorter). */
export function nearestUsableLength(task: Task, length: number, range: LengthRange): number {
  for (let d = 0; length - d >= range.min || length + d <= range.max; d++) {
    if (length - d >= range.min && lengthHasWords(task, length - d)) return length - d;
    if (length + d <= range.max && lengthHasWords(task, length + d)) return length + d;
  }
  throw new InputError(`task '${task.name}': no words at any length in [${range.min}, ${range.max}]`);
}

/** Redraws of a batch length at which the task has no words, before giving up. */
const MAX_LENGTH_DRAWS = 1000;

/**
 * A training batch: its length drawn uniformly from the lengths of the range at which the task has words,
 * then sampleBatch. A length without words is drawn again, so tasks with words at every length draw once,
 * exactly as before.
 */
export function trainingBatch(task: Task, rng: Rng, lengths: LengthRange, size: number, output: 'last' | 'every'): Batch {
  let length = rng.int(lengths.min, lengths.max);
  for (let draws = 1; !lengthHasWords(task, length); draws++) {
    if (draws >= MAX_LENGTH_DRAWS) {
      length = nearestUsableLength(task, length, lengths); // throws when the range has none
      break;
    }
    length = rng.int(lengths.min, lengths.max);
  }
  return sampleBatch(task, rng, length, size, output);
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
