// Error lines stay one short line whatever was echoed into them (fast-check over arbitrary text).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clipEcho, MAX_ECHO, MAX_MESSAGE, oneLine } from '../../src/cli/message.js';

describe('oneLine', () => {
  it('is one line, no longer than the cap, and every run of non-space characters is at most MAX_ECHO', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        const line = oneLine(text);
        expect(line).not.toContain('\n');
        expect([...line].length).toBeLessThanOrEqual(MAX_MESSAGE);
        // a run is clipped to MAX_ECHO; cutting the whole message can join the ends of two runs around "..."
        for (const run of line.split(/\s+/)) expect([...run].length).toBeLessThanOrEqual(2 * MAX_ECHO + 3);
      }),
    );
  });

  it('leaves short messages alone and keeps the head and tail of a long echo', () => {
    expect(oneLine("unknown task 'foo'")).toBe("unknown task 'foo'");
    const cut = clipEcho(`'${'a'.repeat(50)}${'b'.repeat(5000)}${'c'.repeat(50)}'`);
    expect(cut).toHaveLength(MAX_ECHO);
    expect(cut.startsWith("'aaaa")).toBe(true);
    expect(cut.endsWith("cccc'")).toBe(true);
    expect(oneLine(`regex '${'('.repeat(9000)}': too deep`).length).toBeLessThan(120);
  });
});
