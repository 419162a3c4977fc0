// The parity-eigenvalues experiment (P3, Grazzi et al. 2025, Table 1's parity row): train lrnn-pos,
// lrnn-neg, deltanet-pos and deltanet-neg on parity with lengths 3–40, same budget, seed and width, then
// test on lengths 40–256. Only the transition eigenvalue range differs between the -pos and -neg twins:
// [0, 1) cannot count mod 2 on unbounded lengths, (−1, 1) can.
//
//   npx tsx examples/parity-eigenvalues/run.ts [--steps N] [--seed S] [--width D] [--lr X] [--force]
//
// Writes out/<family>.json (the four checkpoints) and prints a markdown table: sampled accuracy beside each
// model's all-lengths verdict at fp32 (verify --all-lengths: proved, or the counterexample and its length),
// the honest length-generalisation table. Exit 1 if a -neg family falls below 0.99 or a -pos family rises
// above 0.60 on sampled lengths 40–256.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeBackend, parseBackendChoice, selectBackend } from '../../src/models/backend.js';
import { evaluateBuckets } from '../../src/models/evaluate.js';
import type { ModelFamily } from '../../src/models/family.js';
import { buildNetwork } from '../../src/models/network.js';
import { configForTask } from '../../src/models/train/model-config.js';
import { checkOutputFile, checkpointSaver } from '../../src/models/train/save.js';
import { train } from '../../src/models/train/trainer.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { parseFormat } from '../../src/precision/parse.js';
import { verifyAllLengths } from '../../src/verify/checkpoint/all-lengths.js';

const FAMILIES: readonly ModelFamily[] = ['lrnn-pos', 'lrnn-neg', 'deltanet-pos', 'deltanet-neg'];

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
    width: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.01' },
    batch: { type: 'string', default: '32' },
    samples: { type: 'string', default: '200' },
    backend: { type: 'string', default: 'auto' },
    only: { type: 'string' },
    budget: { type: 'string', default: '60' },
    force: { type: 'boolean', default: false },
  },
});

const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
if (!existsSync(outDir)) mkdirSync(outDir);
const backend = await selectBackend(parseBackendChoice(args.backend));
process.stderr.write(`${describeBackend(backend)}\n`);

const task = parseTask('parity');
const trainLengths = { min: 3, max: 40 };
const testLengths = { min: 40, max: 256 };
const steps = Number(args.steps);
const seed = Number(args.seed);
const width = Number(args.width);
const families = args.only === undefined ? FAMILIES : FAMILIES.filter((f) => args.only?.split(',').includes(f));

interface Row {
  family: ModelFamily;
  train: number;
  test: number;
  steps: number;
  seconds: number;
  buckets: string;
  verdict: string;
  counterexample: string;
}

const rows: Row[] = [];
for (const family of families) {
  const file = join(outDir, `${family}.json`);
  checkOutputFile(file, args.force);
  const config = configForTask(task, family, { width, state: width, layers: 1, mlp: 0, norm: 'rms', heads: 1, output: 'last' });
  const saver = checkpointSaver(file, args.force);
  process.stderr.write(`training ${family} ...\n`);
  const result = train({
    task,
    config,
    seed,
    steps,
    batch: Number(args.batch),
    trainLengths,
    lr: Number(args.lr),
    weightDecay: 0.01,
    warmup: 50,
    clip: 1,
    // Same budget for all four: no early stop, every model gets every step.
    targetAccuracy: 2,
    evalEvery: 100,
    backend: backend.name,
    label: file,
    onCheckpoint: saver.save,
  });
  const record = result.checkpoint.training!;
  const net = buildNetwork(config, result.checkpoint.weights);
  const evaluation = evaluateBuckets(net, task, { lengths: testLengths, buckets: 4, samplesPerBucket: Number(args.samples), rng: new Rng(seed + 1000) });
  net.dispose();
  const verdict = verifyAllLengths({ checkpoint: result.checkpoint, checkpointFile: file, task, format: parseFormat('fp32'), budget: Number(args.budget) });
  const c = verdict.counterexample;
  rows.push({
    family,
    verdict: verdict.verdict,
    counterexample: c === null ? '-' : `${c.text} (length ${c.length})`,
    train: result.validation,
    test: evaluation.accuracy,
    steps: record.steps,
    seconds: record.seconds,
    buckets: evaluation.buckets.map((b) => b.accuracy.toFixed(3)).join(' / '),
  });
  process.stderr.write(`${family}: train ${result.validation.toFixed(3)}, test ${evaluation.accuracy.toFixed(3)}, ${record.seconds.toFixed(0)} s\n`);
}

console.log(`parity, train lengths 3-40, test lengths 40-256; width ${width}, ${steps} steps, seed ${seed}, backend ${backend.name}\n`);
console.log('| family | train acc (3-40) | test acc (40-256) | by quarter of 40-256 | all lengths at fp32 | counterexample | steps | seconds |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.family} | ${r.train.toFixed(3)} | ${r.test.toFixed(3)} | ${r.buckets} | ${r.verdict} | ${r.counterexample} | ${r.steps} | ${r.seconds.toFixed(0)} |`);
}
const failed = rows.filter((r) => (r.family.endsWith('-neg') ? r.test < 0.99 : r.test > 0.6));
if (failed.length > 0) {
  console.log(`\nnot as the theory predicts: ${failed.map((r) => r.family).join(', ')}`);
  process.exitCode = 1;
}
