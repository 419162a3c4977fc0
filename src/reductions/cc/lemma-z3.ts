// The symbolic injectivity lemma: for the named families, no two distinct Alice inputs have equal rows,
//   ∃ x ≠ x' (both valid) ∀ y (valid): f(x, y) = f(x', y)   is unsat,
// one quantified bit-vector query whatever n is (measured 0.1–0.2 s at n = 32). A protocol's Bob sees only
// (message, y), so a correct protocol must send distinct messages to distinct x: the message map is
// injective on X, hence b ≥ ⌈log₂|X|⌉, and sending x itself meets it. So D→ = ⌈log₂|X|⌉ with no matrix.
import type { BitVec, Bool } from 'z3-solver';
import { match } from 'ts-pattern';
import { InputError } from '../../errors.js';
import type { Verdict } from '../../verify/types.js';
import { z3Session, type Z3 } from '../../verify/z3/session.js';
import { solve } from '../../verify/solvers/race.js';
import type { SolverOptions, SolverRace } from '../../verify/solvers/types.js';
import { ceilLog2 } from './matrix.js';
import type { SymbolicFamily } from './twoparty.js';

/** Largest n the lemma is encoded for (x is one bit-vector of n·⌈log₂ a⌉ bits). */
export const MAX_LEMMA_BITS = 256;

/** The lemma's verdict and what it gives when unsat. */
export interface LemmaResult {
  /** unsat = proved: rows pairwise distinct. */
  readonly verdict: Verdict;
  readonly timeMs: number;
  /** |X|, the number of Alice inputs (as a decimal string: a^n overflows a double). */
  readonly aliceInputs: string;
  /** ⌈log₂|X|⌉: the one-way complexity when the lemma holds. */
  readonly bits: number;
  readonly statement: string;
  readonly reason?: string;
  /** The query's race: who answered, each solver's time and state. */
  readonly solvers?: SolverRace;
}

type Bv = BitVec<number, 'main'>;

interface Encoding {
  xWidth: number;
  yWidth: number;
  validX: (x: Bv) => Bool<'main'>;
  validY: (y: Bv) => Bool<'main'>;
  /** f(x, y) as a term; equal terms mean equal outputs. */
  same: (x: Bv, x2: Bv, y: Bv) => Bool<'main'>;
}

function encode(Z: Z3, fam: SymbolicFamily): Encoding {
  const yes = () => Z.Bool.val(true);
  return match(fam)
    .with({ kind: 'equality' }, ({ n }) => ({
      xWidth: n, yWidth: n, validX: yes, validY: yes,
      same: (x: Bv, x2: Bv, y: Bv) => x.eq(y).eq(x2.eq(y)),
    }))
    .with({ kind: 'disjointness' }, ({ n }) => {
      const zero = Z.BitVec.val(0, n);
      return {
        xWidth: n, yWidth: n, validX: yes, validY: yes,
        same: (x: Bv, x2: Bv, y: Bv) => x.and(y).eq(zero).eq(x2.and(y).eq(zero)),
      };
    })
    .with({ kind: 'gt' }, ({ n }) => ({
      xWidth: n, yWidth: n, validX: yes, validY: yes,
      same: (x: Bv, x2: Bv, y: Bv) => x.ugt(y).eq(x2.ugt(y)),
    }))
    .with({ kind: 'index' }, ({ n, a }) => {
      const w = Math.max(ceilLog2(a), 1);
      const yWidth = Math.max(ceilLog2(n), 1) + 1;
      // Digit p is most significant first, as in the matrix's aliceWord.
      const digit = (x: Bv, p: number): Bv => Z.Extract((n - 1 - p) * w + w - 1, (n - 1 - p) * w, x);
      const lookup = (x: Bv, y: Bv): Bv => {
        let t: Bv = digit(x, n - 1);
        for (let p = n - 2; p >= 0; p--) t = Z.If(y.eq(Z.BitVec.val(p, yWidth)), digit(x, p), t);
        return t;
      };
      const powerOfTwo = 2 ** w === a;
      return {
        xWidth: n * w,
        yWidth,
        validX: (x: Bv) => (powerOfTwo ? yes() : Z.And(...Array.from({ length: n }, (_, p) => digit(x, p).ult(Z.BitVec.val(a, w))))),
        validY: (y: Bv) => y.ult(Z.BitVec.val(n, yWidth)),
        same: (x: Bv, x2: Bv, y: Bv) => lookup(x, y).eq(lookup(x2, y)),
      };
    })
    .exhaustive();
}

/** |X| for a family, exactly. */
export function aliceInputCount(fam: SymbolicFamily): bigint {
  return fam.kind === 'index' ? BigInt(fam.a) ** BigInt(fam.n) : 2n ** BigInt(fam.n);
}

/** Proves (unsat) or refutes that distinct Alice inputs have distinct rows, symbolically. */
export async function injectivityLemma(fam: SymbolicFamily, timeoutMs: number, solver?: SolverOptions): Promise<LemmaResult> {
  const { Z } = await z3Session();
  const enc = encode(Z, fam);
  if (enc.xWidth > MAX_LEMMA_BITS) throw new InputError(`${fam.kind}: x needs ${enc.xWidth} bits, more than ${MAX_LEMMA_BITS} for the lemma`);
  const x = Z.BitVec.const('x', enc.xWidth);
  const x2 = Z.BitVec.const('x2', enc.xWidth);
  const y = Z.BitVec.const('y', enc.yWidth);
  const count = aliceInputCount(fam);
  const statement = `∃ x ≠ x' ∀ y: f(x, y) = f(x', y) over ${count} Alice inputs`;
  const facts = [enc.validX(x), enc.validX(x2), x.neq(x2), Z.ForAll([y], Z.Implies(enc.validY(y), enc.same(x, x2, y)))];
  const start = performance.now();
  const answer = await solve(Z, { facts, timeoutMs: Math.max(1, Math.round(timeoutMs)) }, solver);
  const timeMs = performance.now() - start;
  const base = { verdict: answer.verdict, timeMs, aliceInputs: count.toString(), bits: ceilLog2(count), statement, solvers: answer.race };
  return answer.verdict === 'unknown' ? { ...base, reason: answer.reason ?? 'unknown' } : base;
}
