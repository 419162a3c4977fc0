// How `verify --all-lengths` prints its answer: a few lines for people, or the JSON object of the
// documented shape (docs/all-lengths.md) for scripts.
import type { AllLengthsCounterexample, AllLengthsQuery, AllLengthsResult } from '../verify/checkpoint/types.js';
import { checkedWords, whyUnknown } from '../verify/checkpoint/all-lengths-text.js';
import { printSymbols } from '../verify/checkpoint/lasso-word.js';

/** The JSON shape: verdict, format, counterexample, certificate path, checkedUpTo, seconds, figures. */
export function allLengthsJson(q: AllLengthsQuery, r: AllLengthsResult, certificatePath: string | null): unknown {
  const alphabet = q.task.reference?.alphabet ?? [];
  const c = r.counterexample;
  return {
    verdict: r.verdict,
    format: r.arithmetic,
    model: q.checkpoint.config.family,
    task: q.task.name,
    counterexample:
      c === null
        ? null
        : { prefix: printSymbols(alphabet, c.lasso.prefix), loop: printSymbols(alphabet, c.lasso.loop), power: c.lasso.power, length: c.length, model: c.model, expected: c.expected, word: c.text, method: c.method },
    proof: r.proof,
    certificate: certificatePath,
    checkedUpTo: r.checkedUpTo,
    diagnosis: r.diagnosis,
    abstractStates: r.abstractStates,
    refinementRounds: r.refinementRounds,
    lassos: r.lassos,
    minLength: r.minLength,
    notes: r.notes,
    deciders: r.deciders.map((d) => ({ ...d, seconds: Number(d.seconds.toFixed(3)) })),
    seconds: Number(r.seconds.toFixed(3)),
    work: r.work,
  };
}

/** The answer for people. */
export function describeAllLengths(q: AllLengthsQuery, r: AllLengthsResult, certificatePath: string | null): string {
  const what = `${q.checkpoint.config.family} on ${q.task.name} at ${r.arithmetic === 'real' ? 'exact real arithmetic' : r.arithmetic}`;
  const lines: string[] = [];
  if (r.verdict === 'proved') {
    lines.push(r.minLength > 1 ? `proved: ${what} is right on every word of length ${r.minLength} or more` : `proved: ${what} is right on every non-empty word, of every length`);
    const boxes = r.certificate?.states.length ?? 0;
    if (r.proof === 'exhaustive') lines.push(`proof: the exact search closed (every reachable pair of model state and task state checked)${r.certificate === null ? `; ${r.diagnosis ?? 'no certificate'}` : `; its ${boxes} pairs as point boxes, re-checked by the independent checker`}`);
    else if (r.proof === 'block-invariant' && r.certificate !== null && 'kind' in r.certificate && (r.certificate.kind === 'split-blocks' || r.certificate.kind === 'split-cuts')) {
      const parts = r.certificate.states.reduce((t, s) => t + s.parts.length, 0);
      const cuts = r.certificate.kind === 'split-cuts' ? ' cut by hyperplanes' : '';
      lines.push(`split block invariant: ${parts} boxes (parts)${cuts} over ${boxes} (task state, last ${r.certificate.block} symbols), each part's image under every block of ${r.certificate.block} symbols inside one part, followed with zonotopes, re-checked by the independent checker`);
    } else if (r.proof === 'block-invariant' && r.certificate !== null && 'block' in r.certificate) {
      lines.push(`block invariant: ${boxes} boxes over (task state, last ${r.certificate.block} symbols), inductive under blocks of ${r.certificate.block} symbols followed with zonotopes, re-checked by the independent checker`);
    } else lines.push(`inductive invariant: ${boxes} boxes over (task state, last symbols), re-checked by the independent checker`);
    if (certificatePath !== null) lines.push(`certificate: ${certificatePath} (eigenstate check-certificate ${certificatePath} ${q.checkpointFile})`);
    else if (r.certificate !== null) lines.push('certificate: not written (--certificate FILE keeps it)');
  } else if (r.verdict === 'refuted' && r.counterexample !== null) {
    const c = r.counterexample;
    lines.push(`refuted: ${what} is wrong on ${c.text} (length ${c.length})`);
    lines.push(`the model says ${c.model}, the task says ${c.expected}; found by ${foundBy(c)}, replayed before printing`);
    lines.push(`replay: eigenstate run ${q.checkpointFile} '${c.text}'${r.arithmetic === 'real' ? ' --real' : ` --format '${r.arithmetic}'`}`);
  } else {
    lines.push(`unknown: no proof and no counterexample for ${what}${r.minLength > 1 ? ` on the words of length ${r.minLength} or more` : ''}: ${whyUnknown(r, q.budget, q.clock?.kind === 'work' ? Math.round(q.budget * 1000) : undefined)}`);
    if (r.diagnosis !== null) lines.push(`where the proof failed: ${r.diagnosis}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.deciders.length > 0) lines.push(`deciders: ${r.deciders.map((d) => `${d.name} ${d.seconds.toFixed(2)} s, ${d.work} units (${d.outcome})`).join(', ')}`);
  const words = checkedWords(r.checkedUpTo, r.minLength);
  const checked = words !== null ? `${words} checked` : `no word${r.minLength === 1 ? '' : ` of length ${r.minLength} or more`} checked exhaustively`;
  lines.push(`${checked}; ${r.abstractStates} abstract states in ${r.refinementRounds} refinement round${r.refinementRounds === 1 ? '' : 's'}; ${r.lassos.tried} lassos (${r.lassos.closed} closed)`);
  lines.push(`time: ${r.seconds.toFixed(2)} s, work: ${r.work} units    method: docs/all-lengths.md`);
  return lines.join('\n');
}

/** The search that found a counterexample, and for a real one the fp32 search that proposed it and how it was certified. */
function foundBy(c: AllLengthsCounterexample): string {
  if (c.method === 'exhaustive') return 'exhaustive search of short words';
  if (c.method === 'lasso') return 'lasso cycle detection';
  if (c.method === 'closed-form') return 'the closed form of the loop (certified in interval arithmetic)';
  const source = c.source === 'short words' ? 'the exhaustive search of short words' : c.source === 'random words' ? 'seeded random long words' : 'lasso cycle detection';
  const how = c.method === 'zonotope' ? 'with zonotopes' : '(closed form or interval steps)';
  return `${source} at fp32, the word then certified over the reals ${how} and confirmed by the checker's own replay`;
}
