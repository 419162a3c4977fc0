// Native solvers as child processes. Each run is one process reading the script on stdin; after its
// check-sat answer the follow-up ((get-model) or (get-unsat-core)) is written, then (exit). Limits: the
// solver's own time limit, a kill timer a little after it, and an address-space limit (ulimit -v, set by
// the shell that then execs the solver, so the child's pid is the solver's). Every live child is in one
// set: stopping a race kills its children, and the process's exit or SIGINT/SIGTERM kills whatever is left,
// so no solver outlives eigenstate (a SIGKILL of eigenstate itself cannot be caught: the solver's own time
// limit ends it then).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { NativeSolverName } from './types.js';

/** The command line of each native solver, given its time limit in ms and its resource limit (0: none). */
const COMMANDS: Record<NativeSolverName, (timeoutMs: number, rlimit: number) => string[]> = {
  // -t: soft per-query limit (answers unknown); smt.core.minimize as the WASM side's core.minimize;
  // rlimit: Z3's deterministic resource limit (an unsigned 32-bit count), the WASM side's solver rlimit.
  z3: (ms, rlimit) => ['z3', '-in', '-smt2', `-t:${ms}`, 'smt.core.minimize=true', 'sat.core.minimize=true', ...(rlimit > 0 ? [`rlimit=${rlimit}`] : [])],
  // Not --minimal-unsat-cores: it re-solves subsets of the core, measured longer than the query itself.
  // cvc5's resource units are its own: race.ts never gives it a Z3 rlimit.
  cvc5: (ms) => ['cvc5', '--lang', 'smt2', `--tlimit-per=${ms}`],
};

/** The largest rlimit native z3 accepts (its parameter is an unsigned int). */
export const MAX_NATIVE_RLIMIT = 2 ** 32 - 1;

/** Z3's `:rlimit-count` in a `(get-info :all-statistics)` answer (the work a check did), or undefined. */
export function rlimitCount(statistics: string): number | undefined {
  const m = statistics.match(/:rlimit-count\s+(\d+)/);
  return m === null ? undefined : Number(m[1]);
}

/** How to install a missing solver, in one line. */
export const INSTALL_HINT: Record<NativeSolverName, string> = {
  z3: 'apt-get install z3 (Debian/Ubuntu), brew install z3, or a release from github.com/Z3Prover/z3',
  cvc5: 'apt-get install cvc5 (Debian/Ubuntu), brew install cvc5, or a release from github.com/cvc5/cvc5',
};

/** The executable's path on the current PATH, or undefined. */
export function findOnPath(program: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

const versions = new Map<string, string>();

/** The solver's version line (cached per executable path), e.g. 'Z3 version 4.8.12 - 64 bit'. */
export function nativeVersion(solver: NativeSolverName, file: string): string {
  let v = versions.get(file);
  if (v === undefined) {
    try {
      v = execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0].trim();
    } catch {
      v = `${solver} (version unknown)`;
    }
    versions.set(file, v);
  }
  return v;
}

/** Children not yet exited, killed on stop and on the process's exit or interrupt. */
const live = new Set<ChildProcess>();

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

const onSignal = (signal: NodeJS.Signals): void => {
  killAll();
  // Default behaviour afterwards: the conventional 128 + signal number exit.
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
let hooked = false;

/** Installs the exit and signal handlers while children live, removes them when the last one exits. */
function track(child: ChildProcess): void {
  live.add(child);
  if (!hooked) {
    hooked = true;
    process.on('exit', killAll);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  child.once('exit', () => {
    live.delete(child);
    if (live.size === 0 && hooked) {
      hooked = false;
      process.off('exit', killAll);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}

/** The pids of native solver processes now running (for tests: none after a race has ended). */
export function liveSolverPids(): number[] {
  return [...live].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
}

/** What a native run produced. */
export interface NativeOutcome {
  answer: 'sat' | 'unsat' | 'unknown' | 'error' | 'stopped';
  /** The follow-up's output: the model or the core (sat, unsat). */
  followUp?: string;
  detail?: string;
}

/** A running native solver: its outcome, and a stop that kills it. */
export interface NativeRun {
  readonly outcome: Promise<NativeOutcome>;
  readonly pid: number | undefined;
  stop(): void;
}

/**
 * Starts `solver` on `script` (ending before check-sat): writes (check-sat), and on sat/unsat the follow-up
 * `onSat` / `onUnsat`, then (exit). Killed at timeoutMs + 2 s if its own limit did not end it. `rlimit`
 * (z3 only; 0 or absent: none) is Z3's resource limit: past it the answer is unknown, whatever the load.
 */
export function runNative(solver: NativeSolverName, file: string, script: string, opts: { timeoutMs: number; memoryMb: number; onSat: string; onUnsat: string; rlimit?: number }): NativeRun {
  const rlimit = Math.min(MAX_NATIVE_RLIMIT, Math.max(0, Math.round(opts.rlimit ?? 0)));
  const [, ...args] = COMMANDS[solver](Math.max(1, Math.round(opts.timeoutMs)), rlimit);
  const kb = Math.max(1, Math.round(opts.memoryMb * 1024));
  const child = spawn('/bin/sh', ['-c', 'ulimit -v "$0" && exec "$@"', String(kb), file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  track(child);
  let stopped = false;
  let out = '';
  let err = '';
  let answer: NativeOutcome['answer'] | undefined;
  let answerEnd = 0;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const send = (text: string): void => {
    if (!child.stdin.destroyed) child.stdin.write(text);
  };
  child.stdin.on('error', () => {
    // The solver exited before reading everything (killed, or an error it reports on stdout): the exit says.
  });
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (answer === undefined) {
      const line = out.match(/^\s*(sat|unsat|unknown|\(error[^\n]*)\s*\n/);
      if (line !== null) {
        answer = line[1] === 'sat' || line[1] === 'unsat' || line[1] === 'unknown' ? line[1] : 'error';
        answerEnd = line[0].length;
        if (answer === 'sat') send(`${opts.onSat}\n(exit)\n`);
        else if (answer === 'unsat') send(`${opts.onUnsat}\n(exit)\n`);
        else if (answer === 'unknown') send('(get-info :reason-unknown)\n(exit)\n');
        else send('(exit)\n');
      }
    }
  });
  child.stderr.on('data', (chunk: string) => {
    if (err.length < 10_000) err += chunk;
  });
  let overran = false;
  const killer = setTimeout(() => {
    overran = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs + 2000);
  const outcome = new Promise<NativeOutcome>((resolve) => {
    child.on('error', (e) => resolve({ answer: 'error', detail: e.message }));
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const rest = out.slice(answerEnd).trim();
      if (stopped) resolve({ answer: 'stopped' });
      else if (overran) resolve({ answer: 'unknown', detail: answer === 'sat' || answer === 'unsat' ? `timeout (killed while printing the ${answer === 'sat' ? 'model' : 'core'})` : 'timeout (killed)' });
      else if (answer === 'sat' || answer === 'unsat') resolve({ answer, followUp: rest });
      else if (answer === 'unknown') resolve({ answer, detail: rest.match(/:reason-unknown\s+"?([^")]*)/)?.[1]?.trim() ?? 'unknown' });
      else {
        const why = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
        const first = (out.trim() || err.trim()).split('\n')[0];
        resolve({ answer: 'error', detail: first ? `${why}: ${first.slice(0, 200)}` : why });
      }
    });
  });
  send(`${script}(check-sat)\n`);
  return {
    outcome,
    pid: child.pid,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) {
        stopped = true;
        child.kill('SIGKILL');
      }
    },
  };
}
