// Every Z3 test lives in this one file: each jest test file loads its own 30 MB WebAssembly instance.
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { DiagonalLrnnMachine, diagonalStepCode } from '../../src/precision/diagonal.js';
import { fixedFormat } from '../../src/precision/fixed.js';
import type { FixedFormat, RoundingMode } from '../../src/precision/format.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { verifyBounded } from '../../src/verify/bounded.js';
import type { BoundedQuery } from '../../src/verify/bounded.js';
import { parseModelClass } from '../../src/verify/classes.js';
import { codeVal, fixedStepBv } from '../../src/verify/fixed-bv.js';
import { loadSpec, proveSpecs } from '../../src/verify/spec.js';
import { z3Session, z3Version } from '../../src/verify/z3.js';
import { classifyWord } from '../../src/machine.js';

const MODES: readonly RoundingMode[] = ['half-even', 'floor', 'half-up'];
const SPECS = fileURLToPath(new URL('../../specs', import.meta.url));

/** Evaluates the Z3 step term on literal codes (substitute + model completion: synchronous, no check()). */
async function bvStepper(format: FixedFormat): Promise<(a: number, h: number, b: number) => number> {
  const { Z } = await z3Session();
  const [A, H, B] = ['a', 'h', 'b'].map((n) => Z.BitVec.const(n, format.bits));
  const term = fixedStepBv(Z, format, A, H, B);
  const model = new Z.Model();
  return (a, h, b) => {
    const v = model.eval(Z.substitute(term, [A, codeVal(Z, format, a)], [H, codeVal(Z, format, h)], [B, codeVal(Z, format, b)]), true);
    if (!Z.isBitVecVal(v)) throw new Error('step term did not evaluate to a literal');
    return format.fromPattern(Number(v.value()));
  };
}

const parity = parseTask('parity');
const query = (q: Partial<BoundedQuery>): BoundedQuery => ({
  task: parity, modelClass: parseModelClass('lrnn-pos'), dim: 1, format: 'fixed<2,4>', maxLen: 3,
  words: 'unary', readout: 'linear', timeoutMs: 30000, ...q,
});

describe('fixed-point bit-vector step', () => {
  it('reports the Z3 core version', async () => {
    expect(await z3Version()).toMatch(/^Z3 \d+\.\d+/);
  });

  it('agrees with the executor on every (a, h, b) of fixed<2,3> (half-even)', async () => {
    const format = fixedFormat(2, 3);
    const step = await bvStepper(format);
    const bad: string[] = [];
    for (const a of format.codes()) for (const h of format.codes()) for (const b of format.codes()) {
      if (step(a, h, b) !== diagonalStepCode(format, a, h, b)) bad.push(`${a},${h},${b}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it.each(MODES)('agrees with the executor on random fixed<2,6> codes (%s), and a wrong mode would be caught', async (mode) => {
    const format = fixedFormat(2, 6, mode);
    const other = fixedFormat(2, 6, mode === 'floor' ? 'half-even' : 'floor');
    const step = await bvStepper(format);
    const rng = new Rng(42);
    let caught = 0;
    for (let t = 0; t < 400; t++) {
      const [a, h, b] = [0, 0, 0].map(() => rng.int(format.codeMin, format.codeMax));
      const got = step(a, h, b);
      expect(got).toBe(diagonalStepCode(format, a, h, b));
      if (got !== diagonalStepCode(other, a, h, b)) caught++;
    }
    expect(caught).toBeGreaterThan(50);
  });
});

describe('verifyBounded (THEORY.md bounded facts at fixed<2,4>)', () => {
  it('fact 1: lrnn-pos, d = 1, parity on 1^0..1^3, linear readout is unsat with a core naming lengths', async () => {
    const r = await verifyBounded(query({}));
    expect(r.verdict).toBe('unsat');
    expect(r.core).toEqual(['len0', 'len1', 'len2']);
    expect(r.smt2).toContain('(check-sat)');
    expect(r.z3Version).toMatch(/^Z3/);
  });

  it('fact 1 control: lrnn-neg, d = 1 is sat up to length 16 with a witness that replays', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('lrnn-neg'), maxLen: 16 }));
    expect(r.verdict).toBe('sat');
    const m = new DiagonalLrnnMachine(r.witness!);
    for (let k = 0; k <= 16; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 2);
    expect(Math.min(...r.witness!.a[1])).toBeLessThan(0); // a negative eigenvalue, as Theorem 1 demands
  });

  it('fact 2: lrnn-pos, d = 2 is sat at n = 3 and (unlike THEORY.md) still sat at n = 4 at this precision', async () => {
    for (const maxLen of [3, 4]) {
      const r = await verifyBounded(query({ dim: 2, maxLen }));
      expect(r.verdict).toBe('sat');
      const m = new DiagonalLrnnMachine(r.witness!);
      for (let k = 0; k <= maxLen; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 2);
    }
  });

  it('readout any: lrnn-neg separates parity on all words up to length 4; unknown on a tiny timeout', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('lrnn-neg'), words: 'all', maxLen: 4, readout: 'any' }));
    expect(r.verdict).toBe('sat');
    expect(r.witness!.readout).toBeUndefined();
    const t = await verifyBounded(query({ dim: 2, maxLen: 6, timeoutMs: 1 }));
    expect(t.verdict).toBe('unknown');
  });

  it('rejects unsupported classes and multi-class tasks with a linear readout', async () => {
    expect(() => parseModelClass('deltanet-pos')).toThrow("model class 'deltanet-pos' is not supported by verify yet (supported: lrnn-pos, lrnn-neg, lrnn-real)");
    expect(() => parseModelClass('lstm2')).toThrow(InputError);
    await expect(verifyBounded(query({ task: parseTask('s3') }))).rejects.toThrow(InputError);
  });
});

describe('proof-regression specs', () => {
  it('every fast spec gets its expected verdict', async () => {
    const rows = await proveSpecs(SPECS, 'fast');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
  });

  it('names the file and field of an invalid spec', () => {
    expect(() => loadSpec(`${SPECS}/../package.json`)).toThrow(/package\.json: /);
  });
});
