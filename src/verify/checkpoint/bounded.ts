// Checkpoint-level verification (issue 6): does this model, run exactly at a format, label every word up to
// length N correctly? The exact executor makes the model a finite automaton, so the check is a
// breadth-first search over (model state, reference state) pairs: a shortest wrong word, a proof for every
// length when the pairs run out, or, when the state cap or time limit comes first, the length up to which
// every word was checked. Non-empty words only: the network is defined on T >= 1 (precision/machine.ts).
import { match } from 'ts-pattern';
import { formatWord } from '../../automata/alphabet.js';
import { InputError } from '../../errors.js';
import { checkAgainstReference, type ExactCheck } from '../../extract/exact.js';
import type { Word } from '../../machine.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { checkpointMachine } from '../../precision/machine.js';
import type { Task } from '../../tasks/task.js';

/** What was asked: a checkpoint, a regular task, a format, the longest word, and the search budget. */
export interface CheckpointQuery {
  checkpoint: Checkpoint;
  task: Task;
  format: NumberFormat;
  maxLen: number;
  maxStates: number;
  /** Optional time limit; without it the verdict depends only on the state cap (deterministic). */
  seconds?: number;
}

/** holds: every word up to maxLen is right; fails: a wrong word of length <= maxLen; unknown: budget ran out first. */
export type CheckpointVerdict = 'holds' | 'fails' | 'unknown';

/** The answer, with the evidence behind it. */
export interface CheckpointResult {
  verdict: CheckpointVerdict;
  /** True when the search covered every reachable pair: the model equals the task on every non-empty length. */
  allLengths: boolean;
  /** The shortest wrong word (fails only), with what the task and the model say. */
  counterexample?: { word: Word; text: string; expected: string; got: string };
  /** Every non-empty word up to this length was checked. */
  checkedLength: number;
  explored: number;
  seconds: number;
  stopped: ExactCheck['stopped'];
}

/** Checks a checkpoint against a regular task's reference up to maxLen; InputError for a non-regular task. */
export function verifyCheckpoint(q: CheckpointQuery): CheckpointResult {
  const reference = q.task.reference;
  if (reference === undefined) {
    throw new InputError(`task '${q.task.name}' has no reference automaton; checkpoint verification needs a regular task`);
  }
  const check = checkAgainstReference(checkpointMachine(q.checkpoint, q.format), reference, {
    maxStates: q.maxStates,
    seconds: q.seconds,
  });
  const base = { explored: check.explored, seconds: check.seconds, stopped: check.stopped };
  const verdict = check.verdict;
  if (verdict === null) {
    const covered = check.checkedLength >= q.maxLen;
    return { ...base, verdict: covered ? 'holds' : 'unknown', allLengths: false, checkedLength: check.checkedLength };
  }
  if (verdict.equal) return { ...base, verdict: 'holds', allLengths: true, checkedLength: Infinity };
  const classes = reference.classes;
  const counterexample = {
    word: verdict.word,
    text: formatWord(reference.alphabet, verdict.word),
    expected: classes[verdict.expected],
    got: classes[verdict.got],
  };
  // A wrong word longer than the bound still proves every shorter word right (BFS finds the shortest).
  if (verdict.word.length > q.maxLen) {
    return { ...base, verdict: 'holds', allLengths: false, checkedLength: verdict.word.length - 1, counterexample };
  }
  return { ...base, verdict: 'fails', allLengths: false, checkedLength: verdict.word.length - 1, counterexample };
}

/** The result as a short report for people. */
export function describeCheckpointResult(q: CheckpointQuery, r: CheckpointResult): string {
  const what = `${q.checkpoint.config.family} on ${q.task.name} at ${q.format.name}`;
  const head = match(r.verdict)
    .with('holds', () =>
      r.allLengths
        ? `holds: ${what} is right on every non-empty input (all lengths, a proof at this precision)`
        : `holds: ${what} is right on every non-empty word up to length ${q.maxLen}`,
    )
    .with('fails', () => `fails: ${what} is wrong on a word of length ${r.counterexample?.word.length ?? '?'}`)
    .with('unknown', () => `unknown: the ${r.stopped === 'time' ? 'time limit' : 'state cap'} came first; every word up to length ${r.checkedLength} is right`)
    .exhaustive();
  const lines = [head];
  if (r.counterexample !== undefined) {
    const c = r.counterexample;
    const label = r.verdict === 'fails' ? 'shortest wrong word' : 'first wrong word (beyond the bound)';
    lines.push(`${label}: '${c.text}': the task says ${c.expected}, the model says ${c.got}`);
  }
  lines.push(`states explored: ${r.explored}    time: ${r.seconds.toFixed(2)} s`);
  return lines.join('\n');
}
