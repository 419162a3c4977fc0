// Shared helpers of the task tests: exhaustive word enumeration and class-balance counting.
import type { Word } from '../../src/machine.js';
import { Rng } from '../../src/random.js';
import type { Example, LengthRange, Task } from '../../src/tasks/task.js';

/** Every word over k symbols of length 0..maxLength, shortest first. */
export function* allWords(k: number, maxLength: number): Generator<number[]> {
  let layer: number[][] = [[]];
  for (let n = 0; n <= maxLength; n++) {
    yield* layer;
    if (n === maxLength) break;
    const next: number[][] = [];
    for (const w of layer) for (let a = 0; a < k; a++) next.push([...w, a]);
    layer = next;
  }
}

/** The word as a string of its symbol names (concatenated). */
export function text(task: Task, word: Word): string {
  return word.map((a) => task.alphabet[a]).join('');
}

/** n samples from a fresh Rng with the given seed. */
export function samples(task: Task, seed: number, n: number, lengths: LengthRange): Example[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => task.sample(rng, lengths));
}

/** How often each class occurs among the examples. */
export function classCounts(task: Task, examples: readonly Example[]): number[] {
  const counts = task.classes.map(() => 0);
  for (const e of examples) counts[e.label]++;
  return counts;
}
