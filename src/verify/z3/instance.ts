// A bounded instance's Z3 terms, built node by node: the class parameters and readout once, then for any
// prefix-closed set of prefix-tree nodes their step constraints, order lemmas and label constraints. The
// one-shot query takes every node; the lazy loop (lazy.ts) grows a subset. Replay in the exact executor
// lives here too, since both strategies end in it.
import type { Bool, FuncDecl, Model } from 'z3-solver';
import { match } from 'ts-pattern';
import { InputError, InternalError } from '../../errors.js';
import type { Word } from '../../machine.js';
import type { FixedFormat } from '../../precision/format.js';
import type { Task } from '../../tasks/task.js';
import type { BoundedQuery } from '../types.js';
import type { ClassEncoding, ClassWitness } from './encode.js';
import { checkGenerators, encodeClass, witnessExecutor } from './encode.js';
import type { Bv } from './fixed-bv.js';
import { codeConst, codeVal, linearReadoutBv, thresholdReadoutBv } from './fixed-bv.js';
import { inertFacts, readoutScaleFacts, symmetryFacts } from './symmetry.js';
import type { ThresholdReadout } from './threshold.js';
import { THRESHOLD_MAX_BITS, thresholdReadout } from './threshold.js';
import type { Z3 } from './session.js';

/** Longest instance we build: 'all' words double per length, and Z3 time grows faster still. */
export const MAX_NODES = 1 << 16;

/** One prefix-tree node: a word, its parent (the word less its last symbol) and that last symbol. */
export interface TreeNode {
  readonly word: Word;
  readonly parent: number;
  readonly symbol: number;
}

/** The prefix tree of the instance's words, parents before children (shortest first); node 0 is the empty word. */
export function wordTree(task: Task, words: 'unary' | 'all', maxLen: number): TreeNode[] {
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new InputError(`max length ${maxLen}: expected an integer >= 0`);
  const nodes: TreeNode[] = [{ word: [], parent: -1, symbol: -1 }];
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
export function wordName(task: Task, words: 'unary' | 'all', word: Word): string {
  if (words === 'unary') return `len${word.length}`;
  if (word.length === 0) return 'w_eps';
  const sep = task.alphabet.every((s) => /^[A-Za-z0-9]$/.test(s)) ? '' : '.';
  return `w_${word.map((x) => task.alphabet[x]).join(sep)}`;
}

/**
 * The two's-complement reading of an unsigned bit pattern of `size` bits. Not z3-solver's asSignedValue:
 * in 5.2.0 it compares with (−2)^(size−1), which is positive for odd sizes, and turns 6 into 134 at size 7.
 */
export function signedValue(value: bigint, size: number): bigint {
  const half = 1n << BigInt(size - 1);
  return value >= half ? value - (half << 1n) : value;
}

function readoutWidth(task: Task): number {
  return Math.max(1, Math.ceil(Math.log2(task.classes.length)));
}

/** A failed word found by replay: its node and why it fails. */
export interface ReplayFailure {
  node: number;
  /** For readout any: the node with a different label that reaches the same state. */
  clash?: number;
}

/**
 * A readout encoding. 'exact' is the query itself. 'axis' (linear readout, D >= 2) restricts w to one
 * coordinate axis, so a word's test is a product-free threshold on that coordinate (threshold.ts): a
 * sub-case of the class, so its sat is the instance's sat (and is replayed) while its unsat decides nothing.
 * 'embed' is 'axis' with every other coordinate inert (symmetry.ts inertFacts): the D = 1 query inside D.
 */
export type ReadoutMode = 'exact' | 'axis' | 'embed';

/**
 * One way of solving a subset: a readout encoding, and optionally the lasso sub-case: every word of the
 * deepest complete level of the subset reaches the state of some shorter word, so the states of the
 * shorter words are all the states there are (on 1^k: the run is periodic from there on). It steers Z3
 * to witnesses that generalise to every length instead of damped ones that drift. Again its sat is real
 * (and replayed), its unsat decides nothing.
 */
export interface SolveMode {
  readout: ReadoutMode;
  lasso: boolean;
  /**
   * The closure sub-case: one model state per state of the task's minimal automaton (restricted to the
   * instance's symbols), the start state h_0, every symbol's step mapping the states among themselves as
   * the automaton does, and each labelled as its automaton state. A handful of steps instead of one per
   * word, and a solution is right on every length; sat is replayed like any other, unsat decides nothing.
   */
  closure?: boolean;
}

/** The instance's terms, built lazily per node and memoised. */
export interface InstanceEncoding {
  readonly nodes: readonly TreeNode[];
  readonly labels: readonly number[];
  /** The modes to try in order; the last is the query itself (exact readout, no lasso). */
  readonly modes: readonly SolveMode[];
  /** The lasso fact over a subset of unary words: two of them share a state. */
  lasso(subset: readonly number[]): Bool<'main'>;
  /**
   * The closure sub-case under a readout (SolveMode.closure) over `symbols` (default: the instance's),
   * with or without the symmetry-breaking facts (default with): its facts and the automaton states' model
   * states (the start state first); no facts when the task has no reference automaton.
   */
  closure(mode: ReadoutMode, symbols?: readonly number[], symmetry?: boolean): { facts: Bool<'main'>[]; states: Bv[][] };
  /** Parameter constraints, symmetry breaking and readout facts: asserted once per solver. */
  paramFacts(mode: ReadoutMode): Bool<'main'>[];
  /** Node n's step constraints and order lemmas (n >= 1; its ancestors need their own). */
  nodeFacts(n: number): Bool<'main'>[];
  /** Node n's label constraint under the readout. */
  labelFact(n: number, mode: ReadoutMode): Bool<'main'>;
  /** The tracked name of node n's label. */
  name(n: number): string;
  /** The witness a model gives (readout included for linear), with Z3's state codes of `nodes`. */
  readWitness(model: Model<'main'>, nodes: readonly number[], mode: ReadoutMode): { witness: ClassWitness; states: Map<number, number[]> };
}

/** The encoding of a query's instance at a format. */
export function encodeInstance(Z: Z3, q: BoundedQuery, format: FixedFormat): InstanceEncoding {
  const nodes = wordTree(q.task, q.words, q.maxLen);
  const labels = nodes.map((node) => q.task.label(node.word));
  const dims = Array.from({ length: q.dim }, (_, i) => i);
  const orderBySymbol = nodes.length > 1 ? nodes[1].symbol : undefined;
  const cls = encodeClass(Z, q.modelClass, format, { dim: q.dim, alphabet: q.task.alphabet, orderBySymbol });
  const classFacts: Bool<'main'>[] = [...cls.facts];
  const symmetric = q.symmetry !== false ? symmetryFacts(Z, q.modelClass, format, q.dim, q.task.alphabet.length, orderBySymbol) : [];
  classFacts.push(...symmetric);
  const paramFacts = [...classFacts];
  const w = dims.map((i) => codeConst(Z, format, `w_${i}`));
  const c = codeConst(Z, format, 'c');
  const zero = codeVal(Z, format, 0);
  const states: (Bv[] | undefined)[] = [dims.map(() => zero)];
  const stateOf = (n: number): Bv[] => {
    let h = states[n];
    if (h === undefined) {
      // A named constant per node (rather than one nested term) keeps the SMT-LIB dump linear in size.
      h = dims.map((i) => codeConst(Z, format, `h_${n}_${i}`));
      states[n] = h;
    }
    return h;
  };
  const signedOf = (model: Model<'main'>, t: Bv): bigint => {
    const v = model.eval(t, true);
    if (!Z.isBitVecVal(v)) throw new InternalError(`witness: ${t.toString()} has no bit-vector value`);
    return signedValue(v.value(), v.size());
  };
  let accepts: ((h: readonly Bv[]) => Bool<'main'>) | undefined;
  let embedFacts: Bool<'main'>[] | undefined;
  let axisMode: { facts: Bool<'main'>[]; accepts: (h: readonly Bv[]) => Bool<'main'>; readout: (model: Model<'main'>) => { w: number[]; c: number } } | undefined;
  let threshold: ThresholdReadout | undefined;
  if (q.readout === 'linear') {
    if (q.dim === 1 && format.bits <= THRESHOLD_MAX_BITS) {
      // No product at all: the word tests are comparisons with one threshold (threshold.ts).
      const t = thresholdReadout(Z, format);
      threshold = t;
      paramFacts.push(...t.facts);
      accepts = (h) => t.accepts(h[0]);
    } else if (q.dim === 1) {
      // One product pair per query instead of one product per word.
      const t = thresholdReadoutBv(Z, format, w[0], c, 'readout_k');
      paramFacts.push(...t.facts);
      accepts = (h) => t.accepts(h[0]);
    } else {
      if (q.symmetry !== false) {
        const scale = readoutScaleFacts(Z, format, [...w, c]);
        symmetric.push(...scale);
        paramFacts.push(...scale);
      }
      accepts = (h) => linearReadoutBv(Z, format, w, c, h);
      if (format.bits <= THRESHOLD_MAX_BITS) {
        const t = thresholdReadout(Z, format, `axis${format.bits}_`);
        const axisWidth = Math.max(1, Math.ceil(Math.log2(q.dim)));
        const axis = Z.BitVec.const('readout_axis', axisWidth);
        const pick = (h: readonly Bv[]): Bv => h.slice(1).reduce<Bv>((acc, hi, i) => Z.If(axis.eq(Z.BitVec.val(BigInt(i + 1), axisWidth)), hi, acc) as Bv, h[0]);
        const axisIs = (i: number): Bool<'main'> => axis.eq(Z.BitVec.val(BigInt(i), axisWidth));
        const inert = dims.map((i) => inertFacts(Z, q.modelClass, format, i, q.task.alphabet.length));
        if (inert.every((f) => f !== undefined)) {
          // Without the symmetry facts: their order may put the one live coordinate anywhere.
          embedFacts = [...cls.facts, ...t.facts, ...dims.map((i) => Z.Implies(Z.Not(axisIs(i)), Z.And(...(inert[i] ?? []))))];
        }
        axisMode = {
          facts: [...t.facts, axis.ule(Z.BitVec.val(BigInt(q.dim - 1), axisWidth))],
          accepts: (h) => t.accepts(pick(h)),
          readout: (model) => {
            const { w: [wi], c: ci } = t.readout(
              (u) => Number(signedOf(model, u)),
              (u) => Z.isTrue(model.eval(u, true)),
            );
            const i = Number(signedOf(model, axis)) & ((1 << axisWidth) - 1);
            return { w: dims.map((j) => (j === i ? wi : 0)), c: ci };
          },
        };
      }
    }
  }
  const readoutFn: FuncDecl<'main'> | undefined =
    q.readout === 'any' ? Z.Function.declare('readout', ...dims.map(() => Z.BitVec.sort(format.bits)), Z.BitVec.sort(readoutWidth(q.task))) : undefined;

  const nodeFacts = (n: number): Bool<'main'>[] => {
    const { parent, symbol } = nodes[n];
    const h = stateOf(n);
    const next = cls.step(symbol, stateOf(parent));
    return [...dims.map((i) => h[i].eq(next[i])), ...orderLemmas(Z, cls, nodes, stateOf, n)];
  };
  /** The readout's claim that state h has label `label`. */
  const labelOf = (h: readonly Bv[], label: number, mode: ReadoutMode): Bool<'main'> =>
    match(q.readout)
      .with('linear', () => {
        const test = mode === 'exact' ? accepts : axisMode?.accepts;
        if (test === undefined) throw new InternalError(`readout linear: no ${mode} readout encoded`);
        return label === 1 ? test(h) : Z.Not(test(h));
      })
      .with('any', () => {
        if (readoutFn === undefined) throw new InternalError('readout any: no readout function declared');
        // An uninterpreted readout f(h) = label is exactly "different labels reach different states".
        return (readoutFn.call(...h) as Bv).eq(Z.BitVec.val(BigInt(label), readoutWidth(q.task)));
      })
      .exhaustive();
  const labelFact = (n: number, mode: ReadoutMode): Bool<'main'> => labelOf(stateOf(n), labels[n], mode);
  const readWitness = (model: Model<'main'>, wanted: readonly number[], mode: ReadoutMode): { witness: ClassWitness; states: Map<number, number[]> } => {
    const read = (t: Bv): number => {
      const v = model.eval(t, true);
      if (!Z.isBitVecVal(v)) throw new InternalError(`witness: ${t.toString()} has no bit-vector value`);
      return format.fromPattern(Number(v.value()));
    };
    const witness = cls.witness(read);
    checkGenerators(witness, cls.storedMatrices?.(read));
    if (mode !== 'exact' && axisMode !== undefined) witness.readout = axisMode.readout(model);
    else if (threshold !== undefined) {
      witness.readout = threshold.readout(
        (t) => {
          const v = model.eval(t, true);
          if (!Z.isBitVecVal(v)) throw new InternalError(`witness: ${t.toString()} has no bit-vector value`);
          return Number(signedValue(v.value(), v.size()));
        },
        (t) => Z.isTrue(model.eval(t, true)),
      );
    } else if (q.readout === 'linear') witness.readout = { w: w.map(read), c: read(c) };
    return { witness, states: new Map(wanted.map((n) => [n, stateOf(n).map(read)])) };
  };
  const first: ReadoutMode = axisMode === undefined ? 'exact' : 'axis';
  // On all words the lasso cube slowed every D = 2 row measured; on 1^k it is what finds exact cycles.
  const unary = q.words === 'unary';
  const reference = q.task.reference;
  const modes: SolveMode[] =
    q.strategy === 'full'
      ? [{ readout: 'exact', lasso: false }]
      : [
          ...(reference !== undefined ? [{ readout: 'exact' as const, lasso: false, closure: true }] : []),
          ...(embedFacts !== undefined ? [{ readout: 'embed' as const, lasso: unary }] : []),
          ...(first === 'axis' ? [{ readout: first, lasso: unary }] : []),
          { readout: 'exact', lasso: false },
        ];
  const facts = (mode: ReadoutMode): Bool<'main'>[] =>
    match(mode)
      .with('exact', () => paramFacts)
      .with('axis', () => [...classFacts, ...(axisMode?.facts ?? [])])
      .with('embed', () => embedFacts ?? [])
      .exhaustive();
  const lasso = (subset: readonly number[]): Bool<'main'> => {
    // The deepest level the subset holds completely: closing it closes every run (states repeat).
    const perLevel = new Map<number, number[]>();
    for (const n of subset) perLevel.set(nodes[n].word.length, [...(perLevel.get(nodes[n].word.length) ?? []), n]);
    const width = q.words === 'unary' ? 1 : q.task.alphabet.length;
    let depth = 0;
    while (perLevel.get(depth + 1)?.length === width ** (depth + 1)) depth++;
    if (depth === 0) return Z.Bool.val(false);
    const earlier = subset.filter((n) => nodes[n].word.length < depth);
    const same = (m: number, n: number): Bool<'main'> => Z.And(...dims.map((i) => stateOf(m)[i].eq(stateOf(n)[i])));
    return Z.And(...(perLevel.get(depth) ?? []).map((n) => Z.Or(...earlier.map((m) => same(m, n)))));
  };
  const instanceSymbols = [...new Set(nodes.slice(1).map((node) => node.symbol))];
  const closure = (mode: ReadoutMode, symbols: readonly number[] = instanceSymbols, symmetry = true): { facts: Bool<'main'>[]; states: Bv[][] } => {
    if (reference === undefined) return { facts: [], states: [] };
    // The automaton states the symbols reach from the start, in BFS order.
    const index = new Map<number, number>([[reference.start, 0]]);
    const order: number[] = [reference.start];
    for (let i = 0; i < order.length; i++) {
      for (const x of symbols) {
        const next = reference.table[order[i] * reference.nSymbols + x];
        if (!index.has(next)) {
          index.set(next, order.length);
          order.push(next);
        }
      }
    }
    const at = order.map((_, j) => (j === 0 ? dims.map(() => zero) : dims.map((i) => codeConst(Z, format, `closure_${order[j]}_${i}`))));
    const out = symmetry ? [...facts(mode)] : facts(mode).filter((f) => !symmetric.includes(f));
    order.forEach((state, j) => {
      for (const x of symbols) {
        const next = cls.step(x, at[j]);
        const to = at[index.get(reference.table[state * reference.nSymbols + x]) ?? 0];
        dims.forEach((i) => out.push(to[i].eq(next[i])));
      }
      out.push(labelOf(at[j], reference.labels[state], mode));
    });
    return { facts: out, states: at };
  };
  return { nodes, labels, modes, lasso, closure, paramFacts: facts, nodeFacts, labelFact, name: (n) => wordName(q.task, q.words, nodes[n].word), readWitness };
}

/**
 * Implied facts that spare Z3 rediscovering monotonicity inside a multiplier circuit: along a run of one
 * repeated symbol x, a diagonal coordinate's map f is monotone (a >= 0) or antitone (a <= 0), so f∘f is
 * monotone either way. Hence h_k <= h_{k+1} gives h_{k+1} <= h_{k+2} (a >= 0) or >= (a <= 0), and
 * h_k <= h_{k+2} gives h_{k+2} <= h_{k+4}; likewise with >=. Both directions together give "a fixed point
 * stays fixed" (h_k = h_{k+1} ⇒ h_{k+1} = h_{k+2}) and "a 2-cycle stays". Every fact is a consequence of
 * the step constraints (docs/theory.md fact 4), so verdicts and models are unchanged; only the search gets shorter.
 */
function orderLemmas(Z: Z3, cls: ClassEncoding, nodes: readonly TreeNode[], stateOf: (n: number) => Bv[], n: number): Bool<'main'>[] {
  const order = cls.order;
  if (order === undefined) return [];
  const facts: Bool<'main'>[] = [];
  // [.., grandparent, parent, n] while the last len − 1 steps read n's symbol.
  const run = (len: number): number[] | undefined => {
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
  const x = nodes[n].symbol;
  const one = run(3);
  const two = run(5);
  stateOf(n).forEach((_, i) => {
    const { monotone, antitone } = order(x, i);
    const h = (m: number): Bv => stateOf(m)[i];
    if (one !== undefined) {
      const [k0, k1, k2] = one.map(h);
      facts.push(
        Z.Implies(Z.And(monotone, k0.sle(k1)), k1.sle(k2)),
        Z.Implies(Z.And(monotone, k0.sge(k1)), k1.sge(k2)),
        Z.Implies(Z.And(antitone, k0.sle(k1)), k1.sge(k2)),
        Z.Implies(Z.And(antitone, k0.sge(k1)), k1.sle(k2)),
      );
    }
    if (two !== undefined) {
      const [k0, , k2, , k4] = two.map(h);
      facts.push(Z.Implies(k0.sle(k2), k2.sle(k4)), Z.Implies(k0.sge(k2), k2.sge(k4)));
    }
  });
  return facts;
}

/**
 * Replays a witness in the exact executor on every node. A node Z3 constrained (`zStates`) whose executor
 * state differs is a bug in an encoding or the executor: InternalError, never a wrong `sat`. Other nodes
 * may fail their label (linear) or share a state with a word of another label (any): those failures are
 * returned, shortest word first. The witness holds for the instance iff the list is empty.
 */
export function replayWitness(
  witness: ClassWitness,
  task: Task,
  nodes: readonly TreeNode[],
  labels: readonly number[],
  zStates: ReadonlyMap<number, readonly number[]>,
): ReplayFailure[] {
  const net = witnessExecutor(witness);
  const show = (word: Word): string => `'${word.map((x) => task.alphabet[x]).join('')}'`;
  const nodeOfKey = new Map<string, number>();
  const failures: ReplayFailure[] = [];
  nodes.forEach((node, n) => {
    const state = net.run(node.word);
    const key = net.key(state);
    const z = zStates.get(n);
    if (z !== undefined && key !== z.join(',')) {
      throw new InternalError(`witness does not replay: word ${show(node.word)}: executor state [${key}], Z3 state [${z.join(',')}]`);
    }
    if (net.machine !== undefined) {
      if (net.machine.classify(state) !== labels[n]) failures.push({ node: n });
    } else {
      const seen = nodeOfKey.get(key);
      if (seen !== undefined && labels[seen] !== labels[n]) failures.push({ node: n, clash: seen });
      else if (seen === undefined) nodeOfKey.set(key, n);
    }
  });
  const inZ3 = failures.filter((f) => zStates.has(f.node) && (f.clash === undefined || zStates.has(f.clash)));
  if (inZ3.length > 0) {
    const f = inZ3[0];
    throw new InternalError(`witness does not replay: word ${show(nodes[f.node].word)} (label ${labels[f.node]}) fails in the executor although Z3 constrained it`);
  }
  return failures;
}
