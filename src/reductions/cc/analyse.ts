// Everything `eigenstate cc` says about one two-party function, each number with how it was obtained:
// D→ exactly from the matrix's distinct rows, two-way lower bounds from a checked fooling set and the
// rank, and two independent Z3 checks (a protocol search at D→ and D→ − 1 for small matrices, the symbolic
// injectivity lemma for the named families at any n). Disagreements are reported, never smoothed over.
import { bestFoolingSet, foolingBound } from './fooling.js';
import { injectivityLemma, MAX_LEMMA_BITS, type LemmaResult } from './lemma-z3.js';
import { ceilLog2, communicationMatrix, MAX_CELLS, oneWayComplexity } from './matrix.js';
import { searchProtocol, type ProtocolSearch } from './protocol-z3.js';
import { modularRank, type RankResult } from './rank.js';
import type { TwoPartyFunction } from './twoparty.js';
import type { SolverOptions } from '../../verify/solvers/types.js';

/** What to compute beyond the matrix. */
export interface CcOptions {
  /** Run the Z3 checks at all. */
  z3: boolean;
  /** Largest number of Alice inputs the Z3 protocol search is tried on (pigeonhole gets hard fast). */
  protocolMaxRows: number;
  timeoutMs: number;
  /** Which solvers answer the Z3 checks (verify/solvers/race.ts); default auto. */
  solver?: SolverOptions;
}

/** Default options: Z3 on, protocol search up to 16 rows (EQ_4), 30 s per query. */
export const DEFAULT_CC_OPTIONS: CcOptions = { z3: true, protocolMaxRows: 16, timeoutMs: 30_000 };

/** A skipped step and why. */
export interface Skipped {
  skipped: string;
}

/** The full report. */
export interface CcReport {
  function: string;
  description: string;
  aliceInputs: number;
  bobInputs: number;
  outputs: readonly string[];
  /** Exact one-way complexity from the matrix, or why the matrix was not built. */
  oneWay: { bits: number; distinctRows: number; method: string } | Skipped;
  twoWay:
    | {
        /** The best of the bounds below. */
        bound: number;
        fooling: { value: string; size: number; bound: number; method: string };
        rank: (RankResult & { bound?: number; method: string }) | Skipped;
      }
    | Skipped;
  protocolSearch: ProtocolSearch[] | Skipped;
  lemma: (LemmaResult & { method: string }) | Skipped;
  /** D→ as the checks settle it (matrix, else lemma), or null when neither ran. */
  bits: number | null;
  /** False when two methods disagree (a bug or a wrong lemma: report it). */
  consistent: boolean;
  problems: string[];
}

/** Computes every bound the options allow. */
export async function analyseCommunication(f: TwoPartyFunction, options: CcOptions = DEFAULT_CC_OPTIONS): Promise<CcReport> {
  const problems: string[] = [];
  const base = {
    function: f.name,
    description: f.description,
    aliceInputs: f.rows,
    bobInputs: f.cols,
    outputs: f.outputs,
  };
  const cells = f.rows * f.cols;
  let oneWay: CcReport['oneWay'];
  let twoWay: CcReport['twoWay'];
  let protocolSearch: CcReport['protocolSearch'];
  let matrixBits: number | null = null;
  if (cells > MAX_CELLS) {
    const skipped = `matrix ${f.rows}×${f.cols} has more than ${MAX_CELLS} cells`;
    oneWay = { skipped };
    twoWay = { skipped };
    protocolSearch = { skipped };
  } else {
    const m = communicationMatrix(f);
    const ow = oneWayComplexity(m);
    matrixBits = ow.bits;
    oneWay = {
      bits: ow.bits,
      distinctRows: ow.distinctRows,
      method: `⌈log₂ ${ow.distinctRows}⌉: distinct rows of the ${f.rows}×${f.cols} matrix, enumerated (exact)`,
    };
    const fs = bestFoolingSet(m, f.outputs.length);
    const fb = foolingBound(m, fs);
    const rk = modularRank(m);
    const rankPart = rk.computed
      ? {
          ...rk,
          bound: ceilLog2(Math.max(rk.rank, 1)),
          method: `rank over GF(${rk.prime}) of the ${rk.reducedRows}×${rk.reducedCols} matrix without duplicate rows/columns, ≤ rank over ℚ; D ≥ ⌈log₂ rank⌉`,
        }
      : { skipped: rk.reason };
    const rankBound = 'bound' in rankPart && rankPart.bound !== undefined ? rankPart.bound : 0;
    twoWay = {
      bound: Math.max(fb, rankBound),
      fooling: {
        value: f.outputs[fs.value],
        size: fs.cells.length,
        bound: fb,
        method: `greedy fooling set of '${f.outputs[fs.value]}' cells, checked pairwise; D ≥ ⌈log₂(|S| + 1)⌉`,
      },
      rank: rankPart,
    };
    // Alice's D→ bits plus Bob announcing the answer is a two-way protocol, so no lower bound may pass it.
    const answerBits = ceilLog2(f.outputs.length);
    if (twoWay.bound > ow.bits + answerBits)
      problems.push(`two-way lower bound ${twoWay.bound} exceeds D→ + ⌈log₂ outputs⌉ = ${ow.bits + answerBits} (impossible: a bug)`);
    if (!options.z3) protocolSearch = { skipped: 'Z3 checks off' };
    else if (f.rows > options.protocolMaxRows)
      protocolSearch = { skipped: `${f.rows} Alice inputs > ${options.protocolMaxRows} (pigeonhole queries are hard for Z3)` };
    else {
      const runs: ProtocolSearch[] = [await searchProtocol(m, ow.bits, options.timeoutMs, options.solver)];
      if (ow.bits > 0) runs.push(await searchProtocol(m, ow.bits - 1, options.timeoutMs, options.solver));
      protocolSearch = runs;
      if (runs[0].verdict === 'unsat') problems.push(`Z3 finds no ${ow.bits}-bit protocol, but the matrix gives one`);
      if (runs[1]?.verdict === 'sat') problems.push(`Z3 finds a ${ow.bits - 1}-bit protocol below the matrix's D→ = ${ow.bits}`);
    }
  }
  let lemma: CcReport['lemma'];
  if (!options.z3) lemma = { skipped: 'Z3 checks off' };
  else if (f.symbolic === undefined) lemma = { skipped: 'no closed form for this function (only EQ, DISJ, GT, INDEX)' };
  else {
    const width = f.symbolic.kind === 'index' ? f.symbolic.n * Math.max(Math.ceil(Math.log2(f.symbolic.a)), 1) : f.symbolic.n;
    if (width > MAX_LEMMA_BITS) lemma = { skipped: `x has ${width} bits (> ${MAX_LEMMA_BITS})` };
    else {
      const r = await injectivityLemma(f.symbolic, options.timeoutMs, options.solver);
      lemma = {
        ...r,
        method: `Z3: '${r.statement}' is ${r.verdict}; ${r.verdict === 'unsat' ? `rows pairwise distinct, so a correct message map is injective and D→ = ⌈log₂ ${r.aliceInputs}⌉ = ${r.bits}` : 'the lemma is not proved'}`,
      };
      if (r.verdict === 'sat') problems.push(`the injectivity lemma is false for ${f.name}: two Alice inputs have equal rows`);
      if (r.verdict === 'unsat' && matrixBits !== null && matrixBits !== r.bits)
        problems.push(`matrix D→ = ${matrixBits} but the lemma gives ${r.bits}`);
    }
  }
  const lemmaBits = 'verdict' in lemma && lemma.verdict === 'unsat' ? lemma.bits : null;
  return {
    ...base,
    oneWay,
    twoWay,
    protocolSearch,
    lemma,
    bits: matrixBits ?? lemmaBits,
    consistent: problems.length === 0,
    problems,
  };
}
