// Symmetry breaking for bounded queries: facts that keep one representative of each orbit of a symmetry
// group of the encoding, so they drop only relabelled copies of solutions and never change a verdict.
// The parameter constants are found by the names encode.ts gives them (a_x_i, b_x_i, p_x_j, q_x_j,
// k_x_i, unprefixed): Z3 identifies a constant by name and sort, so this adds no second copy.
import type { Bool } from 'z3-solver';
import { match } from 'ts-pattern';
import type { FixedFormat } from '../../precision/format.js';
import type { ModelClass } from '../classes.js';
import { classShape } from '../classes.js';
import type { Bv } from './fixed-bv.js';
import { codeConst, codeVal } from './fixed-bv.js';
import type { Z3 } from './session.js';

/** x <=lex y for equal-length tuples of signed codes. */
function lexLe(Z: Z3, x: readonly Bv[], y: readonly Bv[]): Bool<'main'> {
  if (x.length === 0) return Z.Bool.val(true);
  return Z.Or(x[0].slt(y[0]), Z.And(x[0].eq(y[0]), lexLe(Z, x.slice(1), y.slice(1))));
}

/** Consecutive keys in lexicographic order: some permutation sorts any tuple of keys, so it loses nothing. */
function sorted(Z: Z3, keys: readonly (readonly Bv[])[]): Bool<'main'>[] {
  return keys.slice(1).map((key, i) => lexLe(Z, keys[i], key));
}

/**
 * Orbit representatives under the class's exact symmetries, for D state dimensions and k symbols.
 * Diagonal: permuting the D coordinates (with b and the readout weights) maps runs to permuted runs, so the
 * coordinates may be sorted by (a_s, b_s, then every other symbol's a, b), s the first symbol of the tree
 * (encode.ts already orders a_s; this breaks its ties). Rotation: the same for the 2×2 blocks, keyed by
 * (p, q, b) per symbol. Householder: I − β·k·kᵀ is the same matrix for k and −k (only products k_i·k_j
 * enter it, and the norm bound keeps −k a code), so each symbol's k_0 >= 0; and permuting coordinates
 * permutes k, b and the state alike, so coordinates are sorted by their b codes (sign-flip invariant, so
 * the two reductions compose). The rounded arithmetic is equivariant under all of these: each stored
 * value is one exact sum rounded once, and a sum does not care about the order of its terms.
 */
export function symmetryFacts(Z: Z3, cls: ModelClass, format: FixedFormat, dim: number, symbolCount: number, firstSymbol: number | undefined): Bool<'main'>[] {
  const s = firstSymbol ?? 0;
  const symbols = [s, ...Array.from({ length: symbolCount }, (_, x) => x).filter((x) => x !== s)];
  const code = (name: string): Bv => codeConst(Z, format, name);
  return match(classShape(cls))
    .with('diagonal', () => {
      const keys = Array.from({ length: dim }, (_, i) => symbols.flatMap((x) => [code(`a_${x}_${i}`), code(`b_${x}_${i}`)]));
      return sorted(Z, keys);
    })
    .with('rotation', () => {
      const keys = Array.from({ length: Math.floor(dim / 2) }, (_, j) =>
        symbols.flatMap((x) => [code(`p_${x}_${j}`), code(`q_${x}_${j}`), code(`b_${x}_${2 * j}`), code(`b_${x}_${2 * j + 1}`)]),
      );
      return sorted(Z, keys);
    })
    .with('householder', () => {
      const facts = sorted(Z, Array.from({ length: dim }, (_, i) => symbols.map((x) => code(`b_${x}_${i}`))));
      // |k_i| <= 2^F + dim/2 under the norm bound: negation stays a code when codeMax leaves that room.
      if (format.codeMax >= 2 ** format.fracBits + dim) {
        for (const x of symbols) facts.push(code(`k_${x}_0`).sge(codeVal(Z, format, 0)));
      }
      return facts;
    })
    // Not analysed yet: no facts is always sound.
    .with('perm-diag', 'product', 'relu', () => [])
    .exhaustive();
}

/**
 * Scale normalisation of a linear readout (w, c): 2w·h + 2c·2^F has the sign of w·h + c·2^F, so while
 * every code lies in [codeMin/2, codeMax/2] doubling gives an equivalent readout; only all-zero is fixed,
 * and it rejects everything just as (0, .., 0, codeMin) does. Hence some code may be assumed outside the
 * half range: one fact that removes 7/8 of the readout space at D = 2.
 */
export function readoutScaleFacts(Z: Z3, format: FixedFormat, codes: readonly Bv[]): Bool<'main'>[] {
  const lo = codeVal(Z, format, Math.ceil(format.codeMin / 2));
  const hi = codeVal(Z, format, Math.floor(format.codeMax / 2));
  return [Z.Or(...codes.map((t) => Z.Or(t.slt(lo), t.sgt(hi))))];
}

/**
 * Facts that make state coordinate i inert (always 0 from h_0 = 0): a diagonal coordinate with a = b = 0,
 * a Householder coordinate with k_i = b_i = 0 (its row and column of I − β·k·kᵀ are then e_i, and every
 * other row gets 0·h_i). Undefined for classes without such a reduction. A sub-case: with all but one
 * coordinate inert the query is the D = 1 query, so D = 1 witnesses are found at D = 1 cost.
 */
export function inertFacts(Z: Z3, cls: ModelClass, format: FixedFormat, i: number, symbolCount: number): Bool<'main'>[] | undefined {
  const zero = codeVal(Z, format, 0);
  const symbols = Array.from({ length: symbolCount }, (_, x) => x);
  const code = (name: string): Bv => codeConst(Z, format, name);
  return match(classShape(cls))
    .with('diagonal', () => symbols.flatMap((x) => [code(`a_${x}_${i}`).eq(zero), code(`b_${x}_${i}`).eq(zero)]))
    .with('householder', () => symbols.flatMap((x) => [code(`k_${x}_${i}`).eq(zero), code(`b_${x}_${i}`).eq(zero)]))
    .with('rotation', 'perm-diag', 'product', 'relu', () => undefined)
    .exhaustive();
}
