// Lazy word sets (counterexample-guided refinement over the prefix tree): solve on a prefix-closed subset
// of the instance's words; on sat, replay the witness in the exact executor on every word and add the
// shortest failing words (with their prefixes); on unsat, stop. Exact both ways: a subset's constraints are
// a subset of the instance's, so its unsat is the instance's unsat (and its core names the words), and a
// sat is only reported once the witness replays on every word.
import type { Bool } from 'z3-solver';
import { InternalError } from '../../errors.js';
import type { ClassWitness } from './encode.js';
import type { InstanceEncoding, ReadoutMode } from './instance.js';
import { replayWitness } from './instance.js';
import type { Task } from '../../tasks/task.js';
import type { Verdict } from '../types.js';
import type { Z3 } from './session.js';
import { solve } from '../solvers/race.js';
import type { SolverOptions, SolverRace } from '../solvers/types.js';

/** How the loop ended, with what the caller turns into a BoundedResult. */
export interface LazyOutcome {
  verdict: Verdict;
  witness?: ClassWitness;
  core?: string[];
  reason?: string;
  /** Solver calls made (1 for a one-shot query). */
  rounds: number;
  /** Words in the last subset solved (0 when the closure sub-case decided). */
  subsetWords: number;
  /** When the closure sub-case decided: how many automaton states it mapped into the state space. */
  closureStates?: number;
  /** The last subset's query as assertions (a full certificate when it is unsat). */
  lastFacts: Bool<'main'>[];
  /** Every solver call's race (solvers/race.ts), in order. */
  races: SolverRace[];
}

/** The first subset: every word up to `len` (all of them when the instance is that short). */
export function initialSubset(enc: InstanceEncoding, len: number): number[] {
  return enc.nodes.flatMap((node, n) => (node.word.length <= len ? [n] : []));
}

/** Adds n and its missing ancestors to the subset; returns how many were new. */
function addWithPrefixes(enc: InstanceEncoding, inSubset: boolean[], subset: number[], n: number): number {
  const chain: number[] = [];
  for (let m = n; m >= 0 && !inSubset[m]; m = enc.nodes[m].parent) chain.push(m);
  for (const m of chain.reverse()) {
    inSubset[m] = true;
    subset.push(m);
  }
  return chain.length;
}

/**
 * The closure sub-case's facts. Over one symbol they are the query; over several, the closure of the symbol
 * that reaches the most automaton states is solved alone first (an eighth of what is left) and its states are pinned, which leaves every other
 * symbol's step linear in its parameters: all symbols at once was measured slower than the exact query
 * (mod 3, lrnn-complex, D = 2: over 25 s, against 3 s for symbol 1 alone). No pinning when the
 * first stage fails: the facts are then the plain closure's.
 */
async function closureFacts(Z: Z3, enc: InstanceEncoding, mode: ReadoutMode, deadline: number, solvers: SolverOptions, races: SolverRace[], rlimit: Rlimit): Promise<Bool<'main'>[]> {
  const full = enc.closure(mode);
  const symbols = [...new Set(enc.nodes.slice(1).map((node) => node.symbol))];
  if (symbols.length < 2 || full.states.length === 0) return full.facts;
  // Pinned without symmetry breaking: the first stage's orbit may be the one symmetric image the breaking
  // facts exclude once the other symbols join (measured: mod 3, lrnn-complex, a rotation's sign).
  const pinned = enc.closure(mode, symbols, false);
  // The symbol whose orbit from the start visits the most automaton states (1 for parity and mod m).
  const first = symbols.map((x) => enc.closure(mode, [x])).reduce((best, c) => (c.states.length > best.states.length ? c : best));
  const answer = await solve(Z, { facts: first.facts, timeoutMs: Math.max(1, Math.round((deadline - performance.now()) / 8)), ...rlimit }, solvers);
  races.push(answer.race);
  const model = answer.model;
  if (answer.verdict !== 'sat' || model === undefined) return full.facts;
  // The first stage's states are those of the same automaton states in the full closure (same names).
  const pins = first.states.slice(1).flatMap((h) => h.map((t) => t.eq(model.eval(t, true) as typeof t)));
  return [...pinned.facts, ...pins];
}

/** A request's resource limit, spread into it: empty, or Z3's rlimit for each solver call. */
type Rlimit = { rlimit?: number };

/**
 * Runs the refinement loop from `initial` (prefix-closed, node 0 included) until a verdict or the deadline
 * (performance.now() milliseconds). Each round grows the subset by at most its own size, shortest failing
 * words first, so a long instance is reached in logarithmically many rounds when short words do not decide it.
 * `rlimit`, when given, is Z3's resource limit of each solver call (solvers/types.ts).
 */
export async function solveLazily(
  Z: Z3,
  task: Task,
  enc: InstanceEncoding,
  initial: readonly number[],
  deadline: number,
  solvers: SolverOptions = { choice: 'auto' },
  rlimit?: number,
): Promise<LazyOutcome> {
  const limit: Rlimit = rlimit === undefined ? {} : { rlimit };
  const races: SolverRace[] = [];
  const inSubset = enc.nodes.map(() => false);
  const subset: number[] = [];
  for (const n of initial) addWithPrefixes(enc, inSubset, subset, n);
  const nodeFacts = new Map<number, Bool<'main'>[]>();
  const labelFacts = new Map<string, Bool<'main'>>();
  const labelFact = (n: number, mode: ReadoutMode): Bool<'main'> => {
    const key = `${mode}:${n}`;
    let fact = labelFacts.get(key);
    if (fact === undefined) {
      fact = enc.labelFact(n, mode);
      labelFacts.set(key, fact);
    }
    return fact;
  };
  let m = 0;
  let rounds = 0;
  for (;;) {
    rounds++;
    const { readout: mode, lasso, closure = false } = enc.modes[m];
    const last = m === enc.modes.length - 1;
    let lastFacts: Bool<'main'>[];
    if (closure) lastFacts = await closureFacts(Z, enc, mode, deadline, solvers, races, limit);
    else {
      const params = enc.paramFacts(mode);
      for (const n of subset) if (n > 0 && !nodeFacts.has(n)) nodeFacts.set(n, enc.nodeFacts(n));
      const dynamics = subset.flatMap((n) => nodeFacts.get(n) ?? []);
      const cube = lasso ? [enc.lasso(subset)] : [];
      lastFacts = [...params, ...cube, ...dynamics, ...subset.map((n) => labelFact(n, mode))];
    }
    const base = { rounds, subsetWords: closure ? 0 : subset.length, lastFacts, races };
    const left = deadline - performance.now();
    if (left < 1) return { ...base, verdict: 'unknown', reason: 'timeout' };
    // A sub-case gets a quarter of what is left (the closure, a handful of steps, an eighth), so the
    // exact query keeps most of the budget. Each round is a fresh solver (solvers/wasm.ts says why).
    const timeoutMs = Math.max(1, Math.round(last ? left : closure ? left / 8 : left / 4));
    const answer = await solve(
      Z,
      closure
        ? { facts: lastFacts, timeoutMs, ...limit }
        : {
            facts: lastFacts.slice(0, lastFacts.length - subset.length),
            // Track per word, not per arithmetic step: tracking is what slows queries down (Z3-NOTES.md).
            tracked: subset.map((n) => ({ name: enc.name(n), fact: labelFact(n, mode) })),
            timeoutMs,
            ...limit,
          },
      solvers,
    );
    races.push(answer.race);
    const verdict = answer.verdict;
    if (verdict !== 'sat' && !last) {
      // The sub-case has no solution on this subset (so on no superset) or ran out: the exact readout next.
      m++;
      continue;
    }
    if (verdict === 'unknown') return { ...base, verdict, reason: answer.reason ?? 'unknown' };
    if (verdict === 'unsat') return { ...base, verdict, core: answer.core ?? [] };
    if (answer.model === undefined) throw new InternalError('lazy word sets: a sat answer without a model');
    const { witness, states } = enc.readWitness(answer.model, closure ? [] : subset, mode);
    const failures = replayWitness(witness, task, enc.nodes, enc.labels, states);
    if (failures.length === 0) return { ...base, verdict: 'sat', witness, ...(closure ? { closureStates: enc.closure(mode).states.length } : {}) };
    if (closure) {
      // Right on every length by construction, so a failure is the reference disagreeing with the labels.
      m++;
      continue;
    }
    const budget = Math.max(4, Math.ceil(subset.length / 2));
    let added = 0;
    for (const f of failures) {
      if (added >= budget) break;
      added += addWithPrefixes(enc, inSubset, subset, f.node);
      if (f.clash !== undefined) added += addWithPrefixes(enc, inSubset, subset, f.clash);
    }
  }
}
