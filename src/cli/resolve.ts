// An automaton argument is either an automaton file (JSON) or a regular task's name.
import { existsSync } from 'node:fs';
import type { Dfa } from '../automata/dfa.js';
import { readDfaFile } from '../automata/json.js';
import { InputError } from '../errors.js';
import { parseTask } from '../tasks/catalogue.js';

/** Loads the automaton an argument names: a .json file if one exists at that path, else a task. */
export function resolveAutomaton(arg: string): { dfa: Dfa; name: string } {
  if (existsSync(arg) || arg.endsWith('.json')) return { dfa: readDfaFile(arg), name: arg };
  const task = parseTask(arg);
  if (!task.reference) throw new InputError(`task '${task.name}' is bounded, not regular: it has no automaton`);
  return { dfa: task.reference, name: task.name };
}
