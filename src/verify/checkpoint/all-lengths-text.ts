// The words an all-lengths answer uses for what its exhaustive part checked and for why an `unknown` run
// stopped, shared by the CLI report and the sweep's verdict stage, so that neither prints "up to length
// Infinity" (a closed search), "up to length 0" (nothing checked) or "within the budget" when the deciders
// gave up long before it.
import type { AllLengthsResult } from './types.js';

/**
 * The words the exhaustive part checked: 'every non-empty word up to length 8', 'every word of length 5..9',
 * 'every non-empty word (the exhaustive search closed)', or null when it checked none.
 */
export function checkedWords(checkedUpTo: number, minLength: number): string | null {
  const from = minLength === 1 ? 'every non-empty word' : `every word of length ${minLength} or more`;
  if (!Number.isFinite(checkedUpTo)) return `${from} (the exhaustive search closed)`;
  if (checkedUpTo < minLength) return null;
  return minLength === 1 ? `every non-empty word up to length ${checkedUpTo}` : `every word of length ${minLength}..${checkedUpTo}`;
}

/** True when some decider stopped because its share of the budget (or the whole budget) was spent; `work`: the budget was that many work units (--work), not `budgetSeconds`. */
export function ranOutOfTime(r: AllLengthsResult, budgetSeconds: number, work?: number): boolean {
  const spent = work === undefined ? r.seconds >= budgetSeconds : r.work >= work;
  return spent || r.deciders.some((d) => d.outcome === 'out of budget' || d.outcome === 'skipped: no time left');
}

/** Why an unknown run stopped: the budget ran out, or every decider stopped for another reason first (with the time or work used). */
export function whyUnknown(r: AllLengthsResult, budgetSeconds: number, work?: number): string {
  if (work !== undefined) {
    return ranOutOfTime(r, budgetSeconds, work) ? `the budget of ${work} work units ran out` : `every decider stopped after ${r.work} of the ${work} work units, none for lack of work`;
  }
  return ranOutOfTime(r, budgetSeconds)
    ? `the ${budgetSeconds} s budget ran out`
    : `every decider stopped after ${r.seconds.toFixed(2)} s of the ${budgetSeconds} s budget, none for lack of time`;
}

/** Why an invariant search failed, in words, for the decider's outcome ('failed (a box left the finite range)'). */
export function invariantFailureWords(reason: 'readout' | 'overflow' | 'budget' | undefined): string {
  if (reason === 'overflow') return 'a box left the finite range';
  if (reason === 'readout') return 'a readout could not be certified';
  return reason === 'budget' ? 'no inductive invariant within its caps' : 'no invariant';
}
