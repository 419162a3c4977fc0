// `eigenstate task show|sample|label`: one task of the catalogue.
import type { Command } from 'commander';
import { formatWord, parseWord } from '../automata/alphabet.js';
import { InputError } from '../errors.js';
import { Rng } from '../random.js';
import { parseTask } from '../tasks/catalogue.js';
import type { LengthRange } from '../tasks/task.js';
import { emitAutomaton, withAutomatonOutput, type AutomatonOutputOptions } from './automaton-output.js';
import type { Wrap } from './main.js';
import { print, printJson } from './output.js';
import { parseCount, parseInteger, parseLengthRange } from './parse.js';

/** Registers `task show`, `task sample` and `task label`. */
export function registerTask(program: Command, wrap: Wrap): void {
  const task = program.command('task').description('show, sample or label one task (see `eigenstate tasks`)');

  withAutomatonOutput(
    task
      .command('show')
      .argument('<task>', "task name, with parameters as NAME:key=value,... (e.g. 'tomita3', 'mod:m=5')")
      .description("print a task's minimal reference automaton: table (default), --dot, --json or --svg FILE"),
  ).action(
    wrap(async (spec: string, opts: AutomatonOutputOptions) => {
      const t = parseTask(spec);
      const header = [`${t.name}: ${t.description}`, `kind: ${t.kind}${t.split === undefined ? '' : `    split at ${t.split}`}`];
      if (!t.reference) {
        if (opts.dot || opts.json || opts.svg)
          throw new InputError(`task '${t.name}' is bounded, not regular: it has no reference automaton`);
        print([...header, `alphabet: ${t.alphabet.join(' ')}    classes: ${t.classes.join(' ')}`].join('\n'));
        return 0;
      }
      return emitAutomaton(t.reference, t.name, opts, header);
    }),
  );

  task
    .command('sample')
    .argument('<task>', 'task name')
    .description('draw labelled words from the task’s seeded sampler (classes balanced)')
    .option('-l, --lengths <range>', 'word lengths MIN:MAX', parseLengthRange, { min: 1, max: 10 })
    .option('-n, --count <n>', 'number of words', parseCount, 10)
    .option('-s, --seed <seed>', 'random seed', parseInteger, 0)
    .option('--json', 'print the samples as JSON')
    .action(
      wrap((spec: string, opts: { lengths: LengthRange; count: number; seed: number; json?: boolean }) => {
        const t = parseTask(spec);
        const rng = new Rng(opts.seed);
        const samples = Array.from({ length: opts.count }, () => t.sample(rng, opts.lengths));
        const rows = samples.map((e) => ({ word: formatWord(t.alphabet, e.word), label: t.classes[e.label] }));
        if (opts.json) printJson({ task: t.name, seed: opts.seed, lengths: opts.lengths, samples: rows });
        else print(rows.map((r) => `${r.label}\t${r.word}`).join('\n'));
        return 0;
      }),
    );

  task
    .command('label')
    .argument('<task>', 'task name')
    .argument('<word...>', "the word: '0110', or space-separated symbols for multi-character alphabets; 'ε' for the empty word")
    .description('print the exact label the task gives a word')
    .option('--json', 'print as JSON')
    .action(
      wrap((spec: string, words: string[], opts: { json?: boolean }) => {
        const t = parseTask(spec);
        const word = parseWord(t.alphabet, words.join(' '));
        const label = t.classes[t.label(word)];
        if (opts.json) printJson({ task: t.name, word: formatWord(t.alphabet, word), label });
        else print(label);
        return 0;
      }),
    );
}
