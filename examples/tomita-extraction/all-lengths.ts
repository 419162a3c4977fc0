// All-length verdicts for the Tomita checkpoints that run.ts trains (out/<task>-<family>.json): for each,
// verify --all-lengths at fp32 (proved / refuted with the word / unknown), printed as a markdown table.
//
//   npx tsx examples/tomita-extraction/all-lengths.ts [--budget 30] [--format fp32]
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readCheckpoint } from '../../src/models/checkpoint.js';
import { parseFormat } from '../../src/precision/parse.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { verifyAllLengths } from '../../src/verify/checkpoint/all-lengths.js';

const { values: args } = parseArgs({ options: { budget: { type: 'string', default: '30' }, format: { type: 'string', default: 'fp32' } } });
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
if (!existsSync(outDir)) {
  console.error(`${outDir}: no checkpoints yet; run examples/tomita-extraction/run.ts first`);
  process.exit(2);
}
const format = parseFormat(args.format);
console.log(`| task | family | verdict at ${format.name} | counterexample | length | how | words checked up to | s |`);
console.log('|---|---|---|---|---|---|---|---|');
for (const name of readdirSync(outDir).filter((f) => f.endsWith('.json')).sort()) {
  const file = join(outDir, name);
  const ckpt = readCheckpoint(file);
  const r = verifyAllLengths({ checkpoint: ckpt, checkpointFile: file, task: parseTask(ckpt.task.name), format, budget: Number(args.budget) });
  const c = r.counterexample;
  const boxes = r.certificate?.states.length ?? 0;
  const how = r.verdict === 'proved' ? (r.proof === 'exhaustive' ? `exact search, ${boxes} point boxes` : r.proof === 'block-invariant' ? `block invariant (zonotopes), ${boxes} boxes` : `invariant, ${boxes} boxes`) : c !== null ? c.method : (r.diagnosis ?? '').slice(0, 60);
  console.log(`| ${ckpt.task.name} | ${ckpt.config.family} | ${r.verdict} | ${c === null ? '–' : `\`${c.text}\``} | ${c === null ? '–' : c.length} | ${how} | ${r.checkedUpTo} | ${r.seconds.toFixed(1)} |`);
}
