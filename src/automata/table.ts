// The plain-text transition table the CLI prints: one row per state in BFS order, the initial state
// marked with →, a column per symbol. Golden-tested, so its layout is stable.
import type { Dfa } from './dfa.js';
import { trim } from './reach.js';

/** Formats rows of cells as left-aligned columns separated by two spaces. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The transition table of a DFA as text (states renumbered in BFS order). */
export function dfaToTable(dfa: Dfa): string {
  const d = trim(dfa);
  const rows: string[][] = [['', 'state', 'class', ...d.alphabet]];
  for (let s = 0; s < d.nStates; s++) {
    const next = Array.from(d.table.subarray(s * d.nSymbols, (s + 1) * d.nSymbols), (t) => `q${t}`);
    rows.push([s === 0 ? '→' : '', `q${s}`, d.classes[d.labels[s]], ...next]);
  }
  return formatColumns(rows) + '\n';
}
