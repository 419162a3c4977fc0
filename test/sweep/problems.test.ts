// The Redis problem log on a clock the test sets: a flood of reconnection errors becomes a few one-line
// notes (the first error, each new kind, a reminder per repeatMs, the line saying it is back).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isConnectionError, oneLine, ProblemLog } from '../../src/sweep/problems.js';

/** An error as ioredis raises it for a refused connection. */
function refused(port = 6379): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
}

function logAt(repeatMs = 30_000): { log: ProblemLog; lines: string[]; clock: { t: number } } {
  const lines: string[] = [];
  const clock = { t: 0 };
  return { log: new ProblemLog((l) => lines.push(l), 'Redis at redis://h:1', repeatMs, () => clock.t), lines, clock };
}

describe('ProblemLog', () => {
  it('16 refused reconnections 1 s apart, then back: two lines, no stack', () => {
    const { log, lines, clock } = logAt();
    for (let i = 0; i < 16; i++) {
      log.error(refused());
      clock.t += 1000;
    }
    expect(log.down).toBe(true);
    expect(log.downFor()).toBe(16_000);
    expect(log.ready()).toBe(true);
    expect(lines).toEqual([
      'Redis at redis://h:1: connect ECONNREFUSED 127.0.0.1:6379 (connection lost; retrying)',
      'Redis at redis://h:1: connected again after 16.0 s (16 failed tries)',
    ]);
    expect(log.ready()).toBe(false);
    expect(log.down).toBe(false);
  });

  it('a new kind of error prints once, a long outage a reminder per repeatMs, a closed connection alone nothing', () => {
    const { log, lines, clock } = logAt(10_000);
    log.closed();
    expect(lines).toEqual([]);
    log.error(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    log.error(refused());
    log.error(refused());
    clock.t = 10_000;
    log.error(refused());
    expect(lines).toEqual([
      'Redis at redis://h:1: read ECONNRESET (connection lost; retrying)',
      'Redis at redis://h:1: connect ECONNREFUSED 127.0.0.1:6379 (still retrying: 2 failed tries in 0.0 s)',
      'Redis at redis://h:1: connect ECONNREFUSED 127.0.0.1:6379 (still retrying: 4 failed tries in 10.0 s)',
    ]);
    // A drop that heals before any failed try is no news.
    const quiet = logAt();
    quiet.log.closed();
    expect(quiet.log.ready()).toBe(true);
    expect(quiet.lines).toEqual([]);
  });

  it('an error that is not about the connection prints once per repeatMs, and does not open an outage', () => {
    const { log, lines, clock } = logAt(10_000);
    const missing = new Error('Missing lock for job cell-0123456789abcdef. moveToFinished');
    log.error(missing);
    log.error(missing);
    expect(log.down).toBe(false);
    clock.t = 10_000;
    log.error(missing);
    expect(lines).toEqual(Array(2).fill('Redis at redis://h:1: Missing lock for job cell-0123456789abcdef. moveToFinished'));
  });

  it('knows a connection error by its code, by a code in a rewrapped message, or by ioredis\'s closed message, in any realm', () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(isConnectionError(new Error('Error: connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionError({ message: 'read ECONNRESET', code: 'ECONNRESET' })).toBe(true);
    expect(isConnectionError(new Error('Missing key for job cell-1. isFinished'))).toBe(false);
    expect(isConnectionError(new Error('EPERM: operation not permitted'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
    expect(oneLine(new Error('Error: first\n    at somewhere'))).toBe('first');
  });

  it('law: lines <= kinds of error + 1 + reminders (span / repeatMs) + 1, each one line, whatever the errors and their times', () => {
    const kinds = ['connect ECONNREFUSED 127.0.0.1:1', 'read ECONNRESET', 'connect ETIMEDOUT', 'Connection is closed.'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5000 })), { maxLength: 300 }), (events) => {
        const { log, lines, clock } = logAt(10_000);
        for (const [kind, gap] of events) {
          clock.t += gap;
          log.error(Object.assign(new Error(kinds[kind]), kind === 3 ? {} : { code: /E[A-Z]+/.exec(kinds[kind])![0] }));
        }
        log.ready();
        const distinct = new Set(events.map(([k]) => k)).size;
        expect(lines.length).toBeLessThanOrEqual(distinct + Math.floor(clock.t / 10_000) + 2);
        expect(lines.every((l) => !l.includes('\n'))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
