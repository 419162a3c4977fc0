// P0's nonlinear-RNN construction for sorted deterministic graph connectivity, with its own exact
// evaluator. The instance (this toolkit's definition): vertices 1..n, s = 1, t = n; each vertex u < n has
// at most one out-edge u → v with v > u; the edges come sorted by source. Is t reachable from s?
// One pass suffices: the state c is the vertex the walk from s has reached; an edge (u, v) with u = c
// moves it to v. With the zero test zero(z) = ReLU(1 − ReLU(z) − ReLU(−z)) (1 iff z = 0 on integers) a
// step is a fixed ReLU circuit of depth 3 on (c, u, v), whose values are integers of O(log n) bits:
//   L1: p = ReLU(u − c), q = ReLU(c − u), c, v          (c, v ≥ 0 pass through ReLU unchanged)
//   L2: e = ReLU(1 − p − q) = zero(u − c), c, v
//   L3: c, r⁺ = ReLU(v − c − M(1 − e)), r⁻ = ReLU(c − v − M(1 − e))   (M = n ≥ |v − c|)
//   c' = c + r⁺ − r⁻ (= v if e = 1, else c);   accept iff zero(c − n) = 1.
import { InputError } from '../../errors.js';
import type { Rng } from '../../random.js';

/** A graph instance: n vertices and the sorted edges (u, v), u < v, at most one per source. */
export interface GraphInstance {
  readonly n: number;
  readonly edges: readonly (readonly [number, number])[];
}

/** One ReLU (or, for the output, linear) layer: out_i = act(Σ_j w[i][j]·in_j + b[i]) with integer weights. */
export interface IntLayer {
  readonly w: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly relu: boolean;
}

/** The exact value of a layer stack on an integer input; also reports the largest magnitude met. */
export function evalLayers(layers: readonly IntLayer[], input: readonly number[], track: { maxAbs: number }): number[] {
  let x = [...input];
  for (const layer of layers) {
    x = layer.w.map((row, i) => {
      if (row.length !== x.length) throw new InputError(`layer row ${i}: ${row.length} weights for ${x.length} inputs`);
      let s = layer.b[i];
      for (let j = 0; j < row.length; j++) s += row[j] * x[j];
      track.maxAbs = Math.max(track.maxAbs, Math.abs(s));
      return layer.relu ? Math.max(0, s) : s;
    });
  }
  for (const v of x) if (!Number.isSafeInteger(v)) throw new InputError(`connectivity: value ${v} left the exact integer range`);
  return x;
}

/** The step circuit for n vertices: input [c, u, v] → [c']. */
export function stepCircuit(n: number): IntLayer[] {
  const M = n;
  return [
    // in: c, u, v
    { relu: true, w: [[-1, 1, 0], [1, -1, 0], [1, 0, 0], [0, 0, 1]], b: [0, 0, 0, 0] },
    // in: p, q, c, v
    { relu: true, w: [[-1, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], b: [1, 0, 0] },
    // in: e, c, v;  v − c − M + M·e  and  c − v − M + M·e
    { relu: true, w: [[0, 1, 0], [M, -1, 1], [M, 1, -1]], b: [0, -M, -M] },
    // in: c, r+, r-
    { relu: false, w: [[1, 1, -1]], b: [0] },
  ];
}

/** The readout circuit: [c] → [zero(c − n)]. */
export function readoutCircuit(n: number): IntLayer[] {
  return [
    { relu: true, w: [[1], [-1]], b: [-n, n] },
    { relu: true, w: [[-1, -1]], b: [1] },
  ];
}

/** Runs the ReLU RNN on an instance: its answer and the largest |pre-activation| (the precision it needs). */
export function runConnectivityRnn(g: GraphInstance): { accept: boolean; maxAbs: number } {
  const track = { maxAbs: 1 };
  const step = stepCircuit(g.n);
  let c = 1;
  for (const [u, v] of g.edges) [c] = evalLayers(step, [c, u, v], track);
  const [z] = evalLayers(readoutCircuit(g.n), [c], track);
  return { accept: z === 1, maxAbs: track.maxAbs };
}

/** The reference answer: follow the out-edges from 1. */
export function reachable(g: GraphInstance): boolean {
  const next = new Map(g.edges.map(([u, v]) => [u, v]));
  let c = 1;
  while (c !== g.n) {
    const v = next.get(c);
    if (v === undefined) return false;
    c = v;
  }
  return true;
}

/** Every instance on n vertices: each u < n has no edge or one to some v in (u, n]; (n − u + 1) choices each. */
export function allInstances(n: number): GraphInstance[] {
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new InputError(`connectivity: n = ${n} must be in 1..9 to enumerate`);
  let partial: [number, number][][] = [[]];
  for (let u = 1; u < n; u++) {
    const next: [number, number][][] = [];
    for (const edges of partial) {
      next.push(edges);
      for (let v = u + 1; v <= n; v++) next.push([...edges, [u, v]]);
    }
    partial = next;
  }
  return partial.map((edges) => ({ n, edges }));
}

/**
 * A seeded instance with the given answer whose label cannot be read off the endpoints: s has an
 * out-edge and t an in-edge in every instance, so only the path between them decides.
 */
export function sampleInstance(rng: Rng, n: number, label: boolean): GraphInstance {
  if (n < 4) throw new InputError(`connectivity sampler: n = ${n} must be at least 4 (s, t and a detour)`);
  for (;;) {
    const edges: [number, number][] = [];
    for (let u = 1; u < n; u++) if (u === 1 || rng.chance(0.7)) edges.push([u, rng.int(u + 1, n)]);
    const g: GraphInstance = { n, edges };
    const tHasIn = edges.some(([, v]) => v === n);
    const direct = edges.some(([u, v]) => u === 1 && v === n);
    if (tHasIn && !direct && reachable(g) === label) return g;
  }
}
