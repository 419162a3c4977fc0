// `eigenstate tasks`: the task catalogue.
import type { Command } from 'commander';
import { formatColumns } from '../automata/table.js';
import { taskFamilies } from '../tasks/catalogue.js';
import type { Wrap } from './exit.js';
import { print, printJson } from './output.js';

/** Registers `tasks`. */
export function registerTasks(program: Command, wrap: Wrap): void {
  program
    .command('tasks')
    .description('list the task catalogue (families, parameters, reference automaton sizes)')
    .option('--json', 'print the catalogue as JSON')
    .action(
      wrap((opts: { json?: boolean }) => {
        const rows = taskFamilies().map((f) => {
          const task = f.create(Object.fromEntries(f.params.map((p) => [p.name, p.default])));
          return {
            family: f.family,
            example: task.name,
            params: f.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
            kind: task.kind,
            alphabet: task.alphabet.length,
            classes: task.classes.length,
            states: task.reference?.nStates ?? null,
            summary: f.summary,
          };
        });
        if (opts.json) {
          printJson(rows);
          return 0;
        }
        const table = [
          ['task', 'parameters', 'kind', '|Σ|', 'classes', 'states', 'description'],
          ...rows.map((r) => [
            r.family,
            r.params.map((p) => `${p.name}=${p.default} (${p.min}..${p.max})`).join(', ') || '-',
            r.kind,
            String(r.alphabet),
            String(r.classes),
            r.states === null ? '-' : String(r.states),
            r.summary,
          ]),
        ];
        print(formatColumns(table));
        print("\nstates: the minimal complete reference automaton at the default parameters.\nParameters: NAME:key=value,... e.g. 'mod:m=5', 'dyck:k=2,d=3'.");
        return 0;
      }),
    );
}
