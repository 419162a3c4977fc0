import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { guardOutputStreams, outputErrorLine } from '../../src/cli/streams.js';

/** A stream whose every write fails with `code` (null: succeeds), and what was written to it. */
function stream(code: string | null): { s: Writable; text: () => string } {
  let text = '';
  const s = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (code === null) {
        text += String(chunk);
        done();
      } else done(Object.assign(new Error(`${code}: some failure, write`), { code }));
    },
  });
  return { s, text: () => text };
}

/** Guards a failing stdout, writes once, and resolves to the exit code and what stderr received. */
async function run(code: string, soFar = 3): Promise<{ exit: number; stderr: string }> {
  const out = stream(code);
  const err = stream(null);
  const exit = new Promise<number>((resolve) => guardOutputStreams(out.s, err.s, resolve, () => soFar));
  out.s.write('x');
  return { exit: await exit, stderr: err.text() };
}

describe('guardOutputStreams', () => {
  it('a full disk on stdout is one line and exit 74', async () => {
    expect(await run('ENOSPC')).toEqual({ exit: 74, stderr: 'eigenstate: cannot write to stdout: no space left on device (ENOSPC)\n' });
    expect(await run('EFBIG')).toEqual({ exit: 74, stderr: 'eigenstate: cannot write to stdout: file too large (EFBIG)\n' });
  });

  it('a closed pipe ends quietly with the exit code set so far', async () => {
    expect(await run('EPIPE', 1)).toEqual({ exit: 1, stderr: '' });
  });

  it('an error without a word of ours keeps Node\'s reason', () => {
    expect(outputErrorLine('stdout', Object.assign(new Error('EWEIRD: odd thing, write'), { code: 'EWEIRD' }))).toBe('eigenstate: cannot write to stdout: odd thing (EWEIRD)\n');
  });
});
