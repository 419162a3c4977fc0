// Training-step figures for every model family (forward + backward + AdamW update) and the diagonal LRNN's
// parallel prefix scan against its sequential recurrence, on the tfjs wasm backend. Each measurement runs in
// its own child process (bench/train-one.ts): one that exhausts the wasm heap aborts that backend for good,
// and would otherwise take every later measurement down with it.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MODEL_FAMILIES } from '../src/models/family.js';
import { runsFor, type Size, warmUpsFor } from './train-size.js';

/** Rows per forward + backward pass at the large size: the gradients of 256 rows at length 256 do not fit the
 *  4 GiB wasm heap for six families, so the step accumulates them over micro-batches (the same update). */
const LARGE_MICRO_BATCH = 64;

const SIZES: readonly Size[] = [
  { batch: 64, length: 64, width: 64 },
  { batch: 256, length: 256, width: 128 },
];

const CHILD = fileURLToPath(new URL('./train-one.ts', import.meta.url));

/** BENCH_TRAIN_TIMEOUT_S caps one measurement (child process) in seconds; default 1200. */
const timeoutMs = (): number => {
  const s = Number(process.env.BENCH_TRAIN_TIMEOUT_S ?? '1200');
  return Number.isFinite(s) && s > 0 ? s * 1000 : 1_200_000;
};

/** What the children reported about their runtime (for the footer). */
const seen = { backend: 'wasm', tfjs: 'unknown' };

const WASM_OOM = /out of memory|OOM|Cannot enlarge memory|Array buffer allocation failed|failed to allocate/i;

/** A bare "Aborted()" with the wasm heap grown this far (its ceiling is 4 GiB) is taken as heap exhaustion:
 *  the build has no assertions to say so itself. */
const OOM_HEAP_BYTES = 2 * 2 ** 30;

/** Runs one measurement in a fresh process: its ms, or the table cell saying why there is none. */
function attempt(what: string, args: readonly string[]): number | string {
  const started = performance.now();
  // process.execArgv carries tsx's loader flags, so the child is a TypeScript entry like this one.
  const child = spawnSync(process.execPath, [...process.execArgv, CHILD, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs(),
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const lines = (child.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  let report: { ms?: number; error?: string; heapBytes?: number | null; backend?: string; tfjs?: string } = {};
  try {
    if (lines.length > 0) report = JSON.parse(lines[lines.length - 1]) as typeof report;
  } catch {
    report = {};
  }
  if (typeof report.ms === 'number' && child.status === 0) {
    seen.backend = report.backend ?? seen.backend;
    seen.tfjs = report.tfjs ?? seen.tfjs;
    process.stderr.write(`${what}: ${report.ms.toFixed(0)} ms (child ${seconds} s)\n`);
    return report.ms;
  }
  const stderr = child.stderr ?? '';
  const why = report.error ?? stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? '';
  const cell =
    child.error !== undefined && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
      ? `timed out (> ${(timeoutMs() / 1000).toFixed(0)} s)`
      : WASM_OOM.test(`${report.error ?? ''}\n${stderr}`) || (report.heapBytes ?? 0) >= OOM_HEAP_BYTES
        ? 'out of memory (wasm heap)'
        : 'crashed';
  const heap = typeof report.heapBytes === 'number' ? `, wasm heap ${(report.heapBytes / 2 ** 20).toFixed(0)} MiB` : '';
  process.stderr.write(`${what}: ${cell} (exit ${child.status ?? child.signal}, child ${seconds} s${heap}): ${why}\n`);
  return cell;
}

const sizeArg = (s: Size): string => `${s.batch},${s.length},${s.width}`;

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const row of rows) console.log(line(row));
}

const cell = (v: number | string): string => (typeof v === 'number' ? v.toFixed(0) : v);

const label = (s: Size): string => `(${s.batch}, ${s.length}, ${s.width})`;

/** "4 × 64": passes × rows per pass. */
const split = (s: Size, micro: number): string => `${s.batch / micro} × ${micro}`;

/** BENCH_TRAIN_MICRO=M sets the large size's micro-batch (default 64); the small size runs whole batches. */
function microFor(s: Size): number {
  if (s !== SIZES[1]) return s.batch;
  const m = Number(process.env.BENCH_TRAIN_MICRO ?? LARGE_MICRO_BATCH);
  if (!Number.isInteger(m) || m < 1 || s.batch % m !== 0) throw new Error(`BENCH_TRAIN_MICRO: ${process.env.BENCH_TRAIN_MICRO} should divide ${s.batch}`);
  return m;
}

/** One family's training step at one size; a heap exhaustion is retried once at half the micro-batch, and a
 *  cell timed at other than the column's micro-batch says so. */
function trainCell(family: string, s: Size): string {
  const micro = microFor(s);
  const run = (m: number): number | string =>
    attempt(`train ${family} ${label(s)}${m < s.batch ? ` in ${split(s, m)}` : ''}`, ['train', family, sizeArg(s), String(m)]);
  const first = run(micro);
  if (first !== 'out of memory (wasm heap)' || micro % 2 !== 0 || micro < 2) return cell(first);
  const second = run(micro / 2);
  return typeof second === 'number' ? `${cell(second)} (${split(s, micro / 2)})` : `${cell(second)} (also at ${split(s, micro / 2)})`;
}

/** The column header of a size: its timing, and its micro-batches when the step accumulates. */
const column = (s: Size): string => {
  const micro = microFor(s);
  return `ms/step ${label(s)}, ${timing(s)}${micro < s.batch ? `, ${split(s, micro)} micro-batches` : ''}`;
};

/** How a size is timed, for table headers: a median of 5 after the warm-up steps, or one step after one warm-up. */
const timing = (s: Size): string => (runsFor(s) > 1 ? `median of ${runsFor(s)} after ${warmUpsFor(s)}` : '1 step after 1 warm-up');

/** Prints parallel scan against sequential recurrence, then ms per training step per family and size. */
export async function benchTrain(): Promise<void> {
  // BENCH_TRAIN_FAMILIES=a,b limits the family rows (empty: scan rows only).
  const wanted = process.env.BENCH_TRAIN_FAMILIES?.split(',') ?? MODEL_FAMILIES;
  const families = MODEL_FAMILIES.filter((f) => wanted.includes(f));
  // BENCH_TRAIN_SCAN=0 skips the scan tables; BENCH_TRAIN_LARGE=0 times everything at the small size only;
  // BENCH_TRAIN_SMALL=0 times the family rows at the large size only.
  const large = process.env.BENCH_TRAIN_LARGE !== '0';
  const small = process.env.BENCH_TRAIN_SMALL !== '0' || !large;
  const scanSizes: readonly Size[] =
    process.env.BENCH_TRAIN_SCAN === '0' ? [] : large ? [SIZES[0], { batch: 64, length: 256, width: 64 }, SIZES[1]] : [SIZES[0]];
  const sizes = large ? (small ? SIZES : SIZES.slice(1)) : SIZES.slice(0, 1);
  // The scan comparison first: it is the claim under test, and the slow family rows come after.
  const scanTable = (kind: 'scan' | 'bare', title: string): void => {
    const rows = scanSizes.map((s) => {
      const parallel = attempt(`${kind} parallel ${label(s)}`, [kind, 'parallel', sizeArg(s)]);
      const sequential = attempt(`${kind} sequential ${label(s)}`, [kind, 'sequential', sizeArg(s)]);
      const ratio = typeof parallel === 'number' && typeof sequential === 'number' ? `${(sequential / parallel).toFixed(1)}x` : '–';
      return [label(s), timing(s), cell(parallel), cell(sequential), ratio];
    });
    printTable([title, 'timed', 'parallel scan ms', 'sequential ms', 'speed-up'], rows);
  };
  if (scanSizes.length > 0) {
    scanTable('scan', 'lrnn-pos (B, T, width)');
    console.log('');
    scanTable('bare', 'recurrence alone (B, T, n)');
  }

  if (families.length > 0) {
    const stepRows = families.map((family) => [
      family,
      ...sizes.map((s) => trainCell(family, s)),
    ]);
    if (scanSizes.length > 0) console.log('');
    printTable(['family', ...sizes.map(column)], stepRows);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nOne layer, state = width, MLP of width, RMS norm, 4 heads (transformer, deltanet), output at the last position, ` +
      `AdamW (the trainer's step: at the large size the mean of the micro-batches' gradients, then one update); every measurement in a fresh process, its first step (kernel setup, JIT) discarded; ` +
      `at length 256 one timed step (too slow here for more). Scan rows: forward + backward of lrnn-pos only.\n` +
      `tfjs ${seen.tfjs}, backend ${seen.backend}, ${cpu}, Node ${process.version}.`,
  );
}
