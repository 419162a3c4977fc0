// The portfolio with real solvers: the WASM Z3 raced with Debian's z3 and cvc5 (.ci/run installs them;
// the tests that need one are skipped, visibly, where it is missing), with PATH stripped of them, a native
// witness replayed, and races stopped by an abort and by SIGTERM leaving no solver process behind.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { InputError } from '../../../src/errors.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import type { BoundedQuery } from '../../../src/verify/types.js';
import { parseModelClass } from '../../../src/verify/classes.js';
import { replayWitness, wordTree } from '../../../src/verify/z3/instance.js';
import { liveSolverPids } from '../../../src/verify/solvers/native.js';
import { parseSolverChoice, solversFor } from '../../../src/verify/solvers/race.js';
import type { SolverOptions } from '../../../src/verify/solvers/types.js';
import { onPath } from '../native.js';
import { GENEROUS_MS } from '../budget.js';

const haveNatives = onPath('z3') && onPath('cvc5');
const withNatives = haveNatives ? it : it.skip;
if (!haveNatives) console.warn('race.test.ts: z3 or cvc5 not on PATH; the native races are skipped');

const query = (task: string, model: string, solver: SolverOptions, more: Partial<BoundedQuery> = {}): BoundedQuery => ({
  task: parseTask(task),
  modelClass: parseModelClass(model),
  dim: 1,
  format: 'fixed<2,4>',
  maxLen: 3,
  words: 'unary',
  readout: 'linear',
  engine: 'z3',
  strategy: 'full',
  timeoutMs: GENEROUS_MS, // no query here comes near it: the load never decides a verdict asserted
  solver,
  ...more,
});

/** A query every solver needs tens of seconds for (tomita6 on 1^0..1^8, dim 2: unsat). */
const HARD: Partial<BoundedQuery> = { dim: 2, format: 'fixed<2,2>', maxLen: 8 };

/** True while a process with this pid exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids of the processes whose parent is `ppid`. */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc').flatMap((d) => {
    if (!/^\d+$/.test(d)) return [];
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
  return cond();
};

describe('solver portfolio', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  withNatives('races the WASM Z3, z3 and cvc5: one winner, the others stopped, same verdict as each alone', async () => {
    // Seconds for every solver: past the WASM Z3's head start, so all three race.
    const RACED: Partial<BoundedQuery> = { dim: 2, maxLen: 3 };
    const race = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'auto', slots: 4 }, RACED));
    expect(race.verdict).toBe('sat');
    const last = race.solvers?.at(-1);
    // 14 multipliers: no WASM head start (race.ts), all three start at once.
    expect(last?.headStartMs).toBeUndefined();
    expect(last?.runs.map((r) => r.solver).sort()).toEqual(['cvc5', 'wasm', 'z3']);
    expect(last?.runs.filter((r) => r.state === 'won').map((r) => r.solver)).toEqual([last?.winner]);
    for (const r of last?.runs ?? []) if (r.solver !== last?.winner) expect(r.state).toBe('stopped');
    for (const choice of ['z3', 'cvc5'] as const) {
      const alone = await verifyBounded(query('parity', 'lrnn-pos', { choice }, RACED));
      expect(alone.verdict).toBe('sat');
      expect(alone.solvers?.at(-1)?.runs.map((r) => [r.solver, r.state])).toEqual([[choice, 'won']]);
    }
    expect(liveSolverPids()).toEqual([]);
  });

  withNatives('replays a sat witness read from each native solver’s model', async () => {
    for (const choice of ['z3', 'cvc5'] as const) {
      const q = query('parity', 'lrnn-neg', { choice }, { maxLen: 6 });
      const r = await verifyBounded(q);
      expect(r.verdict).toBe('sat');
      expect(r.solvers?.at(-1)?.winner).toBe(choice);
      const nodes = wordTree(q.task, 'unary', 6);
      expect(replayWitness(r.witness!, q.task, nodes, nodes.map((n) => q.task.label(n.word)), new Map())).toEqual([]);
    }
  });

  withNatives('cross-checks an unsat with a second solver', async () => {
    const r = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'z3', crossCheck: true }));
    expect(r.verdict).toBe('unsat');
    expect(r.solvers?.at(-1)?.crossCheck).toMatchObject({ solver: 'cvc5', state: 'unsat' });
  });

  withNatives('on two slots auto runs native z3 alone after the head start; the WASM Z3 joins on a third slot', async () => {
    // 14 multipliers: no head start, every solver of the race starts at once.
    const RACED: Partial<BoundedQuery> = { dim: 2, maxLen: 3 };
    const two = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'auto', slots: 2 }, RACED));
    expect(two.verdict).toBe('sat');
    expect(two.solvers?.at(-1)?.runs.map((r) => r.solver)).toEqual(['z3']);
    const three = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'auto', slots: 3 }, RACED));
    expect(three.verdict).toBe('sat');
    expect(three.solvers?.at(-1)?.runs.map((r) => r.solver).sort()).toEqual(['wasm', 'z3']);
  });

  withNatives('a native unsat names a core (asked for only after the plain check said unsat); z3 minimises it', async () => {
    for (const choice of ['z3', 'cvc5'] as const) {
      const r = await verifyBounded(query('parity', 'lrnn-pos', { choice }));
      expect(r.verdict).toBe('unsat');
      expect(r.solvers?.at(-1)?.winner).toBe(choice);
      expect(r.core!.every((name) => ['len0', 'len1', 'len2', 'len3'].includes(name))).toBe(true);
      // Four words tracked: z3's core run (rlimit-budgeted, so at any load) leaves one out; cvc5 does not minimise.
      if (choice === 'z3') expect(r.core!.length).toBeLessThan(4);
    }
  });

  withNatives('a tiny resource limit (rlimit) is unknown for the WASM Z3 and native z3 at any load; cvc5 sits out', async () => {
    const RACED: Partial<BoundedQuery> = { dim: 2, maxLen: 3, rlimit: 1 };
    const r = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'auto', slots: 3 }, RACED));
    expect(r.verdict).toBe('unknown');
    expect(r.solvers?.at(-1)?.runs.map((run) => [run.solver, run.state]).sort()).toEqual([['wasm', 'unknown'], ['z3', 'unknown']]);
    const z3 = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'z3' }, RACED));
    expect(z3.verdict).toBe('unknown');
    expect(z3.reason).toMatch(/resource limit/);
    await expect(verifyBounded(query('parity', 'lrnn-pos', { choice: 'cvc5' }, RACED))).rejects.toThrow(InputError);
    await expect(verifyBounded(query('parity', 'lrnn-pos', { choice: 'z3' }, { rlimit: 0 }))).rejects.toThrow(/^rlimit = 0: expected an integer >= 1$/);
  });

  it('with PATH stripped of native solvers, auto is the WASM Z3 alone, and a named native is refused in one line', async () => {
    process.env.PATH = '/nonexistent';
    expect(solversFor('auto')).toEqual({ wasm: true, natives: [] });
    const r = await verifyBounded(query('parity', 'lrnn-pos', { choice: 'auto' }));
    expect(r.verdict).toBe('unsat');
    // A minimised core of three lengths (which three depends on the context's history of terms).
    expect(r.core).toHaveLength(3);
    expect(r.solvers?.map((x) => x.runs.map((run) => run.solver))).toEqual([['wasm']]);
    expect(r.solvers?.[0].headStartMs).toBeUndefined();
    expect(() => solversFor('cvc5')).toThrow(InputError);
    expect(() => solversFor('cvc5')).toThrow(/cvc5 is not on PATH \(install it: apt-get install cvc5/);
    expect(() => parseSolverChoice('bitwuzla')).toThrow(InputError);
  });

  withNatives('an aborted race stops every solver: no child process is left', async () => {
    const abort = new AbortController();
    const running = verifyBounded(query('tomita6', 'lrnn-neg', { choice: 'auto', slots: 4, signal: abort.signal }, HARD));
    expect(await until(() => liveSolverPids().length === 2, 20_000)).toBe(true);
    const pids = liveSolverPids();
    abort.abort();
    const r = await running;
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toBe('aborted');
    expect(r.solvers?.at(-1)?.runs.every((run) => run.state === 'stopped')).toBe(true);
    expect(liveSolverPids()).toEqual([]);
    expect(await until(() => pids.every((pid) => !alive(pid)), 5000)).toBe(true);
  });

  withNatives('SIGTERM to eigenstate during a race kills its solver processes', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/verify/solvers/cli-child.ts', 'verify', 'tomita6', '--model', 'lrnn-neg', '--dim', '2', '--format', 'fixed<2,2>', '--max-len', '8', '--engine', 'z3', '--strategy', 'full', '--solver', 'z3'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const pid = child.pid!;
    let solvers: number[] = [];
    expect(await until(() => (solvers = childrenOf(pid).filter((p) => /\(z3\)/.test(readFileSync(`/proc/${p}/stat`, 'utf8')))).length > 0, 40_000)).toBe(true);
    // A moment for the parent to register the child (its handlers go in as the solver starts).
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const code = await exited;
    expect(await until(() => solvers.every((p) => !alive(p)), 5000)).toBe(true);
    expect(code).toBe(143);
  });
});
