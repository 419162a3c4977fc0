// Scale figures for the enumeration engine (src/verify/enumerate/enumerate.ts): parity and mod 3 on unary words
// 1^0..1^N against lrnn-pos and lrnn-neg at D = 1 and 2, fixed<2,6>, N on a doubling ladder to 128, 60 s
// per query. The enumeration alone is timed (no Z3: the SMT-LIB dump is built by verifyBounded, not here);
// each sat witness is replayed on every word. Run: `npm run bench -- enumerate`. Environment:
// ENUM_BENCH_FORMAT, ENUM_BENCH_LENS (default 16,32,64,128), ENUM_BENCH_QUERY_S (default 60),
// ENUM_BENCH_CLASSES, ENUM_BENCH_TASKS, ENUM_BENCH_DIMS, ENUM_BENCH_READOUTS.
import { formatColumns } from '../src/automata/table.js';
import { classifyWord } from '../src/machine.js';
import { fixedFormatOf } from '../src/precision/diagonal.js';
import { witnessExecutor } from '../src/verify/z3/encode.js';
import { parseTask } from '../src/tasks/catalogue.js';
import { parseModelClass } from '../src/verify/classes.js';
import { enumerateBounded, unarySymbol } from '../src/verify/enumerate/enumerate.js';

const list = (name: string, fallback: string): string[] => (process.env[name] ?? fallback).split(',').filter((s) => s !== '');

/** Runs the ladders and prints one row per (task, class, dim, readout, N). */
export function benchEnumerate(): Promise<void> {
  const format = fixedFormatOf(process.env.ENUM_BENCH_FORMAT ?? 'fixed<2,6>');
  const limitMs = Number(process.env.ENUM_BENCH_QUERY_S ?? 60) * 1000;
  const rows: string[][] = [['task', 'class', 'dim', 'readout', 'N', 'verdict', 'seconds', 'runs', 'pairs', 'repeat-pruned', 'cone', 'hull', 'searched', 'w tried']];
  for (const taskName of list('ENUM_BENCH_TASKS', 'parity,mod:m=3')) {
    const task = parseTask(taskName);
    for (const cls of list('ENUM_BENCH_CLASSES', 'lrnn-pos,lrnn-neg,deltanet-pos,deltanet-neg')) {
      for (const dim of list('ENUM_BENCH_DIMS', '1,2').map(Number)) {
        for (const readout of list('ENUM_BENCH_READOUTS', 'linear') as ('linear' | 'any')[]) {
          for (const maxLen of list('ENUM_BENCH_LENS', '16,32,64,128').map(Number)) {
            const one = unarySymbol(task);
            const words = Array.from({ length: maxLen + 1 }, (_, k) => new Array<number>(k).fill(one));
            const labels = words.map((w) => task.label(w));
            const q = { task, modelClass: parseModelClass(cls), dim, format: format.name, maxLen, words: 'unary' as const, readout, timeoutMs: limitMs };
            const out = enumerateBounded(q, format, labels, performance.now() + limitMs);
            if (out.witness?.readout !== undefined) {
              const m = witnessExecutor(out.witness).machine!;
              if (words.some((w, k) => classifyWord(m, w) !== labels[k])) throw new Error(`witness fails: ${JSON.stringify(out.witness)}`);
            }
            const s = out.stats;
            rows.push([taskName, cls, String(dim), readout, String(maxLen), out.verdict, (s.ms / 1000).toFixed(2), String(s.trajectories), String(s.candidates), String(s.prunedByRepeat), String(s.prunedByCone), String(s.prunedByHull), String(s.searched), String(s.readoutCodes)]);
            console.error(rows[rows.length - 1].join('\t'));
          }
        }
      }
    }
  }
  console.log(`\n${format.name}, ${limitMs / 1000} s per query\n`);
  console.log(formatColumns(rows));
  return Promise.resolve();
}
