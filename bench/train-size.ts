// What the training bench's parent (train.ts) and its child processes (train-one.ts) must agree on. Its own
// file because importing train-one.ts would run it.

/** A benchmark shape: batch B, sequence length T, model width. */
export interface Size {
  batch: number;
  length: number;
  width: number;
}

/** Timed runs per measurement: the median of 5 at the small size; at length 256 a step takes seconds to
 *  minutes on this machine, so one. Either way after one discarded warm-up run (kernel setup, JIT). */
export const runsFor = (s: Size): number => (s.length <= 64 ? 5 : 1);
