// `npm run bench [-- name ...]`: runs every benchmark, or the named ones, and prints their tables.
import { benchAutomata } from './automata.js';
import { benchAutomataScale } from './automata-scale.js';
import { benchVerify } from './verify.js';
import { benchVerifySolvers } from './verify-solvers.js';
import { benchEnumerate } from './enumerate.js';
import { benchPrecision } from './precision.js';
import { benchExtract } from './extract.js';
import { benchTrain } from './train.js';
import { benchTrainVsJax } from './train-vs-jax.js';
import { benchAllLengths } from './allengths.js';
import { benchAllLengthsSplit } from './allengths-split.js';
import { benchSweep } from './sweep.js';
import { benchStartup } from './startup.js';
import { benchZonoDepth } from './zono-depth.js';

const BENCHES: readonly (readonly [name: string, run: () => Promise<void>])[] = [
  ['automata', benchAutomata],
  ['automata-scale', benchAutomataScale],
  ['train', benchTrain],
  ['train-one', benchTrainVsJax],
  ['extract', benchExtract],
  ['precision', benchPrecision],
  ['verify', benchVerify],
  ['verify-solvers', benchVerifySolvers],
  ['enumerate', benchEnumerate],
  ['allengths', benchAllLengths],
  ['allengths-split', benchAllLengthsSplit],
  ['zono-depth', benchZonoDepth],
  ['sweep', benchSweep],
  ['startup', benchStartup],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHES.some(([known]) => known === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map(([name]) => name).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`## ${name}\n`);
  await run();
  console.log('');
}
