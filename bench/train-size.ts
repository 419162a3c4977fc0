// What the training bench's parent (train.ts) and its child processes (train-one.ts) must agree on. Its own
// file because importing train-one.ts would run it.

/** A benchmark shape: batch B, sequence length T, model width. */
export interface Size {
  batch: number;
  length: number;
  width: number;
}

/** Timed runs per measurement: the median of 11 at the small size (JAX's: of 20); at length 256 a step takes seconds to
 *  minutes on this machine, so one. Either way after warmUpsFor(s) discarded runs. */
export const runsFor = (s: Size): number => (s.length <= 64 ? 11 : 1);

/** Discarded runs before the timed ones: kernel setup, and V8's optimising compiler, which at the small size
 *  takes 20–30 training steps to reach the steady state (steps 15–20 are still 1.3–2× slower than steps 80–120:
 *  least process CPU time per window, lrnn-pos and rnn-tanh at (64, 64, 64), 2 cores under load 3–4); 40, so that
 *  the timed steps are the ones a training run spends its time in, as JAX's figures exclude its compilation. One
 *  at length 256, where a step takes seconds. */
export const warmUpsFor = (s: Size): number => (s.length <= 64 ? 40 : 1);
