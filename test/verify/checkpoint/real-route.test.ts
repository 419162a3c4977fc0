import { describe, expect, it } from '@jest/globals';
import { workClock } from '../../../src/clock.js';
import { describeAllLengths } from '../../../src/cli/all-lengths-report.js';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { verifyAllLengths } from '../../../src/verify/checkpoint/all-lengths.js';
import type { AllLengthsQuery } from '../../../src/verify/checkpoint/types.js';

// The fresh width-64 rnn-tanh of the bench (seed 246): wrong at fp32 on a word of length 13, which the
// exhaustive search of short words finds; over the reals the interval short-word check stops at length 10.
const FILE = 'bench/models/allengths/rnn-tanh-w64-s246.json';
// Work units (src/clock.ts), never wall time: the fp32 route's exhaustive share (15 %) reaches the word
// (`verify parity --checkpoint FILE --all-lengths --format fp32 --work 120000` refutes by it).
const WORK = 120_000;
const query = (format: string | null): AllLengthsQuery => ({
  checkpoint: readCheckpoint(FILE),
  checkpointFile: FILE,
  task: parseTask('parity'),
  format: format === null ? null : parseFormat(format),
  budget: WORK / 1000,
  clock: workClock(),
});

describe('the real route certifies the fp32 short word first', () => {
  it('refutes w64-s246 over the reals by the word the fp32 exhaustive search finds, within the two exhaustive shares, and labels its source', () => {
    const q = query(null);
    const real = verifyAllLengths(q);
    expect(real).toMatchObject({ verdict: 'refuted', counterexample: { text: '1010111101000', method: 'zonotope', source: 'short words' } });
    // Before any lasso search: the interval short words' share and the fp32 short words' share, and the word's certification.
    expect(real.work).toBeLessThanOrEqual(2 * 0.15 * WORK + 100);
    const text = describeAllLengths(q, real, null);
    expect(text).toContain('found by the exhaustive search of short words at fp32, the word then certified over the reals with zonotopes');
    expect(text).not.toContain('lasso cycle detection');
    expect(text).toContain(`replay: eigenstate run ${FILE} '1010111101000' --real`);
  });
});
