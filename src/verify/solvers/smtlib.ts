// The SMT-LIB 2 scripts a native solver runs for one request: the WASM session's own dump of the facts
// (Z3's benchmark printer, so both sides solve the same terms), a `(set-logic ...)` read off the dump, and
// each tracked fact behind a fresh literal. The plain script asserts the literals outright and asks for no
// core: `:produce-unsat-cores` alone turns native z3 from its bit-blasting tactic to its incremental core
// (measured: one sat query 0.77 s plain, over 54 s with cores; issue 25). The core script names each
// literal's assertion, so `(get-unsat-core)` names the tracked facts; it is run only after a plain unsat.
// Named literals rather than `check-sat-assuming`: cvc5 answers `get-unsat-assumptions` only in
// incremental mode, named assertions work in both solvers without it.
import type { Bool } from 'z3-solver';
import type { Z3 } from '../z3/session.js';
import type { SolveRequest } from './types.js';

/** The scripts up to (check-sat), and the tracked names in the order of their `core!i` labels. */
export interface NativeScript {
  /** Every fact asserted, no core asked for: the script a first check runs. */
  text: string;
  /** The same facts with the tracked ones named and cores on (undefined when nothing is tracked). */
  coreText?: string;
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

/** Builds the native scripts of a request (no check-sat: the caller adds it with its follow-ups). */
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
    const head = ['(set-option :produce-models true)'];
    const logicLine = /\(set-logic\s/.test(body) ? [] : [`(set-logic ${logic})`];
    const text = [...head, ...logicLine, body, ...tracked.map((_, i) => `(assert track!${i})`)].join('\n');
    const trackedNames = tracked.map((t) => t.name);
    if (tracked.length === 0) return { text: `${text}\n`, logic, trackedNames };
    const named = tracked.map((_, i) => `(assert (! track!${i} :named ${coreLabel(i)}))`);
    const coreText = [...head, '(set-option :produce-unsat-cores true)', ...logicLine, body, ...named].join('\n');
    return { text: `${text}\n`, coreText: `${coreText}\n`, logic, trackedNames };
  } finally {
    dump.release();
  }
}
