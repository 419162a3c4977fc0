// The all-lengths verdict stage: a hook, not an implementation. Issue 17 (all-lengths verification of a
// checkpoint) is being built separately; when it lands it registers its decider with `registerVerdictHook`
// from a module imported by src/sweep/run-cell.ts (so every pool thread and queue worker has it), and
// grids that ask for `verdict` run it after extract. Until then a grid that
// asks for the stage is refused when the sweep starts (see requireVerdictHook), never silently skipped.
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { Task } from '../../tasks/task.js';
import type { VerdictRecord, VerdictSettings } from '../types.js';

/** Decides "the checkpoint is right on every length" for one cell; may answer unknown. */
export type VerdictHook = (checkpoint: Checkpoint, task: Task, settings: VerdictSettings) => VerdictRecord;

let hook: VerdictHook | null = null;

/** Installs the all-lengths decider (issue 17 calls this once at load). */
export function registerVerdictHook(fn: VerdictHook): void {
  hook = fn;
}

/** Throws InputError naming the grid field when the stage is asked for and no decider is installed. */
export function requireVerdictHook(where: string): void {
  if (hook === null) throw new InputError(`${where}: verdict: the all-lengths verdict stage is not in this build yet (issue 17); remove the field or use extract`);
}

/** Runs the installed decider. */
export function verdictStage(checkpoint: Checkpoint, task: Task, settings: VerdictSettings): VerdictRecord {
  if (hook === null) throw new InputError('verdict: the all-lengths verdict stage is not in this build yet (issue 17)');
  return hook(checkpoint, task, settings);
}
