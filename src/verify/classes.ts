// The model classes verify can encode, as a discriminated union on `name` (the names shared with
// models/family.ts come from there). Diagonal classes differ in the range of the transition diagonal (the
// eigenvalues), which is what THEORY.md's parity result turns on; the dense classes are the two ways P3
// gets past it: scaled rotations (complex eigenvalues) and generalised Householder matrices (reflections).
import { match } from 'ts-pattern';
import { InputError } from '../errors.js';
import type { ModelFamily } from '../models/family.js';
import type { FixedFormat } from '../precision/format.js';

/** The model families verify encodes, by their shared names. */
type EncodedFamily = Extract<ModelFamily, 'lrnn-pos' | 'lrnn-neg' | 'lrnn-complex' | 'deltanet-pos' | 'deltanet-neg'>;

/** A model class verify supports; lrnn-real (any real diagonal) has no trainable family. */
export type ModelClass = { name: EncodedFamily } | { name: 'lrnn-real' };

/** Name of a supported model class. */
export type ModelClassName = ModelClass['name'];

/** The supported class names, in the order help text lists them. */
export const SUPPORTED_CLASSES: readonly ModelClassName[] = Object.freeze([
  'lrnn-pos',
  'lrnn-neg',
  'lrnn-real',
  'lrnn-complex',
  'deltanet-pos',
  'deltanet-neg',
]);

// Classes issue 6 names that verify does not encode yet: a clear "not yet", not "unknown class".
const PLANNED = /^(deltaproduct-neg(-\d+)?|perm-diag|rnn-relu)$/;

/** The class a name denotes; InputError for planned-but-unsupported and unknown names. */
export function parseModelClass(name: string): ModelClass {
  const found = SUPPORTED_CLASSES.find((c) => c === name);
  if (found !== undefined) return { name: found };
  const supported = SUPPORTED_CLASSES.join(', ');
  if (PLANNED.test(name)) {
    throw new InputError(`model class '${name}' is not supported by verify yet (supported: ${supported})`);
  }
  throw new InputError(`unknown model class '${name}' (supported: ${supported})`);
}

/** How a class builds its transition matrices: a diagonal, 2×2 rotation blocks, or one Householder. */
export type ClassShape = 'diagonal' | 'rotation' | 'householder';

/** The shape of a class's transitions. */
export function classShape(cls: ModelClass): ClassShape {
  return match(cls.name)
    .with('lrnn-pos', 'lrnn-neg', 'lrnn-real', () => 'diagonal' as const)
    .with('lrnn-complex', () => 'rotation' as const)
    .with('deltanet-pos', 'deltanet-neg', () => 'householder' as const)
    .exhaustive();
}

/** 1.0 and −1.0 as codes, clipped to the format's range. */
function unitCodes(format: FixedFormat): { one: number; minusOne: number } {
  return { one: Math.min(2 ** format.fracBits, format.codeMax), minusOne: Math.max(-(2 ** format.fracBits), format.codeMin) };
}

/**
 * The codes [lo, hi] of the class's free transition parameter at the format: the diagonal entry (diagonal
 * classes), β (deltanet: [0,1] or [0,2], clipped to codeMax, so β = 2 needs I >= 3), or each of p, q
 * (lrnn-complex, further held to p² + q² <= 1).
 */
export function transitionRange(cls: ModelClass, format: FixedFormat): { lo: number; hi: number } {
  const { one, minusOne } = unitCodes(format);
  return match(cls.name)
    .with('lrnn-pos', () => ({ lo: 0, hi: one }))
    .with('lrnn-neg', 'lrnn-complex', () => ({ lo: minusOne, hi: one }))
    .with('lrnn-real', () => ({ lo: format.codeMin, hi: format.codeMax }))
    .with('deltanet-pos', () => ({ lo: 0, hi: one }))
    .with('deltanet-neg', () => ({ lo: 0, hi: Math.min(2 ** (format.fracBits + 1), format.codeMax) }))
    .exhaustive();
}

/** Deltanet keys are free codes with |‖k‖² − 1| <= dim·2^−F: dim ulps, room for rounding each k_i. */
export function keyNormTolerance(dim: number, format: FixedFormat): number {
  return dim * 2 ** -format.fracBits;
}
