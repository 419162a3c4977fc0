// Bounded class-level verification: are there parameters of a model class, at a fixed-point format, such
// that the model labels every word of a bounded instance correctly? One Z3 bit-vector query; the words
// share a prefix tree (one state vector per tree node), each word's label is one tracked assertion so an
// unsat core names the words at fault, and every SAT witness is replayed by the exact executor.
import type { Bool, FuncDecl } from 'z3-solver';
import { match } from 'ts-pattern';
import { InputError, InternalError } from '../errors.js';
import type { Word } from '../machine.js';
import { isBinaryClasses } from '../machine.js';
import { fixedFormatOf } from '../precision/diagonal.js';
import type { FixedFormat } from '../precision/format.js';
import type { Task } from '../tasks/task.js';
import type { ModelClass } from './classes.js';
import type { ClassEncoding, ClassWitness } from './encode.js';
import { checkGenerators, encodeClass, witnessExecutor } from './encode.js';
import type { Bv } from './fixed-bv.js';
import { codeConst, codeVal, linearReadoutBv, thresholdReadoutBv } from './fixed-bv.js';
import type { ThresholdReadout } from './threshold.js';
import { THRESHOLD_MAX_BITS, thresholdReadout } from './threshold.js';
import { z3Session } from './z3.js';
import type { Z3 } from './z3.js';

/** What to verify: the class, its size and precision, and the bounded set of words. */
export interface BoundedQuery {
  task: Task;
  modelClass: ModelClass;
  dim: number;
  /** A fixed-point format name, e.g. 'fixed<2,6>'. */
  format: string;
  maxLen: number;
  /** 'unary': 1^k (the symbol '1', else the last symbol) for k = 0..maxLen; 'all': every word up to maxLen. */
  words: 'unary' | 'all';
  /** 'linear': a threshold on w·h + c; 'any': any function of the final state (different labels, different states). */
  readout: 'linear' | 'any';
  timeoutMs: number;
}

/** Three-valued: `unknown` (timeout, resource limit) is a verdict, never an error. */
export type Verdict = 'sat' | 'unsat' | 'unknown';

/** The size of the instance a verdict is about. */
export interface Bounds {
  task: string;
  modelClass: string;
  dim: number;
  format: string;
  maxLen: number;
  words: 'unary' | 'all';
  readout: 'linear' | 'any';
  /** Words constrained (prefix-tree nodes, the empty word included). */
  wordCount: number;
}

/** A verdict with its certificate: a replayed witness (sat), a named core (unsat), the SMT-LIB dump. */
export interface BoundedResult {
  verdict: Verdict;
  timeMs: number;
  bounds: Bounds;
  witness?: ClassWitness;
  core?: string[];
  /** Z3's reason for `unknown` (e.g. 'timeout'). */
  reason?: string;
  smt2: string;
  z3Version: string;
}

/** Longest instance we build: 'all' words double per length, and Z3 time grows faster still. */
export const MAX_NODES = 1 << 16;

interface Node {
  readonly word: Word;
  readonly parent: number;
  readonly symbol: number;
}

/** The prefix tree of the instance's words, parents before children; node 0 is the empty word. */
export function wordTree(task: Task, words: 'unary' | 'all', maxLen: number): Node[] {
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new InputError(`max length ${maxLen}: expected an integer >= 0`);
  const nodes: Node[] = [{ word: [], parent: -1, symbol: -1 }];
  const k = task.alphabet.length;
  const total = words === 'unary' ? maxLen + 1 : k === 1 ? maxLen + 1 : (k ** (maxLen + 1) - 1) / (k - 1);
  if (total > MAX_NODES) {
    throw new InputError(`${total} words up to length ${maxLen}: more than ${MAX_NODES} (use --words unary or a smaller --max-len)`);
  }
  const one = task.alphabet.indexOf('1');
  const unarySymbols = [one >= 0 ? one : k - 1];
  const symbols = words === 'unary' ? unarySymbols : task.alphabet.map((_, x) => x);
  for (let i = 0; i < nodes.length; i++) {
    const { word } = nodes[i];
    if (word.length === maxLen) continue;
    for (const x of symbols) nodes.push({ word: [...word, x], parent: i, symbol: x });
  }
  return nodes;
}

/** The name of a word's tracked label assertion: `len3` for unary words, `w_0110` (or `w_eps`) otherwise. */
function wordName(task: Task, words: 'unary' | 'all', word: Word): string {
  if (words === 'unary') return `len${word.length}`;
  if (word.length === 0) return 'w_eps';
  const sep = task.alphabet.every((s) => /^[A-Za-z0-9]$/.test(s)) ? '' : '.';
  return `w_${word.map((x) => task.alphabet[x]).join(sep)}`;
}

interface Encoding {
  cls: ClassEncoding;
  w: Bv[];
  c: Bv;
  states: Bv[][];
  /** The linear readout's per-word test (threshold form at D = 1, products otherwise). */
  accepts?: (h: readonly Bv[]) => Bool<'main'>;
  /** D = 1 on a small format: the product-free readout, whose (w, c) comes from its own reader. */
  threshold?: ThresholdReadout;
}

/** Parameters constrained to the class, one state vector per tree node, h_0 = 0. */
function encodeDynamics(Z: Z3, q: BoundedQuery, format: FixedFormat, nodes: readonly Node[]): { enc: Encoding; facts: Bool<'main'>[] } {
  const dims = Array.from({ length: q.dim }, (_, i) => i);
  const cls = encodeClass(Z, q.modelClass, format, { dim: q.dim, alphabet: q.task.alphabet, orderBySymbol: nodes.length > 1 ? nodes[1].symbol : undefined });
  const facts: Bool<'main'>[] = [...cls.facts];
  const w = dims.map((i) => codeConst(Z, format, `w_${i}`));
  const c = codeConst(Z, format, 'c');
  const zero = codeVal(Z, format, 0);
  const states: Bv[][] = [dims.map(() => zero)];
  for (let n = 1; n < nodes.length; n++) {
    const { parent, symbol } = nodes[n];
    // A named constant per node (rather than one nested term) keeps the SMT-LIB dump linear in size.
    const h = dims.map((i) => codeConst(Z, format, `h_${n}_${i}`));
    const next = cls.step(symbol, states[parent]);
    dims.forEach((i) => facts.push(h[i].eq(next[i])));
    states.push(h);
  }
  facts.push(...orderLemmas(Z, cls, nodes, states));
  let accepts: Encoding['accepts'];
  let threshold: ThresholdReadout | undefined;
  if (q.readout === 'linear') {
    if (q.dim === 1 && format.bits <= THRESHOLD_MAX_BITS) {
      // No product at all: the word tests are comparisons with one threshold (bench/verify.ts).
      const t = thresholdReadout(Z, format);
      threshold = t;
      facts.push(...t.facts);
      accepts = (h) => t.accepts(h[0]);
    } else if (q.dim === 1) {
      // One product pair per query instead of one product per word.
      const t = thresholdReadoutBv(Z, format, w[0], c, 'readout_k');
      facts.push(...t.facts);
      accepts = (h) => t.accepts(h[0]);
    } else {
      accepts = (h) => linearReadoutBv(Z, format, w, c, h);
    }
  }
  return { enc: { cls, w, c, states, accepts, threshold }, facts };
}

/**
 * Implied facts that spare Z3 rediscovering monotonicity inside a multiplier circuit: along a run of one
 * repeated symbol x, a diagonal coordinate's map f is monotone (a >= 0) or antitone (a <= 0), so f∘f is
 * monotone either way. Hence h_k <= h_{k+1} gives h_{k+1} <= h_{k+2} (a >= 0) or >= (a <= 0), and
 * h_k <= h_{k+2} gives h_{k+2} <= h_{k+4}; likewise with >=. Every fact is a consequence of the step
 * constraints (THEORY.md fact 4), so verdicts and models are unchanged; only the search gets shorter.
 */
function orderLemmas(Z: Z3, cls: ClassEncoding, nodes: readonly Node[], states: readonly Bv[][]): Bool<'main'>[] {
  const order = cls.order;
  if (order === undefined) return [];
  const facts: Bool<'main'>[] = [];
  // ancestors[n] = [n, parent, grandparent, ...] while the symbol stays that of n.
  const run = (n: number, len: number): number[] | undefined => {
    const chain = [n];
    let m = n;
    while (chain.length < len) {
      const p = nodes[m].parent;
      if (m === 0 || (nodes[p].symbol !== nodes[n].symbol && chain.length < len - 1)) return undefined;
      chain.push(p);
      m = p;
    }
    return chain.reverse();
  };
  for (let n = 1; n < nodes.length; n++) {
    const x = nodes[n].symbol;
    states[n].forEach((_, i) => {
      const { monotone, antitone } = order(x, i);
      const h = (m: number): Bv => states[m][i];
      const one = run(n, 3); // [h_k, h_k+1, h_k+2]: the last two steps read x
      if (one !== undefined) {
        const [k0, k1, k2] = one.map(h);
        facts.push(
          Z.Implies(Z.And(monotone, k0.sle(k1)), k1.sle(k2)),
          Z.Implies(Z.And(monotone, k0.sge(k1)), k1.sge(k2)),
          Z.Implies(Z.And(antitone, k0.sle(k1)), k1.sge(k2)),
          Z.Implies(Z.And(antitone, k0.sge(k1)), k1.sle(k2)),
        );
      }
      const two = run(n, 5);
      if (two !== undefined) {
        const [k0, , k2, , k4] = two.map(h);
        facts.push(Z.Implies(k0.sle(k2), k2.sle(k4)), Z.Implies(k0.sge(k2), k2.sge(k4)));
      }
    });
  }
  return facts;
}

/** The label constraint of one word under the readout. */
function labelConstraint(Z: Z3, q: BoundedQuery, format: FixedFormat, enc: Encoding, readoutFn: FuncDecl<'main'> | undefined, n: number, label: number): Bool<'main'> {
  const h = enc.states[n];
  return match(q.readout)
    .with('linear', () => {
      if (enc.accepts === undefined) throw new InternalError('readout linear: no readout encoded');
      const positive = enc.accepts(h);
      return label === 1 ? positive : Z.Not(positive);
    })
    .with('any', () => {
      if (readoutFn === undefined) throw new InternalError('readout any: no readout function declared');
      // An uninterpreted readout f(h) = label is exactly "different labels reach different states".
      const width = readoutWidth(q.task);
      return (readoutFn.call(...h) as Bv).eq(Z.BitVec.val(BigInt(label), width));
    })
    .exhaustive();
}

function readoutWidth(task: Task): number {
  return Math.max(1, Math.ceil(Math.log2(task.classes.length)));
}

/** Reads a code out of a model (model completion fills parameters no word uses). */
function codeOf(Z: Z3, format: FixedFormat, value: unknown, what: string): number {
  if (!Z.isBitVecVal(value)) throw new InternalError(`witness: ${what} has no bit-vector value`);
  return format.fromPattern(Number(value.value()));
}

/**
 * The query as a self-contained SMT-LIB 2 benchmark. The tracked solver's own dump would leave each word's
 * tracking literal free (so a native solver answers sat); here every label is asserted outright.
 */
function standaloneSmt2(Z: Z3, facts: readonly Bool<'main'>[]): string {
  const dump = new Z.Solver();
  try {
    dump.add(...facts);
    return dump.toSmtlib2();
  } finally {
    dump.release();
  }
}

/** Decides whether some parameters of the class label every word of the instance correctly. */
export async function verifyBounded(q: BoundedQuery): Promise<BoundedResult> {
  const format = fixedFormatOf(q.format);
  if (!Number.isInteger(q.dim) || q.dim < 1) throw new InputError(`dim = ${q.dim}: expected an integer >= 1`);
  if (q.readout === 'linear' && !isBinaryClasses(q.task.classes)) {
    throw new InputError(`task '${q.task.name}' has ${q.task.classes.length} classes: readout linear needs a binary task (use --readout any)`);
  }
  const { Z, version } = await z3Session();
  const nodes = wordTree(q.task, q.words, q.maxLen);
  const labels = nodes.map((node) => q.task.label(node.word));
  const bounds: Bounds = {
    task: q.task.name,
    modelClass: q.modelClass.name,
    dim: q.dim,
    format: format.name,
    maxLen: q.maxLen,
    words: q.words,
    readout: q.readout,
    wordCount: nodes.length,
  };

  const solver = new Z.Solver();
  try {
    solver.set('timeout', Math.max(1, Math.round(q.timeoutMs)));
    // Shrinks the core to a minimal one in place; cheap next to the query at these sizes.
    solver.set('core.minimize', true);
    const { enc, facts } = encodeDynamics(Z, q, format, nodes);
    solver.add(...facts);
    const readoutFn =
      q.readout === 'any'
        ? Z.Function.declare('readout', ...Array.from({ length: q.dim }, () => Z.BitVec.sort(format.bits)), Z.BitVec.sort(readoutWidth(q.task)))
        : undefined;
    // Track per word, not per arithmetic step: tracking is what slows queries down (Z3-NOTES.md).
    const labelFacts = nodes.map((_, n) => labelConstraint(Z, q, format, enc, readoutFn, n, labels[n]));
    nodes.forEach((node, n) => solver.addAndTrack(labelFacts[n], wordName(q.task, q.words, node.word)));
    const smt2 = standaloneSmt2(Z, [...facts, ...labelFacts]);
    const start = performance.now();
    const verdict = await solver.check();
    const timeMs = performance.now() - start;
    const base = { verdict, timeMs, bounds, smt2, z3Version: version };
    return match(verdict)
      .with('unsat', () => ({ ...base, core: [...solver.unsatCore()].map((lit) => lit.toString()).sort() }))
      .with('unknown', () => ({ ...base, reason: solver.reasonUnknown() }))
      .with('sat', () => {
        const model = solver.model();
        const read = (t: Bv, what: string): number => codeOf(Z, format, model.eval(t, true), what);
        const witness = enc.cls.witness((t) => read(t, t.toString()));
        checkGenerators(witness, enc.cls.storedMatrices?.((t) => read(t, t.toString())));
        if (enc.threshold !== undefined) {
          witness.readout = enc.threshold.readout(
            (t) => {
              const v = model.eval(t, true);
              if (!Z.isBitVecVal(v)) throw new InternalError(`witness: ${t.toString()} has no bit-vector value`);
              return Number(v.asSignedValue());
            },
            (t) => Z.isTrue(model.eval(t, true)),
          );
        } else if (q.readout === 'linear') witness.readout = { w: enc.w.map((t) => read(t, t.toString())), c: read(enc.c, 'c') };
        const modelStates = enc.states.map((h) => h.map((t) => read(t, t.toString())));
        replayWitness(witness, q, nodes, labels, modelStates);
        return { ...base, witness };
      })
      .exhaustive();
  } finally {
    solver.release();
  }
}

/**
 * Replays a witness in the exact executor: every node's state must equal Z3's, and every word must get its
 * label (linear) or no two words with different labels may share a state (any). A mismatch is a bug in an
 * encoding or the executor, so it throws InternalError instead of reporting a wrong `sat`.
 */
function replayWitness(
  witness: ClassWitness,
  q: BoundedQuery,
  nodes: readonly Node[],
  labels: readonly number[],
  modelStates: readonly (readonly number[])[],
): void {
  const net = witnessExecutor(witness);
  const show = (word: Word): string => `'${word.map((x) => q.task.alphabet[x]).join('')}'`;
  const labelOfKey = new Map<string, number>();
  nodes.forEach((node, n) => {
    const state = net.run(node.word);
    const key = net.key(state);
    if (key !== modelStates[n].join(',')) {
      throw new InternalError(`witness does not replay: word ${show(node.word)}: executor state [${key}], Z3 state [${modelStates[n].join(',')}]`);
    }
    if (net.machine !== undefined) {
      if (net.machine.classify(state) !== labels[n]) {
        throw new InternalError(`witness does not replay: word ${show(node.word)}: executor says ${net.machine.classify(state)}, task says ${labels[n]}`);
      }
    } else {
      const seen = labelOfKey.get(key);
      if (seen !== undefined && seen !== labels[n]) {
        throw new InternalError(`witness does not replay: word ${show(node.word)} (label ${labels[n]}) shares state [${key}] with a word of label ${seen}`);
      }
      labelOfKey.set(key, labels[n]);
    }
  });
}
