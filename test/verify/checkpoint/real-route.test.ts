import { describe, expect, it } from '@jest/globals';
import { workClock } from '../../../src/clock.js';
import { describeAllLengths } from '../../../src/cli/all-lengths-report.js';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyAllLengths } from '../../../src/verify/checkpoint/all-lengths.js';
import type { AllLengthsQuery } from '../../../src/verify/checkpoint/types.js';

// The fresh width-8 rnn-tanh of the bench (seed 232): wrong at fp32 on a word of length 14, which the
// exhaustive search of short words finds; over the reals the interval short-word check stops at length 11.
// (The width-64 seed 246 behaves alike, refuted by its fp32 short word in 22,005 units, but takes minutes
// under jest.) Budgets are work units (src/clock.ts), never wall time.
const FILE = 'bench/models/allengths/rnn-tanh-w8-s232.json';
const query = (work: number): AllLengthsQuery => ({
  checkpoint: readCheckpoint(FILE),
  checkpointFile: FILE,
  task: parseTask('parity'),
  format: null,
  budget: work / 1000,
  clock: workClock(),
});

describe('the real route: fp32 candidates certified over the reals', () => {
  it('certifies the fp32 short word first, within the two exhaustive shares, and labels its source', () => {
    const work = 400_000;
    const q = query(work);
    const real = verifyAllLengths(q);
    expect(real).toMatchObject({ verdict: 'refuted', counterexample: { text: '10100110110000', method: 'zonotope', source: 'short words' } });
    // Before any lasso search: the interval short words' share, the fp32 short words' share, the certification.
    expect(real.work).toBeLessThanOrEqual(2 * 0.15 * work + 100);
    const text = describeAllLengths(q, real, null);
    expect(text).toContain('found by the exhaustive search of short words at fp32, the word then certified over the reals with zonotopes');
    expect(text).not.toContain('lasso cycle detection');
    expect(text).toContain(`replay: eigenstate run ${FILE} '10100110110000' --real`);
  });

  it('with less work, the fp32 lasso search proposes the word, and the label says so', () => {
    const q = query(180_000);
    const real = verifyAllLengths(q);
    expect(real).toMatchObject({ verdict: 'refuted', counterexample: { text: '101(00110)^3', method: 'zonotope', source: 'lassos' } });
    expect(describeAllLengths(q, real, null)).toContain('found by lasso cycle detection at fp32, the word then certified over the reals with zonotopes');
  });
});
