// The communication matrix of a two-party function and the exact deterministic one-way complexity read
// off it: Bob's answer can depend only on (message, y), so two rows that differ somewhere need different
// messages, and sending the index of one's row class suffices. D→(f) = ⌈log₂(number of distinct rows)⌉.
import { InputError } from '../../errors.js';
import type { TwoPartyFunction } from './twoparty.js';

/** Largest matrix built explicitly (cells, one byte each): EQ_12 is 2^24. */
export const MAX_CELLS = 1 << 25;

/** A dense communication matrix, row-major, one byte per cell. */
export interface CommMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly cells: Uint8Array;
}

/** The matrix of f; InputError past MAX_CELLS or with more than 256 outputs. */
export function communicationMatrix(f: TwoPartyFunction): CommMatrix {
  const cellCount = f.rows * f.cols;
  if (cellCount > MAX_CELLS)
    throw new InputError(`${f.name}: ${f.rows}×${f.cols} = ${cellCount} cells is more than ${MAX_CELLS} to build (use a smaller n)`);
  if (f.outputs.length > 256) throw new InputError(`${f.name}: ${f.outputs.length} outputs do not fit a byte per cell`);
  const cells = new Uint8Array(cellCount);
  for (let i = 0; i < f.rows; i++) {
    const base = i * f.cols;
    for (let j = 0; j < f.cols; j++) cells[base + j] = f.value(i, j);
  }
  return { rows: f.rows, cols: f.cols, cells };
}

/** One representative per class of equal rows, and the class of every row. */
export interface RowClasses {
  /** classOf[i]: the class of row i, numbered by first appearance. */
  readonly classOf: Int32Array;
  /** representative[c]: the first row of class c. */
  readonly representative: number[];
}

function byteKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Groups the rows of a matrix into classes of equal rows. */
export function rowClasses(m: CommMatrix): RowClasses {
  const seen = new Map<string, number>();
  const classOf = new Int32Array(m.rows);
  const representative: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    const key = byteKey(m.cells.subarray(i * m.cols, (i + 1) * m.cols));
    let c = seen.get(key);
    if (c === undefined) {
      c = representative.length;
      seen.set(key, c);
      representative.push(i);
    }
    classOf[i] = c;
  }
  return { classOf, representative };
}

/** The transpose (to group columns with rowClasses). */
export function transpose(m: CommMatrix): CommMatrix {
  const cells = new Uint8Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) cells[j * m.rows + i] = m.cells[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, cells };
}

/** ⌈log₂ k⌉ for k ≥ 1, exactly (no floating log). */
export function ceilLog2(k: number | bigint): number {
  const v = BigInt(k);
  if (v < 1n) throw new RangeError(`ceilLog2 of ${k}`);
  return (v - 1n).toString(2).length - (v === 1n ? 1 : 0);
}

/** The exact one-way complexity and the optimal protocol it comes from. */
export interface OneWay {
  /** Distinct rows of the matrix. */
  readonly distinctRows: number;
  /** D→(f) = ⌈log₂ distinctRows⌉. */
  readonly bits: number;
  readonly classes: RowClasses;
}

/** D→(f) from the distinct rows; the protocol "send your row class" uses exactly that many bits. */
export function oneWayComplexity(m: CommMatrix): OneWay {
  const classes = rowClasses(m);
  const distinctRows = classes.representative.length;
  return { distinctRows, bits: ceilLog2(distinctRows), classes };
}
