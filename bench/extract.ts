// Query counts and times of the learners (src/extract) with the exact equivalence oracle: the benchmark
// languages (Tomita 1–7, parity, mod-3, Dyck-(2,2)) and seeded random DFAs of 10 to 1,000 states over 2
// to 10 symbols. Compares L* with Maler–Pnueli processing (all suffixes of a counterexample, the classic
// baseline), L* with Rivest–Schapire processing, and Kearns–Vazirani with a discrimination tree.
// "MQ" counts the membership queries that reached the system (after the cache); "EQ" equivalence queries.
import type { Dfa } from '../src/automata/dfa.js';
import { equivalent } from '../src/automata/equivalence.js';
import { minimise } from '../src/automata/minimise.js';
import { randomDfa } from '../src/automata/random.js';
import { ExactOracle } from '../src/extract/exact-oracle.js';
import { type LearnerName, runLearning } from '../src/extract/pipeline.js';
import { machineOracle } from '../src/extract/system.js';
import { Rng } from '../src/random.js';
import { parseTask } from '../src/tasks/catalogue.js';

const TASKS = ['tomita1', 'tomita2', 'tomita3', 'tomita4', 'tomita5', 'tomita6', 'tomita7', 'parity', 'mod:m=3', 'dyck:k=2,d=2'];
const RANDOM: readonly [states: number, symbols: number][] = [
  [10, 2],
  [10, 10],
  [100, 2],
  [100, 10],
  [1000, 2],
  [1000, 10],
];
const SEED = 2024;

function learnOne(target: Dfa, learner: LearnerName) {
  const { dfa, stats } = runLearning({ system: machineOracle(target), learner, equivalence: () => new ExactOracle(target) });
  if (!equivalent(dfa, target)) throw new Error(`benchmark: ${learner} learned a wrong automaton`);
  return stats;
}

function markdown(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** Prints the query table for the benchmark languages and for random DFAs. */
export async function benchExtract(): Promise<void> {
  const rows = [['language', 'states', 'MQ L*(MP)', 'MQ L*(RS)', 'MQ KV', 'EQ L*(RS)', 'EQ KV']];
  for (const name of TASKS) {
    const target = parseTask(name).reference as Dfa;
    const [mp, rs, kv] = (['lstar-mp', 'lstar', 'kv'] as const).map((l) => learnOne(target, l));
    rows.push([name, String(rs.states), String(mp.membershipQueries), String(rs.membershipQueries), String(kv.membershipQueries), String(rs.equivalenceQueries), String(kv.equivalenceQueries)]);
  }
  console.log(markdown(rows));
  console.log('');
  const random = [['random DFA', 'minimal states', 'MQ L*(MP)', 'MQ L*(RS)', 'MQ KV', 'KV / RS', 's L*(RS)', 's KV']];
  for (const [n, k] of RANDOM) {
    const target = randomDfa(new Rng(SEED + n * 31 + k), n, k);
    // Maler–Pnueli at 1,000 states fills a table of millions of cells: skipped past 100.
    const mp = n <= 100 ? learnOne(target, 'lstar-mp') : undefined;
    const rs = learnOne(target, 'lstar');
    const kv = learnOne(target, 'kv');
    random.push([
      `${n} × ${k}`,
      String(minimise(target).nStates),
      mp ? String(mp.membershipQueries) : '–',
      String(rs.membershipQueries),
      String(kv.membershipQueries),
      (kv.membershipQueries / rs.membershipQueries).toFixed(3),
      rs.seconds.toFixed(2),
      kv.seconds.toFixed(2),
    ]);
  }
  console.log(markdown(random));
}
