// The task a checkpoint was trained on, read from its `task.name` field: an error names the file and the
// field, since the name came from a file, not from the command line. Its alphabet and classes must be the
// task's (src/models/task-vocabulary.ts).
import { InputError } from '../errors.js';
import type { Checkpoint } from '../models/checkpoint.js';
import { checkTaskVocabulary } from '../models/task-vocabulary.js';
import { parseTask } from '../tasks/catalogue.js';
import type { Task } from '../tasks/task.js';

/** The task `ckpt.task.name` names; InputError "<file>: task.name: ..." when it names none, "<file>: task.alphabet: ..." (or task.classes) when the checkpoint's vocabulary is not the task's. */
export function checkpointTask(file: string, ckpt: Checkpoint): Task {
  let task: Task;
  try {
    task = parseTask(ckpt.task.name);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${file}: task.name: ${error.message}`);
    throw error;
  }
  checkTaskVocabulary(file, ckpt.task, task);
  return task;
}
