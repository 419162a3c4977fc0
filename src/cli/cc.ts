// `eigenstate cc TASK`: communication complexity of a two-party task (src/reductions/cc).
import type { Command } from 'commander';
import { analyseCommunication, type CcReport } from '../reductions/cc/analyse.js';
import { resolveTwoParty } from '../reductions/cc/resolve.js';
import { z3Version } from '../verify/z3/session.js';
import { describeRace } from '../verify/solvers/describe.js';
import { parseSolverChoice, solversFor } from '../verify/solvers/race.js';
import type { SolverChoice } from '../verify/solvers/types.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';
import { parseCount } from './parse.js';

interface CcCliOptions {
  n?: number;
  alphabet?: number;
  length?: number;
  split?: number;
  z3: boolean;
  protocolMaxRows: number;
  timeout: number;
  json?: boolean;
  solver: SolverChoice;
  crossCheck?: boolean;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function report(r: CcReport, version: string | null): string {
  const lines = [`${r.function}: ${r.description}`, `  Alice ${r.aliceInputs} inputs, Bob ${r.bobInputs} inputs, outputs ${r.outputs.join(', ')}`];
  lines.push('skipped' in r.oneWay ? `one-way D→: matrix skipped (${r.oneWay.skipped})` : `one-way D→ = ${r.oneWay.bits} bits: ${r.oneWay.method}`);
  if ('skipped' in r.twoWay) lines.push(`two-way: skipped (${r.twoWay.skipped})`);
  else {
    const { fooling, rank } = r.twoWay;
    lines.push(`two-way D ≥ ${r.twoWay.bound} bits (lower bound, the best of):`);
    lines.push(`  fooling set of size ${fooling.size}: D ≥ ${fooling.bound}  (${fooling.method})`);
    lines.push('skipped' in rank ? `  rank: skipped (${rank.skipped})` : `  rank ${rank.computed ? rank.rank : '?'}: D ≥ ${rank.bound}  (${rank.method})`);
  }
  if ('skipped' in r.protocolSearch) lines.push(`Z3 protocol search: skipped (${r.protocolSearch.skipped})`);
  else
    lines.push(
      `Z3 protocol search: ${r.protocolSearch
        .map((s) => `${s.bits}-bit protocol ${s.verdict}${s.verdict === 'sat' ? ' (replayed on every cell)' : ''}${s.reason ? ` (${s.reason})` : ''} in ${secs(s.timeMs)}`)
        .join('; ')}`,
    );
  lines.push('skipped' in r.lemma ? `Z3 injectivity lemma: skipped (${r.lemma.skipped})` : `Z3 injectivity lemma (${secs(r.lemma.timeMs)}): ${r.lemma.method}`);
  if (!('skipped' in r.protocolSearch)) for (const s of r.protocolSearch) if (s.solvers) lines.push(`  solvers, ${s.bits}-bit protocol: ${describeRace(s.solvers)}`);
  if (!('skipped' in r.lemma) && r.lemma.solvers) lines.push(`  solvers, lemma: ${describeRace(r.lemma.solvers)}`);
  if (r.consistent) lines.push(r.bits === null ? 'D→ not settled (no method ran)' : `D→(${r.function}) = ${r.bits}: every check that ran agrees`);
  else for (const p of r.problems) lines.push(`DISAGREEMENT: ${p}`);
  if (version !== null) lines.push(`z3: ${version}`);
  return lines.join('\n');
}

/** Registers `cc`. */
export function registerCc(program: Command, wrap: Wrap): void {
  program
    .command('cc')
    .argument('<task>', "equality, disjointness, index, gt, or a task spec (e.g. 'equality:n=8', 'parity' with --length/--split)")
    .description('communication complexity of a two-party task: exact one-way D→, two-way lower bounds, Z3 cross-checks')
    .option('-n, --n <n>', 'input length n (EQ_n, DISJ_n, INDEX_n, GT_n)', parseCount)
    .option('-a, --alphabet <a>', 'alphabet size of index', parseCount)
    .option('--length <L>', 'word length, for a task without a built-in split (enumerated)', parseCount)
    .option('--split <k>', "Alice's share of the word (default: the task's split)", parseCount)
    .option('--no-z3', 'skip the Z3 checks')
    .option('--protocol-max-rows <r>', 'largest number of Alice inputs for the Z3 protocol search', parseCount, 16)
    .option('-t, --timeout <seconds>', 'Z3 time limit per query', parseCount, 30)
    .option('--solver <s>', 'auto (the WASM Z3 raced with every native z3/cvc5 on PATH), wasm, z3 or cvc5', parseSolverChoice, 'auto' as SolverChoice)
    .option('--cross-check', 'ask a second solver to confirm every unsat')
    .option('--json', 'print the report as JSON')
    .action(
      wrap(async (task: string, opts: CcCliOptions) => {
        const f = resolveTwoParty({ task, n: opts.n, alphabet: opts.alphabet, length: opts.length, split: opts.split });
        if (opts.z3) solversFor(opts.solver);
        const solver = { choice: opts.solver, crossCheck: opts.crossCheck === true };
        const r = await analyseCommunication(f, { z3: opts.z3, protocolMaxRows: opts.protocolMaxRows, timeoutMs: opts.timeout * 1000, solver });
        const version = opts.z3 ? await z3Version() : null;
        if (opts.json) printJson({ ...r, z3Version: version });
        else print(report(r, version));
        return r.consistent ? EXIT.ok : EXIT.claimFailed;
      }),
    );
}
