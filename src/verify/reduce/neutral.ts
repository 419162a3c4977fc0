// The unary sub-instance of an all-words instance, both ways. Every word 1^k (k <= N) is a word of the
// instance, so the unary instance's unsat is the instance's unsat. Conversely, when every other symbol is
// neutral (a self-loop at every state of the task's minimal automaton: parity and mod m count the 1s and
// ignore the 0s) and the class holds the identity map exactly, a unary witness with the identity on the
// neutral symbols reaches on each word the state of 1^(its number of 1s), so it is right on every word
// whose count of 1s is at most N; it is still replayed on every word before it is reported.
import { match } from 'ts-pattern';
import type { FixedFormat } from '../../precision/format.js';
import type { Task } from '../../tasks/task.js';
import type { ClassWitness } from '../z3/encode.js';
import { isDenseWitness, isProductWitness } from '../z3/encode.js';

/** The symbols of a task other than `unary` that loop at every state of its reference automaton. */
export function neutralSymbols(task: Task, unary: number): number[] {
  const dfa = task.reference;
  if (dfa === undefined) return [];
  return task.alphabet
    .map((_, x) => x)
    .filter((x) => x !== unary && Array.from({ length: dfa.nStates }, (_, q) => q).every((q) => dfa.table[q * dfa.nSymbols + x] === q));
}

/**
 * The witness with the exact identity map on the given symbols (transition I, offset 0), or undefined
 * where the class cannot hold it exactly: 1.0 is not a code of the format, or rnn-relu (relu(h) ≠ h below 0).
 */
export function withIdentity(witness: ClassWitness, symbols: readonly number[], format: FixedFormat): ClassWitness | undefined {
  const one = 2 ** format.fracBits;
  if (one > format.codeMax) return undefined;
  const dim = witness.dim;
  const zeros = (): number[] => new Array<number>(dim).fill(0);
  const identity = (): number[][] => Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => (i === j ? one : 0)));
  // A unit key e_0 for a Householder factor with β = 0 (the factor is I whatever the key).
  const key = (): number[] => zeros().map((_, i) => (i === 0 ? one : 0));
  const copy = structuredClone(witness);
  for (const x of symbols) copy.b[x] = zeros();
  if (isProductWitness(copy)) {
    if (copy.product.kind === 'relu') return undefined;
    const beta = copy.product.beta;
    const keys = copy.product.k;
    for (const x of symbols) {
      copy.factors[x] = copy.factors[x].map(() => identity());
      beta[x] = beta[x].map(() => 0);
      keys[x] = keys[x].map(() => key());
    }
    return copy;
  }
  if (isDenseWitness(copy)) {
    const g = copy.generators;
    for (const x of symbols) {
      copy.A[x] = identity();
      match(g)
        .with({ kind: 'rotation' }, (r) => {
          r.p[x] = r.p[x].map(() => one);
          r.q[x] = r.q[x].map(() => 0);
        })
        .with({ kind: 'householder' }, (h) => {
          h.beta[x] = 0;
          h.k[x] = key();
        })
        .with({ kind: 'perm-diag' }, (p) => {
          p.perm[x] = p.perm[x].map((_, i) => i);
          p.d[x] = p.d[x].map(() => one);
        })
        .exhaustive();
    }
    return copy;
  }
  for (const x of symbols) copy.a[x] = new Array<number>(dim).fill(one);
  return copy;
}
