// The portfolio: one request put to the chosen solvers. The WASM Z3 gets it alone for a short head start
// (queries with few multipliers), which decides most small queries; then the natives join, one solver per
// core (raceSlots says which; the WASM check is stopped where it has no core of its own, and restarted
// with the time left only if every native gives up). The first definite answer (sat or unsat) wins and every
// other solver is stopped (native children killed, the WASM check interrupted) before the answer is
// returned, so no solver outlives its race. An unknown or an error waits for the others. With `auto` and
// no native solver on PATH the race is the WASM check alone: the same query, solver settings and answer
// as before the portfolio. A native sat comes back as a model of the WASM session (model.ts) and is
// replayed by the callers like any other; --cross-check puts every unsat to a second solver.
import os from 'node:os';
import { InputError, InternalError } from '../../errors.js';
import type { Z3 } from '../z3/session.js';
import { readModel, toZ3Model } from './model.js';
import { findOnPath, INSTALL_HINT, nativeVersion, rlimitCount, runNative } from './native.js';
import { readSExprs } from './sexpr.js';
import { coreLabel, nativeScript, type NativeScript } from './smtlib.js';
import { NATIVE_SOLVERS, SOLVER_CHOICES, type NativeSolverName, type SolveAnswer, type SolveRequest, type SolverChoice, type SolverName, type SolverOptions, type SolverRun } from './types.js';
import { runWasm } from './wasm.js';

/** How long `auto` lets the WASM Z3 try a query alone before the native solvers join (ms). */
export const HEAD_START_MS = 250;

/** Queries with more multiplications than this get no head start (see solve). */
export const HEAD_START_MAX_MULTIPLICATIONS = 8;

/** The bit-vector multiplications in a script. */
function multiplications(smt2: string): number {
  return smt2.match(/\(bvmul\s/g)?.length ?? 0;
}

/** Address-space limit of each native solver unless the options say otherwise. */
const DEFAULT_MEMORY_MB = 4096;

/** Parses `--solver`; bitwuzla (no Debian package) and unknown names are refused in one line. */
export function parseSolverChoice(value: string): SolverChoice {
  if (value === 'bitwuzla') {
    throw new InputError(`--solver bitwuzla: not supported (no Debian package to install and test it with); use ${SOLVER_CHOICES.filter((c) => c !== 'bitwuzla').join(', ')}`);
  }
  if (!(SOLVER_CHOICES as readonly string[]).includes(value)) throw new InputError(`--solver ${value}: expected one of ${SOLVER_CHOICES.join(', ')}`);
  return value as SolverChoice;
}

/**
 * How many solvers `auto` runs at once after the WASM head start: one per core, at least two. Native z3
 * takes the first slot; the WASM Z3 races only from three slots on, cvc5 from four: with the WASM Z3
 * racing on two cores native z3 ran 1.35-2.2x slower than alone (the WASM Z3 takes more than its own
 * core), and the race trailed the best single solver by 1.9-2.8x on 3 of issue 25's 5 queries (load 4),
 * where native z3 alone after the head start is the best single solver or within 1.2x of it on each
 * (bench/verify-solvers.ts). Where z3 gives up early, the WASM Z3 gets the time left.
 */
export function raceSlots(): number {
  return Math.max(2, os.availableParallelism());
}

/** A native solver found on PATH. */
interface Native {
  name: NativeSolverName;
  file: string;
}

/** The solvers a choice may run: for auto wasm and every native on PATH (z3 first); one named native must be installed. */
export function solversFor(choice: SolverChoice): { wasm: boolean; natives: Native[] } {
  const found = (name: NativeSolverName): Native | undefined => {
    const file = findOnPath(name);
    return file === undefined ? undefined : { name, file };
  };
  if (choice === 'wasm') return { wasm: true, natives: [] };
  if (choice === 'auto') return { wasm: true, natives: NATIVE_SOLVERS.flatMap((n) => found(n) ?? []) };
  const one = found(choice);
  if (one === undefined) throw new InputError(`--solver ${choice}: ${choice} is not on PATH (install it: ${INSTALL_HINT[choice]})`);
  return { wasm: false, natives: [one] };
}

/** Version strings of the solvers a choice runs, e.g. ['wasm: 4.15.4.0', 'z3: Z3 version 4.8.12 - 64 bit']. */
export function solverVersions(choice: SolverChoice, wasmVersion: string): string[] {
  const { wasm, natives } = solversFor(choice);
  return [...(wasm ? [`wasm: ${wasmVersion}`] : []), ...natives.map((n) => `${n.name}: ${nativeVersion(n.name, n.file)}`)];
}

/** A runner's answer, normalised for the race. */
interface Answer {
  solver: SolverName;
  verdict: 'sat' | 'unsat' | 'unknown' | 'error' | 'stopped';
  timeMs: number;
  detail?: string;
  make?: () => Omit<SolveAnswer, 'race'>;
}

interface Runner {
  solver: SolverName;
  answer: Promise<Answer>;
  stop(): void;
}

/** The tracked names a native core lists (its labels are core!i). */
function nativeCore(text: string, names: readonly string[], solver: string): string[] {
  const [list] = readSExprs(text, `${solver} unsat core`);
  if (!Array.isArray(list)) throw new InternalError(`${solver} unsat core: expected a list, got ${text.slice(0, 80)}`);
  return list
    .map((label) => {
      const i = typeof label === 'string' && label.startsWith('core!') ? Number(label.slice(5)) : NaN;
      const name = names[i];
      if (name === undefined || coreLabel(i) !== label) throw new InternalError(`${solver} unsat core: unknown label ${JSON.stringify(label)}`);
      return name;
    })
    .sort();
}

/**
 * How much work a native z3's core run may do: half of what its plain check did (rlimit counts), and at
 * least CORE_MIN_RLIMIT, so that small queries always get their core. An unsat thus costs at most about
 * 1.5 times its plain check, and a large one's core may be every tracked name. Measured (rlimit counts,
 * core run against plain): parity lrnn-pos D = 1, N = 3: 48727 / 52277; N = 64 at fixed<2,6>: 1.64M /
 * 2.04M; tomita6 lrnn-neg D = 2 fixed<2,2> N = 8: 86.6M / 7.1M (no core within any budget near the plain).
 */
export const CORE_WORK_FACTOR = 0.5;
export const CORE_MIN_RLIMIT = 2_000_000;

/**
 * One native solver on a request: the plain script first (smtlib.ts says why). After its unsat, where facts
 * are tracked, the core script names the core, with what is left of the time and, for z3, at most
 * CORE_WORK_FACTOR times the plain check's work (a deterministic budget: the same query gets the same core
 * at any load). A core run that does not answer unsat leaves every tracked name as the core: a true core
 * (the plain unsat showed it), only not a minimal one.
 */
function startNative(Z: Z3, script: NativeScript, n: Native, timeoutMs: number, memoryMb: number, start: number, rlimit: number | undefined): Runner {
  const nativeStart = performance.now();
  const wantCore = script.coreText !== undefined;
  // z3's statistics name the plain check's work (its rlimit count), the core run's budget.
  const onUnsat = wantCore && n.name === 'z3' ? '(get-info :all-statistics)' : '';
  let current = runNative(n.name, n.file, script.text, { timeoutMs, memoryMb, onSat: '(get-model)', onUnsat, ...(rlimit !== undefined ? { rlimit } : {}) });
  let stopped = false;
  const done = (verdict: Answer['verdict'], more: Partial<Answer> = {}): Answer => ({ solver: n.name, verdict, timeMs: performance.now() - start, ...more });
  const answer = current.outcome.then(async (o): Promise<Answer> => {
    if (o.answer === 'sat') return done('sat', { make: () => ({ verdict: 'sat', model: toZ3Model(Z, readModel(o.followUp ?? '', n.name)) }) });
    if (o.answer !== 'unsat') return done(o.answer, o.detail !== undefined ? { detail: o.detail } : {});
    const unsat = (core?: string[]): Answer => done('unsat', { make: () => (core === undefined ? { verdict: 'unsat' } : { verdict: 'unsat', core }) });
    if (script.coreText === undefined) return unsat();
    const everyName = [...script.trackedNames].sort();
    const left = timeoutMs - (performance.now() - nativeStart);
    if (stopped) return done('stopped');
    const work = n.name === 'z3' ? rlimitCount(o.followUp ?? '') : undefined;
    if (left < 1 || (n.name === 'z3' && work === undefined)) return unsat(everyName);
    const coreRlimit = work === undefined ? undefined : Math.min(rlimit ?? Infinity, Math.max(CORE_MIN_RLIMIT, Math.round(CORE_WORK_FACTOR * work)));
    current = runNative(n.name, n.file, script.coreText, { timeoutMs: left, memoryMb, onSat: '', onUnsat: '(get-unsat-core)', ...(coreRlimit !== undefined ? { rlimit: coreRlimit } : {}) });
    const c = await current.outcome;
    if (c.answer === 'stopped') return done('stopped');
    return unsat(c.answer === 'unsat' ? nativeCore(c.followUp ?? '', script.trackedNames, n.name) : everyName);
  });
  return {
    solver: n.name,
    answer,
    stop: () => {
      stopped = true;
      current.stop();
    },
  };
}

function startNatives(Z: Z3, script: NativeScript, natives: readonly Native[], timeoutMs: number, memoryMb: number, start: number, rlimit: number | undefined): Runner[] {
  return natives.map((n) => startNative(Z, script, n, timeoutMs, memoryMb, start, rlimit));
}

function startWasm(Z: Z3, request: SolveRequest, start: number): Runner {
  const run = runWasm(Z, request);
  let stopped = false;
  const answer = run.outcome.then(
    (o): Answer => {
      const timeMs = performance.now() - start;
      if (o.verdict === 'unknown') return { solver: 'wasm', verdict: stopped ? 'stopped' : 'unknown', timeMs, detail: o.reason ?? 'unknown' };
      return { solver: 'wasm', verdict: o.verdict, timeMs, make: () => o };
    },
    (e: unknown): Answer => ({ solver: 'wasm', verdict: 'error', timeMs: performance.now() - start, detail: e instanceof Error ? e.message : String(e) }),
  );
  return {
    solver: 'wasm',
    answer,
    stop: () => {
      stopped = true;
      run.stop();
    },
  };
}

/** Native runners (the script printed first: printing cannot overlap a WASM check), then the WASM one. */
function startRunners(Z: Z3, request: SolveRequest, wasm: boolean, natives: readonly Native[], memoryMb: number, start = performance.now()): Runner[] {
  const runners = natives.length > 0 ? startNatives(Z, nativeScript(Z, request), natives, request.timeoutMs, memoryMb, start, request.rlimit) : [];
  if (wasm) runners.push(startWasm(Z, request, start));
  return runners;
}

/** Runs the race among `runners`: the first sat/unsat wins, the rest are stopped and awaited. */
async function race(runners: readonly Runner[], signal: AbortSignal | undefined, startedAt: number): Promise<{ winner?: Answer; runs: SolverRun[] }> {
  const stopTime = new Map<number, number>();
  const pending = new Map(runners.map((r, i) => [i, r.answer.then((a) => ({ i, a }))]));
  const stopAll = (): void => runners.forEach((r) => r.stop());
  const onAbort = (): void => {
    // Times are measured from the request's start, as the runners measure theirs.
    const now = runners.length > 0 ? performance.now() - startedAt : 0;
    for (const j of pending.keys()) if (!stopTime.has(j)) stopTime.set(j, now);
    stopAll();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted === true) onAbort();
  try {
    let winner: Answer | undefined;
    const runs: SolverRun[] = [];
    while (pending.size > 0) {
      const { i, a } = await Promise.race(pending.values());
      pending.delete(i);
      if (winner === undefined && (a.verdict === 'sat' || a.verdict === 'unsat')) {
        winner = a;
        const now = a.timeMs;
        for (const j of pending.keys()) stopTime.set(j, now);
        stopAll();
      }
      runs[i] = {
        solver: a.solver,
        state: a === winner ? 'won' : stopTime.has(i) ? 'stopped' : a.verdict,
        timeMs: stopTime.get(i) ?? a.timeMs,
        ...(a.detail !== undefined ? { detail: a.detail } : {}),
      };
    }
    return winner === undefined ? { runs } : { winner, runs };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The cross-check's solver: a native other than the winner, else the WASM Z3 (if the winner was native). */
function crossCheckSolver(winner: SolverName): { wasm: boolean; natives: Native[] } | undefined {
  const natives = NATIVE_SOLVERS.flatMap((name) => {
    const file = name === winner ? undefined : findOnPath(name);
    return file === undefined ? [] : [{ name, file }];
  });
  if (natives.length > 0) return { wasm: false, natives: [natives[0]] };
  return winner === 'wasm' ? undefined : { wasm: true, natives: [] };
}

/**
 * Puts one request to the solvers of `options.choice` (see the header): the winner's answer, with every
 * solver's run. InputError when a named native solver is not installed; InternalError when a cross-check
 * contradicts an unsat.
 */
export async function solve(Z: Z3, request: SolveRequest, options: SolverOptions = { choice: 'auto' }): Promise<SolveAnswer> {
  const { wasm, natives: found } = solversFor(options.choice);
  if (request.rlimit !== undefined && options.choice === 'cvc5') throw new InputError('--solver cvc5: a Z3 resource limit (rlimit) does not apply to cvc5; use z3, wasm or auto');
  // cvc5 counts no Z3 resource units: a request with an rlimit races the Z3s alone.
  const usable = request.rlimit === undefined ? found : found.filter((n) => n.name === 'z3');
  const slots = Math.max(1, options.slots ?? raceSlots());
  // Native z3 takes the first slot, the WASM Z3 a core of its own only from the third (raceSlots says why).
  const natives = usable.slice(0, wasm ? Math.max(1, slots - 2) : slots);
  const wasmRaces = wasm && (natives.length === 0 || slots >= 3);
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const start = performance.now();
  let headStartMs: number | undefined;
  let winner: Answer | undefined;
  let runs: SolverRun[];
  if (wasm && natives.length > 0) {
    // The script is printed before the WASM check starts: printing cannot overlap a check.
    const script = nativeScript(Z, request);
    const headStart = multiplications(script.text) <= HEAD_START_MAX_MULTIPLICATIONS;
    // Without a head start or a core of its own the WASM Z3 does not start: stopping it could take seconds.
    const wasmRunner = headStart || wasmRaces ? startWasm(Z, request, start) : undefined;
    let early: Answer | undefined;
    if (wasmRunner !== undefined && headStart) {
      // A head start for the WASM Z3 alone: it decides most lazy rounds in a few ms, and then nothing is
      // spawned. Not on queries with many multipliers, where the natives are usually faster from the start.
      headStartMs = HEAD_START_MS;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        early = await Promise.race([
          wasmRunner.answer,
          new Promise<undefined>((resolve) => {
            timer = setTimeout(() => resolve(undefined), HEAD_START_MS);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    }
    if (early?.make !== undefined) return { ...early.make(), race: { winner: 'wasm', runs: [{ solver: 'wasm', state: 'won', timeMs: early.timeMs }], ...(headStartMs !== undefined ? { headStartMs } : {}) } };
    const left = Math.max(1, request.timeoutMs - (performance.now() - start));
    const nativeRunners = options.signal?.aborted === true ? [] : startNatives(Z, script, natives, left, memoryMb, start, request.rlimit);
    // Without a core of its own the WASM Z3 yields to the natives after its head start.
    if (!wasmRaces) wasmRunner?.stop();
    ({ winner, runs } = await race(wasmRunner === undefined ? nativeRunners : [...nativeRunners, wasmRunner], options.signal, start));
  } else {
    ({ winner, runs } = await race(startRunners(Z, request, wasm, natives, memoryMb, start), options.signal, start));
  }
  const rest = request.timeoutMs - (performance.now() - start);
  if (winner === undefined && wasm && !wasmRaces && rest >= 1 && options.signal?.aborted !== true) {
    // Every native solver gave up early (an error, a resource limit): the WASM Z3 gets the time left.
    const fallback = await race(startRunners(Z, { ...request, timeoutMs: rest }, true, [], memoryMb, start), options.signal, start);
    winner = fallback.winner;
    runs = [...runs, ...fallback.runs];
  }
  const head = headStartMs === undefined ? {} : { headStartMs };
  if (winner === undefined || winner.make === undefined) {
    const reason = options.signal?.aborted === true ? 'aborted' : (runs.find((r) => r.detail !== undefined)?.detail ?? 'unknown');
    return { verdict: 'unknown', reason, race: { runs, ...head } };
  }
  const answer: SolveAnswer = { ...winner.make(), race: { winner: winner.solver, runs, ...head } };
  if (answer.verdict === 'unsat' && options.crossCheck === true) {
    const second = crossCheckSolver(winner.solver);
    if (second === undefined) {
      answer.race.crossCheck = { solver: 'wasm', state: 'error', timeMs: 0, detail: 'no second solver installed (install z3 or cvc5)' };
    } else {
      const left = Math.max(1, request.timeoutMs - (performance.now() - start));
      const checkStart = performance.now();
      const check = await race(startRunners(Z, { ...request, timeoutMs: left }, second.wasm, second.natives, memoryMb, checkStart), options.signal, checkStart);
      const run = check.runs[0];
      if (check.winner?.verdict === 'sat') throw new InternalError(`solvers disagree: ${winner.solver} answered unsat, ${run.solver} sat on the same query`);
      answer.race.crossCheck = { ...run, state: run.state === 'won' ? 'unsat' : run.state };
    }
  }
  return answer;
}
