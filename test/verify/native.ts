// Native solvers for the tests that re-check SMT-LIB dumps (.ci/run installs Debian's z3 and cvc5).
import { execFileSync } from 'node:child_process';

/** True when a program is on PATH. */
export function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Native z3's first answer line on an SMT-LIB file (sat, unsat, unknown or timeout), 60 s at most. */
export function nativeZ3(file: string): string {
  return execFileSync('z3', ['-T:60', file], { encoding: 'utf8' }).trim().split('\n')[0];
}

/** Native cvc5's first answer line on an SMT-LIB file (sat, unsat, unknown), 60 s at most. */
export function nativeCvc5(file: string): string {
  return execFileSync('cvc5', ['--tlimit=60000', file], { encoding: 'utf8' }).trim().split('\n')[0];
}
