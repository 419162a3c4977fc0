// An independent check of D→ for small inputs: ask Z3 for a b-bit one-way protocol, i.e. a message
// m_x ∈ {0,1}^b for every Alice input and a Bob function g(message, y) (uninterpreted) such that
// g(m_x, y) = f(x, y) on every cell. Sat at b = D→ (the model is replayed cell by cell), unsat at b = D→ − 1.
// The unsat side is a pigeonhole problem, hard for Z3 beyond about 16 rows (Z3-NOTES.md), so callers cap n.
import { match } from 'ts-pattern';
import { InternalError } from '../../errors.js';
import type { Verdict } from '../../verify/types.js';
import { z3Session } from '../../verify/z3/session.js';
import { solve } from '../../verify/solvers/race.js';
import type { SolverOptions, SolverRace } from '../../verify/solvers/types.js';
import { ceilLog2, type CommMatrix } from './matrix.js';

/** One protocol query: its width, verdict and time; for sat, the messages found. */
export interface ProtocolSearch {
  readonly bits: number;
  readonly verdict: Verdict;
  readonly timeMs: number;
  /** sat: the message of each row, checked to be a correct protocol. */
  readonly messages?: readonly number[];
  readonly reason?: string;
  /** The query's race: who answered, each solver's time and state. */
  readonly solvers?: SolverRace;
}

/** True when the messages admit a Bob function: rows with the same message are equal rows. */
export function messagesAreProtocol(m: CommMatrix, messages: readonly number[]): boolean {
  const rowOf = new Map<number, number>();
  for (let i = 0; i < m.rows; i++) {
    const first = rowOf.get(messages[i]);
    if (first === undefined) rowOf.set(messages[i], i);
    else for (let j = 0; j < m.cols; j++) if (m.cells[i * m.cols + j] !== m.cells[first * m.cols + j]) return false;
  }
  return true;
}

/** Asks Z3 for a b-bit one-way protocol for the matrix (b ≥ 0). */
export async function searchProtocol(m: CommMatrix, bits: number, timeoutMs: number, solver?: SolverOptions): Promise<ProtocolSearch> {
  const { Z } = await z3Session();
  // Z3 bit-vectors need width ≥ 1: a 0-bit protocol is a 1-bit one whose messages are all 0.
  const width = Math.max(bits, 1);
  const ybits = Math.max(ceilLog2(m.cols), 1);
  const msg = Array.from({ length: m.rows }, (_, i) => Z.BitVec.const(`m${i}`, width));
  const bob = Z.Function.declare('bob', Z.BitVec.sort(width), Z.BitVec.sort(ybits), Z.Int.sort());
  const facts = msg.flatMap((t, i) => [
    ...(bits === 0 ? [t.eq(Z.BitVec.val(0, width))] : []),
    ...Array.from({ length: m.cols }, (_, j) => bob.call(t, Z.BitVec.val(j, ybits)).eq(Z.Int.val(m.cells[i * m.cols + j]))),
  ]);
  const start = performance.now();
  const answer = await solve(Z, { facts, timeoutMs: Math.max(1, Math.round(timeoutMs)) }, solver);
  const timeMs = performance.now() - start;
  const { verdict, race: solvers } = answer;
  return match(verdict)
    .with('sat', () => {
      const model = answer.model;
      if (model === undefined) throw new InternalError(`protocol: a sat answer without a model`);
      const messages = msg.map((t, i) => {
        const v = model.eval(t, true);
        if (!Z.isBitVecVal(v)) throw new InternalError(`protocol: message m${i} has no bit-vector value`);
        return Number(v.value());
      });
      if (!messagesAreProtocol(m, messages)) throw new InternalError(`${solvers.winner ?? 'the solver'}'s ${bits}-bit protocol does not replay on the matrix`);
      return { bits, verdict, timeMs, messages, solvers };
    })
    .with('unsat', () => ({ bits, verdict, timeMs, solvers }))
    .with('unknown', () => ({ bits, verdict, timeMs, reason: answer.reason ?? 'unknown', solvers }))
    .exhaustive();
}
