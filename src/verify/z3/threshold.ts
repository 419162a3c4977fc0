// The 1-dim linear readout w·h + c > 0 without a single product in the query. On the codes h of a format
// the accepted set is an up-set {h >= k} (w > 0), a down-set {h <= k} (w < 0), or everything / nothing
// (w = 0). Which k occur is a property of the format alone, so it is enumerated here once, over every code
// pair (w, c); the query then picks a mode and a k from those sets, and the witness takes a (w, c) that
// realises the pick. Same verdicts as the product form, exactly, with no multiplier for Z3 to bit-blast.
import type { Bool } from 'z3-solver';
import { InternalError } from '../../errors.js';
import type { FixedFormat } from '../../precision/format.js';
import type { Bv } from './fixed-bv.js';
import type { Z3 } from './session.js';

/** Formats up to this many bits get the table (2^(2·bits) code pairs); wider ones keep the product form. */
export const THRESHOLD_MAX_BITS = 12;

/** For one sign of w: each realisable clamped k and one (w, c) realising it. */
type Realisers = Map<number, { w: number; c: number }>;

interface Table {
  up: Realisers;
  down: Realisers;
}

const tables = new Map<string, Table>();

/** floor(n / d) for integers, d > 0. */
function floorDiv(n: number, d: number): number {
  return Math.floor(n / d);
}

/** Every clamped k of each mode and a realiser, by enumerating all (w, c) (memoised per format). */
export function thresholdTable(format: FixedFormat): Table {
  const cached = tables.get(format.name);
  if (cached !== undefined) return cached;
  const up: Realisers = new Map();
  const down: Realisers = new Map();
  const scale = 2 ** format.fracBits;
  for (let w = 1; w <= Math.max(format.codeMax, -format.codeMin); w++) {
    for (let c = format.codeMin; c <= format.codeMax; c++) {
      const m = c * scale;
      // w > 0: w·h > −m ⟺ h >= ⌊−m / w⌋ + 1, clamped to [codeMin, codeMax + 1] (all, none).
      if (w <= format.codeMax) {
        const k = Math.min(Math.max(floorDiv(-m, w) + 1, format.codeMin), format.codeMax + 1);
        if (!up.has(k)) up.set(k, { w, c });
      }
      // w = −u < 0: u·h < m ⟺ h <= ⌈m / u⌉ − 1, clamped to [codeMin − 1, codeMax].
      if (-w >= format.codeMin) {
        const k = Math.min(Math.max(-floorDiv(-m, w) - 1, format.codeMin - 1), format.codeMax);
        if (!down.has(k)) down.set(k, { w: -w, c });
      }
    }
  }
  const table = { up, down };
  tables.set(format.name, table);
  return table;
}

/** Maximal runs [lo, hi] of a set of integers. */
function runs(values: Iterable<number>): [number, number][] {
  const sorted = [...values].sort((x, y) => x - y);
  const out: [number, number][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === v - 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/** The threshold readout's Z3 constants, shared facts, per-word test and witness reader. */
export interface ThresholdReadout {
  facts: Bool<'main'>[];
  accepts(h: Bv): Bool<'main'>;
  /** A (w, c) of codes with exactly the accepted set the model picked (readInt: a term's signed value). */
  readout(readInt: (t: Bv) => number, readBool: (t: Bool<'main'>) => boolean): { w: number[]; c: number };
}

/** The 1-dim readout as a mode (up, down, constant) and a threshold k from the format's table. */
export function thresholdReadout(Z: Z3, format: FixedFormat, prefix = ''): ThresholdReadout {
  const table = thresholdTable(format);
  // k spans [codeMin − 1, codeMax + 1]: two more bits than a code hold it as a signed number.
  const width = format.bits + 2;
  const k = Z.BitVec.const(`${prefix}readout_k`, width);
  const up = Z.Bool.const(`${prefix}readout_up`);
  const down = Z.Bool.const(`${prefix}readout_down`);
  const all = Z.Bool.const(`${prefix}readout_all`);
  const val = (n: number): Bv => Z.BitVec.val(BigInt(n), width);
  const member = (set: Realisers): Bool<'main'> => Z.Or(...runs(set.keys()).map(([lo, hi]) => Z.And(k.sge(val(lo)), k.sle(val(hi)))));
  const facts = [Z.Not(Z.And(up, down)), Z.Implies(up, member(table.up)), Z.Implies(down, member(table.down))];
  const wide = (h: Bv): Bv => h.signExt(2);
  return {
    facts,
    accepts: (h) => Z.Or(Z.And(up, wide(h).sge(k)), Z.And(down, wide(h).sle(k)), Z.And(Z.Not(up), Z.Not(down), all)),
    readout: (readInt, readBool) => {
      const code = readInt(k);
      const pick = readBool(up) ? table.up.get(code) : readBool(down) ? table.down.get(code) : { w: 0, c: readBool(all) ? 1 : 0 };
      if (pick === undefined) throw new InternalError(`threshold readout: k = ${code} has no realiser at ${format.name}`);
      return { w: [pick.w], c: pick.c };
    },
  };
}
