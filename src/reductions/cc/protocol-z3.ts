// An independent check of D→ for small inputs: ask Z3 for a b-bit one-way protocol, i.e. a message
// m_x ∈ {0,1}^b for every Alice input and a Bob function g(message, y) (uninterpreted) such that
// g(m_x, y) = f(x, y) on every cell. Sat at b = D→ (the model is replayed cell by cell), unsat at b = D→ − 1.
// The unsat side is a pigeonhole problem, hard for Z3 beyond about 16 rows (Z3-NOTES.md), so callers cap n.
import { match } from 'ts-pattern';
import { InternalError } from '../../errors.js';
import type { Verdict } from '../../verify/bounded.js';
import { checkSolver, z3Session } from '../../verify/z3.js';
import { ceilLog2, type CommMatrix } from './matrix.js';

/** One protocol query: its width, verdict and time; for sat, the messages found. */
export interface ProtocolSearch {
  readonly bits: number;
  readonly verdict: Verdict;
  readonly timeMs: number;
  /** sat: the message of each row, checked to be a correct protocol. */
  readonly messages?: readonly number[];
  readonly reason?: string;
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
export async function searchProtocol(m: CommMatrix, bits: number, timeoutMs: number): Promise<ProtocolSearch> {
  const { Z } = await z3Session();
  // Z3 bit-vectors need width ≥ 1: a 0-bit protocol is a 1-bit one whose messages are all 0.
  const width = Math.max(bits, 1);
  const ybits = Math.max(ceilLog2(m.cols), 1);
  const msg = Array.from({ length: m.rows }, (_, i) => Z.BitVec.const(`m${i}`, width));
  const bob = Z.Function.declare('bob', Z.BitVec.sort(width), Z.BitVec.sort(ybits), Z.Int.sort());
  const solver = new Z.Solver();
  try {
    solver.set('timeout', Math.max(1, Math.round(timeoutMs)));
    if (bits === 0) for (const t of msg) solver.add(t.eq(Z.BitVec.val(0, width)));
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.cols; j++) solver.add(bob.call(msg[i], Z.BitVec.val(j, ybits)).eq(Z.Int.val(m.cells[i * m.cols + j])));
    const start = performance.now();
    const verdict = await checkSolver(solver);
    const timeMs = performance.now() - start;
    return match(verdict)
      .with('sat', () => {
        const model = solver.model();
        const messages = msg.map((t, i) => {
          const v = model.eval(t, true);
          if (!Z.isBitVecVal(v)) throw new InternalError(`protocol: message m${i} has no bit-vector value`);
          return Number(v.value());
        });
        if (!messagesAreProtocol(m, messages)) throw new InternalError(`Z3's ${bits}-bit protocol does not replay on the matrix`);
        return { bits, verdict, timeMs, messages };
      })
      .with('unsat', () => ({ bits, verdict, timeMs }))
      .with('unknown', () => ({ bits, verdict, timeMs, reason: solver.reasonUnknown() }))
      .exhaustive();
  } finally {
    solver.release();
  }
}
