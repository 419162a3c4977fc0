// Bounded class-level verification, the orchestrator: are there parameters of a model class, at a
// fixed-point format, such that the model labels every word of a bounded instance correctly? DECIDERS below
// lists the engines in the order they are tried. The Z3 engine asks bit-vector queries over a prefix tree
// (one state vector per tree node, z3/instance.ts), each word's label one tracked assertion so an unsat core
// names the words at fault; by default the word set is grown lazily from short words (z3/lazy.ts). Every SAT
// witness is replayed by the exact executor on every word of the instance before it is reported. Diagonal,
// rotation and Householder classes on unary words at small dim have a second, complete engine that
// enumerates runs instead (enumerate/). The query and result types are in types.ts.
import type { Bool } from 'z3-solver';
import { InputError, InternalError } from '../errors.js';
import { isBinaryClasses } from '../machine.js';
import { fixedFormatOf } from '../precision/diagonal.js';
import type { FixedFormat } from '../precision/format.js';
import type { ClassWitness } from './z3/encode.js';
import { enumerateBounded, enumerationRefusal, MAX_ENUMERATED_DIM, unarySymbol } from './enumerate/enumerate.js';
import { encodeInstance, replayWitness, wordTree } from './z3/instance.js';
import { initialSubset, solveLazily } from './z3/lazy.js';
import { neutralSymbols, withIdentity } from './reduce/neutral.js';
import { padWitness } from './reduce/pad.js';
import { z3Session } from './z3/session.js';
import type { Bounds, BoundedQuery, BoundedResult, Verdict } from './types.js';
import type { Z3 } from './z3/session.js';
import { withSetLogic } from './z3/smtlib.js';

export { MAX_NODES, wordTree } from './z3/instance.js';

/**
 * The query as a self-contained SMT-LIB 2 benchmark. The tracked solver's own dump would leave each word's
 * tracking literal free (so a native solver answers sat); here every label is asserted outright.
 */
function standaloneSmt2(Z: Z3, facts: readonly Bool<'main'>[]): string {
  const dump = new Z.Solver();
  try {
    dump.add(...facts);
    return withSetLogic(dump.toSmtlib2());
  } finally {
    dump.release();
  }
}

/** The bounds a query states, whichever engine decides it. */
function queryBounds(q: BoundedQuery, format: FixedFormat, wordCount: number): Pick<Bounds, 'task' | 'modelClass' | 'dim' | 'format' | 'maxLen' | 'words' | 'readout' | 'wordCount'> {
  return { task: q.task.name, modelClass: q.modelClass.name, dim: q.dim, format: format.name, maxLen: q.maxLen, words: q.words, readout: q.readout, wordCount };
}

/** Words of the first lazy subset: short words decide most unsat instances and seed most witnesses. */
const LAZY_START: Record<BoundedQuery['words'], number> = { unary: 4, all: 3 };

/**
 * One way of deciding a bounded query: a verdict, or undefined to pass the query on to the next decider.
 * `start` is when verifyBounded began: the Z3 engine's budget and time count from it.
 */
type Decider = (q: BoundedQuery, format: FixedFormat, start: number) => Promise<BoundedResult | undefined>;

/**
 * The whole strategy, in the order it is tried; the first verdict wins.
 * 1. viaUnary: an all-words query decided on its unary sub-instance (reduce/neutral.ts).
 * 2. viaSmallerDim: a unary query above the enumerable dim, sat from a padded dim-2 witness (reduce/pad.ts).
 * 3. viaEnumeration: the complete enumeration where it applies (enumerate/).
 * 4. viaZ3: the bit-vector queries, lazy word sets by default (z3/lazy.ts, whose rounds include the
 *    closure sub-case); it always answers.
 */
const DECIDERS: readonly Decider[] = [viaUnary, viaSmallerDim, viaEnumeration, viaZ3];

/** Decides whether some parameters of the class label every word of the instance correctly. */
export async function verifyBounded(q: BoundedQuery): Promise<BoundedResult> {
  const format = fixedFormatOf(q.format);
  if (!Number.isInteger(q.dim) || q.dim < 1) throw new InputError(`dim = ${q.dim}: expected an integer >= 1`);
  if (q.rlimit !== undefined && (!Number.isSafeInteger(q.rlimit) || q.rlimit < 1)) throw new InputError(`rlimit = ${q.rlimit}: expected an integer >= 1`);
  if (q.readout === 'linear' && !isBinaryClasses(q.task.classes)) {
    throw new InputError(`task '${q.task.name}' has ${q.task.classes.length} classes: readout linear needs a binary task (use --readout any)`);
  }
  const start = performance.now();
  for (const decide of DECIDERS) {
    const result = await decide(q, format, start);
    if (result !== undefined) return result;
  }
  throw new InternalError('no decider answered a bounded query (the Z3 engine always answers)');
}

/**
 * The enumeration engine where it applies (enumerationRefusal says why not); engine 'enumerate' makes a
 * refusal an InputError, engine 'z3' skips it.
 */
async function viaEnumeration(q: BoundedQuery, format: FixedFormat): Promise<BoundedResult | undefined> {
  if (q.engine === 'z3') return undefined;
  const why = enumerationRefusal(q, format);
  if (why === undefined) return enumerateQuery(q, format);
  if (q.engine === 'enumerate') throw new InputError(`engine enumerate: ${why}`);
  return undefined;
}

/** The bit-vector queries: lazy word sets from short words (default), or one query on every word. */
async function viaZ3(q: BoundedQuery, format: FixedFormat, start: number): Promise<BoundedResult> {
  const { Z, version } = await z3Session();
  const enc = encodeInstance(Z, q, format);
  const strategy = q.strategy ?? 'lazy';
  const initial = strategy === 'lazy' ? initialSubset(enc, LAZY_START[q.words]) : enc.nodes.map((_, n) => n);
  const out = await solveLazily(Z, q.task, enc, initial, start + q.timeoutMs, q.solver, q.rlimit);
  const bounds: Bounds = {
    ...queryBounds(q, format, enc.nodes.length),
    strategy,
    rounds: out.rounds,
    subsetWords: out.subsetWords,
    engine: 'z3',
    ...(out.closureStates !== undefined ? { closureStates: out.closureStates } : {}),
  };
  const result: BoundedResult = { verdict: out.verdict, timeMs: performance.now() - start, bounds, smt2: standaloneSmt2(Z, out.lastFacts), z3Version: version };
  if (out.witness !== undefined) result.witness = out.witness;
  if (out.core !== undefined) result.core = out.core;
  if (out.reason !== undefined) result.reason = out.reason;
  result.solvers = out.races;
  return result;
}

/**
 * An all-words query decided on its unary sub-instance (reduce/neutral.ts): unsat there is unsat here, and a unary
 * witness extended by the identity on neutral symbols is sat once it replays on every word. Tried where the
 * enumeration decides the unary instance completely, or where the extension applies (with half the time
 * then); undefined when it decides nothing, and the query itself runs.
 */
async function viaUnary(q: BoundedQuery, format: FixedFormat): Promise<BoundedResult | undefined> {
  if (q.words !== 'all' || q.strategy === 'full' || q.unaryFirst === false) return undefined;
  const start = performance.now();
  const unaryQuery: BoundedQuery = { ...q, words: 'unary' };
  const one = unarySymbol(q.task);
  const neutral = neutralSymbols(q.task, one);
  const extensible = neutral.length === q.task.alphabet.length - 1;
  const enumerable = q.engine !== 'z3' && enumerationRefusal(unaryQuery, format) === undefined;
  if (!enumerable && !extensible) return undefined;
  const unary = await verifyBounded({ ...unaryQuery, timeoutMs: enumerable ? q.timeoutMs : q.timeoutMs / 2 });
  const nodes = wordTree(q.task, 'all', q.maxLen);
  const decided = (verdict: Verdict, witness?: ClassWitness): BoundedResult => {
    const result: BoundedResult = {
      ...unary,
      verdict,
      timeMs: performance.now() - start,
      bounds: { ...unary.bounds, words: 'all', wordCount: nodes.length, unarySubInstance: true },
    };
    if (witness !== undefined) result.witness = witness;
    return result;
  };
  if (unary.verdict === 'unsat') return decided('unsat');
  if (unary.verdict !== 'sat' || unary.witness === undefined || !extensible) return undefined;
  const witness = withIdentity(unary.witness, neutral, format);
  if (witness === undefined) return undefined;
  const labels = nodes.map((node) => q.task.label(node.word));
  return replayWitness(witness, q.task, nodes, labels, new Map()).length === 0 ? decided('sat', witness) : undefined;
}

/**
 * Sat at dim D from an enumerated witness at dim 2 padded with inert coordinates (reduce/pad.ts), replayed on
 * every word; undefined when dim 2 is not enumerable, not sat there, or the padding does not apply.
 * Unsat at dim 2 decides nothing at D, so the query itself then runs.
 */
async function viaSmallerDim(q: BoundedQuery, format: FixedFormat): Promise<BoundedResult | undefined> {
  if (q.engine === 'z3' || q.words !== 'unary' || q.dim <= MAX_ENUMERATED_DIM) return undefined;
  const start = performance.now();
  const small: BoundedQuery = { ...q, dim: MAX_ENUMERATED_DIM, timeoutMs: q.timeoutMs / 2 };
  if (enumerationRefusal(small, format) !== undefined) return undefined;
  const r = await verifyBounded(small);
  if (r.verdict !== 'sat' || r.witness === undefined) return undefined;
  const witness = padWitness(r.witness, q.dim, format);
  if (witness === undefined) return undefined;
  const nodes = wordTree(q.task, q.words, q.maxLen);
  const labels = nodes.map((node) => q.task.label(node.word));
  if (replayWitness(witness, q.task, nodes, labels, new Map()).length > 0) return undefined;
  return { ...r, witness, timeMs: performance.now() - start, bounds: { ...r.bounds, dim: q.dim, paddedFrom: MAX_ENUMERATED_DIM } };
}

/**
 * The enumeration engine's verdict, as a BoundedResult: a sat witness replayed on every word, and as smt2
 * the whole instance's query (strategy full), so that a native solver can still check the verdict.
 */
async function enumerateQuery(q: BoundedQuery, format: FixedFormat): Promise<BoundedResult> {
  const start = performance.now();
  const nodes = wordTree(q.task, q.words, q.maxLen);
  const labels = nodes.map((node) => q.task.label(node.word));
  const out = enumerateBounded(q, format, labels, start + q.timeoutMs);
  if (out.witness !== undefined) {
    const failures = replayWitness(out.witness, q.task, nodes, labels, new Map());
    if (failures.length > 0) {
      const word = nodes[failures[0].node].word.length;
      throw new InternalError(`enumeration witness does not replay: 1^${word} fails in the exact executor`);
    }
  }
  const timeMs = performance.now() - start;
  const { Z, version } = await z3Session();
  const full: BoundedQuery = { ...q, strategy: 'full' };
  const enc = encodeInstance(Z, full, format);
  const all = enc.nodes.map((_, n) => n);
  const facts = [...enc.paramFacts('exact'), ...all.flatMap((n) => (n > 0 ? enc.nodeFacts(n) : [])), ...all.map((n) => enc.labelFact(n, 'exact'))];
  const bounds: Bounds = {
    ...queryBounds(q, format, nodes.length),
    strategy: 'full',
    rounds: 0,
    subsetWords: nodes.length,
    engine: 'enumerate',
  };
  const result: BoundedResult = { verdict: out.verdict, timeMs, bounds, smt2: standaloneSmt2(Z, facts), z3Version: version, enumeration: out.stats };
  if (out.witness !== undefined) result.witness = out.witness;
  if (out.core !== undefined) result.core = out.core;
  if (out.reason !== undefined) result.reason = out.reason;
  return result;
}
