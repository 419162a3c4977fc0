// The learning-rate schedule: linear warm-up from 0 to the peak, then a cosine decay to a floor. Warm-up
// keeps Adam's first steps (whose second-moment estimates are still noisy) small; the cosine tail lets the
// model settle into a sharp solution, which is what length generalisation needs.

/** Parameters of the warm-up + cosine schedule. */
export interface Schedule {
  /** Peak learning rate, reached at the end of warm-up. */
  lr: number;
  /** Steps of linear warm-up (0: start at the peak). */
  warmup: number;
  /** Total steps; the cosine reaches the floor at the last one. */
  steps: number;
  /** The final learning rate as a fraction of the peak (default 0.1). */
  floor?: number;
}

/** The learning rate of step s (1-based): s/warmup·lr while warming up, then cosine from lr (step warmup+1) to floor·lr (the last step). */
export function learningRate(schedule: Schedule, step: number): number {
  const { lr, warmup, steps } = schedule;
  const floor = schedule.floor ?? 0.1;
  if (step <= warmup) return (lr * step) / warmup;
  // The first step after warm-up runs at the peak, the last one at the floor.
  const span = Math.max(1, steps - warmup - 1);
  const progress = Math.min(1, (step - warmup - 1) / span);
  return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
