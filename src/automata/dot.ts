// DOT output is deterministic: states are numbered q0, q1, ... in BFS order from the initial state,
// edges are listed by source then target, and parallel edges merge into one edge labelled with every
// symbol in alphabet order. The same automaton always prints the same bytes (golden-tested).
import type { Dfa } from './dfa.js';
import { sinkStates, trim } from './reach.js';

/** Options for DOT output. */
export interface DotOptions {
  /** Graph name (quoted in the output). */
  name?: string;
  /** Leave out rejecting sink states and the edges into them (binary DFAs), as textbooks draw them. */
  hideSinks?: boolean;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders a DFA (binary: double circles accept; multi-class: the class under the state name) as DOT. */
export function dfaToDot(dfa: Dfa, options: DotOptions = {}): string {
  const d = trim(dfa);
  const hidden = new Set<number>(options.hideSinks && d.isBinary ? sinkStates(d).filter((s) => d.labels[s] !== 1) : []);
  if (hidden.has(0)) hidden.clear(); // the empty language: draw its one state rather than nothing
  const out: string[] = [];
  out.push(`digraph ${quote(options.name ?? 'dfa')} {`);
  out.push('  rankdir=LR;');
  out.push('  node [shape=circle, fontname="Helvetica"];');
  out.push('  edge [fontname="Helvetica"];');
  out.push('  __start [shape=point, label=""];');
  out.push('  __start -> q0;');
  for (let s = 0; s < d.nStates; s++) {
    if (hidden.has(s)) continue;
    const attrs = d.isBinary
      ? d.labels[s] === 1
        ? ' [shape=doublecircle]'
        : ''
      : ` [label=${quote(`q${s}\n${d.classes[d.labels[s]]}`)}]`;
    out.push(`  q${s}${attrs};`);
  }
  const sep = d.alphabet.every((a) => a.length === 1) ? ',' : ', ';
  for (let s = 0; s < d.nStates; s++) {
    if (hidden.has(s)) continue;
    const byTarget = new Map<number, string[]>();
    for (let a = 0; a < d.nSymbols; a++) {
      const t = d.table[s * d.nSymbols + a];
      if (hidden.has(t)) continue;
      const list = byTarget.get(t) ?? [];
      list.push(d.alphabet[a]);
      byTarget.set(t, list);
    }
    for (const t of [...byTarget.keys()].sort((x, y) => x - y))
      out.push(`  q${s} -> q${t} [label=${quote(byTarget.get(t)!.join(sep))}];`);
  }
  if (hidden.size > 0) out.push(`  // ${hidden.size} rejecting sink state(s) not drawn`);
  out.push('}');
  return out.join('\n') + '\n';
}
