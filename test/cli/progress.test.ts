// Progress on long runs: a bar on a terminal, nothing when the stream is redirected.
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { searchProgress, withProgress, workProgress } from '../../src/cli/progress.js';

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

describe('searchProgress', () => {
  it('redirected: one plain line per interval with the count, the cap, the queue and the rate, none before', () => {
    const s = stream(false);
    let clock = 0;
    const p = searchProgress('extract: exact oracle', 'pairs', 1_000_000, { stream: s, now: () => clock, everyMs: 5000 });
    clock = 1000;
    p.update(10_000, 400);
    clock = 4999;
    p.update(50_000, 900);
    expect(s.text()).toBe('');
    clock = 5000;
    p.update(60_000, 1000);
    clock = 6000;
    p.update(70_000, 1200);
    clock = 10_000;
    p.update(110_000, 2000);
    p.stop();
    const lines = s.text().trimEnd().split('\n');
    expect(lines).toEqual([
      // The rate is measured over windows of 500 ms or more: 1 ms (4,999 to 5,000) keeps the last one.
      'extract: exact oracle: 60000 pairs of a cap of 1000000, queue 1000, 10k pairs/s, 5 s',
      'extract: exact oracle: 110000 pairs of a cap of 1000000, queue 2000, 10k pairs/s, 10 s',
    ]);
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
  });

  it('leaves out the cap and the queue when there are none', () => {
    const s = stream(false);
    let clock = 0;
    const p = searchProgress('learning', 'queries', undefined, { stream: s, now: () => clock, everyMs: 1000 });
    clock = 2000;
    p.update(300);
    expect(s.text()).toBe('learning: 300 queries, 150 queries/s, 2 s\n');
  });

  it('draws a bar against the cap on a terminal', async () => {
    const s = stream(true);
    const p = searchProgress('regex: subset construction', 'states', 100_000, { stream: s });
    p.update(4096, 2048);
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(s.text()).toContain('regex: subset construction [');
    expect(s.text()).toContain('4096/100k states, queue 2048');
  });
});
