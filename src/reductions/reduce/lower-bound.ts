// D→(f) for the reduction, the cheapest exact way: the matrix's distinct rows when it fits, else the
// symbolic injectivity lemma (Z3) for the named families. Either way the number comes with its method.
import { InputError } from '../../errors.js';
import { injectivityLemma } from '../cc/lemma-z3.js';
import { communicationMatrix, MAX_CELLS, oneWayComplexity } from '../cc/matrix.js';
import type { TwoPartyFunction } from '../cc/twoparty.js';

/** D→ of a function and how it was obtained. */
export interface OneWayBound {
  readonly bits: number;
  readonly method: string;
}

/** The exact one-way complexity; InputError when neither the matrix nor the lemma applies. */
export async function oneWayBound(f: TwoPartyFunction, timeoutMs: number): Promise<OneWayBound> {
  if (f.rows * f.cols <= MAX_CELLS) {
    const ow = oneWayComplexity(communicationMatrix(f));
    return { bits: ow.bits, method: `⌈log₂ ${ow.distinctRows}⌉, distinct rows of the ${f.rows}×${f.cols} communication matrix` };
  }
  if (f.symbolic === undefined) throw new InputError(`${f.name}: matrix too large (${f.rows}×${f.cols}) and no closed form to prove D→ symbolically`);
  const r = await injectivityLemma(f.symbolic, timeoutMs);
  if (r.verdict !== 'unsat')
    throw new InputError(`${f.name}: the Z3 injectivity lemma gave ${r.verdict}${r.reason ? ` (${r.reason})` : ''}; D→ is not established (raise --timeout)`);
  return { bits: r.bits, method: `⌈log₂ ${r.aliceInputs}⌉: Z3 proved rows pairwise distinct ('${r.statement}' unsat, ${(r.timeMs / 1000).toFixed(2)} s)` };
}
