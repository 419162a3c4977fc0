// The one way every command shows an automaton: a summary with the transition table (default), DOT,
// JSON (the eigenstate/automaton format), or SVG through the WebAssembly Graphviz, to stdout or a file.
// Text output comes first; the SVG is drawn last and only up to the drawing limit (60 states, 600
// edges) unless --no-svg-limit, so a big automaton never stalls a command or costs its other output.
import type { Command } from 'commander';
import type { Dfa } from '../automata/dfa.js';
import { dfaToDot } from '../automata/dot.js';
import { dfaToJsonText } from '../automata/json.js';
import { drawSvg } from '../automata/svg.js';
import { dfaToTable } from '../automata/table.js';
import { InputError } from '../errors.js';
import { EXIT } from './main.js';
import { print, writeOutput } from './output.js';

/** The output options shared by commands that print an automaton. */
export interface AutomatonOutputOptions {
  dot?: boolean;
  json?: boolean;
  svg?: string;
  out?: string;
  force?: boolean;
  hideSinks?: boolean;
  /** False with --no-svg-limit: draw whatever the size. */
  svgLimit?: boolean;
}

/** Tables larger than this many cells are not printed in the summary. */
const MAX_TABLE_CELLS = 4000;

/** Adds the automaton output options to a command. */
export function withAutomatonOutput(command: Command): Command {
  return command
    .option('--dot', 'print the automaton as Graphviz DOT')
    .option('--json', 'print the automaton as JSON (eigenstate/automaton, version 1)')
    .option('--svg <file>', 'draw the automaton as SVG into FILE')
    .option('-o, --out <file>', 'write the DOT or JSON to FILE instead of stdout')
    .option('--hide-sinks', 'leave rejecting sink states out of DOT and SVG drawings')
    .option('--no-svg-limit', 'draw the SVG whatever its size (default: up to 60 states and 600 edges)')
    .option('--force', 'overwrite existing output files');
}

/**
 * Emits an automaton as the options ask; `header` lines precede the default summary. Returns the exit
 * code: 0, or 3 (EXIT.unknown) when the SVG asked for was not drawn (past the limit, or Graphviz failed),
 * which is then said in one line on stderr; the text output is complete either way.
 */
export async function emitAutomaton(dfa: Dfa, name: string, opts: AutomatonOutputOptions, header: string[] = []): Promise<number> {
  if ([opts.dot, opts.json].filter(Boolean).length > 1) throw new InputError('choose one of --dot and --json');
  if (opts.out && !opts.dot && !opts.json) throw new InputError('--out needs --dot or --json (SVG goes to --svg FILE)');
  const dot = () => dfaToDot(dfa, { name, hideSinks: opts.hideSinks });
  const text = opts.dot ? dot() : opts.json ? dfaToJsonText(dfa) : undefined;
  if (text !== undefined) {
    if (opts.out) writeOutput(opts.out, text, opts.force);
    else print(text);
  } else if (!opts.svg) {
    const lines = [...header, `states: ${dfa.nStates}    alphabet: ${dfa.alphabet.join(' ')}    classes: ${dfa.classes.length}`];
    if (dfa.nStates * (dfa.nSymbols + 2) <= MAX_TABLE_CELLS) lines.push('', dfaToTable(dfa));
    else lines.push('', `(transition table too large to print: ${dfa.nStates} states × ${dfa.nSymbols} symbols; use --json or --dot)`);
    print(lines.join('\n'));
  }
  if (!opts.svg) return EXIT.ok;
  const drawing = await drawSvg(dot(), { force: opts.svgLimit === false });
  if ('skipped' in drawing) {
    const hint = drawing.why === 'limit' ? '; --no-svg-limit draws it anyway' : '';
    process.stderr.write(`eigenstate: ${opts.svg} ${drawing.skipped}${hint}\n`);
    return EXIT.unknown;
  }
  writeOutput(opts.svg, drawing.svg, opts.force);
  return EXIT.ok;
}
