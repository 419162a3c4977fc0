// `eigenstate regex`: a regular expression to its minimal DFA (front end: automata.js).
import type { Command } from 'commander';
import { regexToDfa } from '../automata/regex.js';
import { emitAutomaton, withAutomatonOutput, type AutomatonOutputOptions } from './automaton-output.js';
import type { Wrap } from './main.js';
import { parseList } from './parse.js';

/** Registers `regex`. */
export function registerRegex(program: Command, wrap: Wrap): void {
  withAutomatonOutput(
    program
      .command('regex')
      .argument('<regex>', "regular expression: symbols, | * + ? ( ), '.' for any symbol, [abc] classes")
      .description('compile a regular expression into its minimal complete DFA')
      .option('-a, --alphabet <symbols>', 'comma-separated one-character symbols', parseList, ['0', '1']),
  ).action(
    wrap(async (regex: string, opts: AutomatonOutputOptions & { alphabet: string[] }) => {
      return emitAutomaton(regexToDfa(regex, opts.alphabet), regex, opts, [`regex: ${regex}`]);
    }),
  );
}
