// Modular arithmetic with brackets (Deletang et al. 2023; the "with brackets" column of P3's Table 3): a
// fully bracketed expression E := digit | '(' E op E ')' over digits 0..4 and + − *, evaluated mod 5. Every
// operation has its own brackets, so no precedence is involved. Classes '0'..'4' are the values; 'invalid'
// is every other word and is never sampled (chance is 1/5). The language is not regular (the brackets
// nest without bound), so the task is 'bounded': exact labels and a sampler, no reference automaton.
//
// Words exist at lengths 1 + 4k (k operations). The sampler draws a value uniformly first, then a length
// uniformly among the usable ones, then random trees the way Deletang et al. build them (the left operand
// takes a uniform share of the k − 1 remaining operations) until one has that value.
import { InputError } from '../errors.js';
import type { Word } from '../machine.js';
import type { Rng } from '../random.js';
import { boundedTask } from './bounded.js';
import { defineFamily } from './family.js';
import { MODARITH_CLASSES, MODARITH_MODULUS } from './modarith.js';
import { checkLengthRange } from './shape.js';
import type { Example, LengthRange, TaskFamily } from './task.js';

/** Digits 0..4, the operators, then the brackets. */
export const MODARITH_BRACKETS_ALPHABET: readonly string[] = ['0', '1', '2', '3', '4', '+', '-', '*', '(', ')'];

const P = MODARITH_MODULUS;
const [PLUS, MINUS, OPEN, CLOSE] = [P, P + 1, P + 3, P + 4];
const INVALID = P;

/** Trees tried per sample before the value's draw is given up (each value has probability about 1/5). */
const MAX_TRIES = 10_000;

function apply(op: number, a: number, b: number): number {
  if (op === PLUS) return (a + b) % P;
  if (op === MINUS) return (a - b + P) % P;
  return (a * b) % P;
}

/** An open bracket being read: its left operand, operator and right operand as far as they have come. */
interface Frame {
  left: number | null;
  op: number | null;
  right: number | null;
}

/** The value of a fully bracketed expression, or the 'invalid' class; a stack, no recursion (any depth). */
export function bracketValue(word: Word): number {
  const stack: Frame[] = [];
  let top: number | null = null;
  const expectsOperand = (): boolean => {
    const f = stack.at(-1);
    return f === undefined ? top === null : f.left === null || (f.op !== null && f.right === null);
  };
  const deliver = (v: number): void => {
    const f = stack.at(-1);
    if (f === undefined) top = v;
    else if (f.left === null) f.left = v;
    else f.right = v;
  };
  for (const a of word) {
    if (a < P || a === OPEN) {
      if (!expectsOperand()) return INVALID;
      if (a === OPEN) stack.push({ left: null, op: null, right: null });
      else deliver(a);
    } else if (a === CLOSE) {
      const f = stack.pop();
      if (f === undefined || f.left === null || f.op === null || f.right === null) return INVALID;
      deliver(apply(f.op, f.left, f.right));
    } else {
      const f = stack.at(-1);
      if (f === undefined || f.left === null || f.op !== null) return INVALID;
      f.op = a;
    }
  }
  return stack.length === 0 && top !== null ? top : INVALID;
}

/** A random fully bracketed expression with k operations (Deletang et al.'s split), built without recursion. */
function randomTree(rng: Rng, k: number): number[] {
  const out: number[] = [];
  // pending items, last first: a non-negative number n stands for "an expression with n operations",
  // a negative one for the literal symbol −1 − x
  const pending: number[] = [k];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (item < 0) out.push(-1 - item);
    else if (item === 0) out.push(rng.int(0, P - 1));
    else {
      const left = rng.int(0, item - 1);
      const op = PLUS + rng.int(0, 2);
      pending.push(-1 - CLOSE, item - 1 - left, -1 - op, left, -1 - OPEN);
    }
  }
  return out;
}

function sample(name: string, rng: Rng, lengths: LengthRange): Example {
  checkLengthRange(name, lengths);
  const firstK = Math.max(0, Math.ceil((lengths.min - 1) / 4));
  const lastK = Math.floor((lengths.max - 1) / 4);
  if (lengths.max < 1 || firstK > lastK)
    throw new InputError(`task '${name}': no word of length in [${lengths.min}, ${lengths.max}] (expressions have length 1 + 4k)`);
  const label = rng.int(0, P - 1);
  const k = rng.int(firstK, lastK);
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const word = randomTree(rng, k);
    if (bracketValue(word) === label) return { word, label };
  }
  throw new InputError(`task '${name}': no expression of value ${label} with ${k} operations in ${MAX_TRIES} draws`);
}

/** modarith-brackets: the value mod 5 of a fully bracketed expression, or 'invalid'. */
export const modarithBracketsFamily: TaskFamily = defineFamily({
  family: 'modarith-brackets',
  summary: "value mod 5 of a fully bracketed expression E := d | '(' E op E ')' over 0..4 and + − * (classes 0..4, invalid; not regular)",
  params: [],
  build: (_values, name) =>
    boundedTask({
      name,
      family: 'modarith-brackets',
      description: "value mod 5 of E := digit | '(' E op E ')', op in + − *; any other word is invalid",
      alphabet: MODARITH_BRACKETS_ALPHABET,
      classes: MODARITH_CLASSES,
      sampledClasses: [0, 1, 2, 3, 4],
      label: bracketValue,
      sample: (rng, lengths) => sample(name, rng, lengths),
    }),
});
