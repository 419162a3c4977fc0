// The SMT-LIB 2 script a native solver runs for one request: the WASM session's own dump of the facts
// (Z3's benchmark printer, so both sides solve the same terms), a `(set-logic ...)` read off the dump, and
// each tracked fact behind a fresh literal whose own assertion is named, so `(get-unsat-core)` names it.
// Named literals rather than `check-sat-assuming`: cvc5 answers `get-unsat-assumptions` only in
// incremental mode, named assertions work in both solvers without it.
import type { Bool } from 'z3-solver';
import type { Z3 } from '../z3/session.js';
import type { SolveRequest } from './types.js';

/** The script up to (check-sat), and the tracked names in the order of their `core!i` labels. */
export interface NativeScript {
  text: string;
  logic: string;
  trackedNames: string[];
}

/** The core label of tracked fact i (a simple symbol, never quoted). */
export const coreLabel = (i: number): string => `core!${i}`;

/** The smallest standard logic that covers a dump: quantifiers, functions, bit-vectors, integers. */
export function inferLogic(smt2: string): string {
  const quantified = /\((forall|exists)\s/.test(smt2);
  const functions = /\(declare-fun\s+\S+\s+\(\s*[^)\s]/.test(smt2);
  const bv = /BitVec|\(_ bv\d/.test(smt2);
  const arith = /\bInt\b|\bReal\b/.test(smt2);
  if (arith) return 'ALL';
  if (!bv) return functions ? (quantified ? 'UF' : 'QF_UF') : quantified ? 'ALL' : 'QF_UF';
  return `${quantified ? '' : 'QF_'}${functions ? 'UF' : ''}BV`;
}

/** Builds the native script of a request (no check-sat: the caller adds it with its follow-ups). */
export function nativeScript(Z: Z3, request: SolveRequest): NativeScript {
  const dump = new Z.Solver();
  const tracked = request.tracked ?? [];
  try {
    dump.add(...request.facts);
    // The tracking literal of fact i is `track!i`; `core!i` names the assertion of the literal alone.
    tracked.forEach(({ fact }, i) => dump.add(Z.Implies(Z.Bool.const(`track!${i}`), fact as Bool<'main'>)));
    // The benchmark printer ends with (check-sat); the script's end is the caller's.
    const body = dump.toSmtlib2().replace(/\(check-sat\)\s*$/, '');
    const logic = inferLogic(body);
    const lines = ['(set-option :produce-models true)'];
    if (tracked.length > 0) lines.push('(set-option :produce-unsat-cores true)');
    if (!/\(set-logic\s/.test(body)) lines.push(`(set-logic ${logic})`);
    lines.push(body);
    tracked.forEach((_, i) => lines.push(`(assert (! track!${i} :named ${coreLabel(i)}))`));
    return { text: `${lines.join('\n')}\n`, logic, trackedNames: tracked.map((t) => t.name) };
  } finally {
    dump.release();
  }
}
