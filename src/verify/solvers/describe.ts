// The portfolio's part of a text report: which solver answered, and each solver's state and time.
import type { SolverRace, SolverRun } from './types.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function describeRun(r: SolverRun): string {
  return `${r.solver} ${r.state} ${secs(r.timeMs)}${r.detail !== undefined && r.state !== 'stopped' ? ` (${r.detail})` : ''}`;
}

/** One race in one line, e.g. 'z3 answered (z3 won 0.62 s, cvc5 stopped 0.62 s, wasm stopped 0.62 s)'. */
export function describeRace(race: SolverRace): string {
  const head = race.winner === undefined ? 'no solver answered' : `${race.winner} answered`;
  const cross = race.crossCheck === undefined ? '' : `; cross-check: ${describeRun(race.crossCheck)}`;
  // A head start that decided leaves the WASM run alone in `runs`.
  const alone = race.headStartMs === undefined ? '' : race.runs.length === 1 ? 'within the WASM head start: ' : `natives joined at ${secs(race.headStartMs)}: `;
  return `${head} (${alone}${race.runs.map(describeRun).join(', ')})${cross}`;
}

/** Several races (a lazy loop's calls): the last in full, and how many each solver won. */
export function describeRaces(races: readonly SolverRace[]): string {
  if (races.length === 0) return 'no solver call';
  const last = describeRace(races[races.length - 1]);
  if (races.length === 1) return last;
  const wins = new Map<string, number>();
  for (const r of races) wins.set(r.winner ?? 'none', (wins.get(r.winner ?? 'none') ?? 0) + 1);
  return `${races.length} calls, answered by ${[...wins].map(([s, n]) => `${s} ${n}`).join(', ')}; last: ${last}`;
}
