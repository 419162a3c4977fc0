// Start-up cost of the CLI: the CPU time (user + system) of a whole `node bin/eigenstate.js ...` process,
// for commands that do almost nothing else, so the figure is what loading the command costs. Runs the
// build (`npm run build` first); STARTUP_BIN=path/to/bin/eigenstate.js measures another checkout (before/after).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatColumns } from '../src/automata/table.js';

/** How many processes per command (the median is reported); STARTUP_RUNS overrides. */
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);

/** The commands measured, with the CPU target where it set one (seconds). */
const COMMANDS: readonly (readonly [args: readonly string[], targetS: number | null])[] = [
  [['--version'], 0.3],
  [['--help'], null],
  [['dfa', 'run', 'tomita3', '0101'], 0.6],
  [['tasks'], null],
  [['verify', '--help'], null],
];

// Preloaded into the child: at exit it writes its own CPU time (the whole process, every thread, from
// the start) to fd 3. Node has no getrusage of children, and /usr/bin/time is not everywhere.
const REPORT_CPU =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.cpuUsage();writeSync(3,JSON.stringify(u))})';

/** CPU seconds and wall seconds of one `node [script] args` process. */
function measureOnce(script: string | null, args: readonly string[]): { cpuS: number; wallS: number } {
  const start = performance.now();
  const nodeArgs = script === null ? ['--import', REPORT_CPU, '-e', ''] : ['--import', REPORT_CPU, script, ...args];
  const r = spawnSync(process.execPath, nodeArgs, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const wallS = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`benchmark: eigenstate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const usage = JSON.parse(String(r.output[3])) as { user: number; system: number };
  return { cpuS: (usage.user + usage.system) / 1e6, wallS };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median CPU and wall time of `node bin/eigenstate.js ...` for --version, --help, dfa run, tasks and verify --help. */
export async function benchStartup(): Promise<void> {
  const bin = process.env.STARTUP_BIN ?? fileURLToPath(new URL('../bin/eigenstate.js', import.meta.url));
  if (!existsSync(join(dirname(bin), '..', 'dist', 'cli', 'main.js'))) throw new Error(`benchmark: ${bin} has no build next to it (run npm run build)`);
  console.log(`${bin}; median of ${RUNS} processes; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)} at start`);
  const rows: string[][] = [['command', 'CPU s (user+sys)', 'min CPU s', 'wall s', 'target CPU s']];
  const measure = (label: string, script: string | null, args: readonly string[], target: number | null): void => {
    const runs = Array.from({ length: RUNS }, () => measureOnce(script, args));
    const cpu = runs.map((r) => r.cpuS);
    rows.push([label, median(cpu).toFixed(2), Math.min(...cpu).toFixed(2), median(runs.map((r) => r.wallS)).toFixed(2), target === null ? '-' : `<= ${target}`]);
  };
  measure('(node alone)', null, [], null);
  for (const [args, target] of COMMANDS) measure(`eigenstate ${args.join(' ')}`, bin, args, target);
  console.log(formatColumns(rows));
  console.log(`load ${os.loadavg()[0].toFixed(1)} at end`);
}
