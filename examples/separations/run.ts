// Reproduces the separations of P1 and P0's constructions on bounded instances, end to end:
//   npx tsx examples/separations/run.ts [PLOT.svg] [--force] [--max-n 1024]
// 1. Index lookup: for N = 2..1024 the width a one-layer transformer needs (a + 2k, k = dimension of N
//    nearly orthogonal sign vectors) beside the state bits an RNN needs (N·log₂ a = D→(INDEX_N)), each
//    transformer built as a checkpoint and verified at fp32 on every (query, position) pair; plot written.
// 2. Bounded Dyck-(2,2): a constant-size rnn-tanh, proved equal to the reference by its exact automaton.
// 3. Sorted deterministic graph connectivity: P0's ReLU RNN, checked on every instance up to 5 vertices.
// 4. Tree composition of a diagonal LRNN's affine steps: depth and size against length, equal to the run.
import { compareWithReference, exactAutomaton } from '../../src/extract/exact.js';
import { writeFileAtomic } from '../../src/files.js';
import { lineChartSvg } from '../../src/plot.js';
import { checkpointMachine } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { ceilLog2 } from '../../src/reductions/cc/matrix.js';
import { plainConfig, randomCheckpoint } from '../../src/reductions/constructions/build.js';
import { allInstances, reachable, runConnectivityRnn } from '../../src/reductions/constructions/connectivity.js';
import { dfaRnnCheckpoint } from '../../src/reductions/constructions/dfa-rnn.js';
import { indexTransformerCheckpoint, indexTransformerSpec, verifyIndexTransformer } from '../../src/reductions/constructions/index-transformer.js';
import { smallestDimension } from '../../src/reductions/constructions/positions.js';
import { checkTree, symbolMaps } from '../../src/reductions/constructions/tree.js';

const args = process.argv.slice(2);
const force = args.includes('--force');
const maxNAt = args.indexOf('--max-n');
const maxN = maxNAt >= 0 ? Number(args[maxNAt + 1]) : 1024;
const plotFile = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--max-n') ?? 'separations-index-lookup.svg';
const A = 2;
const SEED = 1;
const FORMAT = 'fp32';
let failures = 0;

console.log(`1. index lookup over ${A} letters: one-layer transformer width vs RNN state bits (transformers verified at ${FORMAT})`);
console.log('     N     k   max <Pi,Pj>/k   width a+2k   RNN bits N*log2(a)   verified (N^2 pairs)   seconds');
const width: [number, number][] = [];
const rnn: [number, number][] = [];
for (let n = 2; n <= maxN; n *= 2) {
  const t0 = performance.now();
  const { k, mu } = smallestDimension(n, 0.5, SEED);
  const spec = indexTransformerSpec(n, A, k, SEED, mu);
  const ckpt = indexTransformerCheckpoint(parseTask(`index:n=${n},a=${A}`), spec);
  const r = verifyIndexTransformer(ckpt, spec, parseFormat(FORMAT));
  if (!r.ok) failures++;
  const bits = ceilLog2(BigInt(A) ** BigInt(n));
  width.push([n, A + 2 * k]);
  rnn.push([n, bits]);
  const secs = ((performance.now() - t0) / 1000).toFixed(2);
  console.log(
    `${String(n).padStart(6)}${String(k).padStart(6)}${mu.toFixed(3).padStart(16)}${String(A + 2 * k).padStart(13)}${String(bits).padStart(21)}   ${(r.ok ? `yes (${r.pairs})` : `NO: query @${r.failingQuery}`).padEnd(21)}${secs.padStart(8)}`,
  );
}
const svg = await lineChartSvg({
  title: `Index lookup over ${A} letters: transformer width vs RNN state`,
  xLabel: 'N (letters before the query)',
  yLabel: 'size',
  series: [
    { name: 'one-layer transformer width a + 2k', points: width },
    { name: 'RNN state bits N·log2 a (= D→)', points: rnn },
  ],
  logX: true,
  logY: true,
});
writeFileAtomic(plotFile, svg, { force });
console.log(`   plot written to ${plotFile}`);

console.log('\n2. bounded Dyck-(2,2): constant-size rnn-tanh (DFA construction), exact automaton vs reference');
const dyck = parseTask('dyck:k=2,d=2');
const dyckCkpt = dfaRnnCheckpoint(dyck);
for (const fmt of ['fp32', 'fp16', 'fixed<8,6>']) {
  const ex = exactAutomaton(checkpointMachine(dyckCkpt, parseFormat(fmt)), { maxStates: 100_000 });
  const v = compareWithReference(ex.dfa, dyck.reference!);
  if (!v.equal) failures++;
  console.log(`   ${fmt.padEnd(11)} state ${dyckCkpt.config.state} units: ${ex.explored} reachable states, minimal ${ex.dfa.nStates} -> ${v.equal ? 'equal to the reference (proof at this precision)' : `differs on '${v.word.map((x) => dyck.alphabet[x]).join('')}'`}`);
}

console.log('\n3. sorted deterministic graph connectivity: ReLU RNN with zero(z) = ReLU(1 - ReLU(z) - ReLU(-z))');
for (let n = 1; n <= 5; n++) {
  const inst = allInstances(n);
  let wrong = 0;
  let pos = 0;
  let maxAbs = 0;
  for (const g of inst) {
    const r = runConnectivityRnn(g);
    if (r.accept !== reachable(g)) wrong++;
    if (r.accept) pos++;
    maxAbs = Math.max(maxAbs, r.maxAbs);
  }
  failures += wrong;
  console.log(`   n = ${n}: ${inst.length} instances (${pos} connected), ${wrong} wrong, largest |value| ${maxAbs} (${ceilLog2(maxAbs + 1) + 1} bits)`);
}

console.log('\n4. balanced-tree composition of an lrnn-neg checkpoint (random weights, seed 2) at fixed<2,4>');
console.log('        T   tree depth   compositions   sequential steps   tree = sequential (exact)   mantissa bits');
const parity = parseTask('parity');
const maps = symbolMaps(randomCheckpoint(plainConfig('lrnn-neg', parity, 4, 4), parity, new Rng(2)), parseFormat('fixed<2,4>'));
const rng = new Rng(3);
for (const T of [1, 2, 16, 100, 256, 1024, 4096]) {
  const r = checkTree(maps, Array.from({ length: T }, () => rng.int(0, 1)));
  if (!r.equal) failures++;
  console.log(`${String(T).padStart(9)}${String(r.depth).padStart(13)}${String(r.compositions).padStart(15)}${String(r.sequentialSteps).padStart(19)}${String(r.equal).padStart(28)}${String(r.maxMantissaBits).padStart(16)}`);
}
console.log(failures === 0 ? '\nall checks passed' : `\n${failures} checks FAILED`);
process.exitCode = failures === 0 ? 0 : 1;
