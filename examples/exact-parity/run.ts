// Exact verdicts for the trained parity checkpoints of examples/parity-eigenvalues: for each family and
// number format, the reachable quantised states are searched exhaustively, minimised and compared with the
// parity DFA. "proved" is a proof at that precision for every non-empty input; "refuted" names the
// shortest word the model gets wrong, with the diagnosis (the first layer's eigenvalues for symbol 1 as
// stored at the format, and where the state on 1^k settles).
//   npx tsx examples/exact-parity/run.ts [dir] [--max-states N] [--seconds S]
// Each cell stops at N states (default 200000) or S seconds (default 60): then it says how far every word was right.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatWord } from '../../src/automata/alphabet.js';
import { checkAgainstReference, exactAutomaton } from '../../src/extract/exact.js';
import { readCheckpoint } from '../../src/models/checkpoint.js';
import { firstLayerEigenvalues, settling } from '../../src/precision/exec/eigen.js';
import { checkpointMachine } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { parseTask } from '../../src/tasks/catalogue.js';

const FAMILIES = ['lrnn-pos', 'lrnn-neg', 'deltanet-pos', 'deltanet-neg'];
const FORMATS = ['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fixed<2,6>', 'fixed<2,4>'];

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const maxStates = option('--max-states', 200_000);
const seconds = option('--seconds', 60);
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'examples/parity-eigenvalues/out';

const parity = parseTask('parity');

const present = FAMILIES.filter((f) => existsSync(join(dir, `${f}.json`)));
const missing = FAMILIES.filter((f) => !present.includes(f));
if (missing.length > 0) {
  console.log(`missing in ${dir}: ${missing.map((f) => `${f}.json`).join(', ')}`);
  console.log('make them with: npx tsx examples/parity-eigenvalues/run.ts');
}
if (present.length === 0) process.exit(1);

const range = (xs: number[]) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? lo.toPrecision(4) : `[${lo.toPrecision(4)}, ${hi.toPrecision(4)}]`;
};

const header = ['family', ...FORMATS];
const rows: string[][] = [header];
const notes: string[] = [];
for (const family of present) {
  const ckpt = readCheckpoint(join(dir, `${family}.json`));
  const row = [family];
  for (const name of FORMATS) {
    const format = parseFormat(name);
    const machine = checkpointMachine(ckpt, format);
    let cell: string;
    let why: string | null = null;
    const started = performance.now();
    // On the fly against the parity DFA: refutes at the first wrong word, proves when the pairs run out.
    const check = checkAgainstReference(machine, parity.reference!, { maxStates, seconds });
    const took = check.seconds.toFixed(1);
    if (check.verdict === null) {
      cell = `ok to length ${check.checkedLength}`;
      const limit = check.stopped === 'cap' ? `more than ${maxStates} reachable states` : `${seconds} s passed (${check.explored} states)`;
      why = `no verdict: ${limit}; every word up to length ${check.checkedLength} is right, longer ones unchecked`;
    } else if (check.verdict.equal) {
      const { dfa } = exactAutomaton(machine, { maxStates });
      cell = `proved (${dfa.nStates}/${check.explored})`;
    } else {
      cell = `refuted '${formatWord(ckpt.task.alphabet, check.verdict.word)}'`;
      why = `first errs at length ${check.verdict.word.length} (${check.explored} states searched, ${took} s)`;
    }
    if (why !== null) {
      const eig = firstLayerEigenvalues(ckpt, format)?.find((e) => e.symbol === '1');
      const settle = settling(ckpt, format, ckpt.task.alphabet.indexOf('1'), 2_000);
      const parts = [why];
      if (eig !== undefined) parts.push(`eigenvalue(s) for '1': ${range(eig.eigenvalues)}`);
      if (settle !== null) {
        parts.push(
          settle.cycle === 1
            ? `on 1^k the state is constant from k = ${settle.transient} (the signal dies)`
            : `on 1^k the state cycles with period ${settle.cycle} from k = ${settle.transient}`,
        );
      }
      notes.push(`${family} at ${name}: ${parts.join('; ')}`);
    }
    row.push(cell);
    process.stderr.write(`${family} at ${name}: ${cell} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  rows.push(row);
}
const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`exact verdicts on parity (every non-empty input), cap ${maxStates} states / ${seconds} s; proved cells show minimal/explored states\n`);
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
