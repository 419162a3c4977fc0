// The all-lengths question for one checkpoint: is the model right on every non-empty word, at a number
// format or over the exact reals? The deciders, in the order they are tried (docs/all-lengths.md):
//   1. short words exhaustively: the exact product search up to a state cap (a shortest wrong word);
//   2. lassos u·v^k: cycle detection on the exact executor at a format; over the reals the shortest word
//      wrong at fp32 first, the closed form, then fp32 lassos and random words as candidates, certified
//      with zonotopes and replayed by the checker (real-float-lasso.ts, certificate/real-word.ts);
//   3. an inductive invariant of boxes over (task state, last j symbols), j = 1, 2, ... (a proof, with a
//      certificate that the independent checker must accept before the verdict is `proved`);
//   4. the exact search of step 1 if it closed (a proof without boxes);
//   5. a block invariant: boxes over (task state, last j symbols), inductive under blocks of j symbols
//      followed with zonotopes (rnn-tanh of any depth; one layer of lrnn-pos/neg/pd/complex, DeltaNet or
//      LSTM; a certificate the checker must accept, as in 3);
//   6. otherwise `unknown`, with where the proof failed and how far every word was checked.
// With a minimum length N (--min-len) every decider asks about the words of length >= N only. Each
// decider's time and outcome are recorded; one that cannot run says so at once and takes no time.
// Every counterexample is replayed before it is reported.
import { checkedWords, invariantFailureWords } from './all-lengths-text.js';
import type { Dfa } from '../../automata/dfa.js';
import { type Clock, Meter, wallClock } from '../../clock.js';
import { pointBox } from '../../abstract/box.js';
import { BoxNetwork } from '../../abstract/box-network.js';
import { InputError, InternalError } from '../../errors.js';
import { refuseShortConv } from '../../models/config.js';
import { checkAgainstReference } from '../../extract/exact.js';
import { type CheckpointMachine, checkpointMachine, type ExactState } from '../../precision/machine.js';
import { type AnyBlockCertificate, CERTIFICATE_FORMAT, CERTIFICATE_VERSION, type Certificate, type SplitCutsCertificate } from '../certificate/format.js';
import { checkCertificate, Evaluator, sha256OfFile, type V } from '../certificate/check.js';
import { checkBlockCertificate } from '../certificate/check-blocks.js';
import { zonoStep } from '../../abstract/zono-step.js';
import { checkRealWord } from '../certificate/real-word.js';
import { baseLength, blockSteps, type BlockImages, type BlockInvariant, netZonotopeImages, searchBlockInvariant, zonotopeImages } from './block-invariant.js';
import { fromLength } from './min-length.js';
import { splitSearch } from './split-invariant.js';
import type { Machine } from '../../machine.js';
import { type Invariant, type InvariantFailure, readoutCertain, searchInvariant } from './invariant.js';
import { searchLassos } from './lasso-search.js';
import { type Lasso, lassoLength, lassoSymbols, printLasso, printSymbols } from './lasso-word.js';
import { searchRealLassos } from './real-lasso.js';
import { readoutOf, sameExactState } from './exact-readout.js';
import { type RealCandidate, realShortCandidate, searchRealByFloat } from './real-float-lasso.js';
import { replayLasso } from './replay.js';
import type { AllLengthsCounterexample, AllLengthsQuery, AllLengthsResult, DeciderTime } from './types.js';

/** The shares of the budget: exhaustive search, lassos, and the invariant (the rest). */
const EXHAUSTIVE_SHARE = 0.15;
const LASSO_SHARE = 0.45;
/** State cap of the exhaustive search of short words. */
const EXHAUSTIVE_STATES = 100_000;
const MAX_HISTORY = 4;
/** Most reachable pairs written as point boxes in the certificate of a closed exact search. */
const EXACT_CERTIFICATE_STATES = 20_000;
const READOUT_SPLITS = 8;
/** Block lengths of the block invariant, in the order tried; a length whose base (the words shorter than 2j) passes BLOCK_BASE_WORDS words is left out. */
const BLOCKS = [2, 3, 4, 5, 6, 7, 8];
const BLOCK_BASE_WORDS = 1 << 16;
/** Caps of the split block invariant (split-invariant.ts), tried once the one-box attempts up to maxBlock have failed. */
const SPLIT = { maxParts: 8, maxBlock: 4, refinements: 8, words: 200, seed: 1 };
/** Longer blocks are split too (right after their one-box attempt) while a part's block images cost at most this many zonotope steps × width². */
const SPLIT_COST = 1 << 17;
/** Most powers k a lasso is followed for. */
const MAX_POWER = 1_000_000;

/** Answers the all-lengths question within the query's budget. */
export function verifyAllLengths(q: AllLengthsQuery): AllLengthsResult {
  // Deadlines are read on the query's clock; the seconds reported are wall-clock seconds, the work the
  // units the deciders charged (src/clock.ts), counted on any clock.
  const clock = new Meter(q.clock ?? wallClock);
  const wallStarted = performance.now();
  const started = clock.now();
  const deadline = started + q.budget * 1000;
  const reference = q.task.reference;
  if (reference === undefined) throw new InputError(`task '${q.task.name}' has no reference automaton; all-lengths verification needs a regular task`);
  if (q.checkpoint.config.family === 'transformer') {
    throw new InputError('verify --all-lengths: a transformer has no finite recurrent state, so all-length verdicts are out of scope (use --max-len for a bounded check)');
  }
  refuseShortConv(q.checkpoint.config, 'verify --all-lengths (its deciders and certificates model DeltaNet without it; docs/all-lengths.md)');
  const arithmetic = q.format === null ? 'real' : q.format.name;
  const minLength = q.minLength ?? 1;
  if (!Number.isSafeInteger(minLength) || minLength < 1) throw new InputError(`--min-len: ${minLength} is not a whole number >= 1`);
  // The exact executor exists only at a format (over the reals every step is an interval step).
  const machine = q.format === null ? null : checkpointMachine(q.checkpoint, q.format);
  const net = new BoxNetwork(q.checkpoint.config, q.checkpoint.weights, q.format);
  const classes = reference.classes;
  const sha256 = q.checkpointSha256 ?? sha256OfFile(q.checkpointFile);
  const base: AllLengthsResult = {
    verdict: 'unknown',
    arithmetic,
    counterexample: null,
    certificate: null,
    checkedUpTo: 0,
    diagnosis: null,
    abstractStates: 0,
    refinementRounds: 0,
    lassos: { tried: 0, closed: 0, open: 0 },
    seconds: 0,
    work: 0,
    proof: null,
    minLength,
    notes: [],
    deciders: [],
  };
  if (q.task.name !== q.checkpoint.task.name) base.notes.push(`the checkpoint was trained on '${q.checkpoint.task.name}', not on '${q.task.name}'`);
  // Each decider's time and outcome; a decider that cannot run says why at once and leaves its time to the next.
  let phaseStart = performance.now();
  let phaseWork = 0;
  const phase = (name: DeciderTime['name'], outcome: string): void => {
    const now = performance.now();
    base.deciders.push({ name, seconds: (now - phaseStart) / 1000, work: clock.spent - phaseWork, outcome });
    phaseStart = now;
    phaseWork = clock.spent;
  };
  const skip = (name: DeciderTime['name'], why: string): void => {
    phaseStart = performance.now();
    phaseWork = clock.spent;
    phase(name, `skipped: ${why}`);
  };
  const addDiagnosis = (line: string): void => {
    base.diagnosis = base.diagnosis === null ? line : `${base.diagnosis}; ${line}`;
  };
  const finish = (r: Partial<AllLengthsResult>): AllLengthsResult => {
    const c = r.counterexample;
    const train = q.checkpoint.training?.trainLengths;
    if (c != null && train !== undefined && c.length < train.min) {
      base.notes.push(`the counterexample (length ${c.length}) is shorter than the checkpoint's training lengths ${train.min}..${train.max}; --min-len ${train.min} asks about those lengths and longer`);
    }
    return { ...base, ...r, seconds: (performance.now() - wallStarted) / 1000, work: clock.spent };
  };
  const counterexample = (lasso: Lasso, got: number, expected: number, method: AllLengthsCounterexample['method']): AllLengthsCounterexample => ({
    lasso,
    text: printLasso(reference.alphabet, lasso),
    length: lassoLength(lasso),
    model: classes[got],
    expected: classes[expected],
    method,
  });

  // 1. Short words, exhaustively (at a format: the exact executor is the model).
  let exhaustive = false;
  if (machine !== null) {
    q.onProgress?.('exhaustive search of short words');
    // With a minimum length the model is paired with the task's state and a length counter (min-length.ts).
    const searched = minLength > 1 ? fromLength(machine, reference, minLength) : machine;
    const check = checkAgainstReference<unknown>(searched as Machine<unknown>, reference, { maxStates: EXHAUSTIVE_STATES, seconds: q.budget * EXHAUSTIVE_SHARE, clock });
    base.checkedUpTo = check.checkedLength;
    if (check.verdict !== null && !check.verdict.equal) {
      const lasso = { prefix: check.verdict.word, loop: [], power: 1 };
      replayLasso(machine, reference, lasso, check.verdict.got, check.verdict.expected);
      phase('exhaustive', 'refuted');
      return finish({ verdict: 'refuted', counterexample: counterexample(lasso, check.verdict.got, check.verdict.expected, 'exhaustive'), checkedUpTo: check.verdict.word.length - 1 });
    }
    exhaustive = check.verdict !== null;
    phase('exhaustive', exhaustive ? 'closed: every reachable pair right' : check.stopped === 'cap' ? `state cap (${EXHAUSTIVE_STATES})` : 'out of budget');
  } else {
    const short = realShortWords(net, reference, started + q.budget * 1000 * EXHAUSTIVE_SHARE, minLength, clock);
    base.checkedUpTo = short.checkedUpTo;
    if (short.wrong !== null) {
      const { word, got, expected } = short.wrong;
      replayReal(q, word, got);
      phase('exhaustive', 'refuted');
      return finish({ verdict: 'refuted', counterexample: counterexample({ prefix: word, loop: [], power: 1 }, got, expected, 'exhaustive') });
    }
    const words = checkedWords(short.checkedUpTo, minLength);
    phase('exhaustive', words === null ? 'no word checked' : `no counterexample among ${words}`);
  }

  // 2. Refutation by lassos (cycle detection at a format, the closed form over the reals).
  const lassoRound = (until: number): AllLengthsResult | null => {
    if (machine !== null) {
      const r = searchLassos(machine, reference, {
        maxPrefix: 4,
        maxLoop: reference.nSymbols > 2 ? 3 : 5,
        probePower: 16,
        maxPower: MAX_POWER,
        deadline: until,
        clock,
        minLength,
        sameState: sameExactState,
        readout: readoutOf(machine),
      });
      base.lassos = { tried: r.lassos, closed: r.closed, open: r.open };
      if (r.counterexample === null) return null;
      const c = r.counterexample;
      replayLasso(machine, reference, c.lasso, c.got, c.expected);
      return finish({ verdict: 'refuted', counterexample: counterexample(c.lasso, c.got, c.expected, 'lasso') });
    }
    // Over the reals: the shortest word wrong at fp32 first (the share the fp32 route gives its exhaustive
    // search), certified at once; then the closed form of the loop for one-layer diagonal LRNNs (half the
    // time left), then lassos and random long words wrong at fp32 as candidates (every family).
    const short = realShortCandidate(q.checkpoint, reference, Math.min(until, clock.now() + q.budget * 1000 * EXHAUSTIVE_SHARE), minLength, clock);
    if (short.dropped !== null) base.diagnosis = `the fp32 model is wrong on ${printLasso(reference.alphabet, short.dropped)}, but over the reals that word could not be certified wrong`;
    if (short.counterexample !== null) {
      const refuted = realRefutation(short.counterexample);
      if (refuted !== null) return refuted;
    }
    // short.closed: the fp32 model is right on every word, so no word is a candidate; only the closed form may still refute.
    if (isOneLayerDiagonal(q)) {
      const r = searchRealLassos(net, reference, { maxPrefix: 2, maxLoop: 3, deadline: short.closed ? until : (clock.now() + until) / 2, clock, minLength });
      base.lassos = { tried: r.tried, closed: 0, open: r.undecided };
      if (r.counterexample !== null) {
        const c = r.counterexample;
        return finish({ verdict: 'refuted', counterexample: counterexample(c.lasso, c.got, c.expected, 'closed-form') });
      }
    }
    if (short.closed) return null;
    const r = searchRealByFloat(q.checkpoint, reference, until, minLength, clock);
    base.lassos = { tried: base.lassos.tried + r.lassos.tried, closed: base.lassos.closed + r.lassos.closed, open: base.lassos.open + r.lassos.open };
    if (r.dropped !== null) base.diagnosis = `the fp32 model is wrong on ${printLasso(reference.alphabet, r.dropped)}, but over the reals that word could not be certified wrong`;
    return r.counterexample === null ? null : realRefutation(r.counterexample);
  };
  // A word certified wrong over the reals by the search, replayed by the checker's own enclosure
  // (certificate/real-word.ts); a word the checker cannot confirm is not claimed.
  const realRefutation = (c: RealCandidate): AllLengthsResult | null => {
    const replay = checkRealWord(q.checkpoint, lassoSymbols(c.lasso));
    if (replay.cls !== c.got) {
      base.diagnosis = `the fp32 model is wrong on ${printLasso(reference.alphabet, c.lasso)}, certified over the reals by ${c.method} but not confirmed by the checker's ${replay.method} replay`;
      return null;
    }
    return finish({ verdict: 'refuted', counterexample: { ...counterexample(c.lasso, c.got, c.expected, c.method === 'zonotope' ? 'zonotope' : 'fp32-candidate'), source: c.source } });
  };
  if (exhaustive) skip('lassos', 'the exhaustive search closed');
  else {
    q.onProgress?.('lasso search');
    const refuted = lassoRound(started + q.budget * 1000 * (EXHAUSTIVE_SHARE + LASSO_SHARE));
    phase('lassos', refuted !== null ? 'refuted' : clock.now() >= started + q.budget * 1000 * (EXHAUSTIVE_SHARE + LASSO_SHARE) ? 'out of budget' : 'no counterexample');
    if (refuted !== null) return refuted;
  }

  // 3. An inductive invariant, seeded with the states after each one-symbol word.
  const zero = pointBox(new Float64Array(net.stateSize));
  const firstBoxes = reference.alphabet.map((_, a) => (machine === null ? net.step(a, zero) : pointBox(machine.step(machine.initial(), a).values)));
  clock.spend(firstBoxes.length);
  q.onProgress?.('inductive invariant search');
  // Whether the block invariant (step 5) can run at all: the box invariant leaves it half of what is left
  // only if so, and otherwise takes the whole rest of the budget.
  const k = reference.nSymbols;
  const blocks = BLOCKS.filter((j) => k ** (baseLength(j, minLength) + j) <= BLOCK_BASE_WORDS);
  const images = blockImagesOf(q, net);
  // A closed exact search is a proof already: leave time to write its certificate.
  const invDeadline = exhaustive ? started + q.budget * 1000 * (1 - EXHAUSTIVE_SHARE) : images !== null && blocks.length > 0 ? (clock.now() + deadline) / 2 : deadline;
  const inv = searchInvariant(net, reference, firstBoxes, {
    maxHistory: MAX_HISTORY,
    readoutSplits: READOUT_SPLITS,
    deadline: invDeadline,
    clock,
    minLength,
    onRound: (j, n) => q.onProgress?.(`invariant: history ${j}, ${n} abstract states`),
  });
  base.abstractStates = inv.abstractStates;
  base.refinementRounds = inv.rounds;
  if (inv.invariant !== null) {
    const certificate = toCertificate(q, sha256, reference, inv.invariant, arithmetic);
    const checked = checkCertificate(certificate, q.checkpoint, sha256);
    phase('invariant', checked.valid ? 'proved' : 'failed: the checker rejected the certificate');
    if (checked.valid) return finish({ verdict: 'proved', proof: 'invariant', certificate });
    base.diagnosis = `an invariant was found but the independent checker rejected its certificate: ${checked.reason}`;
  } else {
    // 'budget' also stands for the search's update cap: only a passed deadline is "out of budget"
    phase('invariant', inv.failure?.reason === 'budget' && clock.now() >= invDeadline ? 'out of budget' : `failed (${invariantFailureWords(inv.failure?.reason)})`);
    if (inv.failure !== null) base.diagnosis = describeFailure(inv.failure, reference, classes, clock.now() >= invDeadline);
  }
  // The exact search closed: every reachable (model state, task state) pair was checked. Its pairs, as
  // point boxes, are an invariant too; the checker must accept that certificate as well.
  if (exhaustive && machine !== null) {
    const certificate = exactCertificate(q, sha256, machine, reference, arithmetic, EXACT_CERTIFICATE_STATES);
    const checked = certificate === null ? null : checkCertificate(certificate, q.checkpoint, sha256);
    phase('exact-certificate', checked?.valid ? 'proved' : 'proved without a certificate');
    if (checked?.valid) return finish({ verdict: 'proved', proof: 'exhaustive', certificate, diagnosis: null });
    return finish({ verdict: 'proved', proof: 'exhaustive', diagnosis: checked === null ? `no certificate: more than ${EXACT_CERTIFICATE_STATES} reachable pairs` : `no certificate: ${checked.reason}` });
  }

  // 5. A block invariant followed with zonotopes (networks whose step has a zonotope lift).
  if (images === null) skip('block-invariant', `no zonotope step for ${q.checkpoint.config.family}`);
  else if (blocks.length === 0) {
    skip('block-invariant', `with --min-len ${minLength} the words it must check first number more than ${BLOCK_BASE_WORDS}`);
    addDiagnosis(`the block invariant was skipped: with --min-len ${minLength} its base (every word shorter than ${minLength} + j) is too large`);
  } else if (clock.now() >= deadline) skip('block-invariant', 'no time left');
  else {
    q.onProgress?.('block invariant search (zonotopes)');
    const found = searchBlockInvariant(net, images, reference, {
      blocks,
      readoutSplits: READOUT_SPLITS,
      deadline,
      clock,
      machine,
      minLength,
      onRound: (j, n) => q.onProgress?.(`block invariant: block ${j}, ${n} boxes`),
      split: { ...splitSearch({ net, images, dfa: reference, machine, minLength, readoutSplits: READOUT_SPLITS, clock, ...SPLIT }), longest: Math.max(SPLIT.maxBlock, ...blocks.filter((j) => blockSteps(j, k) * net.stateSize ** 2 <= SPLIT_COST)) },
    });
    base.abstractStates += found.abstractStates;
    base.refinementRounds += found.rounds;
    if (found.invariant !== null) {
      const certificate = toBlockCertificate(q, sha256, reference, found.invariant, arithmetic);
      const checked = checkBlockCertificate(certificate, q.checkpoint, sha256);
      phase('block-invariant', checked.valid ? 'proved' : 'failed: the checker rejected the certificate');
      if (checked.valid) return finish({ verdict: 'proved', proof: 'block-invariant', certificate, diagnosis: null });
      addDiagnosis(`a block invariant was found but the independent checker rejected its certificate: ${checked.reason}`);
    } else {
      phase('block-invariant', found.failure?.reason === 'budget' && clock.now() >= deadline ? 'out of budget' : `failed (${invariantFailureWords(found.failure?.reason)})`);
      if (found.failure !== null) addDiagnosis(`block invariant (zonotopes): ${describeFailure(found.failure, reference, classes, clock.now() >= deadline)}`);
    }
  }

  return finish({});
}

/**
 * The block images the search follows: the zonotope step of abstract/zono-step.ts (one layer of every
 * recurrent family; several layers, with norms, MLPs and residuals, by ZonoNetwork), except several layers of
 * rnn-tanh, which follow the certificate checker's own zonotope step (block-invariant.ts): it proves the
 * two-layer spec that ZonoNetwork leaves unknown within its work; null for the others.
 */
function blockImagesOf(q: AllLengthsQuery, net: BoxNetwork): BlockImages | null {
  const c = q.checkpoint.config;
  if (c.family === 'rnn-tanh' && c.layers > 1) return netZonotopeImages(q.checkpoint, q.format);
  const lift = zonoStep(c, q.checkpoint.weights, q.format, net);
  return lift === null ? null : zonotopeImages(lift);
}

function isOneLayerDiagonal(q: AllLengthsQuery): boolean {
  const c = q.checkpoint.config;
  return c.layers === 1 && (c.family === 'lrnn-pos' || c.family === 'lrnn-neg');
}

/** Most boxes the real short-word check steps. */
const REAL_SHORT_BOXES = 4096;

/** Over the reals: words in length order until some interval readout is undecided (capped). A word whose
 *  class is certainly not the task's is returned as a counterexample. */
function realShortWords(net: BoxNetwork, dfa: Dfa, deadline: number, minLength: number, clock: Clock): { checkedUpTo: number; wrong: { word: number[]; got: number; expected: number } | null } {
  const k = dfa.nSymbols;
  let layer = [{ box: pointBox(new Float64Array(net.stateSize)), ref: dfa.start as number, word: [] as number[] }];
  let stepped = 0;
  for (let len = 1; len <= 16; len++) {
    const next: typeof layer = [];
    for (const s of layer) {
      for (let a = 0; a < k; a++) {
        if (++stepped > REAL_SHORT_BOXES || clock.now() > deadline) return { checkedUpTo: len - 1, wrong: null };
        // One interval step and one readout.
        clock.spend(2);
        const box = net.step(a, s.box);
        const ref = dfa.table[s.ref * k + a];
        const word = [...s.word, a];
        next.push({ box, ref, word });
        // Below the minimum length a word's class does not matter.
        if (len < minLength) continue;
        const l = net.logits(a, box);
        const expected = dfa.labels[ref];
        if (!readoutCertain(l.lo, l.hi, expected)) {
          for (let got = 0; got < l.lo.length; got++) if (got !== expected && readoutCertain(l.lo, l.hi, got)) return { checkedUpTo: len - 1, wrong: { word, got, expected } };
          return { checkedUpTo: len - 1, wrong: null };
        }
      }
    }
    layer = next;
  }
  return { checkedUpTo: 16, wrong: null };
}

/** Replays a real counterexample word with the certificate checker's own interval evaluation; InternalError if it disagrees. */
function replayReal(q: AllLengthsQuery, word: readonly number[], got: number): void {
  if (!realReplays(q, word, got)) throw new InternalError(`real counterexample '${word.join('')}' did not replay in the checker's interval evaluation`);
}

/** True when the certificate checker's own interval evaluation certifies class `got` for the word over the reals. */
function realReplays(q: AllLengthsQuery, word: readonly number[], got: number): boolean {
  const ev = new Evaluator(q.checkpoint, null);
  let state: V = Array.from({ length: ev.layerSize * q.checkpoint.config.layers }, () => [0, 0]);
  for (const x of word) state = ev.step(x, state);
  const l = ev.logits(word[word.length - 1], state);
  return l.every((v) => Number.isFinite(v[0]) && Number.isFinite(v[1])) && readoutCertain(l.map((v) => v[0]), l.map((v) => v[1]), got);
}

/** Where and why an invariant search failed; `outOfTime`: its deadline passed (a 'budget' failure before it is the search's cap). */
function describeFailure(f: InvariantFailure, dfa: Dfa, classes: readonly string[], outOfTime: boolean): string {
  const where = `abstract state (task state ${f.ref}, last symbols '${printSymbols(dfa.alphabet, f.history)}')`;
  if (f.reason === 'readout') {
    const l = f.logits;
    const logits = l === undefined ? '' : `; logits in ${l.lo.map((lo, i) => `[${lo.toPrecision(6)}, ${l.hi[i].toPrecision(6)}]`).join(', ')}`;
    return `the readout of ${where} could not be shown to give '${classes[f.expected ?? 0]}' everywhere in its box${logits}`;
  }
  if (f.reason === 'overflow') return `the box of ${where} left the finite range on symbol '${dfa.alphabet[f.symbol ?? 0]}'`;
  const on = f.symbol !== null ? ` on symbol '${dfa.alphabet[f.symbol]}'` : '';
  return outOfTime ? `the invariant search ran out of budget at ${where}${on}` : `no inductive invariant within the search's caps (it stopped at ${where}${on})`;
}

function toCertificate(q: AllLengthsQuery, sha256: string, dfa: Dfa, inv: Invariant, arithmetic: string): Certificate {
  const index = new Map(inv.states.map((s, i) => [`${s.ref}|${s.history.join(',')}`, i]));
  const at = (ref: number, history: readonly number[]) => index.get(`${ref}|${history.slice(-inv.history).join(',')}`) ?? -1;
  const k = dfa.nSymbols;
  return certificateOf(
    q,
    sha256,
    dfa,
    arithmetic,
    dfa.alphabet.map((_, a) => at(dfa.table[dfa.start * k + a], [a])),
    inv.states.map((s) => ({
      ref: s.ref,
      last: s.history[s.history.length - 1],
      next: dfa.alphabet.map((_, a) => at(dfa.table[s.ref * k + a], [...s.history, a])),
      lo: [...s.box.lo],
      hi: [...s.box.hi],
    })),
  );
}

/** The certificate of a block invariant: `blocks` where every (ref, suffix) has one box, `split-blocks` (its boxes as parts) where some has more, `split-cuts` where some part has hyperplane cuts. */
function toBlockCertificate(q: AllLengthsQuery, sha256: string, dfa: Dfa, inv: BlockInvariant, arithmetic: string): AnyBlockCertificate {
  const { initial: _initial, states: _states, ...header } = certificateOf(q, sha256, dfa, arithmetic, [], []);
  const grouped = new Map<string, SplitCutsCertificate['states'][number]>();
  for (const s of inv.states) {
    const id = `${s.ref}|${s.suffix.join(',')}`;
    const part = { lo: [...s.box.lo], hi: [...s.box.hi], cuts: (s.cuts ?? []).map((h) => ({ w: [...h.w], c: h.c })) };
    const g = grouped.get(id);
    if (g === undefined) grouped.set(id, { ref: s.ref, suffix: [...s.suffix], parts: [part] });
    else g.parts.push(part);
  }
  const states = [...grouped.values()];
  if (states.some((s) => s.parts.some((p) => p.cuts.length > 0))) return { ...header, kind: 'split-cuts', block: inv.block, states };
  if (states.every((s) => s.parts.length === 1)) {
    return { ...header, kind: 'blocks', block: inv.block, states: states.map((s) => ({ ref: s.ref, suffix: s.suffix, lo: s.parts[0].lo, hi: s.parts[0].hi })) };
  }
  return { ...header, kind: 'split-blocks', block: inv.block, states: states.map((s) => ({ ref: s.ref, suffix: s.suffix, parts: s.parts.map(({ lo, hi }) => ({ lo, hi })) })) };
}

function certificateOf(q: AllLengthsQuery, sha256: string, dfa: Dfa, arithmetic: string, initial: number[], states: Certificate['states']): Certificate {
  return {
    format: CERTIFICATE_FORMAT,
    version: CERTIFICATE_VERSION,
    checkpoint: { sha256, family: q.checkpoint.config.family },
    task: q.task.name,
    arithmetic,
    readoutSplits: READOUT_SPLITS,
    ...(q.minLength !== undefined && q.minLength > 1 ? { minLength: q.minLength } : {}),
    dfa: { alphabet: [...dfa.alphabet], classes: [...dfa.classes], start: dfa.start, table: [...dfa.table], labels: [...dfa.labels] },
    initial,
    states,
  };
}

/** The reachable (model state, task state) pairs as point boxes: the certificate of a closed exact search. */
function exactCertificate(q: AllLengthsQuery, sha256: string, machine: CheckpointMachine, dfa: Dfa, arithmetic: string, cap: number): Certificate | null {
  const k = dfa.nSymbols;
  const index = new Map<string, number>();
  const states: { state: ExactState; ref: number; next: number[] }[] = [];
  const visit = (state: ExactState, ref: number): number => {
    const key = `${ref}|${machine.key(state)}`;
    let i = index.get(key);
    if (i === undefined) {
      i = states.length;
      index.set(key, i);
      states.push({ state, ref, next: [] });
    }
    return i;
  };
  const initial = dfa.alphabet.map((_, a) => visit(machine.step(machine.initial(), a), dfa.table[dfa.start * k + a]));
  for (let i = 0; i < states.length; i++) {
    if (states.length > cap) return null;
    const s = states[i];
    s.next = dfa.alphabet.map((_, a) => visit(machine.step(s.state, a), dfa.table[s.ref * k + a]));
  }
  return certificateOf(
    q,
    sha256,
    dfa,
    arithmetic,
    initial,
    states.map((s) => ({ ref: s.ref, last: s.state.symbol, next: s.next, lo: [...s.state.values], hi: [...s.state.values] })),
  );
}
