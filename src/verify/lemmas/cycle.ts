// The unbounded lemma of docs/theory.md facts 4 and 6: on a repeated symbol the state of a finite-precision
// model is eventually periodic, and a readout can follow a period-m language on every length only if that
// cycle's length is a multiple of m. "The one-step map on symbol x has a cycle of length exactly L" is one
// Z3 query over the class's parameters and a free start state; an exhaustive enumerator over tiny formats
// (D = 1 diagonal classes) answers the same question independently.
import { match } from 'ts-pattern';
import { InputError, InternalError } from '../../errors.js';
import { diagonalStepCode, fixedFormatOf } from '../../precision/diagonal.js';
import type { FixedFormat } from '../../precision/format.js';
import type { Verdict } from '../types.js';
import type { ModelClass } from '../classes.js';
import { classShape, transitionRange } from '../classes.js';
import { encodeClass } from '../z3/encode.js';
import type { Bv } from '../z3/fixed-bv.js';
import { codeConst } from '../z3/fixed-bv.js';
import { z3Session } from '../z3/session.js';
import { withSetLogic } from '../z3/smtlib.js';
import { solve } from '../solvers/race.js';
import type { SolverOptions, SolverRace } from '../solvers/types.js';

/** One cycle query: class, size, precision, cycle length. */
export interface CycleQuery {
  modelClass: ModelClass;
  dim: number;
  format: string;
  length: number;
  timeoutMs: number;
  /** Which solvers answer (solvers/race.ts); default auto. */
  solver?: SolverOptions;
}

/** A cycle verdict; `start` and the orbit are the model's codes when sat. */
export interface CycleResult {
  verdict: Verdict;
  timeMs: number;
  query: string;
  orbit?: number[][];
  reason?: string;
  smt2: string;
  z3Version: string;
  /** The query's race: who answered, each solver's time and state. */
  solvers: SolverRace;
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 2) throw new InputError(`cycle length ${length}: expected an integer >= 2`);
}

/** Is there a parameter choice and a state s with f^L(s) = s and f^j(s) != s for 0 < j < L? */
export async function cycleQuery(q: CycleQuery): Promise<CycleResult> {
  checkLength(q.length);
  const format = fixedFormatOf(q.format);
  const { Z, version } = await z3Session();
  // One symbol is all the lemma needs: the map of a repeated symbol.
  const enc = encodeClass(Z, q.modelClass, format, { dim: q.dim, alphabet: ['1'] });
  const dims = Array.from({ length: q.dim }, (_, i) => i);
  const orbit: Bv[][] = [dims.map((i) => codeConst(Z, format, `s_0_${i}`))];
  const facts = [...enc.facts];
  for (let j = 1; j <= q.length; j++) {
    const next = enc.step(0, orbit[j - 1]);
    const s = j === q.length ? orbit[0] : dims.map((i) => codeConst(Z, format, `s_${j}_${i}`));
    dims.forEach((i) => facts.push(s[i].eq(next[i])));
    if (j < q.length) {
      facts.push(Z.Or(...dims.map((i) => Z.Not(s[i].eq(orbit[0][i])))));
      orbit.push(s);
    }
  }
  const name = `cycle(${q.modelClass.name}, dim ${q.dim}, ${format.name}, L = ${q.length})`;
  // The dump of the same facts the solvers get (the race builds its own script for a native solver).
  const dump = new Z.Solver();
  let smt2: string;
  try {
    dump.add(...facts);
    smt2 = withSetLogic(dump.toSmtlib2());
  } finally {
    dump.release();
  }
  const start = performance.now();
  const answer = await solve(Z, { facts, timeoutMs: Math.max(1, Math.round(q.timeoutMs)) }, q.solver);
  const timeMs = performance.now() - start;
  const base = { verdict: answer.verdict, timeMs, query: name, smt2, z3Version: version, solvers: answer.race };
  return match(answer.verdict)
    .with('sat', () => {
      const model = answer.model;
      if (model === undefined) throw new InternalError(`${name}: a sat answer without a model`);
      const read = (t: Bv): number => {
        const v = model.eval(t, true);
        return Z.isBitVecVal(v) ? format.fromPattern(Number(v.value())) : NaN;
      };
      return { ...base, orbit: orbit.map((s) => s.map(read)) };
    })
    .with('unknown', () => ({ ...base, reason: answer.reason ?? 'unknown' }))
    .with('unsat', () => base)
    .exhaustive();
}

/** The independent check: does some D = 1 diagonal map of the class have a cycle of exactly this length? */
export function enumerateCycle(cls: ModelClass, format: FixedFormat, length: number): boolean {
  checkLength(length);
  if (classShape(cls) !== 'diagonal') throw new InputError(`cycle enumeration: class '${cls.name}' is not diagonal`);
  if (format.size > 64) throw new InputError(`cycle enumeration: ${format.name} has ${format.size} codes, at most 64 enumerable`);
  const { lo, hi } = transitionRange(cls, format);
  const codes = format.codes();
  for (let a = lo; a <= hi; a++) {
    for (const b of codes) {
      for (const s of codes) {
        let h = s;
        let back = 0;
        for (let j = 1; j <= length && back === 0; j++) {
          h = diagonalStepCode(format, a, h, b);
          if (h === s) back = j;
        }
        if (back === length) return true;
      }
    }
  }
  return false;
}

/** The proof text: the lemma's statement, then each step with its query and result. */
export function cycleProof(results: readonly CycleResult[]): string {
  const lengths = results.map((r) => r.query.match(/L = (\d+)/)?.[1] ?? '?').join(', ');
  const lines = [`Lemma: the one-step map of a repeated symbol has no cycle of length L in {${lengths}}.`];
  results.forEach((r, i) => {
    const solver = r.solvers.winner !== undefined && r.solvers.winner !== 'wasm' ? `native ${r.solvers.winner}` : r.z3Version;
    lines.push(`  step ${i + 1}: query ${r.query}: ${r.verdict} (${(r.timeMs / 1000).toFixed(2)} s, ${solver})`);
  });
  lines.push(
    results.every((r) => r.verdict === 'unsat')
      ? '  proved (each step unsat). With docs/theory.md fact 4 (a diagonal coordinate map is monotone or antitone, so its cycles have length 1 or 2; not machine-checked here) this rules out parity (L = 2) or mod 3 (L = 3) on all lengths.'
      : '  not proved: a step is sat (a cycle exists; its orbit is printed) or unknown.',
  );
  return lines.join('\n');
}
