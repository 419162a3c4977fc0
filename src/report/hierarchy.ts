// P0's hierarchy of recurrent families as one table (`eigenstate hierarchy`): per family, the complexity
// class P0 (or the paper docs/theory.md names beside it) places it in, the automata it simulates, and the
// toolkit's own evidence with the command that reproduces each item. Evidence comes from three places:
//   - the proof-regression specs (specs/): constructions and trained checkpoints proved or refuted at
//     every length, and class-level Z3/enumeration verdicts; `eigenstate prove` re-checks each of them;
//   - checkpoints the user names: an exact search of the checkpoint's states against its task (bounded by
//     a state cap, so its verdict is `right on every word`, `wrong on w` or `undecided`).
// The table states what each spec expects; it does not run the specs (prove does, and CI runs the fast tier).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { checkAgainstReference } from '../extract/exact.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/family.js';
import { checkpointMachine } from '../precision/machine.js';
import { parseFormat } from '../precision/parse.js';
import { taskFromArgument } from '../tasks/file.js';
import { loadSpec } from '../verify/specs/spec.js';
import { escapeHtml } from './html.js';

/** One item of evidence: what was shown, its verdict, and the command that shows it again. */
export interface Evidence {
  kind: 'construction' | 'class' | 'trained';
  claim: string;
  verdict: string;
  command: string;
}

/** One family's row. */
export interface HierarchyRow {
  family: ModelFamily;
  /** The circuit class the theory places the family in, with its source. */
  placement: string;
  /** The automata the family simulates (what the toolkit constructs or the theory proves). */
  automata: string;
  evidence: Evidence[];
}

/** What the theory says of each family (docs/theory.md, "P0's hierarchy in the toolkit"). */
const THEORY: Record<ModelFamily, { placement: string; automata: string }> = {
  'rnn-tanh': { placement: 'L-complete at log precision, P-complete at polynomial precision (P0)', automata: 'every DFA (DFA-in-an-RNN construction)' },
  lstm: { placement: 'nonlinear RNN: as rnn-tanh (P0)', automata: 'every DFA' },
  'lrnn-pos': { placement: 'diagonal LRNN, gates in (0,1): no parity at any length (P3 Thm 1); in TC⁰ (Merrill, Petty, Sabharwal 2024)', automata: 'star-free languages (Sarrof, Veitsman, Hahn 2024)' },
  'lrnn-neg': { placement: 'diagonal LRNN, gates in (−1,1): in TC⁰, so no S5 unless TC⁰ = NC¹ (Merrill, Petty, Sabharwal 2024)', automata: 'parity; no mod 3 (P3 Thm 2), hence no S3: a 3-cycle\'s powers count mod 3' },
  'lrnn-complex': { placement: 'complex diagonal LRNN: in TC⁰ (Merrill, Petty, Sabharwal 2024)', automata: 'abelian groups (rotations: mod m)' },
  'lrnn-pd': { placement: 'permutation-diagonal LRNN: NC¹-complete (P0)', automata: 'every group (permutation) automaton: S5, A5 (one layer)' },
  'deltanet-pos': { placement: 'diagonal-plus-low-rank LRNN with eigenvalues in [0,1]', automata: 'no parity at any length (P3 Thm 1)' },
  'deltanet-neg': { placement: 'diagonal-plus-low-rank LRNN: PNC¹-complete (P0)', automata: 'products of reflections (one per step and layer): S3 in two layers (construction); with enough layers every regular language (P3)' },
  transformer: { placement: 'log-precision constant depth: in TC⁰ (P2)', automata: 'no S5 unless TC⁰ = NC¹ (P2)' },
};

/** Class names of verify that stand for a family's row (classes without a family join the nearest one). */
const CLASS_ROW: Record<string, ModelFamily> = {
  'lrnn-pos': 'lrnn-pos',
  'lrnn-neg': 'lrnn-neg',
  'lrnn-real': 'lrnn-neg',
  'lrnn-complex': 'lrnn-complex',
  'lrnn-pd': 'lrnn-pd',
  'perm-diag': 'lrnn-pd',
  'deltanet-pos': 'deltanet-pos',
  'deltanet-neg': 'deltanet-neg',
  'rnn-relu': 'rnn-tanh',
};

/** Evidence from every spec file of a folder, by family row. */
function specEvidence(dir: string): Map<ModelFamily, Evidence[]> {
  const out = new Map<ModelFamily, Evidence[]>();
  const add = (family: ModelFamily | undefined, e: Evidence) => {
    if (family !== undefined) out.set(family, [...(out.get(family) ?? []), e]);
  };
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    throw new InputError(`--specs ${dir}: not a readable folder of spec files`);
  }
  for (const f of files) {
    const spec = loadSpec(join(dir, f));
    const command = `eigenstate prove ${join(dir, f)}`;
    if (spec.kind === 'checkpoint' || spec.kind === 'all-lengths') {
      const ckpt = readCheckpoint(spec.checkpoint);
      const kind = ckpt.origin.startsWith('construction') ? 'construction' : 'trained';
      const where = spec.kind === 'all-lengths' ? `every length at ${spec.format}` : `words up to ${spec.maxLen} at ${spec.format}`;
      add(ckpt.config.family, { kind, claim: `${spec.task}: ${spec.claim}`, verdict: `${spec.expected} (${where})`, command });
    } else {
      const cls = /^deltaproduct-neg-\d+$/.test(spec.model) ? 'deltanet-neg' : CLASS_ROW[spec.model];
      const words = spec.words === 'unary' ? 'unary words' : 'all words';
      add(cls, { kind: 'class', claim: `${spec.task}, ${spec.model} d = ${spec.dim}: ${spec.claim}`, verdict: `${spec.expected} (${words} to length ${spec.maxLen}, ${spec.format})`, command });
    }
  }
  return out;
}

/** Most (model state, task state) pairs the exact search of a named checkpoint visits. */
const CHECKPOINT_STATES = 200_000;

/** Evidence from a checkpoint file: an exact search of its states against its task at fp32. */
function checkpointEvidence(file: string, seconds: number): { family: ModelFamily; evidence: Evidence } {
  const ckpt = readCheckpoint(file);
  const task = taskFromArgument(ckpt.task.name);
  const command = `eigenstate verify ${task.name} --checkpoint ${file} --all-lengths --format fp32`;
  const kind = ckpt.origin.startsWith('construction') ? 'construction' : 'trained';
  let verdict = 'not checked (a transformer has no finite recurrent state)';
  if (ckpt.config.family !== 'transformer' && task.reference !== undefined) {
    const check = checkAgainstReference(checkpointMachine(ckpt, parseFormat('fp32')), task.reference, { maxStates: CHECKPOINT_STATES, seconds });
    if (check.verdict === null) verdict = `undecided: right on every word up to length ${check.checkedLength} (exact search, fp32)`;
    else if (check.verdict.equal) verdict = 'right on every word (exact search closed, fp32)';
    else verdict = `wrong on '${check.verdict.word.map((x) => task.alphabet[x]).join(' ')}' (exact search, fp32)`;
  }
  return { family: ckpt.config.family, evidence: { kind, claim: `${task.name}: ${file} (${ckpt.origin})`, verdict, command } };
}

/** The table: one row per family, with the evidence of a spec folder (or none) and of named checkpoints. */
export function hierarchyRows(options: { specs: string | null; checkpoints: readonly string[]; seconds: number }): HierarchyRow[] {
  const found = options.specs === null ? new Map<ModelFamily, Evidence[]>() : specEvidence(options.specs);
  for (const file of options.checkpoints) {
    const { family, evidence } = checkpointEvidence(file, options.seconds);
    found.set(family, [...(found.get(family) ?? []), evidence]);
  }
  return MODEL_FAMILIES.map((family) => ({ family, ...THEORY[family], evidence: found.get(family) ?? [] }));
}

/** The table as text: one block per family. */
export function hierarchyText(rows: readonly HierarchyRow[]): string {
  return rows
    .map((r) => {
      const head = `${r.family}\n  class:    ${r.placement}\n  automata: ${r.automata}`;
      const items = r.evidence.map((e) => `  [${e.kind}] ${e.verdict}: ${e.claim}\n      $ ${e.command}`);
      return [head, ...(items.length === 0 ? ['  (no evidence in the toolkit yet)'] : items)].join('\n');
    })
    .join('\n\n');
}

/** The table as one self-contained HTML page. */
export function hierarchyHtml(rows: readonly HierarchyRow[]): string {
  const body = rows
    .map((r) => {
      const items = r.evidence.map((e) => `<li><b>${escapeHtml(e.kind)}</b> ${escapeHtml(e.verdict)}: ${escapeHtml(e.claim)}<br><code>${escapeHtml(e.command)}</code></li>`).join('');
      return `<tr><td><code>${escapeHtml(r.family)}</code></td><td>${escapeHtml(r.placement)}</td><td>${escapeHtml(r.automata)}</td><td>${items === '' ? '–' : `<ul>${items}</ul>`}</td></tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>eigenstate: the hierarchy of recurrent families</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top}code{font-size:90%}ul{margin:0;padding-left:1.2em}</style></head>
<body><h1>The hierarchy of recurrent families</h1>
<p>Per family: the class the theory places it in (P0: Merrill, Jiang, Li, Lin, Sabharwal, “Why Are Linear RNNs More Parallelizable?”; see docs/theory.md), the automata it simulates, and the toolkit's evidence with the command that reproduces it.</p>
<table><thead><tr><th>family</th><th>class</th><th>automata</th><th>evidence</th></tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}
