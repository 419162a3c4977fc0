// Random walks that hold a checkpoint machine's packed rows to its generic executor, step by step.
import { expect } from '@jest/globals';
import type { CheckpointMachine } from '../../src/precision/machine.js';
import { Rng } from '../../src/random.js';

/**
 * Walks `walks` random words of `steps` binary symbols (seeded): after every step the packed row's values
 * and class equal the generic state's, and `check(row)` holds (the start row too).
 */
export function walkAgainstGeneric(m: CheckpointMachine, seed: number, walks: number, steps: number, check: (row: Int32Array) => void = () => {}): void {
  const packed = m.packed!;
  const rng = new Rng(seed);
  for (let i = 0; i < walks; i++) {
    let row = Int32Array.from(packed.initial);
    let state = m.initial();
    expect(packed.classify(row, 0)).toBe(m.classify(state));
    for (let t = 0; t < steps; t++) {
      const x = rng.int(0, 1);
      const next = new Int32Array(packed.width);
      packed.step(row, 0, x, next, 0);
      row = next;
      state = m.step(state, x);
      expect(Array.from(packed.values(row, 0))).toEqual(Array.from(state.values));
      expect(packed.classify(row, 0)).toBe(m.classify(state));
      check(row);
    }
  }
}
