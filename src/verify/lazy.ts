// Lazy word sets (counterexample-guided refinement over the prefix tree): solve on a prefix-closed subset
// of the instance's words; on sat, replay the witness in the exact executor on every word and add the
// shortest failing words (with their prefixes); on unsat, stop. Exact both ways: a subset's constraints are
// a subset of the instance's, so its unsat is the instance's unsat (and its core names the words), and a
// sat is only reported once the witness replays on every word.
import type { Bool } from 'z3-solver';
import type { ClassWitness } from './encode.js';
import type { InstanceEncoding, ReadoutMode } from './instance.js';
import { replayWitness } from './instance.js';
import type { Task } from '../tasks/task.js';
import type { Verdict } from './bounded.js';
import { checkSolver, type Z3 } from './z3.js';

/** How the loop ended, with what the caller turns into a BoundedResult. */
export interface LazyOutcome {
  verdict: Verdict;
  witness?: ClassWitness;
  core?: string[];
  reason?: string;
  /** Solver calls made (1 for a one-shot query). */
  rounds: number;
  /** Words in the last subset solved. */
  subsetWords: number;
  /** The last subset's query as assertions (a full certificate when it is unsat). */
  lastFacts: Bool<'main'>[];
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
 * Runs the refinement loop from `initial` (prefix-closed, node 0 included) until a verdict or the deadline
 * (performance.now() milliseconds). Each round grows the subset by at most its own size, shortest failing
 * words first, so a long instance is reached in logarithmically many rounds when short words do not decide it.
 */
export async function solveLazily(Z: Z3, task: Task, enc: InstanceEncoding, initial: readonly number[], deadline: number): Promise<LazyOutcome> {
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
    const { readout: mode, lasso } = enc.modes[m];
    const last = m === enc.modes.length - 1;
    for (const n of subset) if (n > 0 && !nodeFacts.has(n)) nodeFacts.set(n, enc.nodeFacts(n));
    const dynamics = subset.flatMap((n) => nodeFacts.get(n) ?? []);
    const cube = lasso ? [enc.lasso(subset)] : [];
    const params = enc.paramFacts(mode);
    const lastFacts = [...params, ...cube, ...dynamics, ...subset.map((n) => labelFact(n, mode))];
    const base = { rounds, subsetWords: subset.length, lastFacts };
    const left = deadline - performance.now();
    if (left < 1) return { ...base, verdict: 'unknown', reason: 'timeout' };
    // A fresh solver per round: Z3 solves a first check() with its bit-blasting tactic, and falls back to
    // the slower incremental core once a solver is reused.
    const solver = new Z.Solver();
    try {
      // A sub-case mode gets a quarter of what is left, so the exact query keeps most of the budget.
      solver.set('timeout', Math.max(1, Math.round(last ? left : left / 4)));
      // Shrinks the core to a minimal one in place; cheap next to the query at these sizes.
      solver.set('core.minimize', true);
      solver.add(...params, ...cube, ...dynamics);
      // Track per word, not per arithmetic step: tracking is what slows queries down (Z3-NOTES.md).
      for (const n of subset) solver.addAndTrack(labelFact(n, mode), enc.name(n));
      const verdict = await checkSolver(solver);
      if (verdict !== 'sat' && !last) {
        // The sub-case has no solution on this subset (so on no superset) or ran out: the exact readout next.
        m++;
        continue;
      }
      if (verdict === 'unknown') return { ...base, verdict, reason: solver.reasonUnknown() };
      if (verdict === 'unsat') return { ...base, verdict, core: [...solver.unsatCore()].map((lit) => lit.toString()).sort() };
      const { witness, states } = enc.readWitness(solver.model(), subset, mode);
      const failures = replayWitness(witness, task, enc.nodes, enc.labels, states);
      if (failures.length === 0) return { ...base, verdict: 'sat', witness };
      const budget = Math.max(4, Math.ceil(subset.length / 2));
      let added = 0;
      for (const f of failures) {
        if (added >= budget) break;
        added += addWithPrefixes(enc, inSubset, subset, f.node);
        if (f.clash !== undefined) added += addWithPrefixes(enc, inSubset, subset, f.clash);
      }
    } finally {
      solver.release();
    }
  }
}
