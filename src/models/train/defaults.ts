// The defaults of a training run, shared by `eigenstate train` and the sweep's grid files.
import type { ScanMode } from '../scan.js';

/** The training defaults: chosen so parity at lengths 3–40 trains in minutes on two CPU cores. */
export const TRAIN_DEFAULTS = {
  width: 32,
  state: 32,
  layers: 1,
  mlp: 0,
  steps: 1000,
  batch: 32,
  lr: 0.01,
  weightDecay: 0.01,
  warmup: 50,
  clip: 1,
  targetAcc: 0.999,
  evalEvery: 50,
} as const;

/**
 * The trainer's recurrence on a backend: the fused kernels (kernels/: one operation per recurrence, its
 * backward hand-derived; same function as the graph to float rounding) where tensor data is cheap to read
 * (wasm, cpu), the parallel scan on the native backend ('tensorflow', possibly a GPU, where the graph's
 * operations are cheap and reading data back is not).
 */
export function defaultScan(backend: string): ScanMode {
  return backend === 'tensorflow' ? 'parallel' : 'fused';
}
