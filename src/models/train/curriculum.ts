// A length curriculum: training starts on short words and the longest training length grows each time the
// model masters the current range. For modular arithmetic at the `cpu` preset's budget it reaches the
// accuracy of training on the whole range from the start in about 30 % less time (the early steps are on
// short words, and it is past 0.9 validation sooner); on 40–256 it tied in one seed and scored higher in
// the other of the two compared (examples/p3-table/README.md has the runs).
//
// Stage k trains on [min, min(max, start + k * grow)] of the run's training range, so short words keep being
// drawn at every stage. The trainer validates on the current stage's range and moves to the next stage when
// that validation accuracy reaches the threshold; early stopping applies only to the last stage (the whole
// range). Promotion depends only on validation accuracy, so a curriculum run is as deterministic as any other.
import { InputError } from '../../errors.js';
import type { LengthRange } from '../../tasks/task.js';

/** How the training range grows. */
export interface Curriculum {
  /** The longest training length of the first stage. */
  start: number;
  /** Added to the longest training length at each promotion. */
  grow: number;
  /** Validation accuracy on the current stage's range that moves training to the next stage (0..1). */
  threshold: number;
}

/** The curriculum's syntax, for help texts and error messages. */
export const CURRICULUM_SYNTAX = 'START:GROW@THRESHOLD, e.g. 7:4@0.9';

/** Checks a curriculum against a training range; InputError naming `where` and the value otherwise. */
export function checkCurriculum(c: Curriculum, range: LengthRange, where = '--curriculum'): void {
  const label = `${where} ${formatCurriculum(c)}`;
  checkSteps(c, label);
  if (c.start < range.min || c.start >= range.max)
    throw new InputError(`${label}: START must lie in [${range.min}, ${range.max - 1}], the training lengths ${range.min}:${range.max} less the longest`);
}

/** The checks that need no training range: whole START and GROW >= 1, THRESHOLD an accuracy. */
function checkSteps(c: Curriculum, label: string): void {
  if (!Number.isInteger(c.start) || !Number.isInteger(c.grow) || c.grow < 1)
    throw new InputError(`${label}: START and GROW must be whole numbers, GROW >= 1 (${CURRICULUM_SYNTAX})`);
  if (!(c.threshold > 0 && c.threshold <= 1)) throw new InputError(`${label}: THRESHOLD must be an accuracy in (0, 1]`);
}

/** Parses START:GROW@THRESHOLD (InputError naming the flag and value otherwise); not yet checked against a range. */
export function parseCurriculum(text: string, where = '--curriculum'): Curriculum {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*@\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*$/i.exec(text);
  if (m === null) throw new InputError(`${where} '${text}': expected ${CURRICULUM_SYNTAX}`);
  const c = { start: Number(m[1]), grow: Number(m[2]), threshold: Number(m[3]) };
  checkSteps(c, `${where} '${text}'`);
  return c;
}

/** The curriculum as its flag value (START:GROW@THRESHOLD). */
export function formatCurriculum(c: Curriculum): string {
  return `${c.start}:${c.grow}@${c.threshold}`;
}

/** The training range of stage `stage` (0-based); the whole range once the curriculum has grown to it. */
export function stageRange(c: Curriculum | undefined, range: LengthRange, stage: number): LengthRange {
  if (c === undefined) return { min: range.min, max: range.max };
  return { min: range.min, max: Math.min(range.max, c.start + stage * c.grow) };
}

/** The number of stages: the last one trains on the whole range. */
export function stageCount(c: Curriculum | undefined, range: LengthRange): number {
  if (c === undefined) return 1;
  return 1 + Math.ceil((range.max - c.start) / c.grow);
}
