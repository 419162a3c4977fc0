// Modular arithmetic without brackets (Deletang et al. 2023; the task of P3's headline table): an
// expression digit (op digit)* over digits 0..4 and + − *, evaluated mod 5 with * binding tighter than + and
// −. Classes '0'..'4' are the values of complete expressions; 'invalid' is everything else (an empty,
// incomplete or malformed word). The sampler draws only complete expressions, with balanced values.
//
// Reading left to right keeps (sum of finished terms, current term) after a digit and (sum, coefficient
// of the next digit) after an operator: '+' starts a term with coefficient 1, '−' with 4 ≡ −1, and '*'
// makes the current term the coefficient. 25 + 25 states plus a sink; the start state coincides with
// "sum 0, coefficient 1" and minimise() merges the two, giving 51.
import { Dfa } from '../automata/dfa.js';
import { defineFamily } from './family.js';
import { regularTask } from './regular.js';
import type { TaskFamily } from './task.js';

/** The modulus. */
export const MODARITH_MODULUS = 5;

/** Digits 0..4, then the operators. */
export const MODARITH_ALPHABET: readonly string[] = ['0', '1', '2', '3', '4', '+', '-', '*'];

/** Values '0'..'4', then 'invalid' (class 5). */
export const MODARITH_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', 'invalid'];

function modarithDfa(): Dfa {
  const p = MODARITH_MODULUS;
  const afterDigit = (sum: number, term: number) => 1 + sum * p + term;
  const afterOp = (sum: number, coef: number) => 1 + p * p + sum * p + coef;
  const sink = 1 + 2 * p * p;
  const nStates = sink + 1;
  const k = MODARITH_ALPHABET.length;
  const [PLUS, MINUS, TIMES] = [p, p + 1, p + 2];
  const table = new Int32Array(nStates * k).fill(sink);
  const labels = new Int32Array(nStates).fill(p);
  for (let x = 0; x < p; x++) table[x] = afterDigit(0, x);
  for (let sum = 0; sum < p; sum++)
    for (let v = 0; v < p; v++) {
      const done = afterDigit(sum, v);
      labels[done] = (sum + v) % p;
      table[done * k + PLUS] = afterOp((sum + v) % p, 1);
      table[done * k + MINUS] = afterOp((sum + v) % p, p - 1);
      table[done * k + TIMES] = afterOp(sum, v);
      const open = afterOp(sum, v);
      for (let x = 0; x < p; x++) table[open * k + x] = afterDigit(sum, (v * x) % p);
    }
  return new Dfa({ alphabet: MODARITH_ALPHABET, classes: MODARITH_CLASSES, table, labels });
}

/** modarith: the value mod 5 of a bracket-free expression, or 'invalid'. */
export const modarithFamily: TaskFamily = defineFamily({
  family: 'modarith',
  summary: 'value mod 5 of a bracket-free expression over 0..4 and + − * (classes 0..4, invalid)',
  params: [],
  build: (_values, name) =>
    regularTask({
      name,
      family: 'modarith',
      description: 'value mod 5 of digit (op digit)* with * before + and −; incomplete or malformed words are invalid',
      dfa: modarithDfa(),
      sampleClasses: [0, 1, 2, 3, 4],
    }),
});
