// The exact executor of a diagonal linear RNN at a fixed-point format: per input symbol x a transition
// diagonal a(x) and an offset b(x), state h_0 = 0, h'_i = round(a_i(x)·h_i + b_i(x)), readout
// Σ w_i·h_i + c > 0. Every step is computed exactly on integer codes and rounded once (docs/theory.md,
// "Finite precision"); verify/z3/fixed-bv.ts encodes the same step in Z3 and must agree with this file bit for bit.
import { InputError } from '../errors.js';
import type { Machine, Word } from '../machine.js';
import { BINARY_CLASSES } from '../machine.js';
import type { FixedFormat, RoundingMode } from './format.js';
import { parseFormat } from './parse.js';

/** A diagonal LRNN as plain data (codes of `format`), the shape a checkpoint or a Z3 witness is written in. */
export interface DiagonalLrnnParams {
  format: string;
  dim: number;
  alphabet: string[];
  /** a[x][i]: the code of the transition diagonal's entry i for symbol x. */
  a: number[][];
  /** b[x][i]: the code of the offset's entry i for symbol x. */
  b: number[][];
  /** Linear threshold readout (codes); absent for a witness of the `any` readout, which has no formula. */
  readout?: { w: number[]; c: number };
}

/** A state: one code per dimension. */
export type DiagonalState = readonly number[];

/**
 * round(n·2^−s) to an integer with the format's tie rule, for a safe integer n and s >= 1. Kept here
 * instead of calling the format's hot path so that the executor is a second, independent implementation
 * of the rounding (tests hold both to roundDyadic).
 */
function roundShift(n: number, s: number, mode: RoundingMode): number {
  const p = 2 ** s;
  const q = Math.floor(n / p); // exact: p is a power of two and |n| < 2^53
  if (mode === 'floor') return q;
  const twice = 2 * (n - q * p); // twice the remainder, compared with p to avoid a fractional half
  if (twice > p) return q + 1;
  if (twice < p) return q;
  return mode === 'half-up' || q % 2 !== 0 ? q + 1 : q;
}

/** The code of round(a·h + b) for codes a, h, b of a fixed format: exact product, one rounding, saturation. */
export function diagonalStepCode(format: FixedFormat, a: number, h: number, b: number): number {
  const f = format.fracBits;
  // Codes have at most 32 bits, so the product can pass 2^53: go through bigint only when it might.
  if (2 * format.bits + 1 > 53) {
    return format.roundDyadic(BigInt(a) * BigInt(h) + (BigInt(b) << BigInt(f)), -2 * f);
  }
  const n = a * h + b * 2 ** f;
  const k = f === 0 ? n : roundShift(n, f, format.rounding);
  if (k < format.codeMin) return format.codeMin;
  if (k > format.codeMax) return format.codeMax;
  return k + 0;
}

/** Σ w_i·h_i + c > 0, exactly (bigint: D products of 2F fraction bits can pass 2^53). */
export function linearReadout(format: FixedFormat, w: readonly number[], c: number, h: DiagonalState): boolean {
  let sum = BigInt(c) << BigInt(format.fracBits);
  for (let i = 0; i < h.length; i++) sum += BigInt(w[i]) * BigInt(h[i]);
  return sum > 0n;
}

/** The fixed format a parameter file names; InputError for a float format, which this executor lacks. */
export function fixedFormatOf(name: string): FixedFormat {
  const format = parseFormat(name);
  if (format.kind !== 'fixed') {
    throw new InputError(`format '${name}': the diagonal LRNN executor supports fixed<I,F> formats only`);
  }
  return format;
}

/** Throws InputError unless row is dim integer codes of the format; `kind` names the executor in the message. */
export function checkCodes(format: FixedFormat, kind: string, where: string, row: unknown, dim: number): void {
  if (!Array.isArray(row) || row.length !== dim) throw new InputError(`${kind}: ${where}: expected ${dim} codes`);
  row.forEach((v, i) => {
    if (!Number.isInteger(v) || v < format.codeMin || v > format.codeMax) {
      throw new InputError(
        `${kind}: ${where}[${i}] = ${String(v)} is not a code of ${format.name} ` +
          `(expected an integer in [${format.codeMin}, ${format.codeMax}])`,
      );
    }
  });
}

/** What every fixed-point LRNN over code vectors shares (diagonal here, dense in dense.ts): h_0 = 0, keys, runs. */
export abstract class CodeLrnn {
  readonly format: FixedFormat;
  readonly alphabet: readonly string[];
  readonly dim: number;

  constructor(
    readonly kind: string,
    params: { format: string; dim: number; alphabet: readonly string[] },
  ) {
    this.format = fixedFormatOf(params.format);
    const { dim, alphabet } = params;
    if (!Number.isInteger(dim) || dim < 1) throw new InputError(`${kind}: dim = ${dim}, expected an integer >= 1`);
    if (alphabet.length === 0) throw new InputError(`${kind}: empty alphabet`);
    this.dim = dim;
    this.alphabet = Object.freeze([...alphabet]);
  }

  /** One exact step on symbol index x. */
  abstract step(state: DiagonalState, x: number): DiagonalState;

  /** h_0 = 0. */
  initial(): DiagonalState {
    return new Array<number>(this.dim).fill(0);
  }

  /** The final state after a word. */
  run(word: Word): DiagonalState {
    let h = this.initial();
    for (const x of word) h = this.step(h, x);
    return h;
  }

  /** The state codes joined by commas: equal keys are equal states. */
  key(state: DiagonalState): string {
    return state.join(',');
  }
}

/** The dynamics of a diagonal LRNN (no readout). */
export class DiagonalLrnn extends CodeLrnn {
  private readonly a: readonly (readonly number[])[];
  private readonly b: readonly (readonly number[])[];

  constructor(readonly params: DiagonalLrnnParams) {
    super('diagonal LRNN', params);
    const { dim, alphabet, a, b } = params;
    if (a.length !== alphabet.length || b.length !== alphabet.length) {
      throw new InputError(`diagonal LRNN: a and b need one row per symbol (${alphabet.length})`);
    }
    alphabet.forEach((x, s) => {
      checkCodes(this.format, this.kind, `a['${x}']`, a[s], dim);
      checkCodes(this.format, this.kind, `b['${x}']`, b[s], dim);
    });
    this.a = a.map((row) => Object.freeze([...row]));
    this.b = b.map((row) => Object.freeze([...row]));
  }

  /** One exact step on symbol index x. */
  step(state: DiagonalState, x: number): DiagonalState {
    const a = this.a[x];
    const b = this.b[x];
    if (a === undefined) throw new InputError(`diagonal LRNN: symbol index ${x} is outside the alphabet`);
    return state.map((h, i) => diagonalStepCode(this.format, a[i], h, b[i]));
  }
}

/** An LRNN with a linear threshold readout Σ w_i·h_i + c > 0, as a binary `Machine`. */
export class ThresholdMachine implements Machine<DiagonalState> {
  readonly classes = BINARY_CLASSES;
  readonly alphabet: readonly string[];
  readonly format: FixedFormat;
  private readonly w: readonly number[];
  private readonly c: number;

  constructor(
    readonly net: CodeLrnn,
    readout: { w: number[]; c: number } | undefined,
  ) {
    if (readout === undefined) throw new InputError(`${net.kind}: a machine needs a linear readout {w, c}`);
    checkCodes(net.format, net.kind, 'readout.w', readout.w, net.dim);
    checkCodes(net.format, net.kind, 'readout.c', [readout.c], 1);
    this.alphabet = net.alphabet;
    this.format = net.format;
    this.w = Object.freeze([...readout.w]);
    this.c = readout.c;
  }

  initial(): DiagonalState {
    return this.net.initial();
  }

  step(state: DiagonalState, x: number): DiagonalState {
    return this.net.step(state, x);
  }

  /** The final state after a word. */
  run(word: Word): DiagonalState {
    return this.net.run(word);
  }

  key(state: DiagonalState): string {
    return this.net.key(state);
  }

  /** 1 (accept) iff the readout is positive. */
  classify(state: DiagonalState): number {
    return this.accepts(state) ? 1 : 0;
  }

  /** Σ w_i·h_i + c > 0, exactly. */
  accepts(state: DiagonalState): boolean {
    return linearReadout(this.format, this.w, this.c, state);
  }
}

/** A diagonal LRNN with its linear threshold readout, as a binary `Machine`. */
export class DiagonalLrnnMachine extends ThresholdMachine {
  constructor(params: DiagonalLrnnParams) {
    super(new DiagonalLrnn(params), params.readout);
  }
}
