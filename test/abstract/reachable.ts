// Random reachable states of a checkpoint's exact executor, and the box they span: the points that the
// soundness tests of the box executor, the zonotope steps and the certificate checker step.
import { expect } from '@jest/globals';
import { contains } from '../../src/abstract/box.js';
import { Zonotope } from '../../src/abstract/zonotope.js';
import type { Checkpoint } from '../../src/models/checkpoint.js';
import { RecurrentNetworkExec } from '../../src/precision/exec/network.js';
import type { NumberFormat } from '../../src/precision/format.js';
import { parseFormat } from '../../src/precision/parse.js';
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

/** What a containment property steps: sampled states, the box around them, and the step the enclosure must hold. */
export interface ContainmentCase {
  points: Float64Array[];
  lo: Float64Array;
  hi: Float64Array;
  /** The exact executor's step at the format; over the reals (format null) the float64 real stepper. */
  step: (a: number, p: Float64Array) => Float64Array;
}

/**
 * The common set-up of the zonotope containment properties: six states reachable in the executor at
 * `format` (fp32 over the reals: any points will do, the box spans them), and their box widened by `pad`
 * and rounded to the format.
 */
export function containmentCase(ckpt: Checkpoint, format: NumberFormat | null, real: (a: number, p: Float64Array) => Float64Array, rng: Rng, pad: number): ContainmentCase {
  const exec = new RecurrentNetworkExec(ckpt.config, ckpt.weights, format ?? parseFormat('fp32'));
  const points = reachableStates(exec, rng, 6, 8);
  const spanned = spannedBox(points);
  const round = (x: number) => (format === null ? x : format.round(x) + 0);
  const step = (a: number, p: Float64Array): Float64Array => {
    if (format === null) return real(a, p);
    const next = new Float64Array(exec.stateSize);
    exec.step(a, p, next);
    return next;
  };
  return { points, lo: spanned.lo.map((x) => round(x - pad)), hi: spanned.hi.map((x) => round(x + pad)), step };
}

/** Expects every point of `samples`, stepped along `block`, inside the interval `hull` (one line per unit that is not). */
export function expectImageInside(c: ContainmentCase, samples: readonly Float64Array[], block: readonly number[], hull: readonly (readonly [number, number])[]): void {
  for (const p of samples) {
    let h = p;
    for (const a of block) h = c.step(a, h);
    h.forEach((v, i) => {
      if (!(v >= hull[i][0] && v <= hull[i][1])) throw new Error(`unit ${i}: ${v} outside [${hull[i][0]}, ${hull[i][1]}] (block ${block.join('')})`);
    });
  }
}

/** Steps a zonotope from the case's box along `block` with `step`, expecting every stepped point inside each hull. */
export function expectZonotopeEncloses(c: ContainmentCase, block: readonly number[], step: (z: Zonotope, a: number) => Zonotope): void {
  let z = Zonotope.fromBox({ lo: c.lo, hi: c.hi });
  let states = [...c.points, c.lo, c.hi];
  for (const a of block) {
    z = step(z, a);
    states = states.map((p) => c.step(a, p));
    const hull = z.hull();
    for (const s of states) expect(contains(hull, s)).toBe(true);
  }
}
