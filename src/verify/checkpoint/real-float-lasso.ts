// Refutation over the exact reals from candidates found at fp32, for every family: the model at fp32 is
// the exact executor, where the exhaustive search of short words and the lasso search (cycle detection)
// are cheap, and so are seeded random long words; a word any of them finds wrong is a candidate only. Its
// class over the reals is then certified (real-run.ts: the closed form of the loop for one-layer diagonal
// LRNNs, zonotopes with their order reduced along the word for every other one-layer family, interval
// steps otherwise), and it counts when that class is certainly not the task's. The short-word search
// runs first, with the share the fp32 route gives it, and its word is certified at once (one zonotope
// run): a model fp32 refutes by a short word is refuted over the reals as fast, whatever comes after. Rounding can be what makes the fp32 model wrong; then the real readout is undecided or right,
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

/** Where a candidate word came from: the exhaustive search of short words at fp32, its lasso search, or seeded random long words. */
export type CandidateSource = 'short words' | 'lassos' | 'random words';

/** A certified real counterexample and the search at fp32 that proposed it. */
export interface RealCandidate {
  lasso: Lasso;
  got: number;
  expected: number;
  method: RealRun['method'];
  source: CandidateSource;
}

/** What the search found: a certified real counterexample, and the lassos tried at fp32. */
export interface RealFloatLassoResult {
  counterexample: RealCandidate | null;
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

/** A candidate certified over the reals (wrong there: a counterexample), or null (then it is the dropped word). */
function certified(ckpt: Checkpoint, lasso: Lasso, expected: number, source: CandidateSource, clock: Clock): RealCandidate | null {
  const r = certify(ckpt, lasso, clock);
  return r === null || r.cls === null || r.cls === expected ? null : { lasso, got: r.cls, expected, method: r.method, source };
}

/** The fp32 short-word search's outcome: a certified counterexample, the word it dropped, and whether the search closed with the model right on every word (nothing wrong at fp32 at all). */
export interface ShortCandidate {
  counterexample: RealCandidate | null;
  dropped: Lasso | null;
  closed: boolean;
}

/**
 * The exhaustive search of short words at fp32 until `deadline` (the share the fp32 route gives it, so
 * that a word fp32 finds this way is found here within the same work), its shortest wrong word certified
 * over the reals at once: one zonotope run, before any lasso search.
 */
export function realShortCandidate(ckpt: Checkpoint, dfa: Dfa, deadline: number, minLength = 1, clock: Clock = wallClock): ShortCandidate {
  const machine = checkpointMachine(ckpt, parseFormat('fp32'));
  const searched = minLength > 1 ? fromLength(machine, dfa, minLength) : machine;
  const seconds = Math.max(0, (deadline - clock.now()) / 1000);
  const check = checkAgainstReference<unknown>(searched as Machine<unknown>, dfa, { maxStates: CANDIDATE_STATES, seconds, clock });
  if (check.verdict === null) return { counterexample: null, dropped: null, closed: false };
  if (check.verdict.equal) return { counterexample: null, dropped: null, closed: true };
  const lasso = { prefix: check.verdict.word, loop: [], power: 1 };
  const found = certified(ckpt, lasso, check.verdict.expected, 'short words', clock);
  return { counterexample: found, dropped: found === null ? lasso : null, closed: false };
}

/** Candidates from the fp32 lasso search, then seeded random long words, certified over the reals (see the header); run after realShortCandidate. */
export function searchRealByFloat(ckpt: Checkpoint, dfa: Dfa, deadline: number, minLength = 1, clock: Clock = wallClock): RealFloatLassoResult {
  const machine = checkpointMachine(ckpt, parseFormat('fp32'));
  let dropped: Lasso | null = null;
  const candidate = (lasso: Lasso, expected: number, source: CandidateSource): RealCandidate | null => {
    const found = certified(ckpt, lasso, expected, source, clock);
    if (found === null) dropped ??= lasso;
    return found;
  };
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
    const found = candidate(c.lasso, c.expected, 'lassos');
    if (found !== null || clock.now() > deadline) return { counterexample: found, lassos, dropped };
  }
  // Random long words last (seeded): neither a short word nor a lasso, the shapes the searches above miss;
  // an eighth of the time left, so that a model the searches found no fault in leaves time to the proofs.
  const word = randomWrongWord(machine, dfa, clock.now() + (deadline - clock.now()) / 8, minLength, clock);
  const found = word === null ? null : candidate({ prefix: word.word, loop: [], power: 1 }, word.expected, 'random words');
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
