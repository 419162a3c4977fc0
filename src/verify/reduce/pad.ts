// A smaller model inside a larger one: a witness of dim d becomes one of dim D > d whose extra coordinates
// start at 0 and stay there (diagonal: a = b = 0; rotation: zero blocks; Householder: the key padded with
// zeros, so I − βkkᵀ is the identity there, with b = 0) and are not read (readout weight 0). Every state of
// the padded model is the smaller one's with zeros appended, so it labels every word alike; the caller
// still replays it. This is how a dim-2 enumeration decides sat at dim 4.
import type { DenseWitness, ClassWitness } from '../z3/encode.js';
import { isDenseWitness, isProductWitness } from '../z3/encode.js';
import type { FixedFormat } from '../../precision/format.js';
import { householderMatrix, rotationMatrix } from '../../precision/dense.js';

/** The witness padded to `dim` coordinates (dim >= witness.dim), or undefined for product classes. */
export function padWitness(witness: ClassWitness, dim: number, format: FixedFormat): ClassWitness | undefined {
  const extra = dim - witness.dim;
  const pad = (row: readonly number[]): number[] => [...row, ...new Array<number>(extra).fill(0)];
  if (isProductWitness(witness)) return undefined;
  const readout = witness.readout === undefined ? {} : { readout: { w: pad(witness.readout.w), c: witness.readout.c } };
  const base = { format: witness.format, dim, alphabet: [...witness.alphabet], b: witness.b.map(pad), ...readout };
  if (!isDenseWitness(witness)) return { ...base, a: witness.a.map(pad) };
  const g = witness.generators;
  let padded: DenseWitness;
  if (g.kind === 'rotation') {
    if (extra % 2 !== 0) return undefined;
    const p = g.p.map(pad).map((row) => row.slice(0, dim / 2));
    const q = g.q.map(pad).map((row) => row.slice(0, dim / 2));
    padded = { ...base, A: p.map((px, x) => rotationMatrix(px, q[x])), generators: { kind: 'rotation', p, q } };
  } else if (g.kind === 'householder') {
    const k = g.k.map(pad);
    padded = { ...base, A: g.beta.map((beta, x) => householderMatrix(format, beta, k[x])), generators: { kind: 'householder', beta: [...g.beta], k } };
  } else return undefined;
  return padded;
}
