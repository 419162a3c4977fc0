// The Python reference implementation (python/eigenstate_ref) as the tests call it: its virtual environment
// is made by python/setup.sh, which the README's test command runs before jest.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The interpreter of python/.venv. */
export const PYTHON = join(process.cwd(), 'python', '.venv', 'bin', 'python');

/** True when the reference can run here; where python/setup.sh could not install it, the tests say SKIPPED. */
export function pythonReferenceAvailable(file: string): boolean {
  if (existsSync(PYTHON)) return true;
  console.warn(`${file}: python/.venv is missing (run bash python/setup.sh); the Python agreement tests are SKIPPED`);
  return false;
}

/** Runs `python -m eigenstate_ref ARGS` in python/ and returns its stdout. */
export function pythonRef(...args: string[]): string {
  return execFileSync(PYTHON, ['-m', 'eigenstate_ref', ...args], {
    cwd: join(process.cwd(), 'python'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, JAX_PLATFORMS: 'cpu' },
  });
}
