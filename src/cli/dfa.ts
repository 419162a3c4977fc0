// `eigenstate dfa show|minimise|equiv|run`: the automata core on files and tasks.
import type { Command } from 'commander';
import { requireSameAlphabet } from '../automata/alphabet.js';
import { separatingWord } from '../automata/equivalence.js';
import { minimise } from '../automata/minimise.js';
import { emitAutomaton, withAutomatonOutput, type AutomatonOutputOptions } from './automaton-output.js';
import { EXIT, type Wrap } from './main.js';
import { print, printJson } from './output.js';
import { resolveAutomaton } from './resolve.js';

const AUTOMATON_ARG = 'automaton file (.json, eigenstate/automaton format) or regular task name';

/** Registers the `dfa` command group. */
export function registerDfa(program: Command, wrap: Wrap): void {
  const dfa = program.command('dfa').description('inspect, minimise and compare automata (files or tasks)');

  withAutomatonOutput(dfa.command('show').argument('<automaton>', AUTOMATON_ARG).description('print an automaton')).action(
    wrap(async (arg: string, opts: AutomatonOutputOptions) => {
      const { dfa: a, name } = resolveAutomaton(arg);
      return emitAutomaton(a, name, opts, [name]);
    }),
  );

  withAutomatonOutput(
    dfa.command('minimise').alias('minimize').argument('<automaton>', AUTOMATON_ARG).description('minimise an automaton'),
  ).action(
    wrap(async (arg: string, opts: AutomatonOutputOptions) => {
      const { dfa: a, name } = resolveAutomaton(arg);
      const m = minimise(a);
      return emitAutomaton(m, name, opts, [`${name}: ${a.nStates} states, minimal ${m.nStates}`]);
    }),
  );

  dfa
    .command('equiv')
    .argument('<a>', AUTOMATON_ARG)
    .argument('<b>', AUTOMATON_ARG)
    .description('decide language equivalence; exit 1 with the shortest separating word if they differ')
    .option('--json', 'print the verdict as JSON')
    .action(
      wrap((argA: string, argB: string, opts: { json?: boolean }) => {
        const a = resolveAutomaton(argA);
        const b = resolveAutomaton(argB);
        requireSameAlphabet(a.dfa.alphabet, b.dfa.alphabet, `${a.name} vs ${b.name}`);
        const word = separatingWord(a.dfa, b.dfa);
        const result =
          word === null
            ? { equivalent: true as const }
            : {
                equivalent: false as const,
                word: a.dfa.formatWord(word),
                length: word.length,
                [a.name]: a.dfa.classes[a.dfa.evaluate(word)],
                [b.name]: b.dfa.classes[b.dfa.evaluate(word)],
              };
        if (opts.json) printJson({ a: a.name, b: b.name, ...result });
        else if (word === null) print(`equivalent: ${a.name} and ${b.name} give every word the same label`);
        else
          print(
            `not equivalent: shortest separating word '${a.dfa.formatWord(word)}' (length ${word.length}): ` +
              `${a.name} says ${a.dfa.classes[a.dfa.evaluate(word)]}, ${b.name} says ${b.dfa.classes[b.dfa.evaluate(word)]}`,
          );
        return word === null ? EXIT.ok : EXIT.claimFailed;
      }),
    );

  dfa
    .command('run')
    .argument('<automaton>', AUTOMATON_ARG)
    .argument('<word...>', "the word ('0110', or space-separated symbols; 'ε' for empty)")
    .description('run an automaton on a word and print the label')
    .action(
      wrap((arg: string, words: string[]) => {
        const { dfa: a } = resolveAutomaton(arg);
        print(a.classes[a.evaluate(a.parseWord(words.join(' ')))]);
        return 0;
      }),
    );
}
