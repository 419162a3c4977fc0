// `eigenstate regex`: a regular expression to its minimal DFA (front end: automata.js).
import { type Command, Option } from 'commander';
import { regexToDfa } from '../automata/regex.js';
import { emitAutomaton, withAutomatonOutput, type AutomatonOutputOptions } from './automaton-output.js';
import type { Wrap } from './exit.js';
import { parseList, parsePositive } from './parse.js';

/** Registers `regex`. */
export function registerRegex(program: Command, wrap: Wrap): void {
  withAutomatonOutput(
    program
      .command('regex')
      .argument('<regex>', "regular expression: symbols, | * + ? ( ), '.' for any symbol, [abc] classes")
      .description('compile a regular expression into its minimal complete DFA')
      .addOption(new Option('-a, --alphabet <symbols>', 'comma-separated one-character symbols').argParser(parseList).default(['0', '1'], '0,1'))
      .option('--max-states <n>', 'cap on the subset construction (DFA states before minimisation)', parsePositive, 1_000_000),
  ).action(
    wrap(async (regex: string, opts: AutomatonOutputOptions & { alphabet: string[]; maxStates: number }) => {
      return emitAutomaton(regexToDfa(regex, opts.alphabet, { maxStates: opts.maxStates }), regex, opts, [`regex: ${regex}`]);
    }),
  );
}
