// What the training bench's parent (train.ts) and its child processes (train-one.ts) must agree on. Its own
// file because importing train-one.ts would run it.

/** A benchmark shape: batch B, sequence length T, model width. */
export interface Size {
  batch: number;
  length: number;
  width: number;
}

/** Timed runs per measurement: the median of 5 at the small size; at length 256 a step takes seconds to
 *  minutes on this machine, so one. Either way after warmUpsFor(s) discarded runs. */
export const runsFor = (s: Size): number => (s.length <= 64 ? 5 : 1);

/** Discarded runs before the timed ones: kernel setup, and V8's optimising compiler, which at the small size
 *  takes about 15 training steps to reach the steady state (a step is 2–3× slower at first: measured on 2
 *  cores under load 2–3, 40 steps of lrnn-pos and rnn-tanh at (64, 64, 64)); JAX's figures likewise exclude its
 *  compilation. One at length 256, where a step takes seconds. */
export const warmUpsFor = (s: Size): number => (s.length <= 64 ? 15 : 1);
