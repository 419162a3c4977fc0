// The all-lengths verdict stage: verify --all-lengths on the cell's checkpoint (docs/all-lengths.md), at a
// number format or over the reals, within the grid's budget. The certificate of a proof is checked by the
// search itself and not kept (the cell keeps the verdict and any counterexample).
import { createHash } from 'node:crypto';
import { type Checkpoint, checkpointToJsonText } from '../../models/checkpoint.js';
import { parseFormat } from '../../precision/parse.js';
import type { Task } from '../../tasks/task.js';
import { verifyAllLengths } from '../../verify/checkpoint/all-lengths.js';
import { checkedWords, whyUnknown } from '../../verify/checkpoint/all-lengths-text.js';
import type { VerdictRecord, VerdictSettings } from '../types.js';

/** The all-lengths verdict of a checkpoint; a transformer gets 'unknown' with the reason. */
export function verdictStage(checkpoint: Checkpoint, task: Task, settings: VerdictSettings): VerdictRecord {
  if (checkpoint.config.family === 'transformer' || task.reference === undefined) {
    const why = task.reference === undefined ? 'the task is not regular' : 'a transformer has no finite state';
    return { verdict: 'unknown', format: settings.format, counterexample: null, text: `not asked: ${why}` };
  }
  // The cell's checkpoint file holds exactly this text (store.ts), so its hash names that file.
  const sha256 = createHash('sha256').update(checkpointToJsonText(checkpoint)).digest('hex');
  const format = settings.format === 'real' ? null : parseFormat(settings.format);
  const r = verifyAllLengths({ checkpoint, checkpointFile: 'the cell checkpoint', checkpointSha256: sha256, task, format, budget: settings.budget });
  const c = r.counterexample;
  const checked = checkedWords(r.checkedUpTo, r.minLength);
  const text =
    r.verdict === 'proved'
      ? `proved at ${r.arithmetic}: right on every non-empty word`
      : c !== null
        ? `refuted at ${r.arithmetic}: wrong on ${c.text} (length ${c.length}): model ${c.model}, task ${c.expected}`
        : `unknown at ${r.arithmetic}: ${r.diagnosis ?? whyUnknown(r, settings.budget)}${checked === null ? '' : `; ${checked} right`}`;
  return { verdict: r.verdict, format: r.arithmetic, counterexample: c === null ? null : { word: c.text, length: c.length, model: c.model, expected: c.expected }, text };
}
