// Modular arithmetic without brackets (Deletang et al. 2023; the task of P3's headline table): an
// expression digit (op digit)* over digits 0..4 and + − *, evaluated mod 5 with * binding tighter than + and
// −. Classes '0'..'4' are the values of complete expressions; 'invalid' is everything else (an empty,
// incomplete or malformed word). The sampler draws only complete expressions, with balanced values, so the
// task has the paper's 5 classes: 'invalid' is there to make the reference automaton complete, is never
// drawn, and chance is 1/5 (Task.sampledClasses).
//
// modarith-paper is the same arithmetic in P3's form: the expression ends in '=' and the answer is read
// there, and its digits and operators are drawn uniformly (not class-balanced), as the paper samples them.
// Every word that does not end in '=' after a complete expression is 'invalid'.
//
// Reading left to right keeps (sum of finished terms, current term) after a digit and (sum, coefficient
// of the next digit) after an operator: '+' starts a term with coefficient 1, '−' with 4 ≡ −1, and '*'
// makes the current term the coefficient. 25 + 25 states plus a sink; the start state coincides with
// "sum 0, coefficient 1" and minimise() merges the two, giving 51.
import { Dfa } from '../automata/dfa.js';
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';
import { defineFamily } from './family.js';
import { regularTask } from './regular.js';
import { checkLengthRange } from './shape.js';
import type { Example, LengthRange, TaskFamily } from './task.js';

/** The modulus. */
export const MODARITH_MODULUS = 5;

/** Digits 0..4, then the operators. */
export const MODARITH_ALPHABET: readonly string[] = ['0', '1', '2', '3', '4', '+', '-', '*'];

/** Values '0'..'4', then 'invalid' (class 5). */
export const MODARITH_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', 'invalid'];

/** The classes a sampler draws: the five values. */
const VALUE_CLASSES: readonly number[] = [0, 1, 2, 3, 4];

/** The alphabet of modarith-paper: modarith's, then '='. */
export const MODARITH_PAPER_ALPHABET: readonly string[] = [...MODARITH_ALPHABET, '='];

/**
 * The left-to-right evaluator as a DFA. With `equals`, a complete expression is 'invalid' until an '=' is
 * read after it; the state after '=' carries the value and every further symbol leads to the sink.
 */
function modarithDfa(equals = false): Dfa {
  const p = MODARITH_MODULUS;
  const afterDigit = (sum: number, term: number) => 1 + sum * p + term;
  const afterOp = (sum: number, coef: number) => 1 + p * p + sum * p + coef;
  const answered = (v: number) => 1 + 2 * p * p + v;
  const sink = 1 + 2 * p * p + (equals ? p : 0);
  const nStates = sink + 1;
  const alphabet = equals ? MODARITH_PAPER_ALPHABET : MODARITH_ALPHABET;
  const k = alphabet.length;
  const [PLUS, MINUS, TIMES, EQUALS] = [p, p + 1, p + 2, p + 3];
  const table = new Int32Array(nStates * k).fill(sink);
  const labels = new Int32Array(nStates).fill(p);
  for (let x = 0; x < p; x++) table[x] = afterDigit(0, x);
  if (equals) for (let v = 0; v < p; v++) labels[answered(v)] = v;
  for (let sum = 0; sum < p; sum++)
    for (let v = 0; v < p; v++) {
      const done = afterDigit(sum, v);
      if (equals) table[done * k + EQUALS] = answered((sum + v) % p);
      else labels[done] = (sum + v) % p;
      table[done * k + PLUS] = afterOp((sum + v) % p, 1);
      table[done * k + MINUS] = afterOp((sum + v) % p, p - 1);
      table[done * k + TIMES] = afterOp(sum, v);
      const open = afterOp(sum, v);
      for (let x = 0; x < p; x++) table[open * k + x] = afterDigit(sum, (v * x) % p);
    }
  return new Dfa({ alphabet, classes: MODARITH_CLASSES, table, labels });
}

/**
 * P3's sampling for modarith-paper: a length uniform among the even lengths of the range (an expression of
 * odd length, then '='), digits and operators uniform and alternating; the label is whatever value comes out.
 */
function paperSample(reference: Dfa, rng: Rng, lengths: LengthRange, task: string): Example {
  checkLengthRange(task, lengths);
  const first = Math.max(2, lengths.min + (lengths.min % 2));
  if (first > lengths.max)
    throw new InputError(`task '${task}': no word of length in [${lengths.min}, ${lengths.max}] (words are an odd-length expression and '=', so their length is even and >= 2)`);
  const length = first + 2 * rng.int(0, (lengths.max - first) >> 1);
  const p = MODARITH_MODULUS;
  const word = Array.from({ length }, (_, i) => (i === length - 1 ? p + 3 : i % 2 === 0 ? rng.int(0, p - 1) : p + rng.int(0, 2)));
  return { word, label: reference.evaluate(word) };
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
      sampleClasses: VALUE_CLASSES,
    }),
});

/** modarith-paper: P3's form of modarith, 'expression =' with uniformly drawn tokens. */
export const modarithPaperFamily: TaskFamily = defineFamily({
  family: 'modarith-paper',
  summary: "modarith as P3 samples it: uniform digits and operators, the value read after a final '=' (classes 0..4, invalid)",
  params: [],
  build: (_values, name) =>
    regularTask({
      name,
      family: 'modarith-paper',
      description: "value mod 5 of digit (op digit)* '=' with * before + and −, tokens drawn uniformly (not class-balanced)",
      dfa: modarithDfa(true),
      sampleClasses: VALUE_CLASSES,
      sampler: (reference, rng, lengths) => paperSample(reference, rng, lengths, name),
    }),
});
