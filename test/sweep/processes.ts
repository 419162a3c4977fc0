// Child processes for the sweep tests: the built CLI (bin/eigenstate.js, as `npm test` builds it first),
// with output collected and waited on, and a free loopback port. Every process a test starts is killed
// by the test that started it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
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

/** Whether redis-server is on PATH (Debian's package; .ci/run installs it): the queue tests skip, visibly, without it. */
export const hasRedis = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Polls an async predicate until it holds; throws after timeoutMs (a bounded wait, never a hang). */
export async function waitForAsync(what: string, predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 at a free port, or at `port` (to restart one that was
 * killed: it comes back empty); no persistence, files in dir; resolves once it listens.
 */
export async function startRedis(dir: string, port?: number): Promise<{ redis: Child; url: string; port: number }> {
  port ??= await freePort();
  const redis = startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  await waitFor('redis-server to listen', () => redis.out().includes('Ready to accept connections'), 15_000);
  return { redis, url: `redis://127.0.0.1:${port}`, port };
}
