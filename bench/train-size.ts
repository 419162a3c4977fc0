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

/** Discarded runs before the timed ones: kernel setup, and V8's compilers (JavaScript and the backend's WebAssembly
 *  tier up as they run hot), which at the small size take about 80 training steps to reach the steady state (least
 *  and median process CPU time per window, lrnn-pos and rnn-tanh at (64, 64, 64), 2 cores under load 4: lrnn-pos
 *  steps 15–20 least 10.5–14.9 ms, 40–60 4.9 (median 6.7–9.4), 80–220 4.2–4.7 (median 4.6–5.9); rnn-tanh 40–60 9.6,
 *  80–220 7.9–8.8); 80, so that the timed steps are the ones a training run spends its time in, as JAX's figures
 *  exclude its compilation. One at length 256, where a step takes seconds. */
export const warmUpsFor = (s: Size): number => (s.length <= 64 ? 80 : 1);
