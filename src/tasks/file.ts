// A task given as an automaton file (eigenstate/automaton JSON) instead of a catalogue name: construct,
// verify and check-certificate read the same argument the same way, so a checkpoint built from a file is
// proved against that file.
import { existsSync } from 'node:fs';
import type { Dfa } from '../automata/dfa.js';
import { readDfaFile } from '../automata/json.js';
import { parseTask } from './catalogue.js';
import { regularTask } from './regular.js';
import type { Task } from './task.js';

/** True when an argument names an automaton file: an existing path, or a name ending in .json. */
export function isAutomatonFile(arg: string): boolean {
  return existsSync(arg) || arg.endsWith('.json');
}

/** A task read from an automaton file: its name is the file, its reference the (minimised) automaton. */
export function automatonTask(file: string, dfa: Dfa): Task {
  return regularTask({ name: file, family: 'automaton-file', description: `the automaton of ${file}`, dfa });
}

/** The task an argument names: an automaton file (read and minimised) or a catalogue task; InputError otherwise. */
export function taskFromArgument(arg: string): Task {
  return isAutomatonFile(arg) ? automatonTask(arg, readDfaFile(arg)) : parseTask(arg);
}
