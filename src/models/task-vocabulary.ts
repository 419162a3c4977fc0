// A checkpoint read against a task must speak the task's language: the same symbols in the same order (the
// embedding's rows are indexed by them) and the same classes in the same order (the readout's rows are).
// Otherwise every accuracy, extraction or proof would silently compare different things.
import { InputError } from '../errors.js';
import type { Task } from '../tasks/task.js';
import type { CheckpointTask } from './checkpoint.js';

/** At most this many items of a list are named in a message (an alphabet can have 10^5 symbols). */
const SHOWN = 8;

/** A list for a one-line message: its first items and, when longer, how many there are. */
function shown(items: readonly string[]): string {
  const head = items.slice(0, SHOWN).join(', ');
  return items.length <= SHOWN ? `[${head}]` : `[${head}, ... (${items.length} in all)]`;
}

/** True when two lists hold the same strings in the same order. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** InputError "<file>: task.alphabet: ..." (or task.classes) unless the checkpoint's symbols and classes are `task`'s, in order. */
export function checkTaskVocabulary(file: string, ckptTask: CheckpointTask, task: Task): void {
  if (!sameList(ckptTask.alphabet, task.alphabet)) {
    throw new InputError(`${file}: task.alphabet: ${shown(ckptTask.alphabet)} is not the alphabet of task '${task.name}', ${shown(task.alphabet)}`);
  }
  if (!sameList(ckptTask.classes, task.classes)) {
    throw new InputError(`${file}: task.classes: ${shown(ckptTask.classes)} are not the classes of task '${task.name}', ${shown(task.classes)}`);
  }
}
