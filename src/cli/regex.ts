// `eigenstate regex`: a regular expression to its minimal DFA (front end: automata.js).
import { type Command, Option } from 'commander';
import { regexToDfa } from '../automata/regex.js';
import { emitAutomaton, withAutomatonOutput, type AutomatonOutputOptions } from './automaton-output.js';
import type { Wrap } from './exit.js';
import { parseList, parsePositive } from './parse.js';
import { searchProgress, withProgress } from './progress.js';

/**
 * The command's cap on subset-construction states: 10^5 is reached in well under a second, where 10^6
 * took minutes under load for (0|1)*1(0|1)^21; a regex's DFA past it is unprintable anyway.
 */
const DEFAULT_REGEX_MAX_STATES = 100_000;

/** Registers `regex`. */
export function registerRegex(program: Command, wrap: Wrap): void {
  withAutomatonOutput(
    program
      .command('regex')
      .argument('<regex>', "regular expression: symbols, | * + ? ( ), '.' for any symbol, [abc] classes")
      .description('compile a regular expression into its minimal complete DFA')
      .addOption(new Option('-a, --alphabet <symbols>', 'comma-separated one-character symbols').argParser(parseList).default(['0', '1'], '0,1'))
      .option('--max-states <n>', 'cap on the subset construction (DFA states before minimisation)', parsePositive, DEFAULT_REGEX_MAX_STATES),
  ).action(
    wrap(async (regex: string, opts: AutomatonOutputOptions & { alphabet: string[]; maxStates: number }) => {
      // Blow-ups such as (0|1)*1(0|1)^21 run into the cap; the search shows how it grows on stderr meanwhile.
      const progress = searchProgress('regex: subset construction', 'states', opts.maxStates);
      const dfa = withProgress(progress, () =>
        regexToDfa(regex, opts.alphabet, { maxStates: opts.maxStates, onProgress: (p) => progress.update(p.discovered, p.discovered - p.expanded) }),
      );
      return emitAutomaton(dfa, regex, opts, [`regex: ${regex}`]);
    }),
  );
}
