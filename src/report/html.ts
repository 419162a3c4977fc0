// The sweep report as one self-contained HTML page: no network, everything inline (styles, a small
// sorting/filtering script, the vega-lite plots and the Graphviz automata as inline SVG). Sections: the
// paper-style table, accuracy against length per task, and every cell with its stages' results,
// verdicts, counterexamples and extracted automaton. No timestamp: the same folder gives the same page.
import { dfaToDot } from '../automata/dot.js';
import { dfaFromJson } from '../automata/json.js';
import { dotToSvg } from '../automata/svg.js';
import { lineChartSvg, type Series } from '../plot.js';
import type { CellResult } from '../sweep/types.js';
import type { SweepData } from './load.js';
import { sizeLabel, stdText, type SweepTable, verdictText } from './table.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

/** An SVG document stripped of its XML prologue, ready to inline. */
function inlineSvg(svg: string): string {
  return svg.replace(/<\?xml[^>]*\?>/g, '').replace(/<!DOCTYPE[^>]*>/gi, '').replace(/<!--[\s\S]*?-->/g, '').trim();
}

/** A sortable, filterable table: header cells carry data-type for numeric sorting. */
function table(id: string, head: readonly [string, 'num' | 'text'][], rows: readonly { cells: string[]; sort: (string | number | null)[]; cls?: string }[]): string {
  const th = head.map(([h, t]) => `<th data-type="${t}" title="click to sort">${escapeHtml(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr${r.cls ? ` class="${r.cls}"` : ''}>${r.cells.map((c, i) => `<td data-sort="${escapeHtml(String(r.sort[i] ?? ''))}">${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<input class="filter" data-table="${id}" placeholder="filter rows (e.g. parity, lrnn-neg)" aria-label="filter ${id}">\n<table id="${id}" class="sortable"><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function summaryTable(t: SweepTable): string {
  return table(
    'summary',
    [
      ['task', 'text'],
      ['family', 'text'],
      ['size', 'text'],
      ['seeds', 'num'],
      ['eval lengths', 'text'],
      ['acc mean', 'num'],
      ['± std', 'num'],
      ['min', 'num'],
      ['max', 'num'],
      ['best seed', 'num'],
      ['scaled mean', 'num'],
      ['scaled best', 'num'],
      ['train acc', 'num'],
      ['exact: proved / refuted / cap', 'text'],
      ['all lengths: proved / refuted / unknown', 'text'],
      ['failed', 'num'],
    ],
    t.rows.map((r) => ({
      cls: r.failed > 0 ? 'has-failed' : undefined,
      cells: [
        escapeHtml(r.task),
        escapeHtml(r.family),
        escapeHtml(r.size),
        `${r.seeds}/${r.cells}`,
        escapeHtml(r.evalLengths ?? '–'),
        num(r.mean),
        stdText(r),
        num(r.min),
        num(r.max),
        r.bestSeed === null ? '–' : String(r.bestSeed),
        num(r.scaledMean),
        num(r.scaledBest),
        num(r.trainAccuracy),
        `${r.extract.proved} / ${r.extract.refuted} / ${r.extract.cap}${r.extract.skipped > 0 ? ` (${r.extract.skipped} skipped)` : ''}`,
        verdictText(r),
        String(r.failed),
      ],
      sort: [r.task, r.family, r.size, r.seeds, r.evalLengths, r.mean, r.std, r.min, r.max, r.bestSeed, r.scaledMean, r.scaledBest, r.trainAccuracy, r.extract.proved, verdictText(r), r.failed],
    })),
  );
}

/** Series with the same points drawn as one, named by all of them ('a = b'): drawn apart, the last would hide the others. */
export function mergeIdentical(series: readonly Series[]): Series[] {
  const byPoints = new Map<string, Series>();
  for (const s of series) {
    const key = JSON.stringify(s.points);
    const same = byPoints.get(key);
    byPoints.set(key, same === undefined ? s : { ...same, name: `${same.name} = ${s.name}` });
  }
  return [...byPoints.values()];
}

/** Accuracy against length (eval bucket midpoints), mean over seeds, one line per family (and size); identical lines as one. */
async function taskPlots(results: readonly CellResult[]): Promise<string> {
  const tasks = [...new Set(results.map((r) => r.config.task))];
  const parts: string[] = [];
  for (const task of tasks) {
    const bySeries = new Map<string, Map<number, number[]>>();
    const sizes = new Set(results.filter((r) => r.config.task === task).map(sizeLabel));
    for (const r of results) {
      if (r.config.task !== task || r.eval === null) continue;
      const name = sizes.size > 1 ? `${r.config.family} ${sizeLabel(r)}` : r.config.family;
      const points = bySeries.get(name) ?? new Map<number, number[]>();
      bySeries.set(name, points);
      for (const b of r.eval.buckets) {
        if (!Number.isFinite(b.accuracy)) continue;
        const x = (b.min + b.max) / 2;
        points.set(x, [...(points.get(x) ?? []), b.accuracy]);
      }
    }
    if (bySeries.size === 0) continue;
    const series = mergeIdentical(
      [...bySeries.entries()].map(([name, points]) => ({
        name,
        points: [...points.entries()].sort((a, b) => a[0] - b[0]).map(([x, ys]) => [x, ys.reduce((a, b) => a + b, 0) / ys.length] as const),
      })),
    );
    // Accuracy lives in [0, 1]: a fixed axis keeps plots comparable, and a flat line gets real ticks.
    const svg = await lineChartSvg({ title: `${task}: accuracy against length (mean over seeds)`, xLabel: 'length (bucket midpoint)', yLabel: 'accuracy', series, width: 420, height: 240, yDomain: [0, 1] });
    parts.push(`<figure class="plot">${inlineSvg(svg)}</figure>`);
  }
  return parts.join('\n');
}

function stageSummary(r: CellResult): { evalAcc: string; quant: string; extract: string } {
  const quant =
    r.quantize === null
      ? '–'
      : r.quantize.formats.map((f) => `${escapeHtml(f.format)}: ${num(f.accuracy)}${f.firstError === null ? '' : ` (first error at ${f.firstError})`}`).join('<br>');
  let extract = '–';
  if (r.extract !== null) {
    const cls = r.extract.equal === true ? 'proved' : r.extract.equal === false ? 'refuted' : 'unknown';
    extract = `<span class="${cls}">${escapeHtml(r.extract.text)}</span>`;
    if (r.extract.counterexample) extract += `<br>counterexample: <code>${escapeHtml(r.extract.counterexample.word)}</code>`;
  }
  return { evalAcc: r.eval === null ? '–' : num(r.eval.accuracy), quant, extract };
}

/** The verdict and its sentence, the verdict said once ('refuted at fp32: ...', not 'refuted: refuted at fp32: ...'). */
export function verdictLine(verdict: string, text: string): string {
  return text.startsWith(verdict) ? text : `${verdict}: ${text}`;
}

async function cellsSection(data: SweepData): Promise<string> {
  const rows = data.results.map((r) => {
    const s = stageSummary(r);
    const status = r.status === 'done' ? 'done' : `failed (${escapeHtml(r.error?.stage ?? 'worker')}): ${escapeHtml(r.error?.message ?? '')}`;
    const secs = data.seconds.get(r.id);
    return {
      cls: r.status === 'failed' ? 'failed' : undefined,
      cells: [
        r.extract?.automaton === undefined ? r.id : `<a href="#cell-${r.id}" title="its automaton">${r.id}</a>`,
        escapeHtml(r.config.task),
        escapeHtml(r.config.family),
        escapeHtml(sizeLabel(r)),
        String(r.config.seed),
        status,
        r.train === null ? '–' : `${r.train.steps} (${r.train.stopped})`,
        num(r.train?.validation),
        s.evalAcc,
        s.quant,
        s.extract,
        r.verdict === null ? '–' : escapeHtml(verdictLine(r.verdict.verdict, r.verdict.text)),
        secs === undefined ? '–' : secs.toFixed(1),
      ],
      sort: [r.id, r.config.task, r.config.family, sizeLabel(r), r.config.seed, r.status, r.train?.steps ?? null, r.train?.validation ?? null, r.eval?.accuracy ?? null, r.quantize?.formats[0]?.accuracy ?? null, r.extract?.text ?? null, r.verdict?.verdict ?? null, secs ?? null],
    };
  });
  const list = table(
    'cells',
    [
      ['cell', 'text'],
      ['task', 'text'],
      ['family', 'text'],
      ['size', 'text'],
      ['seed', 'num'],
      ['status', 'text'],
      ['steps', 'num'],
      ['train acc', 'num'],
      ['eval acc', 'num'],
      ['quantize: accuracy by format', 'num'],
      ['exact extraction', 'text'],
      ['all-lengths verdict', 'text'],
      ['seconds', 'num'],
    ],
    rows,
  );
  const details: string[] = [];
  for (const r of data.results) {
    const a = r.extract?.automaton;
    if (a === undefined) continue;
    const svg = inlineSvg(await dotToSvg(dfaToDot(dfaFromJson(a, `cell ${r.id}`), { name: r.id, hideSinks: true })));
    details.push(
      `<details id="cell-${r.id}"><summary>${escapeHtml(`${r.config.task} ${r.config.family} ${sizeLabel(r)} seed ${r.config.seed}`)}: ${r.extract!.states} state${r.extract!.states === 1 ? '' : 's'} at ${escapeHtml(r.extract!.format)}</summary><div class="automaton">${svg}</div></details>`,
    );
  }
  return `${list}\n<h3>Extracted automata</h3>\n${details.length === 0 ? '<p>none within the size kept (extract.keepStates)</p>' : details.join('\n')}`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f0f0f0;cursor:pointer;user-select:none}th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}
td[data-sort]{font-variant-numeric:tabular-nums}tr.failed,tr.has-failed,div.failed{background:#fff0f0}
.proved{color:#070}.refuted{color:#a00}.unknown{color:#850}.filter{margin:.3em 0;padding:3px;width:24em}
figure.plot{display:inline-block;margin:0 1em 1em 0}details{margin:.3em 0}.automaton svg{max-width:100%;height:auto}
code{background:#f4f4f4;padding:0 2px}`;

// Sorting and filtering, by hand in a few lines: no library to inline for two event handlers.
const SCRIPT = `
document.querySelectorAll('table.sortable').forEach(function (t) {
  t.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var asc = !th.classList.contains('asc');
      t.querySelectorAll('th').forEach(function (h) { h.classList.remove('asc', 'desc'); });
      th.classList.add(asc ? 'asc' : 'desc');
      var num = th.dataset.type === 'num';
      var body = t.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
        if (num) { var p = x === '' ? -Infinity : Number(x), q = y === '' ? -Infinity : Number(y); return asc ? p - q : q - p; }
        return asc ? x.localeCompare(y) : y.localeCompare(x);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
document.querySelectorAll('input.filter').forEach(function (input) {
  input.addEventListener('input', function () {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var t = document.getElementById(input.dataset.table);
    Array.prototype.forEach.call(t.tBodies[0].rows, function (r) {
      var text = r.textContent.toLowerCase();
      r.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
  });
});`;

/** A warning naming the result files left out because they could not be read (empty when none). */
function corruptNote(data: SweepData): string {
  if (data.corrupt.length === 0) return '';
  const items = data.corrupt.map((c) => `<li><code>${escapeHtml(c.file)}</code>: ${escapeHtml(c.problem)}</li>`).join('');
  return `<div class="failed"><p>${data.corrupt.length} result file${data.corrupt.length === 1 ? '' : 's'} could not be read and ${data.corrupt.length === 1 ? 'is' : 'are'} left out of this page:</p><ul>${items}</ul></div>\n`;
}

/** The whole page. */
export async function reportHtml(data: SweepData, summary: SweepTable): Promise<string> {
  const title = `eigenstate sweep: ${data.name}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${corruptNote(data)}<p>${summary.cells} cells: ${summary.done} done, ${summary.failed} failed. Accuracy is on the eval lengths (class-balanced words);
scaled accuracy is (acc − chance) / (1 − chance) with chance = 1 / the classes the task's sampler draws (5 for modular arithmetic), as in Grazzi et al. (ICLR 2025, Table 3).
Models that classify every prefix are scored by whole-sequence accuracy (a word counts when every position is right, as in their Figure 4; chance is taken as 0).
“exact: proved” counts seeds whose quantised model was proved equal to the task's automaton on every non-empty input at the extract format.</p>
<h2>Table</h2>
${summaryTable(summary)}
<h2>Accuracy against length</h2>
${await taskPlots(data.results)}
<h2>Cells</h2>
${await cellsSection(data)}
<script>${SCRIPT}</script>
</body></html>
`;
}
