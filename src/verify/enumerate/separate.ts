// Exact search for a linear threshold readout over codes: w (one code per coordinate) and c (a code) with
// Σ w_i·h_i + c·2^F > 0 on every label-1 state and <= 0 on every label-0 state (precision/diagonal.ts
// `linearReadout`). Integers throughout. In the plane the real relaxation is a cone of directions: w must
// have w·(v − u) > 0 for every label-0 state u and label-1 state v, which only the hull vertices bound;
// integer w are then enumerated inside that cone, and c's interval is computed exactly for each.
import type { FixedFormat } from '../../precision/format.js';

/** A readout as codes. */
export interface Readout {
  w: number[];
  c: number;
}

/** floor(n / d) for integers (d > 0), exact even where the double quotient rounds onto an integer. */
function floorDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  while (q * d > n) q--;
  while ((q + 1) * d <= n) q++;
  return q;
}

/**
 * The code c nearest 0 with c·2^F > −min1 and c·2^F <= −max0, where min1 / max0 are the least label-1 and
 * greatest label-0 values of w·h (±Infinity when a label is absent); undefined when no code fits.
 */
function offsetFor(format: FixedFormat, max0: number, min1: number): number | undefined {
  if (min1 <= max0) return undefined;
  const scale = 2 ** format.fracBits;
  const lo = min1 === Infinity ? format.codeMin : Math.max(format.codeMin, floorDiv(-min1, scale) + 1);
  const hi = max0 === -Infinity ? format.codeMax : Math.min(format.codeMax, floorDiv(-max0, scale));
  if (lo > hi) return undefined;
  return Math.min(hi, Math.max(lo, 0));
}

/** A threshold readout for one coordinate: labels[t] of state x[t], t = 0..N; undefined if none exists. */
export function separate1(format: FixedFormat, x: ArrayLike<number>, labels: readonly number[]): { readout?: Readout; tried: number } {
  let min0 = Infinity;
  let max0 = -Infinity;
  let min1 = Infinity;
  let max1 = -Infinity;
  for (let t = 0; t < labels.length; t++) {
    const v = x[t];
    if (labels[t] === 1) {
      if (v < min1) min1 = v;
      if (v > max1) max1 = v;
    } else {
      if (v < min0) min0 = v;
      if (v > max0) max0 = v;
    }
  }
  // The real relaxation: one label wholly above the other (or a label absent).
  const up = max0 < min1;
  const down = max1 < min0;
  if (!up && !down) return { tried: 0 };
  let tried = 0;
  for (let w = format.codeMin; w <= format.codeMax; w++) {
    if ((w > 0 && !up) || (w < 0 && !down) || (w === 0 && max0 !== -Infinity && min1 !== Infinity)) continue;
    tried++;
    const s0 = max0 === -Infinity ? -Infinity : w >= 0 ? w * max0 : w * min0;
    const s1 = min1 === Infinity ? Infinity : w >= 0 ? w * min1 : w * max1;
    const c = offsetFor(format, s0, s1);
    if (c !== undefined) return { readout: { w: [w], c }, tried };
  }
  return { tried };
}

/**
 * The open cone {w : w·g > 0 for every added g} in the plane, kept as the two extreme generators R (most
 * clockwise) and L (most counter-clockwise) of the added g; it is non-empty iff they span less than π.
 */
export class DirectionCone {
  private rx = 0;
  private ry = 0;
  private lx = 0;
  private ly = 0;
  private count = 0;
  /** False once no w satisfies every added constraint. */
  open = true;

  /** Empties the constraint set (every w qualifies again), so one cone serves many runs without allocation. */
  reset(): void {
    this.count = 0;
    this.open = true;
  }

  /** Adds the constraint w·g > 0; returns whether the cone is still non-empty. */
  add(gx: number, gy: number): boolean {
    if (!this.open) return false;
    if (gx === 0 && gy === 0) return (this.open = false);
    if (this.count++ === 0) {
      this.rx = this.lx = gx;
      this.ry = this.ly = gy;
      return true;
    }
    const cr = this.rx * gy - this.ry * gx; // > 0: g is counter-clockwise of R
    const cl = this.lx * gy - this.ly * gx; // > 0: g is counter-clockwise of L
    if ((cr === 0 && this.rx * gx + this.ry * gy < 0) || (cl === 0 && this.lx * gx + this.ly * gy < 0)) return (this.open = false);
    if (cr >= 0 && cl <= 0) return true; // between R and L
    if (cr < 0 && cl > 0) return (this.open = false); // behind both: the span would reach π
    if (cr < 0) {
      this.rx = gx;
      this.ry = gy;
    } else {
      this.lx = gx;
      this.ly = gy;
    }
    return (this.open = this.rx * this.ly - this.ry * this.lx > 0);
  }

  /** The generators (R, L) of the constraints, or undefined when none was added (every w qualifies). */
  generators(): [number, number, number, number] | undefined {
    return this.count === 0 ? undefined : [this.rx, this.ry, this.lx, this.ly];
  }
}

/** Vertices of the convex hull of points (xs[i], ys[i]) (Andrew's monotone chain; collinear points dropped). */
export function hullVertices(xs: readonly number[], ys: readonly number[]): { x: number[]; y: number[] } {
  const idx = xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j] || ys[i] - ys[j]);
  const uniq = idx.filter((i, k) => k === 0 || xs[i] !== xs[idx[k - 1]] || ys[i] !== ys[idx[k - 1]]);
  if (uniq.length <= 2) return { x: uniq.map((i) => xs[i]), y: uniq.map((i) => ys[i]) };
  const cross = (o: number, a: number, b: number): number => (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
  const chain = (order: number[]): number[] => {
    const out: number[] = [];
    for (const i of order) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], i) <= 0) out.pop();
      out.push(i);
    }
    out.pop();
    return out;
  };
  const hull = [...chain(uniq), ...chain([...uniq].reverse())];
  return { x: hull.map((i) => xs[i]), y: hull.map((i) => ys[i]) };
}

/** How far a two-coordinate check got: which stage refuted it, or the readout found. */
export type Separation =
  | { stage: 'cone' | 'hull' | 'search'; tried: number }
  | { stage: 'found'; readout: Readout; tried: number };

/**
 * Threshold readouts for two coordinates against one labelling labels[t] of states (x[t], y[t]), t = 0..N.
 * Three stages, cheapest first: the cone of consecutive label changes (w·(p_{t+1} − p_t) has the sign of
 * the change), the exact real cone from the two labels' hull vertices, then every integer w in that cone
 * with its exact c interval. Built once per labelling: most pairs of runs die in the first stage, whose
 * loop is kept free of allocation.
 */
export class PairSeparator {
  private readonly changeAt: Int32Array;
  private readonly changeSign: Int8Array;
  private readonly cone = new DirectionCone();
  constructor(
    private readonly format: FixedFormat,
    private readonly labels: readonly number[],
  ) {
    const at: number[] = [];
    for (let t = 0; t + 1 < labels.length; t++) if (labels[t] !== labels[t + 1]) at.push(t);
    this.changeAt = Int32Array.from(at);
    this.changeSign = Int8Array.from(at.map((t) => (labels[t + 1] === 1 ? 1 : -1)));
  }

  /** Whether the label-change cone stays open (necessary for a readout); no allocation. */
  private changesOpen(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
    const cone = this.cone;
    cone.reset();
    for (let k = 0; k < this.changeAt.length; k++) {
      const t = this.changeAt[k];
      const sign = this.changeSign[k];
      if (!cone.add(sign * (x[t + 1] - x[t]), sign * (y[t + 1] - y[t]))) return false;
    }
    return true;
  }

  /** The readout for states (x[t], y[t]), or the stage that refuted every readout. */
  check(x: ArrayLike<number>, y: ArrayLike<number>): Separation {
    if (!this.changesOpen(x, y)) return { stage: 'cone', tried: 0 };
    const { format, labels } = this;
    const x0: number[] = [];
    const y0: number[] = [];
    const x1: number[] = [];
    const y1: number[] = [];
    for (let t = 0; t < labels.length; t++) {
      if (labels[t] === 1) {
        x1.push(x[t]);
        y1.push(y[t]);
      } else {
        x0.push(x[t]);
        y0.push(y[t]);
      }
    }
    const h0 = hullVertices(x0, y0);
    const h1 = hullVertices(x1, y1);
    const cone = new DirectionCone();
    for (let i = 0; i < h0.x.length; i++) {
      for (let j = 0; j < h1.x.length; j++) {
        if (!cone.add(h1.x[j] - h0.x[i], h1.y[j] - h0.y[i])) return { stage: 'hull', tried: 0 };
      }
    }
    const gens = cone.generators();
    let tried = 0;
    for (let w1 = format.codeMin; w1 <= format.codeMax; w1++) {
      let lo = format.codeMin;
      let hi = format.codeMax;
      if (gens !== undefined) {
        // w·R > 0 and w·L > 0, each linear in w2 for this w1.
        for (const [gx, gy] of [
          [gens[0], gens[1]],
          [gens[2], gens[3]],
        ]) {
          const rest = w1 * gx;
          if (gy > 0) lo = Math.max(lo, floorDiv(-rest, gy) + 1);
          else if (gy < 0) hi = Math.min(hi, -floorDiv(-rest, -gy) - 1);
          else if (rest <= 0) hi = lo - 1;
        }
      }
      for (let w2 = lo; w2 <= hi; w2++) {
        tried++;
        let max0 = -Infinity;
        for (let i = 0; i < h0.x.length; i++) max0 = Math.max(max0, w1 * h0.x[i] + w2 * h0.y[i]);
        let min1 = Infinity;
        for (let j = 0; j < h1.x.length; j++) min1 = Math.min(min1, w1 * h1.x[j] + w2 * h1.y[j]);
        const c = offsetFor(format, max0, min1);
        if (c !== undefined) return { stage: 'found', readout: { w: [w1, w2], c }, tried };
      }
    }
    return { stage: 'search', tried };
  }
}

/** One-off form of PairSeparator.check. */
export function separate2(format: FixedFormat, x: ArrayLike<number>, y: ArrayLike<number>, labels: readonly number[]): Separation {
  return new PairSeparator(format, labels).check(x, y);
}
