// Two-way lower bounds from the matrix. A fooling set for value z is a set S of z-cells such that for any
// two (x, y), (x', y') in S, f(x, y') ≠ z or f(x', y) ≠ z: no monochromatic rectangle holds two of them, so
// a protocol tree has |S| z-leaves plus at least one leaf of another value (when f is not constant), and
// D(f) ≥ ⌈log₂(|S| + 1)⌉. Finding the largest S is hard; this is a greedy search, and every set it
// returns is re-checked pair by pair, so the bound holds whatever the heuristic misses.
import { InternalError } from '../../errors.js';
import { ceilLog2, type CommMatrix } from './matrix.js';

/** A checked fooling set: its value and its cells as [row, col]. */
export interface FoolingSet {
  readonly value: number;
  readonly cells: readonly (readonly [number, number])[];
}

/** How many candidate columns per row the greedy search tries before giving the row up. */
const TRIES_PER_ROW = 4;

/** A large fooling set for one value: rows with fewest z-cells first, each taking its rarest z-column that fits. */
export function greedyFoolingSet(m: CommMatrix, z: number): FoolingSet {
  const at = (i: number, j: number) => m.cells[i * m.cols + j];
  const colCount = new Int32Array(m.cols);
  const rowCount = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++)
      if (at(i, j) === z) {
        colCount[j]++;
        rowCount[i]++;
      }
  // Rare columns first: for DISJ this picks y = complement(x), the classic fooling set.
  const order = Array.from({ length: m.rows }, (_, i) => i)
    .filter((i) => rowCount[i] > 0)
    .sort((a, b) => rowCount[a] - rowCount[b] || a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  const usedCol = new Uint8Array(m.cols);
  for (const i of order) {
    const candidates: number[] = [];
    for (let j = 0; j < m.cols; j++) if (at(i, j) === z && usedCol[j] === 0) candidates.push(j);
    candidates.sort((a, b) => colCount[a] - colCount[b] || a - b);
    for (const j of candidates.slice(0, TRIES_PER_ROW)) {
      let fits = true;
      for (let k = 0; k < xs.length && fits; k++) if (at(i, ys[k]) === z && at(xs[k], j) === z) fits = false;
      if (fits) {
        xs.push(i);
        ys.push(j);
        usedCol[j] = 1;
        break;
      }
    }
  }
  const set: FoolingSet = { value: z, cells: xs.map((x, k) => [x, ys[k]] as const) };
  if (!isFoolingSet(m, set)) throw new InternalError(`greedy fooling set for value ${z} failed its own check`);
  return set;
}

/** True when every cell has the set's value and no two cells share a monochromatic rectangle. */
export function isFoolingSet(m: CommMatrix, s: FoolingSet): boolean {
  const at = (i: number, j: number) => m.cells[i * m.cols + j];
  for (const [x, y] of s.cells) if (at(x, y) !== s.value) return false;
  for (let a = 0; a < s.cells.length; a++)
    for (let b = a + 1; b < s.cells.length; b++) {
      const [x, y] = s.cells[a];
      const [x2, y2] = s.cells[b];
      if (at(x, y2) === s.value && at(x2, y) === s.value) return false;
    }
  return true;
}

/** The two-way bound a fooling set gives: ⌈log₂(|S| + 1)⌉ if f takes another value too, else ⌈log₂|S|⌉. */
export function foolingBound(m: CommMatrix, s: FoolingSet): number {
  if (s.cells.length === 0) return 0;
  const otherValue = m.cells.some((v) => v !== s.value);
  return ceilLog2(s.cells.length + (otherValue ? 1 : 0));
}

/** The best greedy fooling set over every value f takes. */
export function bestFoolingSet(m: CommMatrix, values: number): FoolingSet {
  let best: FoolingSet = { value: 0, cells: [] };
  for (let z = 0; z < values; z++) {
    const s = greedyFoolingSet(m, z);
    if (s.cells.length > best.cells.length) best = s;
  }
  return best;
}
