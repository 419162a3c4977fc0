// Refutation over the exact reals from candidates found at fp32, for every family: the model at fp32 is
// the exact executor, where the exhaustive search of short words and the lasso search (cycle detection)
// are cheap, and so are seeded random long words; a word any of them finds wrong is a candidate only. Its class over the reals is then certified
// (real-run.ts: the closed form of the loop for one-layer diagonal LRNNs, zonotopes reduced along the word
// for one-layer rnn-tanh, interval steps otherwise), and it counts when that class is certainly not the
// task's. Rounding can be what makes the fp32 model wrong; then the real readout is undecided or right,
// and the candidate is dropped (and named in the diagnosis).
import type { Dfa } from '../../automata/dfa.js';
import { InputError } from '../../errors.js';
import { checkAgainstReference } from '../../extract/exact.js';
import type { Machine } from '../../machine.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import { checkpointMachine } from '../../precision/machine.js';
import { parseFormat } from '../../precision/parse.js';
import { readoutOf, sameExactState } from './exact-readout.js';
import { searchLassos } from './lasso-search.js';
import { type Lasso, lassoLength } from './lasso-word.js';
import { fromLength } from './min-length.js';
import { type RealRun, realRun } from './real-run.js';
import { Rng } from '../../random.js';
import { type Clock, wallClock } from '../../clock.js';

/** Longest loop power the fp32 lasso search follows for a real candidate. */
export const MAX_REAL_POWER = 100_000;
/** State cap of the fp32 exhaustive search for candidates. */
const CANDIDATE_STATES = 100_000;

/** What the search found: a certified real counterexample, and the lassos tried at fp32. */
export interface RealFloatLassoResult {
  counterexample: { lasso: Lasso; got: number; expected: number; method: RealRun['method'] } | null;
  lassos: { tried: number; closed: number; open: number };
  /** A word wrong at fp32 whose real readout could not be certified wrong (rounding, or too long). */
  dropped: Lasso | null;
}

/** The certified real class of a candidate, or null when it is undecided or the word is too long for the network's route; its steps are charged to the clock (squarings for the closed form). */
function certify(ckpt: Checkpoint, lasso: Lasso, clock: Clock): RealRun | null {
  try {
    const r = realRun(ckpt, lasso);
    const squarings = Math.ceil(Math.log2(lasso.power + 1));
    clock.spend((r.method === 'closed-form' ? lasso.prefix.length + 2 * lasso.loop.length + squarings : lassoLength(lasso)) + 1);
    return r.cls === null ? null : r;
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

/** Candidates from the fp32 exhaustive search and lasso search, certified over the reals (see the header). */
export function searchRealByFloat(ckpt: Checkpoint, dfa: Dfa, deadline: number, minLength = 1, clock: Clock = wallClock): RealFloatLassoResult {
  const machine = checkpointMachine(ckpt, parseFormat('fp32'));
  let dropped: Lasso | null = null;
  const candidate = (lasso: Lasso, expected: number): RealFloatLassoResult['counterexample'] => {
    const r = certify(ckpt, lasso, clock);
    if (r === null || r.cls === expected || r.cls === null) {
      dropped ??= lasso;
      return null;
    }
    return { lasso, got: r.cls, expected, method: r.method };
  };
  // Short words first, with a sixth of the time: a shortest word wrong at fp32.
  const searched = minLength > 1 ? fromLength(machine, dfa, minLength) : machine;
  const seconds = Math.max(0, (deadline - clock.now()) / 6000);
  const check = checkAgainstReference<unknown>(searched as Machine<unknown>, dfa, { maxStates: CANDIDATE_STATES, seconds, clock });
  const none = { tried: 0, closed: 0, open: 0 };
  if (check.verdict !== null && !check.verdict.equal) {
    const found = candidate({ prefix: check.verdict.word, loop: [], power: 1 }, check.verdict.expected);
    if (found !== null) return { counterexample: found, lassos: none, dropped: null };
  }
  if (check.verdict?.equal === true) return { counterexample: null, lassos: none, dropped };
  const r = searchLassos(machine, dfa, {
    maxPrefix: 4,
    maxLoop: dfa.nSymbols > 2 ? 3 : 5,
    probePower: 16,
    maxPower: MAX_REAL_POWER,
    deadline,
    clock,
    minLength,
    sameState: sameExactState,
    readout: readoutOf(machine),
  });
  const lassos = { tried: r.lassos, closed: r.closed, open: r.open };
  const c = r.counterexample;
  if (c !== null) {
    const found = candidate(c.lasso, c.expected);
    if (found !== null || clock.now() > deadline) return { counterexample: found, lassos, dropped };
  }
  // Random long words last (seeded): neither a short word nor a lasso, the shapes the searches above miss;
  // an eighth of the time left, so that a model the searches found no fault in leaves time to the proofs.
  const word = randomWrongWord(machine, dfa, clock.now() + (deadline - clock.now()) / 8, minLength, clock);
  const found = word === null ? null : candidate({ prefix: word.word, loop: [], power: 1 }, word.expected);
  return { counterexample: found, lassos, dropped };
}

/** Most random words tried, and their longest length. */
const RANDOM_WORDS = 2_000;
const RANDOM_LENGTH = 2_000;

/** A seeded random word of length in [max(minLength, 1), RANDOM_LENGTH] that the machine gets wrong (checked at every prefix of length >= minLength), or null. */
function randomWrongWord<S>(machine: Machine<S>, dfa: Dfa, deadline: number, minLength: number, clock: Clock): { word: number[]; expected: number } | null {
  const rng = new Rng(23);
  const k = dfa.nSymbols;
  // Work charged to the clock: one unit per step, word by word (the last one charged as it ends).
  let steps = 0;
  for (let t = 0; t < RANDOM_WORDS; t++) {
    clock.spend(steps);
    steps = 0;
    if (!(clock.now() < deadline)) break;
    const length = rng.int(Math.max(1, minLength), Math.max(RANDOM_LENGTH, minLength));
    let s = machine.initial();
    let q: number = dfa.start;
    const word: number[] = [];
    for (let i = 0; i < length; i++) {
      const a = rng.int(0, k - 1);
      word.push(a);
      s = machine.step(s, a);
      steps++;
      q = dfa.table[q * k + a];
      if (word.length >= minLength && machine.classify(s) !== dfa.labels[q]) {
        clock.spend(steps);
        return { word, expected: dfa.labels[q] };
      }
    }
  }
  clock.spend(steps);
  return null;
}
