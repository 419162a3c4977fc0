// Random reachable states of a checkpoint's exact executor, and the box they span: the points that the
// soundness tests of the box executor and of the certificate checker step.
import type { RecurrentNetworkExec } from '../../src/precision/exec/network.js';
import type { Rng } from '../../src/random.js';

/** `count` states after random words of 1..maxLen symbols from the zero state (seeded by rng). */
export function reachableStates(exec: RecurrentNetworkExec, rng: Rng, count: number, maxLen: number): Float64Array[] {
  return Array.from({ length: count }, () => {
    let s = new Float64Array(exec.stateSize);
    for (let t = rng.int(1, maxLen); t > 0; t--) {
      const next = new Float64Array(exec.stateSize);
      exec.step(rng.int(0, exec.config.vocab - 1), s, next);
      s = next;
    }
    return s;
  });
}

/** The smallest box [lo, hi] holding every point. */
export function spannedBox(points: readonly Float64Array[]): { lo: Float64Array; hi: Float64Array } {
  const lo = Float64Array.from(points[0]);
  const hi = Float64Array.from(points[0]);
  for (const p of points) {
    for (let i = 0; i < p.length; i++) {
      lo[i] = Math.min(lo[i], p[i]);
      hi[i] = Math.max(hi[i], p[i]);
    }
  }
  return { lo, hi };
}
