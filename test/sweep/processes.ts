// Child processes for the sweep tests: the built CLI (bin/eigenstate.js, as `npm test` builds it first),
// with output collected and waited on, and a free loopback port. Every process a test starts is killed
// by the test that started it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The built CLI's entry point. */
export const BIN = new URL('../../bin/eigenstate.js', import.meta.url).pathname;

/** A running child with its output so far. */
export interface Child {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Starts `node bin/eigenstate.js ...args`. */
export function startCli(args: readonly string[]): Child {
  return startProcess(process.execPath, [BIN, ...args]);
}

/** Starts any program with its output collected. */
export function startProcess(program: string, args: readonly string[]): Child {
  const proc = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { proc, out: () => out, err: () => err, exited };
}

/** Runs the CLI to the end. */
export async function runCliProcess(args: readonly string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const c = startCli(args);
  const code = await c.exited;
  return { code, stdout: c.out(), stderr: c.err() };
}

/** Polls until the predicate holds; throws after timeoutMs (a bounded wait, never a hang). */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
