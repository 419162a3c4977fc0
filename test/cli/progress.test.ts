// Progress on long runs: a bar on a terminal, nothing when the stream is redirected.
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { withProgress, workProgress } from '../../src/cli/progress.js';

/** A stream that says it is (or is not) a terminal and keeps what is written to it. */
function stream(isTTY: boolean): PassThrough & { isTTY: boolean; columns: number; text: () => string } {
  const s = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  s.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // cli-progress moves the cursor with readline on a TTY stream
  Object.assign(s, { cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return Object.assign(s, { text: () => text });
}

describe('workProgress', () => {
  it('draws a bar with the label, the count and the detail on a terminal', async () => {
    const s = stream(true);
    const p = workProgress('quantize', s);
    p.update(3, 12, 'fixed<2,6>');
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(s.text()).toContain('quantize [');
    expect(s.text()).toContain('3/12 | fixed<2,6>');
  });

  it('writes nothing when the stream is not a terminal', async () => {
    const s = stream(false);
    const p = workProgress('quantize', s);
    p.update(3, 12, 'fixed<2,6>');
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(s.text()).toBe('');
  });

  it('withProgress stops the display when the work throws', () => {
    let stopped = 0;
    const fake = { update: () => undefined, stop: () => void stopped++ };
    expect(() =>
      withProgress(fake, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(withProgress(fake, () => 7)).toBe(7);
    expect(stopped).toBe(2);
  });
});
