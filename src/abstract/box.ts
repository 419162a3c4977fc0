// Boxes: one interval per stored state value. The abstract domain of the all-lengths invariant search
// (verify/checkpoint) and of its certificates.

/** A box of network states: lo[i] <= value i <= hi[i]. */
export interface Box {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/** A box of size n around one point. */
export function pointBox(values: Float64Array): Box {
  return { lo: Float64Array.from(values), hi: Float64Array.from(values) };
}

/** The smallest box containing both (a new box). */
export function join(a: Box, b: Box): Box {
  const lo = new Float64Array(a.lo.length);
  const hi = new Float64Array(a.lo.length);
  for (let i = 0; i < lo.length; i++) {
    lo[i] = Math.min(a.lo[i], b.lo[i]);
    hi[i] = Math.max(a.hi[i], b.hi[i]);
  }
  return { lo, hi };
}

/** True when a lies inside b. */
export function within(a: Box, b: Box): boolean {
  for (let i = 0; i < a.lo.length; i++) if (a.lo[i] < b.lo[i] || a.hi[i] > b.hi[i]) return false;
  return true;
}

/** True when the point lies inside the box. */
export function contains(b: Box, values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i] >= b.lo[i] && values[i] <= b.hi[i])) return false;
  return true;
}

/** The box cut in two at the middle of its widest coordinate (null when every coordinate is a point). */
export function bisectWidest(box: Box): [Box, Box] | null {
  let widest = -1;
  let width = 0;
  for (let i = 0; i < box.lo.length; i++) {
    const w = box.hi[i] - box.lo[i];
    if (w > width) {
      width = w;
      widest = i;
    }
  }
  if (widest < 0) return null;
  const mid = box.lo[widest] + width / 2;
  const left = { lo: Float64Array.from(box.lo), hi: Float64Array.from(box.hi) };
  const right = { lo: Float64Array.from(box.lo), hi: Float64Array.from(box.hi) };
  left.hi[widest] = mid;
  right.lo[widest] = mid;
  return [left, right];
}
