// One Z3 instance per process: init loads a 30 MB WebAssembly module and starts worker threads, so every
// query shares this context instead of paying for its own (Z3-NOTES.md).
import z3 from 'z3-solver';
import type { Context } from 'z3-solver';

/** The shared high-level Z3 context. */
export type Z3 = Context<'main'>;

/** The shared context and the Z3 core version it runs. */
export interface Z3Session {
  readonly Z: Z3;
  readonly version: string;
}

let session: Promise<Z3Session> | undefined;

/** The process-wide Z3 session, started on first use. */
export function z3Session(): Promise<Z3Session> {
  if (session === undefined) {
    session = z3.init().then(({ Context: makeContext, getFullVersion }) => ({
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

/** The Z3 core version string (getFullVersion), recorded with every verdict. */
export async function z3Version(): Promise<string> {
  return (await z3Session()).version;
}
