// The model classes verify can encode, as a discriminated union on `name`. Each is a diagonal LRNN with D
// dimensions and input-dependent a(x), b(x); the classes differ only in the range of the transition
// diagonal (the eigenvalues), which is what THEORY.md's parity and mod-m results turn on.
import type { Bool } from 'z3-solver';
import { match } from 'ts-pattern';
import { InputError } from '../errors.js';
import type { FixedFormat } from '../precision/format.js';
import type { Bv } from './fixed-bv.js';
import { codeVal } from './fixed-bv.js';
import type { Z3 } from './z3.js';

/** A model class verify supports: diagonal LRNNs with eigenvalues in [0,1], [−1,1] or anywhere. */
export type ModelClass = { name: 'lrnn-pos' } | { name: 'lrnn-neg' } | { name: 'lrnn-real' };

/** Name of a supported model class. */
export type ModelClassName = ModelClass['name'];

/** The supported class names, in the order help text lists them. */
export const SUPPORTED_CLASSES: readonly ModelClassName[] = Object.freeze(['lrnn-pos', 'lrnn-neg', 'lrnn-real']);

// Classes issue 6 names that this slice does not encode yet: a clear "not yet", not "unknown class".
const PLANNED = /^(lrnn-complex|deltanet-pos|deltanet-neg|deltaproduct-neg(-\d+)?|perm-diag|rnn-relu)$/;

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

/** The codes [lo, hi] a transition entry of the class may take at the format (1.0 clipped to codeMax). */
export function transitionRange(cls: ModelClass, format: FixedFormat): { lo: number; hi: number } {
  const one = Math.min(2 ** format.fracBits, format.codeMax);
  const minusOne = Math.max(-(2 ** format.fracBits), format.codeMin);
  return match(cls)
    .with({ name: 'lrnn-pos' }, () => ({ lo: 0, hi: one }))
    .with({ name: 'lrnn-neg' }, () => ({ lo: minusOne, hi: one }))
    .with({ name: 'lrnn-real' }, () => ({ lo: format.codeMin, hi: format.codeMax }))
    .exhaustive();
}

/** The constraint that a transition entry (a code term) lies in the class's range. */
export function transitionConstraint(Z: Z3, cls: ModelClass, format: FixedFormat, a: Bv): Bool<'main'> {
  const { lo, hi } = transitionRange(cls, format);
  return Z.And(a.sge(codeVal(Z, format, lo)), a.sle(codeVal(Z, format, hi)));
}
