// `npm run bench -- train-one`: ms per training step of eigenstate (tfjs wasm, the trainer's own step) beside
// JAX on the same CPU and the same model (bench/train-jax.py, which says what it times), at the sizes of issue 22's targets:
// (B, T, W) = (64, 64, 64) for lrnn-pos, lrnn-neg, rnn-tanh and deltanet-neg, and (256, 256, 128) for
// lrnn-neg at the full batch (the memory guard picks the micro-batch). eigenstate runs on 1 thread and on
// `--threads` = the cores; every measurement is a fresh child process, timed in the same run.
//
// JAX comes from a virtual environment: BENCH_JAX_PYTHON, else python/.venv/bin/python (python/setup.sh
// makes it). Without one, the JAX column says "not measured".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runsFor, type Size, warmUpsFor } from './train-size.js';

interface Row {
  family: string;
  size: [number, number, number];
}

const ROWS: readonly Row[] = [
  { family: 'lrnn-pos', size: [64, 64, 64] },
  { family: 'lrnn-neg', size: [64, 64, 64] },
  { family: 'rnn-tanh', size: [64, 64, 64] },
  { family: 'deltanet-neg', size: [64, 64, 64] },
  { family: 'lrnn-neg', size: [256, 256, 128] },
];

/** The small size of the table, for its caption's warm-up and run counts. */
const SMALL: Size = { batch: 64, length: 64, width: 64 };

const CHILD = fileURLToPath(new URL('./train-one.ts', import.meta.url));
const JAX_SCRIPT = fileURLToPath(new URL('./train-jax.py', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The Python with JAX, or null. */
function jaxPython(): string | null {
  const given = process.env.BENCH_JAX_PYTHON;
  if (given !== undefined && given !== '') return existsSync(given) ? given : null;
  const venv = `${ROOT}python/.venv/bin/python`;
  return existsSync(venv) ? venv : null;
}

/** BENCH_TRAIN_TIMEOUT_S caps one child in seconds (default 1200). */
const timeoutMs = (): number => {
  const s = Number(process.env.BENCH_TRAIN_TIMEOUT_S ?? '1200');
  return Number.isFinite(s) && s > 0 ? s * 1000 : 1_200_000;
};

/** Runs one child and returns the JSON of its last line, or a short reason. */
function child(what: string, command: string, args: readonly string[], env: Record<string, string> = {}): Record<string, unknown> | string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs(), maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  try {
    const report = JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
    if (typeof report.ms === 'number' && r.status === 0) {
      process.stderr.write(`${what}: ${report.ms.toFixed(1)} ms\n`);
      return report;
    }
    process.stderr.write(`${what}: failed: ${String(report.error ?? r.stderr).split('\n')[0]}\n`);
    return 'failed';
  } catch {
    const why = r.error !== undefined ? 'timed out' : 'failed';
    process.stderr.write(`${what}: ${why}: ${(r.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}\n`);
    return why;
  }
}

const fmt = (v: Record<string, unknown> | string): string => (typeof v === 'string' ? v : (v.ms as number).toFixed(0));
const ratio = (a: Record<string, unknown> | string, b: Record<string, unknown> | string, key = 'ms'): string =>
  typeof a === 'string' || typeof b === 'string' || typeof a[key] !== 'number' || typeof b[key] !== 'number'
    ? '–'
    : `${((a[key] as number) / (b[key] as number)).toFixed(1)}x`;
const cpu = (v: Record<string, unknown> | string): string => (typeof v === 'string' || typeof v.cpuMs !== 'number' ? '–' : v.cpuMs.toFixed(0));

/** Prints the table of eigenstate against JAX. */
export async function benchTrainVsJax(): Promise<void> {
  const python = jaxPython();
  const cores = os.availableParallelism();
  const threads = Math.max(2, cores);
  const header = ['family', '(B, T, W)', 'micro-batch', 'eigenstate 1 thread ms', `eigenstate ${threads} threads ms`, 'graph, 1 thread ms', 'JAX ms', 'JAX scan', '1 thread / JAX', `${threads} threads / JAX`, 'graph / JAX', 'CPU ms 1 thread', 'JAX CPU ms', 'CPU 1 thread / JAX', 'JAX per position ms', 'best / JAX per position'];
  const rows: string[][] = [];
  let jaxVersion = 'not measured';
  for (const { family, size } of ROWS) {
    const sizeArg = size.join(',');
    const label = `${family} (${size.join(', ')})`;
    const one = child(`eigenstate ${label} 1 thread`, process.execPath, [...process.execArgv, CHILD, 'train', family, sizeArg, 'auto', '1']);
    const many = child(`eigenstate ${label} ${threads} threads`, process.execPath, [...process.execArgv, CHILD, 'train', family, sizeArg, 'auto', String(threads)]);
    const graph = child(`eigenstate ${label} graph`, process.execPath, [...process.execArgv, CHILD, 'train', family, sizeArg, 'auto', '1'], { BENCH_SCAN_MODE: 'parallel' });
    const jax = python === null ? 'not measured' : child(`JAX ${label}`, python, [JAX_SCRIPT, family, sizeArg]);
    if (typeof jax !== 'string') jaxVersion = `JAX ${String(jax.jax)} on ${String(jax.devices)}`;
    const micro = typeof one === 'string' ? '–' : String(one.microBatch);
    const plain = typeof jax === 'string' || typeof jax.plainMs !== 'number' ? jax : { ms: jax.plainMs };
    const best = [one, many].filter((r) => typeof r !== 'string').reduce<Record<string, unknown> | string>((a, b) => (typeof a === 'string' || (b as { ms: number }).ms < (a.ms as number) ? b : a), 'failed');
    rows.push([family, `(${size.join(', ')})`, micro, fmt(one), fmt(many), fmt(graph), fmt(jax), typeof jax === 'string' ? '–' : String(jax.scan), ratio(one, jax), ratio(many, jax), ratio(graph, jax), cpu(one), cpu(jax), ratio(one, jax, 'cpuMs'), fmt(plain), ratio(best, plain)]);
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]) => `| ${r.map((x, c) => x.padStart(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const r of rows) console.log(line(r));
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nOne training step (forward, backward, AdamW) of 1 layer, state = width, MLP of width, RMS norm, 4 heads for deltanet, ` +
      `output at the last position; median of ${runsFor(SMALL)} after ${warmUpsFor(SMALL)} warm-up steps (V8 compiles the hot code; JAX: median of 20 after its compilation; 1 step after 1 at length 256). eigenstate: tfjs wasm, micro-batch from the memory guard, ` +
      `threads by train --threads, recurrences on the fused kernels of src/models/kernels (the trainer's default); "graph": the recurrences as tfjs graphs, the parallel scan for the diagonal LRNNs (train --scan parallel). ` +
      `JAX: the same model under one jax.jit, the MLP and final norm on the last position as in eigenstate; for the diagonal LRNNs the faster of the parallel and the sequential scan ("JAX scan"); for lrnn-pos/neg and rnn-tanh the first layer's norm, input projections and gate on the embedding table's rows, looked up after, as eigenstate's fused kernels do. "JAX per position": the same JAX model written the usual way, with the norm and projections over all B·T positions (the same as "JAX ms" for the other families); "best / JAX per position": the faster eigenstate column against it. ${jaxVersion}${python === null ? ' (no BENCH_JAX_PYTHON or python/.venv: run python/setup.sh)' : ''}. ` +
      `CPU ms: median process CPU time per step (all threads), which a loaded machine disturbs less than wall time. ` +
      `${cpuModel}, ${cores} cores, load average ${os.loadavg()[0].toFixed(1)} at the end, Node ${process.version}.`,
  );
}
