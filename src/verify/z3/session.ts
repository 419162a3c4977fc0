// One Z3 instance per process: init loads a 30 MB WebAssembly module and starts worker threads, so every
// query shares this context instead of paying for its own (Z3-NOTES.md).
//
// Every check goes through `checkSolver`, because of a race in z3-solver 5.2.0: its high-level objects
// free their native twins from a FinalizationRegistry callback (Z3_dec_ref on the main thread), and such
// a callback can run while a check is solving in a worker thread on the same context. The two then touch
// the same heap, and the WebAssembly build aborts ("The application has corrupted its heap memory area"),
// seen in CI after some hundred queries in one process. The registry z3-solver creates during init is
// therefore ours: it frees at once while no check runs and queues the frees that arrive during one,
// running them when the last check returns. Nothing is leaked, and no free overlaps a solve.
import type { CheckSatResult, Context, Solver } from 'z3-solver';

/** The shared high-level Z3 context. */
export type Z3 = Context<'main'>;

/** The shared context and the Z3 core version it runs. */
export interface Z3Session {
  readonly Z: Z3;
  readonly version: string;
}

let session: Promise<Z3Session> | undefined;

/** Checks now running in a worker thread. */
let checking = 0;
/** Native frees that arrived while a check was running. */
const deferred: (() => void)[] = [];

/** The FinalizationRegistry z3-solver's API gets: its callbacks never run while a check is solving. */
class CheckAwareRegistry<T> extends FinalizationRegistry<T> {
  constructor(callback: (held: T) => void) {
    super((held) => {
      if (checking === 0) callback(held);
      else deferred.push(() => callback(held));
    });
  }
}

/**
 * The lines of emscripten's run-dependency watcher ("still waiting on run dependencies:", "dependency:
 * ...", "(end of list)"), printed every 10 s while the WebAssembly module is still loading, as it is on a
 * busy machine: progress, not errors.
 */
const LOADING_NOTICE = /^(still waiting on run dependencies:|dependency: |\(end of list\))/;

/** Z3's stderr (emscripten's printErr): every line on stderr but the loading notices. */
export function z3PrintErr(...parts: unknown[]): void {
  const text = parts.join(' ');
  if (!LOADING_NOTICE.test(text)) process.stderr.write(`${text}\n`);
}

/** The process-wide Z3 session, started on first use. */
export function z3Session(): Promise<Z3Session> {
  if (session === undefined) {
    const original = globalThis.FinalizationRegistry;
    // z3-solver loads here, not with every command that could ask Z3. It reads the global once, when init
    // builds its API after loading the module. A registry made by anyone else meanwhile behaves as usual,
    // only its frees wait for a running check.
    const started = import('z3-solver')
      .then((module) => {
        // Node gives the CommonJS exports as `default`; tsx's loader (benches, test children) as the module itself.
        const z3 = (module.default ?? module) as typeof module.default;
        globalThis.FinalizationRegistry = CheckAwareRegistry;
        return z3.init({ printErr: z3PrintErr });
      })
      .finally(() => {
        globalThis.FinalizationRegistry = original;
      });
    session = started.then(({ Context: makeContext, getFullVersion }) => ({
      Z: makeContext('main'),
      version: getFullVersion(),
    }));
    // A failed start must not be cached, or every later query would repeat the old failure.
    session.catch(() => {
      session = undefined;
    });
  }
  return session;
}

/** solver.check(), with the session's native frees held back until no check is running (see above). */
export async function checkSolver(solver: Solver<'main'>): Promise<CheckSatResult> {
  checking++;
  try {
    return await solver.check();
  } finally {
    checking--;
    if (checking === 0) for (let free = deferred.shift(); free !== undefined; free = deferred.shift()) free();
  }
}

/** The Z3 core version string (getFullVersion), recorded with every verdict. */
export async function z3Version(): Promise<string> {
  return (await z3Session()).version;
}
