// The reduction at the level of a model class: a recurrent model whose state (the message Alice sends
// after reading her part) has d components of p bits each is a one-way protocol of d·p bits, so the
// class cannot compute f on every input when d·p < D→(f). When d·p ≥ D→ the bound is silent: it does
// not say the class can. A transformer's state is its whole prefix, so the reduction does not apply.
import { match } from 'ts-pattern';
import { InputError } from '../../errors.js';
import { isModelFamily, MODEL_FAMILIES, type ModelFamily } from '../../models/family.js';
import type { NumberFormat } from '../../precision/format.js';

/** Model classes the reduction knows: the families plus verify's 'lrnn-real' (unconstrained diagonal). */
export type ReducibleClass = ModelFamily | 'lrnn-real';

/** The names accepted, for help text. */
export const REDUCIBLE_CLASSES: readonly ReducibleClass[] = Object.freeze([...MODEL_FAMILIES, 'lrnn-real']);

/** Parses a class name; InputError naming the choices otherwise. */
export function parseReducibleClass(name: string): ReducibleClass {
  if (name === 'lrnn-real' || isModelFamily(name)) return name;
  throw new InputError(`unknown model class '${name}' (choose one of ${REDUCIBLE_CLASSES.join(', ')})`);
}

/** The size of a class member as the reduction sees it. */
export interface ClassShape {
  cls: ReducibleClass;
  /** Recurrent state size per layer (config.state). */
  dim: number;
  layers: number;
  /** DeltaNet heads (state = heads matrices of (dim/heads)²); 1 elsewhere. */
  heads: number;
}

/** State components carried across the split, or null for a transformer (no fixed-size state). */
export function stateComponents(s: ClassShape): { count: number; formula: string } | null {
  if (!Number.isInteger(s.dim) || s.dim < 1) throw new InputError(`--dim ${s.dim}: expected an integer >= 1`);
  if (!Number.isInteger(s.layers) || s.layers < 1) throw new InputError(`--layers ${s.layers}: expected an integer >= 1`);
  const per = match(s.cls)
    .with('rnn-tanh', 'lrnn-pos', 'lrnn-neg', 'lrnn-real', 'lrnn-complex', 'lrnn-pd', () => ({ count: s.dim, formula: `${s.dim}` }))
    .with('lstm', () => ({ count: 2 * s.dim, formula: `2·${s.dim} (h and c)` }))
    .with('deltanet-pos', 'deltanet-neg', () => {
      if (s.dim % s.heads !== 0) throw new InputError(`--dim ${s.dim}: deltanet needs a state size divisible by --heads ${s.heads}`);
      const e = s.dim / s.heads;
      return { count: s.heads * e * e, formula: `${s.heads}·${e}² (one ${e}×${e} matrix per head)` };
    })
    .with('transformer', () => null)
    .exhaustive();
  if (per === null) return null;
  return s.layers === 1 ? per : { count: per.count * s.layers, formula: `${s.layers} layers × ${per.formula}` };
}

/** The class-level verdict. */
export type ClassVerdict =
  | { kind: 'ruled-out'; messageBits: number; lowerBound: number; reason: string }
  | { kind: 'not-ruled-out'; messageBits: number; lowerBound: number; reason: string }
  | { kind: 'not-applicable'; lowerBound: number; reason: string };

/** Compares d·p with D→ (p = format.bits, the width of one stored state value). */
export function classVerdict(shape: ClassShape, format: NumberFormat, lowerBound: number, fname: string): ClassVerdict {
  const comps = stateComponents(shape);
  if (comps === null)
    return {
      kind: 'not-applicable',
      lowerBound,
      reason: `${shape.cls} keeps its whole prefix (the KV cache grows with the input), so it is no fixed-size one-way protocol`,
    };
  const messageBits = comps.count * format.bits;
  const head = `d·p = ${comps.formula} components × ${format.bits} bits (${format.name}) = ${messageBits} bits`;
  return messageBits < lowerBound
    ? {
        kind: 'ruled-out',
        messageBits,
        lowerBound,
        reason: `${head} < D→(${fname}) = ${lowerBound}: two of Alice's inputs reach the same state, and a suffix that separates them is answered wrongly for one`,
      }
    : {
        kind: 'not-ruled-out',
        messageBits,
        lowerBound,
        reason: `${head} ≥ D→(${fname}) = ${lowerBound}: the one-way bound does not rule the class out (it does not show the class can)`,
      };
}
