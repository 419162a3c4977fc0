// The model classes verify can encode, as a discriminated union on `name` (the names shared with
// models/family.ts come from there). Diagonal classes differ in the range of the transition diagonal (the
// eigenvalues), which is what P3's parity theorem (docs/theory.md, "The papers") turns on; the dense classes are the two ways P3
// gets past it: scaled rotations (complex eigenvalues) and generalised Householder matrices (reflections).
import { match } from 'ts-pattern';
import { InputError } from '../errors.js';
import type { ModelFamily } from '../models/family.js';
import type { FixedFormat } from '../precision/format.js';

/** The model families verify encodes, by their shared names. */
type EncodedFamily = Extract<ModelFamily, 'lrnn-pos' | 'lrnn-neg' | 'lrnn-complex' | 'lrnn-pd' | 'deltanet-pos' | 'deltanet-neg'>;

/** The name of a DeltaProduct class with K generalised Householder factors per symbol. */
export type DeltaProductName = `deltaproduct-neg-${number}`;

/**
 * A model class verify supports. lrnn-real (any real diagonal), perm-diag (a permutation times a diagonal
 * in [−1,1]; lrnn-pd is the same class under its trainable family's name: per symbol, diag(a)·P and P·diag(a')
 * with a' = P⁻¹a are the same matrices), deltaproduct-neg-K (K factors I − β k kᵀ, β ∈ [0,2], rounded after each) and rnn-relu
 * (h' = relu(W h + b), W any code matrix) have no trainable family.
 */
export type ModelClass =
  | { name: EncodedFamily }
  | { name: 'lrnn-real' }
  | { name: 'perm-diag' }
  | { name: 'rnn-relu' }
  | { name: DeltaProductName; factors: number };

/** Name of a supported model class. */
export type ModelClassName = ModelClass['name'];

/** The supported class names, in the order help text lists them (K in deltaproduct-neg-K is 1..8). */
export const SUPPORTED_CLASSES: readonly string[] = Object.freeze([
  'lrnn-pos',
  'lrnn-neg',
  'lrnn-real',
  'lrnn-complex',
  'lrnn-pd',
  'deltanet-pos',
  'deltanet-neg',
  'perm-diag',
  'deltaproduct-neg-K',
  'rnn-relu',
]);

/** Most Householder factors per symbol a deltaproduct class may ask for. */
export const MAX_FACTORS = 8;

/** The class a name denotes ('deltaproduct-neg-2': K = 2); InputError for unknown names. */
export function parseModelClass(name: string): ModelClass {
  const product = /^deltaproduct-neg-(\d+)$/.exec(name);
  if (product !== null) {
    const factors = Number(product[1]);
    if (factors < 1 || factors > MAX_FACTORS) throw new InputError(`model class '${name}': K = ${factors}, expected 1..${MAX_FACTORS} factors`);
    return { name: `deltaproduct-neg-${factors}`, factors };
  }
  const plain = PLAIN_CLASSES.find((c) => c === name);
  if (plain !== undefined) return { name: plain } as ModelClass;
  throw new InputError(`unknown model class '${name}' (supported: ${SUPPORTED_CLASSES.join(', ')})`);
}

const PLAIN_CLASSES: readonly Exclude<ModelClassName, DeltaProductName>[] = [
  'lrnn-pos', 'lrnn-neg', 'lrnn-real', 'lrnn-complex', 'lrnn-pd', 'deltanet-pos', 'deltanet-neg', 'perm-diag', 'rnn-relu',
];

/**
 * How a class builds its transitions: a diagonal, 2×2 rotation blocks, one Householder, a permutation
 * times a diagonal, a product of Householders (rounded after each), or a free matrix under relu.
 */
export type ClassShape = 'diagonal' | 'rotation' | 'householder' | 'perm-diag' | 'product' | 'relu';

/** The shape of a class's transitions. */
export function classShape(cls: ModelClass): ClassShape {
  if ('factors' in cls) return 'product';
  return match(cls.name)
    .with('perm-diag', 'lrnn-pd', () => 'perm-diag' as const)
    .with('rnn-relu', () => 'relu' as const)
    .with('lrnn-pos', 'lrnn-neg', 'lrnn-real', () => 'diagonal' as const)
    .with('lrnn-complex', () => 'rotation' as const)
    .with('deltanet-pos', 'deltanet-neg', () => 'householder' as const)
    .otherwise(() => {
      throw new InputError(`model class '${cls.name}': no shape`);
    });
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
  const two = Math.min(2 ** (format.fracBits + 1), format.codeMax);
  // deltaproduct: β of each factor; perm-diag: the diagonal; rnn-relu: every entry of W.
  if ('factors' in cls) return { lo: 0, hi: two };
  return match(cls.name)
    .with('perm-diag', 'lrnn-pd', () => ({ lo: minusOne, hi: one }))
    .with('rnn-relu', () => ({ lo: format.codeMin, hi: format.codeMax }))
    .with('lrnn-pos', () => ({ lo: 0, hi: one }))
    .with('lrnn-neg', 'lrnn-complex', () => ({ lo: minusOne, hi: one }))
    .with('lrnn-real', () => ({ lo: format.codeMin, hi: format.codeMax }))
    .with('deltanet-pos', () => ({ lo: 0, hi: one }))
    .with('deltanet-neg', () => ({ lo: 0, hi: two }))
    .otherwise(() => {
      throw new InputError(`model class '${cls.name}': no transition range`);
    });
}

/** Deltanet keys are free codes with |‖k‖² − 1| <= dim·2^−F: dim ulps, room for rounding each k_i. */
export function keyNormTolerance(dim: number, format: FixedFormat): number {
  return dim * 2 ** -format.fracBits;
}
