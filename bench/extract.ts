// Query counts and times of the learners (src/extract) with the exact equivalence oracle: the benchmark
// languages (Tomita 1–7, parity, mod-3, Dyck-(2,2)) and seeded random DFAs of 10 to 1,000 states over 10
// symbols. Compares L* (Maler–Pnueli: all suffixes of a counterexample, the classic baseline; and
// Rivest–Schapire), Kearns–Vazirani with a discrimination tree, and L#.
// "MQ" counts the membership queries that reached the system after the prefix-tree cache (system runs; a
// run answers every prefix of its word); "EQ" equivalence queries. The last two tables measure the ideas
// past L# that we kept: tailed witnesses in the splitting tree (tail 0 is plain witnesses), and checking
// each hypothesis against the observation tree before an equivalence query.
import type { Dfa } from '../src/automata/dfa.js';
import { equivalent } from '../src/automata/equivalence.js';
import { minimise } from '../src/automata/minimise.js';
import { randomDfa } from '../src/automata/random.js';
import { QueryCache } from '../src/extract/cache.js';
import { ExactOracle } from '../src/extract/exact-oracle.js';
import { learn } from '../src/extract/learn.js';
import { PacOracle } from '../src/extract/pac-oracle.js';
import { LSharp } from '../src/extract/lsharp.js';
import { type LearnerName, runLearning } from '../src/extract/pipeline.js';
import { CountingOracle } from '../src/extract/stats.js';
import { machineOracle } from '../src/extract/system.js';
import { Rng } from '../src/random.js';
import { parseTask } from '../src/tasks/catalogue.js';

const TASKS = ['tomita1', 'tomita2', 'tomita3', 'tomita4', 'tomita5', 'tomita6', 'tomita7', 'parity', 'mod:m=3', 'dyck:k=2,d=2'];
const RANDOM_STATES = [10, 20, 50, 100, 200, 500, 1000];
const SYMBOLS = 10;
const SEED = 2024;
const PAC = { epsilon: 0.01, delta: 0.01, minLength: 0, maxLength: 30 };

function learnOne(target: Dfa, learner: LearnerName) {
  const cpu = process.cpuUsage();
  const { dfa, stats } = runLearning({ system: machineOracle(target), learner, equivalence: () => new ExactOracle(target) });
  // CPU seconds beside the wall-clock ones: on a shared machine the wall clock mostly measures the load.
  const cpuSeconds = process.cpuUsage(cpu).user / 1e6;
  if (!equivalent(dfa, target)) throw new Error(`benchmark: ${learner} learned a wrong automaton`);
  return { ...stats, cpuSeconds };
}

function markdown(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** Prints the query tables for the benchmark languages, for random DFAs, and for L#'s two extra ideas. */
export async function benchExtract(): Promise<void> {
  const rows = [['language', 'states', 'MQ L*(MP)', 'MQ L*(RS)', 'MQ KV', 'MQ L#', 'EQ L*(RS)', 'EQ KV', 'EQ L#']];
  for (const name of TASKS) {
    const target = parseTask(name).reference as Dfa;
    const [mp, rs, kv, ls] = (['lstar-mp', 'lstar', 'kv', 'lsharp'] as const).map((l) => learnOne(target, l));
    rows.push([
      name,
      String(rs.states),
      String(mp.membershipQueries),
      String(rs.membershipQueries),
      String(kv.membershipQueries),
      String(ls.membershipQueries),
      String(rs.equivalenceQueries),
      String(kv.equivalenceQueries),
      String(ls.equivalenceQueries),
    ]);
  }
  console.log(markdown(rows));
  console.log('');
  const random = [
    ['random DFA', 'minimal', 'MQ L*(RS)', 'MQ KV', 'MQ L#', 'L# / KV', 'EQ L*(RS)', 'EQ KV', 'EQ L#', 's L*(RS)', 's KV', 's L#', 'cpu s L#'],
  ];
  for (const n of RANDOM_STATES) {
    const target = randomDfa(new Rng(SEED + n), n, SYMBOLS);
    const [rs, kv, ls] = (['lstar', 'kv', 'lsharp'] as const).map((l) => learnOne(target, l));
    random.push([
      `${n} × ${SYMBOLS}`,
      String(minimise(target).nStates),
      String(rs.membershipQueries),
      String(kv.membershipQueries),
      String(ls.membershipQueries),
      (ls.membershipQueries / kv.membershipQueries).toFixed(3),
      String(rs.equivalenceQueries),
      String(kv.equivalenceQueries),
      String(ls.equivalenceQueries),
      rs.seconds.toFixed(2),
      kv.seconds.toFixed(2),
      ls.seconds.toFixed(2),
      ls.cpuSeconds.toFixed(2),
    ]);
  }
  console.log(markdown(random));
  console.log('');
  const tails = [['random DFA', 'tail', 'MQ L#', 'symbols', 'EQ', 's']];
  for (const n of [100, 1000])
    for (const tail of [0, 8, 16, 24]) {
      const target = randomDfa(new Rng(SEED + n), n, SYMBOLS);
      const below = new CountingOracle(machineOracle(target));
      const cache = new QueryCache(below);
      const run = learn(new LSharp(cache, { tail, seed: 0 }), new ExactOracle(target), cache);
      if (!equivalent(run.dfa, target)) throw new Error('benchmark: L# learned a wrong automaton');
      tails.push([`${n} × ${SYMBOLS}`, String(tail), String(below.queries), String(below.symbols), String(run.equivalenceQueries), run.seconds.toFixed(2)]);
    }
  console.log(markdown(tails));
  console.log('');
  // The second idea kept: check each hypothesis against the observation tree first. A disagreement there
  // is a counterexample that costs no equivalence query; with the PAC oracle each round saved is a batch
  // of random test words.
  const consistency = [['random DFA', 'tree check', 'MQ L#', 'EQ (exact)', 'EQ (PAC)', 'PAC test words', 's (exact)']];
  for (const n of [100, 1000])
    for (const check of [false, true]) {
      const target = randomDfa(new Rng(SEED + n), n, SYMBOLS);
      const below = new CountingOracle(machineOracle(target));
      const cache = new QueryCache(below);
      const run = learn(new LSharp(cache, { tail: 16, seed: 0, consistency: check }), new ExactOracle(target), cache);
      const tests = new CountingOracle(machineOracle(target));
      const pacCache = new QueryCache(machineOracle(target));
      const pac = learn(new LSharp(pacCache, { tail: 16, seed: 0, consistency: check }), new PacOracle(tests, new Rng(SEED), PAC), pacCache);
      consistency.push([
        `${n} × ${SYMBOLS}`,
        check ? 'on' : 'off',
        String(below.queries),
        String(run.equivalenceQueries),
        String(pac.equivalenceQueries),
        String(tests.queries),
        run.seconds.toFixed(2),
      ]);
    }
  console.log(markdown(consistency));
}
