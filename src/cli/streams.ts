// What the CLI does when its own output cannot be written. A reader that stops early (`... | head`) closes the
// pipe: not our error, so stop quietly. Anything else (stdout on a full disk, over a file-size limit, a dead
// terminal) is one line on stderr and exit 74 (EX_IOERR), never Node's stack trace of an unhandled 'error'.
import type { Writable } from 'node:stream';
import { EXIT } from './exit.js';

/** Why a write failed, in words, for the errors an output stream meets; otherwise Node's own message. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EFBIG: 'file too large',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EAGAIN: 'resource temporarily unavailable',
  EBADF: 'bad file descriptor',
};

/** The one line printed when writing to `name` failed with `error`. */
export function outputErrorLine(name: 'stdout' | 'stderr', error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  const reason = REASONS[code] ?? error.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '');
  return `eigenstate: cannot write to ${name}: ${reason}${code === '' ? '' : ` (${code})`}\n`;
}

/**
 * Watches stdout and stderr for write errors: EPIPE ends the process quietly with the exit code set so far,
 * any other error prints one line (on stderr, when stderr itself still works) and ends it with EXIT.ioError.
 */
export function guardOutputStreams(stdout: Writable, stderr: Writable, exit: (code: number) => void, exitCodeSoFar: () => number): void {
  for (const [name, stream] of [['stdout', stdout], ['stderr', stderr]] as const) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') return exit(exitCodeSoFar());
      if (name === 'stdout') {
        // stderr may be broken too; a failure there must not hide the exit code
        try {
          stderr.write(outputErrorLine(name, error));
        } catch {
          // nothing more can be said
        }
      }
      exit(EXIT.ioError);
    });
  }
}
