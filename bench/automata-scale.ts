// Scale figures for the automata front ends (issue 25 cases 3 and 8): the subset construction on the
// exponential family (0|1)*1(0|1)^n, up to and past its cap, and reading automaton files over large
// alphabets (the validation was quadratic in the number of symbols).
import os from 'node:os';
import { dfaFromJson } from '../src/automata/json.js';
import { regexToDfa } from '../src/automata/regex.js';
import { TooManyStatesError } from '../src/errors.js';
import { time } from './automata.js';

function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** A two-state automaton file over k symbols (odd symbols swap the states), as parsed JSON. */
function wideAutomaton(k: number): unknown {
  const alphabet = Array.from({ length: k }, (_, i) => `s${i}`);
  return {
    format: 'eigenstate/automaton',
    version: 1,
    alphabet,
    classes: ['reject', 'accept'],
    initial: 0,
    states: [
      { class: 'reject', next: alphabet.map((_, i) => i % 2) },
      { class: 'accept', next: alphabet.map((_, i) => 1 - (i % 2)) },
    ],
  };
}

/** Times regexToDfa on (0|1)*1(0|1)^n (2^(n+1) states) and dfaFromJson on alphabets of 10^3..10^5 symbols. */
export async function benchAutomataScale(): Promise<void> {
  const rows: string[][] = [];
  for (const [n, cap] of [[12, 1_000_000], [15, 1_000_000], [18, 1_000_000], [21, 100_000], [21, 1_000_000]] as const) {
    const regex = `(0|1)*1${'(0|1)'.repeat(n)}`;
    const [ms, outcome] = time(n <= 15 ? 3 : 1, () => {
      try {
        return String(regexToDfa(regex, ['0', '1'], { maxStates: cap }).nStates);
      } catch (error) {
        if (error instanceof TooManyStatesError) return `cap (${error.cap.toLocaleString('en-US')})`;
        throw error;
      }
    });
    rows.push([`(0|1)*1(0|1)^${n}`, cap.toLocaleString('en-US'), outcome, ms.toFixed(0)]);
  }
  table(['regex', 'cap', 'minimal states', 'ms'], rows);
  console.log('');
  const load: string[][] = [];
  for (const k of [1_000, 10_000, 100_000]) {
    const json = wideAutomaton(k);
    const [ms] = time(3, () => dfaFromJson(json, 'bench.json'));
    load.push([k.toLocaleString('en-US'), ms.toFixed(0)]);
  }
  table(['symbols', 'read ms (2 states)'], load);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nregexToDfa: parse, subset construction (capped), minimisation; median of 3 runs (n ≤ 15) or 1 run.\ndfaFromJson: validation and table of a parsed file, median of 3 runs.\n${cpu}, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}.`);
}
