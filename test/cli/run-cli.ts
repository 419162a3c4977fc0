// Runs the CLI in-process (no build, no child process) and captures what it prints.
import { expect, jest } from '@jest/globals';
import { main } from '../../src/cli/main.js';

/** The exit code and output of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eigenstate ...args` and returns its exit code, stdout and stderr. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'eigenstate', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The run printed exactly one line on stderr (ignoring the backend line of tfjs commands and commander's help hint). */
export function oneLine(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('backend: ') && l !== '(run with --help for usage)');
  expect(lines).toHaveLength(1);
  return lines[0];
}
