// `eigenstate regex` on blow-ups (issue 25 case 8): the subset construction stops at its cap quickly, with
// one line saying how far it got (exit 3), instead of running silently for minutes.
import { describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

const oneLine = (text: string): string => text.trim();
/** (0|1)*1(0|1)^n: the words whose (n+1)-th symbol from the end is 1; its DFA needs 2^(n+1) states. */
const nthFromLast = (n: number): string => `(0|1)*1${'(0|1)'.repeat(n)}`;

describe('eigenstate regex on a blow-up', () => {
  it('stops (0|1)*1(0|1)^21 at a small cap with one line naming the cap and how far it got, exit 3', async () => {
    const r = await runCli('regex', nthFromLast(21), '--max-states', '5000');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const line = oneLine(r.stderr);
    expect(line.split('\n')).toHaveLength(1);
    // 2^12 = 4096 subsets hold the words up to length 12, so the cap falls while length 13 is read.
    expect(line).toMatch(
      /^eigenstate: subset construction: more than 5000 states \(raise the cap, e.g. --max-states, to go on\); every word up to length 12 read, 5001 subsets of the \d+-state NFA found and more waiting$/,
    );
  });

  it('stops it at the default cap too (10^5 states)', async () => {
    const r = await runCli('regex', nthFromLast(21));
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toContain('subset construction: more than 100000 states');
  }, 60_000);

  it('(0|1) twenty-two times is small: all 2^22 words of length 22, 24 states', async () => {
    const r = await runCli('regex', '(0|1)'.repeat(22));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('states: 24 ');
  });
});
