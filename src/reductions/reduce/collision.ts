// The reduction on one checkpoint: run the model at a format on every one of Alice's inputs (sharing
// prefixes), and look for two inputs x ≠ x' whose rows differ but whose quantised states are equal. The
// model continues from the state alone, so on x·y and x'·y it answers the same, while a separating y
// has f(x, y) ≠ f(x', y): one of the two answers is wrong. The certificate is replayed from scratch.
import { InputError, InternalError } from '../../errors.js';
import type { Machine, Word } from '../../machine.js';
import { classifyWord } from '../../machine.js';
import type { TwoPartyFunction } from '../cc/twoparty.js';

/** Largest number of Alice inputs the search visits. */
export const MAX_COLLISION_ROWS = 1 << 22;

/** A replayable proof that a model gets some input of f wrong. */
export interface CollisionCertificate {
  function: string;
  /** The two prefixes (Alice's inputs), as symbol names. */
  prefixes: [string[], string[]];
  /** The state both prefixes reach (the machine's key; for a checkpoint: last symbol then value codes). */
  sharedState: string;
  /** A suffix (Bob's input) on which f differs for the two prefixes. */
  suffix: string[];
  /** f on prefix·suffix for each prefix. */
  expected: [string, string];
  /** The model's output on each full input, replayed from the initial state. */
  got: [string, string];
  /** 0 or 1: the input the model gets wrong (the first, if both are). */
  wrongOn: number;
  /** The full input the model gets wrong. */
  wrongInput: string[];
}

/** What the search did. */
export interface CollisionSearch {
  /** Alice inputs visited before stopping. */
  visited: number;
  /** Distinct states they reached. */
  distinctStates: number;
  certificate: CollisionCertificate | null;
}

/** The part of a state key Bob's continuation depends on (a machine may key more, e.g. the last symbol). */
export type StateKeyOf<S> = (machine: Machine<S>, state: S) => string;

function checkAlphabet(machine: Machine<unknown>, f: TwoPartyFunction): void {
  const task = f.task;
  if (task === undefined) throw new InputError(`${f.name}: has no task, so no words a model can read`);
  const same = task.alphabet.length === machine.alphabet.length && task.alphabet.every((s, i) => s === machine.alphabet[i]);
  if (!same)
    throw new InputError(`${task.name}: alphabet ${task.alphabet.join(' ')} differs from the model's ${machine.alphabet.join(' ')}`);
}

/** Searches for two prefixes with equal states and different rows; null certificate if none exists. */
export function findCollision<S>(machine: Machine<S>, f: TwoPartyFunction, keyOf: StateKeyOf<S> = (m, s) => String(m.key(s))): CollisionSearch {
  checkAlphabet(machine, f);
  if (f.rows > MAX_COLLISION_ROWS) throw new InputError(`${f.name}: ${f.rows} Alice inputs, more than ${MAX_COLLISION_ROWS} to search`);
  // key -> rows reaching it whose rows differ pairwise (usually one)
  const buckets = new Map<string, number[]>();
  let prev: Word = [];
  const stack: S[] = [machine.initial()];
  for (let i = 0; i < f.rows; i++) {
    const word = f.aliceWord(i);
    let common = 0;
    while (common < word.length && common < prev.length && word[common] === prev[common]) common++;
    stack.length = common + 1;
    for (let t = common; t < word.length; t++) stack.push(machine.step(stack[t], word[t]));
    prev = word;
    const key = keyOf(machine, stack[word.length]);
    const bucket = buckets.get(key);
    if (bucket === undefined) {
      buckets.set(key, [i]);
      continue;
    }
    for (const r of bucket) {
      const col = separatingColumn(f, r, i);
      if (col >= 0) return { visited: i + 1, distinctStates: buckets.size, certificate: certify(machine, f, r, i, col, key) };
    }
    bucket.push(i);
  }
  return { visited: f.rows, distinctStates: buckets.size, certificate: null };
}

function separatingColumn(f: TwoPartyFunction, r: number, i: number): number {
  for (let j = 0; j < f.cols; j++) if (f.value(r, j) !== f.value(i, j)) return j;
  return -1;
}

function certify<S>(machine: Machine<S>, f: TwoPartyFunction, r: number, i: number, col: number, key: string): CollisionCertificate {
  const task = f.task;
  if (task === undefined) throw new InternalError('certify without a task');
  const show = (w: Word) => w.map((s) => machine.alphabet[s]);
  const y = f.bobWord(col);
  const inputs: [Word, Word] = [
    [...f.aliceWord(r), ...y],
    [...f.aliceWord(i), ...y],
  ];
  const expected = inputs.map((w) => task.label(w)) as [number, number];
  const got = inputs.map((w) => classifyWord(machine, w)) as [number, number];
  if (got[0] !== got[1]) throw new InternalError(`${f.name}: two prefixes share state ${key} but the model answers ${got[0]} and ${got[1]} after them`);
  if (expected[0] === expected[1]) throw new InternalError(`${f.name}: the separating suffix does not separate`);
  const wrongOn = got[0] !== expected[0] ? 0 : 1;
  return {
    function: f.name,
    prefixes: [show(f.aliceWord(r)), show(f.aliceWord(i))],
    sharedState: key,
    suffix: show(y),
    expected: [machine.classes[expected[0]], machine.classes[expected[1]]],
    got: [machine.classes[got[0]], machine.classes[got[1]]],
    wrongOn,
    wrongInput: show(inputs[wrongOn]),
  };
}

/** Re-checks a certificate from its words alone: both inputs replayed, one answer wrong. */
export function replayCertificate<S>(machine: Machine<S>, f: TwoPartyFunction, cert: CollisionCertificate): boolean {
  const task = f.task;
  if (task === undefined) return false;
  const index = (names: readonly string[]) => names.map((s) => machine.alphabet.indexOf(s));
  const words = cert.prefixes.map((p) => [...index(p), ...index(cert.suffix)]);
  if (words.some((w) => w.includes(-1))) return false;
  const got = words.map((w) => classifyWord(machine, w));
  const expected = words.map((w) => task.label(w));
  return got[0] === got[1] && expected[0] !== expected[1];
}
