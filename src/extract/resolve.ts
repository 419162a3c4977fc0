// What `extract` can learn: an automaton file, a checkpoint file at a number format, or a task name.
// The file's own `format` tag decides between automaton and checkpoint, so one argument serves both.
// A checkpoint keeps its task's reference automaton (when the task is regular) for the comparison.
import { existsSync } from 'node:fs';
import type { Dfa } from '../automata/dfa.js';
import { dfaFromJson } from '../automata/json.js';
import { InputError } from '../errors.js';
import { readJsonFile } from '../files.js';
import type { Machine } from '../machine.js';
import { CHECKPOINT_FORMAT, type Checkpoint, checkpointFromJson } from '../models/checkpoint.js';
import { checkTaskVocabulary } from '../models/task-vocabulary.js';
import type { NumberFormat } from '../precision/format.js';
import { checkpointMachine } from '../precision/machine.js';
import { parseTask } from '../tasks/catalogue.js';
import type { Task } from '../tasks/task.js';
import type { MembershipOracle } from './oracle.js';
import { machineOracle, taskOracle } from './system.js';

/** A resolved system under learning. */
export interface SystemUnderLearning {
  readonly kind: 'automaton' | 'task' | 'checkpoint';
  readonly name: string;
  readonly membership: MembershipOracle;
  /** The deterministic machine behind it, when there is one (exact oracle, exact extraction). */
  readonly machine?: Machine<unknown>;
  /** The task's reference automaton, to compare the result with (checkpoints of regular tasks). */
  readonly reference?: { readonly task: string; readonly dfa: Dfa };
  /** The number format a checkpoint runs at. */
  readonly format?: NumberFormat;
  readonly checkpoint?: Checkpoint;
}

/** Resolves an argument: a JSON file (automaton or checkpoint) if one exists there, else a task name. */
export function resolveSystem(arg: string, format: NumberFormat): SystemUnderLearning {
  if (existsSync(arg) || arg.endsWith('.json')) {
    const data = readJsonFile(arg);
    if (typeof data === 'object' && data !== null && (data as { format?: unknown }).format === CHECKPOINT_FORMAT) {
      const checkpoint = checkpointFromJson(data, arg);
      const machine = checkpointMachine(checkpoint, format) as Machine<unknown>;
      let task: Task | undefined;
      try {
        task = parseTask(checkpoint.task.name);
      } catch (error) {
        // A checkpoint may name a task this build does not know; it is still a system to learn.
        if (!(error instanceof InputError)) throw error;
      }
      // A task it does know must be spoken in its own symbols and classes, or the comparison means nothing.
      if (task !== undefined) checkTaskVocabulary(arg, checkpoint.task, task);
      const reference = task?.reference ? { task: task.name, dfa: task.reference } : undefined;
      return { kind: 'checkpoint', name: arg, membership: machineOracle(machine), machine, reference, format, checkpoint };
    }
    const dfa = dfaFromJson(data, arg);
    return { kind: 'automaton', name: arg, membership: machineOracle(dfa), machine: dfa as Machine<unknown> };
  }
  const task = parseTask(arg);
  return {
    kind: 'task',
    name: task.name,
    membership: taskOracle(task),
    machine: task.reference as Machine<unknown> | undefined,
    reference: task.reference ? { task: task.name, dfa: task.reference } : undefined,
  };
}
