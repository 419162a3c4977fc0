// `eigenstate prove [DIR]`: the proof-regression runner over specs/ (one claim per file).
import type { Command } from 'commander';
import { formatColumns } from '../automata/table.js';
import { proveSpecs } from '../verify/spec.js';
import { parseSolverChoice, solversFor } from '../verify/solvers/race.js';
import type { SolverChoice } from '../verify/solvers/types.js';
import { EXIT, type Wrap } from './main.js';
import { print, printJson } from './output.js';

/** Registers `prove`. */
export function registerProve(program: Command, wrap: Wrap): void {
  program
    .command('prove')
    .argument('[dir]', 'folder of spec files', 'specs')
    .description('re-check every proof-regression spec; exit 1 if any verdict differs from the expected one')
    .option('--tier <tier>', 'fast or slow specs', 'fast')
    .option('--solver <s>', 'auto (the WASM Z3 raced with every native z3/cvc5 on PATH), wasm, z3 or cvc5', parseSolverChoice, 'auto' as SolverChoice)
    .option('--cross-check', 'ask a second solver to confirm every unsat')
    .option('--json', 'print the rows as JSON')
    .action(
      wrap(async (dir: string, opts: { tier: 'fast' | 'slow'; json?: boolean; solver: SolverChoice; crossCheck?: boolean }) => {
        solversFor(opts.solver);
        const rows = await proveSpecs(dir, opts.tier, { solver: { choice: opts.solver, crossCheck: opts.crossCheck === true } });
        if (opts.json) printJson(rows);
        else
          print(
            formatColumns([
              ['claim', 'expected', 'got', 'time', 'solved by', ''],
              ...rows.map((r) => [r.claim, r.expected, r.got, `${(r.timeMs / 1000).toFixed(2)} s`, r.solvedBy ?? '', r.ok ? 'ok' : 'MISMATCH']),
            ]),
          );
        return rows.every((r) => r.ok) ? EXIT.ok : EXIT.claimFailed;
      }),
    );
}
