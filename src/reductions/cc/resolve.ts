// From what a user types to a two-party function: a family name with --n/--alphabet ('equality --n 8',
// 'index --n 4 --alphabet 3', 'gt --n 6') or a full task spec, optionally split by hand (--length, --split).
import { InputError } from '../../errors.js';
import { parseTask } from '../../tasks/catalogue.js';
import { greaterThan, twoPartyOfTask, type TwoPartyFunction } from './twoparty.js';

/** The parameters a user may give beside the task name. */
export interface TwoPartySpec {
  task: string;
  n?: number;
  alphabet?: number;
  length?: number;
  split?: number;
}

/** The canonical task spec for a family name plus --n/--alphabet, or the spec unchanged. */
export function taskSpecOf(spec: TwoPartySpec): string {
  const extra: string[] = [];
  if (spec.n !== undefined) extra.push(`n=${spec.n}`);
  if (spec.alphabet !== undefined) extra.push(`a=${spec.alphabet}`);
  if (extra.length === 0) return spec.task;
  if (spec.task.includes(':')) throw new InputError(`task '${spec.task}' already has parameters; drop --n/--alphabet or the ':...' part`);
  return `${spec.task}:${extra.join(',')}`;
}

/** The two-party function a spec names; 'gt' is GT_n, which has no task. */
export function resolveTwoParty(spec: TwoPartySpec): TwoPartyFunction {
  if (spec.task === 'gt') {
    if (spec.alphabet !== undefined) throw new InputError(`gt: --alphabet does not apply (inputs are bits)`);
    return greaterThan(spec.n ?? 8);
  }
  return twoPartyOfTask(parseTask(taskSpecOf(spec)), { length: spec.length, split: spec.split });
}
