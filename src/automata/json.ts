// The automaton file format, versioned: { format, version, alphabet, classes, initial, states: [{ class,
// next }] } with `next` in alphabet order and states in BFS order. Validated on load; every problem names
// the file and the field.
import { z } from 'zod';
import { readJsonFile } from '../files.js';
import { parseWithSchema } from '../validate.js';
import { Dfa } from './dfa.js';
import { trim } from './reach.js';

/** The `format` tag of automaton files. */
export const AUTOMATON_FORMAT = 'eigenstate/automaton';
/** The current version of the automaton format; files of a later version are refused. */
export const AUTOMATON_VERSION = 1;

/** The JSON form of one state. */
export interface AutomatonStateJson {
  class: string;
  next: number[];
}

/** The JSON form of an automaton. */
export interface AutomatonJson {
  format: typeof AUTOMATON_FORMAT;
  version: typeof AUTOMATON_VERSION;
  alphabet: string[];
  classes: string[];
  initial: number;
  states: AutomatonStateJson[];
}

const symbolName = z.string().regex(/^\S+$/, 'must be a non-empty name without spaces');

const automatonSchema = z
  .object({
    format: z.literal(AUTOMATON_FORMAT),
    version: z.literal(AUTOMATON_VERSION, { message: `unsupported version (this eigenstate reads version ${AUTOMATON_VERSION})` }),
    alphabet: z.array(symbolName).min(1, 'must list at least one symbol'),
    classes: z.array(z.string().min(1)).min(1, 'must list at least one class'),
    initial: z.number().int().nonnegative(),
    states: z
      .array(z.object({ class: z.string(), next: z.array(z.number().int().nonnegative()) }))
      .min(1, 'must list at least one state'),
  })
  .superRefine((a, ctx) => {
    // Linear in the file's size (Maps, not indexOf): automata with 10^5 symbols load in well under a second.
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    eachRepeat(a.alphabet, (s, i) => fail(['alphabet', i], `symbol '${s}' appears twice`));
    eachRepeat(a.classes, (c, i) => fail(['classes', i], `class '${c}' appears twice`));
    const classes = new Set(a.classes);
    const n = a.states.length;
    if (a.initial >= n) fail(['initial'], `not a state (there are ${n})`);
    a.states.forEach((s, i) => {
      if (!classes.has(s.class)) fail(['states', i, 'class'], `not one of the classes [${a.classes.join(', ')}]`);
      if (s.next.length !== a.alphabet.length)
        fail(['states', i, 'next'], `needs one target per symbol (${a.alphabet.length})`);
      s.next.forEach((t, j) => {
        if (t >= n) fail(['states', i, 'next', j], `target is not a state (there are ${n})`);
      });
    });
  });

/** Calls `repeated` for every name that appeared earlier in the list, with its index; one pass over a Set. */
function eachRepeat(names: readonly string[], repeated: (name: string, index: number) => void): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) repeated(name, i);
    else seen.add(name);
  });
}

/** The JSON form of a DFA, states renumbered in BFS order (unreachable states dropped). */
export function dfaToJson(dfa: Dfa): AutomatonJson {
  const d = trim(dfa);
  const states: AutomatonStateJson[] = [];
  for (let s = 0; s < d.nStates; s++)
    states.push({ class: d.classes[d.labels[s]], next: Array.from(d.table.subarray(s * d.nSymbols, (s + 1) * d.nSymbols)) });
  return {
    format: AUTOMATON_FORMAT,
    version: AUTOMATON_VERSION,
    alphabet: [...d.alphabet],
    classes: [...d.classes],
    initial: 0,
    states,
  };
}

/** Serialises a DFA as pretty JSON (one state per line). */
export function dfaToJsonText(dfa: Dfa): string {
  const json = dfaToJson(dfa);
  const head = JSON.stringify({ ...json, states: [] }, null, 2).replace(/"states": \[\]\n}$/, '');
  const lines = json.states.map((s) => `    ${JSON.stringify(s)}`);
  return `${head}"states": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** Validates parsed JSON as an automaton; `where` (a file name) starts every error message. */
export function dfaFromJson(data: unknown, where: string): Dfa {
  const a = parseWithSchema(automatonSchema, data, where);
  const k = a.alphabet.length;
  const table = new Int32Array(a.states.length * k);
  a.states.forEach((s, i) => table.set(s.next, i * k));
  const classIndex = new Map(a.classes.map((c, i) => [c, i]));
  return new Dfa({
    alphabet: a.alphabet,
    classes: a.classes,
    initial: a.initial,
    table,
    labels: a.states.map((s) => classIndex.get(s.class) as number),
  });
}

/** Loads an automaton file. */
export function readDfaFile(file: string): Dfa {
  return dfaFromJson(readJsonFile(file), file);
}
