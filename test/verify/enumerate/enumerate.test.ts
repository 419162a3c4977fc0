// The enumeration engine against three independent references: the exact executor (every run), a brute
// force over every parameter and readout code at fixed<2,2> (no runs, no cones, no hulls), and Z3 on the
// same queries through verifyBounded. Z3 queries are kept to the ones it answers in about a second.
import { describe, expect, it } from '@jest/globals';
import { nativeZ3, onPath } from '../native.js';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { classifyWord } from '../../../src/machine.js';
import type { DiagonalLrnnParams } from '../../../src/precision/diagonal.js';
import { DiagonalLrnn, DiagonalLrnnMachine, diagonalStepCode } from '../../../src/precision/diagonal.js';
import { fixedFormat } from '../../../src/precision/fixed.js';
import type { FixedFormat } from '../../../src/precision/format.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import type { Task } from '../../../src/tasks/task.js';
import type { BoundedQuery } from '../../../src/verify/types.js';
import { verifyBounded } from '../../../src/verify/bounded.js';
import { parseModelClass, transitionRange } from '../../../src/verify/classes.js';
import type { DenseWitness } from '../../../src/verify/z3/encode.js';
import { isDenseWitness } from '../../../src/verify/z3/encode.js';
import { enumerateBounded } from '../../../src/verify/enumerate/enumerate.js';
import { separate2 } from '../../../src/verify/enumerate/separate.js';
import { repeatTable, unaryTrajectories } from '../../../src/verify/enumerate/trajectories.js';
import { GENEROUS_MS } from '../budget.js';

const parity = parseTask('parity');
const mod3 = parseTask('mod:m=3');
const query = (q: Partial<BoundedQuery>): BoundedQuery => ({
  task: parity, modelClass: parseModelClass('lrnn-pos'), dim: 1, format: 'fixed<2,4>', maxLen: 4,
  words: 'unary', readout: 'linear', timeoutMs: GENEROUS_MS, ...q,
});
const unaryLabels = (task: Task, maxLen: number): number[] => Array.from({ length: maxLen + 1 }, (_, k) => task.label(new Array<number>(k).fill(1)));

/**
 * The reference: every (a1, b1, a2, b2) and every readout (w1, w2, c), straight from the step and the
 * readout's definition. Only fixed<2,2>-sized formats finish (16 codes).
 */
function bruteForce2(format: FixedFormat, cls: string, labels: readonly number[]): boolean {
  const { lo, hi } = transitionRange(parseModelClass(cls), format);
  const runs: number[][] = [];
  for (let a = lo; a <= hi; a++) {
    for (let b = format.codeMin; b <= format.codeMax; b++) {
      const h = [0];
      for (let t = 1; t < labels.length; t++) h.push(diagonalStepCode(format, a, h[t - 1], b));
      runs.push(h);
    }
  }
  const scale = 2 ** format.fracBits;
  for (let i = 0; i < runs.length; i++) {
    for (let j = i; j < runs.length; j++) {
      for (let w1 = format.codeMin; w1 <= format.codeMax; w1++) {
        for (let w2 = format.codeMin; w2 <= format.codeMax; w2++) {
          for (let c = format.codeMin; c <= format.codeMax; c++) {
            let ok = true;
            for (let t = 0; t < labels.length && ok; t++) ok = (w1 * runs[i][t] + w2 * runs[j][t] + c * scale > 0 ? 1 : 0) === labels[t];
            if (ok) return true;
          }
        }
      }
    }
  }
  return false;
}

/** A diagonal class's witness (these tests enumerate diagonal classes only). */
function diagonal(w: DiagonalLrnnParams | DenseWitness): DiagonalLrnnParams {
  if (isDenseWitness(w)) throw new Error('expected a diagonal witness');
  return w;
}

/** The witness classifies 1^0..1^maxLen as the task does. */
function replays(witness: DiagonalLrnnParams | DenseWitness, task: Task, maxLen: number): boolean {
  const m = new DiagonalLrnnMachine(diagonal(witness));
  return unaryLabels(task, maxLen).every((label, k) => classifyWord(m, new Array<number>(k).fill(1)) === label);
}

describe('unary runs', () => {
  it('every (a, b) of lrnn-neg at fixed<2,2> runs as the executor does, with its first repeat', () => {
    const format = fixedFormat(2, 2);
    const range = transitionRange(parseModelClass('lrnn-neg'), format);
    const maxLen = 12;
    const set = unaryTrajectories(format, range, maxLen, Infinity);
    expect(set).not.toBeNull();
    const runs = set!.trajectories;
    expect(set!.parameterCodes).toBe(9 * 16);
    const keys = new Set(runs.map((r) => r.h.join(',')));
    expect(keys.size).toBe(runs.length); // deduplicated
    for (let a = range.lo; a <= range.hi; a++) {
      for (let b = format.codeMin; b <= format.codeMax; b++) {
        const net = new DiagonalLrnn({ format: format.name, dim: 1, alphabet: ['1'], a: [[a]], b: [[b]] });
        const h = Array.from({ length: maxLen + 1 }, (_, k) => net.run(new Array<number>(k).fill(0))[0]);
        expect(keys.has(h.join(','))).toBe(true);
      }
    }
    for (const r of runs) {
      const h = [...r.h];
      const first = h.findIndex((v, t) => h.indexOf(v) !== t); // first index that repeats an earlier state
      if (first < 0) expect([r.mu, r.lambda]).toEqual([maxLen + 1, 1]);
      else expect([r.mu, r.lambda]).toEqual([h.indexOf(h[first]), first - h.indexOf(h[first])]);
    }
  });

  it('repeat table: parity needs even periods, mod 3 multiples of 3, else a late start', () => {
    const p = repeatTable(unaryLabels(parity, 10));
    expect([p(1), p(2), p(3), p(11)]).toEqual([10, 0, 8, 0]);
    const m = repeatTable(unaryLabels(mod3, 10));
    expect([m(3), m(6), m(1), m(2)]).toEqual([0, 0, 10, 8]);
  });
});

describe('two-coordinate readout search', () => {
  it('finds a readout exactly when one exists (random labelled points, every code of fixed<2,2> tried)', () => {
    const format = fixedFormat(2, 2);
    const code = fc.integer({ min: format.codeMin, max: format.codeMax });
    fc.assert(
      fc.property(fc.array(fc.tuple(code, code, fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 7 }), (pts) => {
        const [x, y, labels] = [pts.map((p) => p[0]), pts.map((p) => p[1]), pts.map((p) => p[2])];
        const sep = separate2(format, x, y, labels);
        let exists = false;
        for (let w1 = format.codeMin; w1 <= format.codeMax && !exists; w1++) {
          for (let w2 = format.codeMin; w2 <= format.codeMax && !exists; w2++) {
            for (let c = format.codeMin; c <= format.codeMax && !exists; c++) {
              exists = labels.every((l, t) => (w1 * x[t] + w2 * y[t] + 4 * c > 0 ? 1 : 0) === l);
            }
          }
        }
        expect(sep.stage === 'found').toBe(exists);
        if (sep.stage === 'found') {
          const { w, c } = sep.readout;
          expect(labels.every((l, t) => (w[0] * x[t] + w[1] * y[t] + 4 * c > 0 ? 1 : 0) === l)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('enumeration engine', () => {
  it('agrees with a brute force over every parameter and readout code (D = 2, fixed<2,2>)', () => {
    const format = fixedFormat(2, 2);
    const cases: [Task, string, number][] = [
      [parity, 'lrnn-pos', 4],
      [parity, 'lrnn-pos', 5],
      [mod3, 'lrnn-pos', 5],
      [mod3, 'lrnn-pos', 6],
      [mod3, 'lrnn-neg', 6],
    ];
    for (const [task, cls, maxLen] of cases) {
      const labels = unaryLabels(task, maxLen);
      const out = enumerateBounded(query({ task, modelClass: parseModelClass(cls), dim: 2, format: format.name, maxLen }), format, labels, Infinity);
      expect(`${task.name} ${cls} N=${maxLen}: ${out.verdict}`).toBe(`${task.name} ${cls} N=${maxLen}: ${bruteForce2(format, cls, labels) ? 'sat' : 'unsat'}`);
      if (out.witness) expect(replays(out.witness, task, maxLen)).toBe(true);
    }
  });

  it('anchor: lrnn-pos parity, D = 2, fixed<2,4>: sat at N = 8, unsat at N = 16 (and from N = 9)', async () => {
    const sat = await verifyBounded(query({ dim: 2, maxLen: 8, engine: 'enumerate' }));
    expect(sat.verdict).toBe('sat');
    expect(sat.bounds.engine).toBe('enumerate');
    const w = sat.witness as DiagonalLrnnParams;
    expect(replays(w, parity, 8)).toBe(true);
    expect(Math.min(...w.a[1])).toBeGreaterThanOrEqual(0);
    for (const maxLen of [9, 16]) {
      const r = await verifyBounded(query({ dim: 2, maxLen, engine: 'enumerate' }));
      expect(r.verdict).toBe('unsat');
      expect(r.enumeration!.candidates).toBe((r.enumeration!.trajectories * (r.enumeration!.trajectories + 1)) / 2);
      const e = r.enumeration!;
      expect(e.prunedByRepeat + e.prunedByCone + e.prunedByHull + e.searched).toBe(e.candidates);
    }
  });

  it('agrees with Z3 (D = 1 and 2; parity and mod 3; lrnn-pos and lrnn-neg; linear and any)', async () => {
    const cases: Partial<BoundedQuery>[] = [
      { maxLen: 6 },
      { task: mod3, modelClass: parseModelClass('lrnn-neg'), maxLen: 6 },
      { modelClass: parseModelClass('lrnn-neg'), maxLen: 8 },
      { task: mod3, maxLen: 6, readout: 'any' },
      { format: 'fixed<2,3>', maxLen: 3 },
      { format: 'fixed<2,2>', maxLen: 16, readout: 'any' },
      { format: 'fixed<2,2>', dim: 2, maxLen: 4 },
      { format: 'fixed<2,3>', dim: 2, maxLen: 4, modelClass: parseModelClass('lrnn-neg') },
      { format: 'fixed<2,2>', dim: 2, maxLen: 16, readout: 'any' },
      { format: 'fixed<2,3>', dim: 2, maxLen: 6, readout: 'any', task: mod3, modelClass: parseModelClass('lrnn-neg') },
      { format: 'fixed<2,2>', dim: 3, maxLen: 12, readout: 'any' },
    ];
    for (const c of cases) {
      const [z3, mine] = [await verifyBounded(query({ ...c, engine: 'z3' })), await verifyBounded(query({ ...c, engine: 'enumerate' }))];
      const name = `${(c.task ?? parity).name} ${(c.modelClass ?? { name: 'lrnn-pos' }).name} D=${c.dim ?? 1} ${c.format ?? 'fixed<2,4>'} N=${c.maxLen} ${c.readout ?? 'linear'}`;
      expect(`${name}: ${mine.verdict}`).toBe(`${name}: ${z3.verdict}`);
      expect([z3.bounds.engine, mine.bounds.engine]).toEqual(['z3', 'enumerate']);
      expect(mine.smt2).toContain('(check-sat)');
      if (mine.verdict === 'unsat' && mine.bounds.dim === 1) expect(mine.core![0]).toBe('len0');
    }
  }, 60000);

  it('auto enumerates diagonal unary queries and leaves the rest to Z3; the dump is the whole instance', async () => {
    const r = await verifyBounded(query({ maxLen: 6 }));
    expect(r.bounds).toMatchObject({ engine: 'enumerate', strategy: 'full', rounds: 0, wordCount: 7, subsetWords: 7 });
    expect(r.core).toEqual(['len0', 'len1', 'len2']);
    const dense = await verifyBounded(query({ modelClass: parseModelClass('perm-diag'), dim: 2, maxLen: 2, format: 'fixed<2,3>' }));
    expect(dense.bounds.engine).toBe('z3');
  }, 30000);

  // Reported as skipped (not passed) where Debian's z3 is absent; .ci/run installs it.
  (onPath('z3') ? it : it.skip)("native z3 proves the enumeration's whole-instance dump unsat, run as written", async () => {
    const r = await verifyBounded(query({ maxLen: 6 }));
    expect(r.smt2.startsWith('(set-logic QF_BV)')).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'eigenstate-enum-')), 'q.smt2');
    writeFileSync(file, r.smt2);
    expect(nativeZ3(file)).toBe('unsat');
  }, 30000);

  it('refuses a query it cannot decide in one line, and a spent deadline gives unknown', async () => {
    await expect(verifyBounded(query({ modelClass: parseModelClass('perm-diag'), dim: 2, engine: 'enumerate' }))).rejects.toThrow(
      "engine enumerate: model class 'perm-diag' is not diagonal, Householder or rotation (enumeration covers lrnn-pos, lrnn-neg, lrnn-real, deltanet-pos, deltanet-neg, lrnn-complex)",
    );
    // unaryFirst off: otherwise the unary sub-instance (src/verify/reduce/neutral.ts) decides it.
    await expect(verifyBounded(query({ words: 'all', engine: 'enumerate', unaryFirst: false }))).rejects.toThrow(InputError);
    // At 1^0..1^4 a dim-2 witness padded to dim 3 decides sat (src/verify/reduce/pad.ts); at 1^0..1^16 dim 2 is unsat, which decides nothing at dim 3.
    expect((await verifyBounded(query({ dim: 3, engine: 'enumerate' }))).bounds).toMatchObject({ dim: 3, paddedFrom: 2 });
    await expect(verifyBounded(query({ dim: 3, maxLen: 16, engine: 'enumerate' }))).rejects.toThrow('engine enumerate: dim = 3: enumeration covers dim <= 2 with the linear readout');
    await expect(verifyBounded(query({ dim: 6, maxLen: 64, readout: 'any', engine: 'enumerate' }))).rejects.toThrow(/tuples of run classes/);
    const format = fixedFormat(2, 4);
    const late = enumerateBounded(query({ dim: 2, maxLen: 16 }), format, unaryLabels(parity, 16), performance.now() - 1);
    expect([late.verdict, late.reason]).toEqual(['unknown', 'timeout']);
  });

  it('readout any at dim 3 and 4 (run classes) gives the dim 2 verdict: one run sets the transient, one the period', () => {
    const format = fixedFormat(2, 3);
    for (const [task, cls] of [[parity, 'lrnn-pos'], [mod3, 'lrnn-neg']] as const) {
      for (const maxLen of [16, 20]) {
        const labels = unaryLabels(task, maxLen);
        const verdicts = [2, 3, 4].map((dim) => enumerateBounded(query({ task, modelClass: parseModelClass(cls), dim, format: format.name, maxLen, readout: 'any' }), format, labels, Infinity));
        expect(new Set(verdicts.map((v) => v.verdict)).size).toBe(1);
        for (const v of verdicts) {
          if (v.witness === undefined) continue;
          const net = new DiagonalLrnn(diagonal(v.witness));
          const states = labels.map((_, k) => net.run(new Array<number>(k).fill(1)).join(','));
          expect(states.every((st, k) => states.every((su, j) => st !== su || labels[k] === labels[j]))).toBe(true);
        }
      }
    }
  });

  it('lrnn-real at fixed<2,3>: every witness replays; the verdict matches lrnn-neg where |a| <= 1 suffices', () => {
    const format = fixedFormat(2, 3);
    for (const maxLen of [4, 8]) {
      const labels = unaryLabels(mod3, maxLen);
      const real = enumerateBounded(query({ task: mod3, modelClass: parseModelClass('lrnn-real'), dim: 2, format: format.name, maxLen }), format, labels, Infinity);
      const neg = enumerateBounded(query({ task: mod3, modelClass: parseModelClass('lrnn-neg'), dim: 2, format: format.name, maxLen }), format, labels, Infinity);
      if (neg.verdict === 'sat') expect(real.verdict).toBe('sat'); // lrnn-neg's parameters are lrnn-real's too
      if (real.witness) expect(replays(real.witness, mod3, maxLen)).toBe(true);
    }
  });
});
