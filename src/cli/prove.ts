// `eigenstate prove [PATH]`: the proof-regression runner over specs/ (one claim per file). Rows are printed
// as each spec finishes (a slow tier takes minutes); --json prints them all at the end instead.
import type { Command } from 'commander';
import { type ProveRow, proveSpecs } from '../verify/specs/spec.js';
import { parseSolverChoice, solversFor } from '../verify/solvers/race.js';
import type { SolverChoice } from '../verify/solvers/types.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';
import { oneOf, parsePositive } from './parse.js';

/** The default per-spec budget in seconds: 14 slow specs then end within 15 minutes. */
export const DEFAULT_SPEC_BUDGET_S = 60;

const WIDTHS = [8, 8, 9, 11] as const;

/** One row as fixed-width columns (expected, got, time, status) then the claim, so rows can stream. */
export function proveLine(cells: readonly [string, string, string, string, string]): string {
  return cells.map((c, i) => (i < WIDTHS.length ? c.padEnd(WIDTHS[i]) : c)).join('  ');
}

function rowStatus(r: ProveRow): string {
  return r.ok ? 'ok' : r.overBudget ? 'over budget' : 'MISMATCH';
}

/** Registers `prove`. */
export function registerProve(program: Command, wrap: Wrap): void {
  program
    .command('prove')
    .argument('[path]', 'a folder of spec files, or one spec file', 'specs')
    .description(
      're-check proof-regression specs; exit 1 if a verdict differs from the expected one, 3 if a spec ran over its budget (unknown)',
    )
    .option('--tier <tier>', 'fast or slow specs of a folder (a single file runs whatever its tier)', oneOf(['fast', 'slow'] as const), 'fast')
    .option('--budget <seconds>', 'time per spec; a spec over it is unknown (shown as over budget), not a mismatch', parsePositive, DEFAULT_SPEC_BUDGET_S)
    .option('--solver <s>', 'auto (the WASM Z3 raced with every native z3/cvc5 on PATH), wasm, z3 or cvc5', parseSolverChoice, 'auto' as SolverChoice)
    .option('--cross-check', 'ask a second solver to confirm every unsat')
    .option('--json', 'print the rows as JSON (at the end)')
    .action(
      wrap(async (path: string, opts: { tier: 'fast' | 'slow'; budget: number; json?: boolean; solver: SolverChoice; crossCheck?: boolean }) => {
        solversFor(opts.solver);
        let shown = 0;
        const stream = (r: ProveRow): void => {
          // the header waits for the first row, so that a bad spec's one-line error stands alone
          if (shown++ === 0) print(proveLine(['expected', 'got', 'time', 'status', 'claim']));
          print(proveLine([r.expected, r.got, `${(r.timeMs / 1000).toFixed(2)} s`, rowStatus(r), r.solvedBy ? `${r.claim} [${r.solvedBy}]` : r.claim]));
        };
        const rows = await proveSpecs(path, opts.tier, {
          budgetS: opts.budget,
          onRow: opts.json ? undefined : stream,
          solver: { choice: opts.solver, crossCheck: opts.crossCheck === true },
        });
        if (opts.json) printJson(rows);
        else {
          const over = rows.filter((r) => r.overBudget).length;
          const bad = rows.filter((r) => !r.ok && !r.overBudget).length;
          print(`${rows.length} specs: ${rows.length - over - bad} ok, ${bad} mismatch${bad === 1 ? '' : 'es'}, ${over} over the ${opts.budget} s budget (unknown)`);
        }
        if (rows.some((r) => !r.ok && !r.overBudget)) return EXIT.claimFailed;
        return rows.some((r) => r.overBudget) ? EXIT.unknown : EXIT.ok;
      }),
    );
}
