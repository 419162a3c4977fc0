// `eigenstate construct`'s logic: which hand-built checkpoint a (task or automaton, family) pair gets.
//   lrnn-pd    a group word problem (s3, s5, a5 and -identity: the natural action, state k²) or any
//              permutation automaton (one track over its states): perm-diagonal.ts;
//   deltanet-neg  S3's word problems (s3, s3-identity, s3-gen-identity): products of Householder
//              reflections, two layers (P3 Thm 3): householder.ts;
//   rnn-tanh   any binary regular task or automaton: the DFA-in-an-RNN of dfa-rnn.ts.
// Every result is an ordinary checkpoint; nothing here claims it is right (verify --all-lengths proves it).
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { ModelFamily } from '../../models/family.js';
import type { Task } from '../../tasks/task.js';
import { dfaRnnCheckpoint } from './dfa-rnn.js';
import { householderS3Checkpoint } from './householder.js';

import { automatonAction, groupAction, isGroupTask, permDiagonalCheckpoint } from './perm-diagonal.js';

/** A task read from an automaton file (construct's argument may be one). */
export { automatonTask } from '../../tasks/file.js';

/** The families `construct` builds, in the order help text lists them. */
export const CONSTRUCTED_FAMILIES: readonly ModelFamily[] = ['lrnn-pd', 'deltanet-neg', 'rnn-tanh'];

/** The constructed checkpoint of a regular task for a family; InputError naming what does not fit. */
export function constructCheckpoint(task: Task, family: ModelFamily): Checkpoint {
  if (task.reference === undefined) throw new InputError(`task '${task.name}' is not regular: constructions simulate an automaton`);
  const output = task.classes.length > 2 ? 'every' : 'last';
  if (family === 'lrnn-pd') {
    const action = isGroupTask(task) ? groupAction(task) : automatonAction(task.reference);
    return permDiagonalCheckpoint(task, action, output);
  }
  if (family === 'deltanet-neg') return householderS3Checkpoint(task);
  if (family === 'rnn-tanh') return dfaRnnCheckpoint(task);
  throw new InputError(`--model ${family}: no construction (choose one of ${CONSTRUCTED_FAMILIES.join(', ')})`);
}
