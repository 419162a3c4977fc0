// Every Z3 test lives in this one file: each jest test file loads its own 30 MB WebAssembly instance.
import { describe, expect, it, jest } from '@jest/globals';
import { nativeCvc5, nativeZ3, onPath } from './native.js';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import type { DiagonalLrnnParams } from '../../src/precision/diagonal.js';
import { DiagonalLrnnMachine, diagonalStepCode } from '../../src/precision/diagonal.js';
import { DenseLrnnMachine, denseRowCode, householderEntryCode } from '../../src/precision/dense.js';
import type { DenseWitness } from '../../src/verify/z3/encode.js';
import { isDenseWitness } from '../../src/verify/z3/encode.js';
import { denseRowBv, householderEntryBv } from '../../src/verify/z3/dense-bv.js';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixedFormat } from '../../src/precision/fixed.js';
import type { FixedFormat, RoundingMode } from '../../src/precision/format.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { verifyBounded } from '../../src/verify/bounded.js';
import type { BoundedQuery } from '../../src/verify/types.js';
import { parseModelClass } from '../../src/verify/classes.js';
import { codeVal, fixedStepBv } from '../../src/verify/z3/fixed-bv.js';
import { loadSpec, type ProveRow, proveSpecs } from '../../src/verify/specs/spec.js';
import { cycleQuery, enumerateCycle } from '../../src/verify/lemmas/cycle.js';
import { z3Session, z3Version } from '../../src/verify/z3/session.js';
import { classifyWord } from '../../src/machine.js';
import { GENEROUS_MS } from './budget.js';

// Jest's per-test limit only fails a slow test (every verdict here is decided by work: an rlimit, or a
// generous wall limit no query comes near); at load 15 on 2 cores single Z3 tests took up to 34 s, so the
// default 60 s leaves no room for load 40.
jest.setTimeout(180_000);

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

/** Evaluates a closed term built from literal codes. */
async function evalCode(format: FixedFormat, build: (lit: (code: number) => ReturnType<typeof codeVal>) => ReturnType<typeof codeVal>): Promise<number> {
  const { Z } = await z3Session();
  const v = new Z.Model().eval(build((code) => codeVal(Z, format, code)), true);
  if (!Z.isBitVecVal(v)) throw new Error('term did not evaluate to a literal');
  return format.fromPattern(Number(v.value()));
}

function diagonal(w: unknown): DiagonalLrnnParams {
  if (isDenseWitness(w as DenseWitness)) throw new Error('expected a diagonal witness');
  return w as DiagonalLrnnParams;
}

function dense(w: unknown): DenseWitness {
  if (!isDenseWitness(w as DenseWitness)) throw new Error('expected a dense witness');
  return w as DenseWitness;
}

const parity = parseTask('parity');
const mod3 = parseTask('mod:m=3');
const query = (q: Partial<BoundedQuery>): BoundedQuery => ({
  task: parity, modelClass: parseModelClass('lrnn-pos'), dim: 1, format: 'fixed<2,4>', maxLen: 3,
  // This file tests the Z3 encodings and queries; the enumeration engine (enumerate.test.ts) and the unary
  // sub-instance of all-words queries (neutral.test.ts) have their own tests.
  words: 'unary', readout: 'linear', timeoutMs: GENEROUS_MS, engine: 'z3', unaryFirst: false, ...q,
});

describe('fixed-point bit-vector step', () => {
  it('reports the Z3 core version', async () => {
    expect(await z3Version()).toMatch(/^Z3 \d+\.\d+/);
  });

  it('agrees with the executor on every (a, h, b) of fixed<2,2> (half-even)', async () => {
    const format = fixedFormat(2, 2);
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

describe('verifyBounded (docs/theory.md bounded facts at fixed<2,4>)', () => {
  it('fact 1: lrnn-pos, d = 1, parity on 1^0..1^3, linear readout is unsat with a core naming lengths', async () => {
    // The WASM Z3's minimised core: a native solver of the portfolio may name another minimal one.
    const r = await verifyBounded(query({ solver: { choice: 'wasm' } }));
    expect(r.verdict).toBe('unsat');
    expect(r.core).toEqual(['len0', 'len1', 'len2']);
    expect(r.smt2).toContain('(check-sat)');
    expect(r.z3Version).toMatch(/^Z3/);
  });

  it('fact 1 control: lrnn-neg, d = 1 is sat up to length 16 with a witness that replays', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('lrnn-neg'), maxLen: 16 }));
    expect(r.verdict).toBe('sat');
    const m = new DiagonalLrnnMachine(diagonal(r.witness));
    for (let k = 0; k <= 16; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 2);
    expect(Math.min(...diagonal(r.witness).a[1])).toBeLessThan(0); // a negative eigenvalue, as Theorem 1 demands
  });

  it('fact 2: lrnn-pos, d = 2 is sat at n = 3 (n = 4 is a slow-tier spec)', async () => {
    for (const maxLen of [3]) {
      const r = await verifyBounded(query({ dim: 2, maxLen }));
      expect(r.verdict).toBe('sat');
      const m = new DiagonalLrnnMachine(diagonal(r.witness));
      for (let k = 0; k <= maxLen; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 2);
    }
  });

  it('readout any: lrnn-neg separates parity on all words up to length 4; unknown on a tiny resource limit', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('lrnn-neg'), words: 'all', maxLen: 4, readout: 'any' }));
    expect(r.verdict).toBe('sat');
    expect(r.witness!.readout).toBeUndefined();
    // rlimit, not a tiny timeout: the same budget ends the same work at any load (cvc5 sits out).
    const t = await verifyBounded(query({ dim: 2, maxLen: 6, rlimit: 1 }));
    expect(t.verdict).toBe('unknown');
    expect(t.reason).toMatch(/resource|canceled|unknown/);
  });

  it('rejects unsupported classes and multi-class tasks with a linear readout', async () => {
    expect(() => parseModelClass('lstm2')).toThrow(/^unknown model class 'lstm2' \(supported: lrnn-pos, lrnn-neg, /);
    await expect(verifyBounded(query({ modelClass: parseModelClass('lrnn-complex') }))).rejects.toThrow('dim = 1: lrnn-complex needs an even dim (2x2 blocks)');
    expect(() => parseModelClass('lstm2')).toThrow(InputError);
    await expect(verifyBounded(query({ task: parseTask('s3') }))).rejects.toThrow(InputError);
  });
});

describe('dense step and Householder entry terms', () => {
  it.each(MODES)('agree with precision/dense.ts on random fixed<2,4> codes (%s)', async (mode) => {
    const format = fixedFormat(2, 4, mode);
    const rng = new Rng(3);
    const code = (): number => rng.int(format.codeMin, format.codeMax);
    const { Z } = await z3Session();
    for (let t = 0; t < 150; t++) {
      const [a0, a1, h0, h1, b, beta, ki, kj] = Array.from({ length: 8 }, code);
      const diag = rng.chance(0.5);
      const row = await evalCode(format, (lit) => denseRowBv(Z, format, [lit(a0), lit(a1)], [lit(h0), lit(h1)], lit(b)));
      expect(row).toBe(denseRowCode(format, [a0, a1], [h0, h1], b));
      const entry = await evalCode(format, (lit) => householderEntryBv(Z, format, lit(beta), lit(ki), lit(kj), diag));
      expect(entry).toBe(householderEntryCode(format, beta, ki, kj, diag));
    }
  });
});

describe('threshold readout (D = 1) and dense classes', () => {
  it('fact 1 at fixed<2,6>: lrnn-pos parity on 1^0..1^64 is unsat fast; lrnn-neg is sat with a replayed (w, c)', async () => {
    // The WASM Z3's core (minimised without a time limit); the portfolio's winner would depend on the load.
    const unsat = await verifyBounded(query({ format: 'fixed<2,6>', maxLen: 64, solver: { choice: 'wasm' } }));
    expect(unsat.verdict).toBe('unsat');
    expect(unsat.core!.length).toBeLessThanOrEqual(4);
    const sat = await verifyBounded(query({ modelClass: parseModelClass('lrnn-neg'), format: 'fixed<2,6>', maxLen: 24 }));
    expect(sat.verdict).toBe('sat');
    const m = new DiagonalLrnnMachine(diagonal(sat.witness));
    for (let k = 0; k <= 24; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 2);
  });

  it('fact 3 control: lrnn-complex (one 2x2 block) counts mod 3 on 1^0..1^5; the witness is a scaled rotation', async () => {
    const r = await verifyBounded(query({ task: mod3, modelClass: parseModelClass('lrnn-complex'), dim: 2, format: 'fixed<2,3>', maxLen: 5 }));
    expect(r.verdict).toBe('sat');
    const w = dense(r.witness);
    expect(w.generators.kind).toBe('rotation');
    if (w.generators.kind === 'rotation') {
      const [p, q] = [w.generators.p[1][0], w.generators.q[1][0]];
      expect(p * p + q * q).toBeLessThanOrEqual(64);
    }
    const m = new DenseLrnnMachine(w);
    for (let k = 0; k <= 5; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 3 === 0 ? 1 : 0);
  });

  it('deltanet: β <= 2 gives parity on 1^0..1^8 (d = 1), β <= 1 cannot on 1^0..1^3', async () => {
    const neg = await verifyBounded(query({ modelClass: parseModelClass('deltanet-neg'), maxLen: 8 }));
    expect(neg.verdict).toBe('sat');
    const w = dense(neg.witness);
    expect(w.generators.kind).toBe('householder');
    const m = new DenseLrnnMachine(w);
    for (let k = 0; k <= 8; k++) expect(classifyWord(m, new Array<number>(k).fill(1))).toBe(k % 2);
    const pos = await verifyBounded(query({ modelClass: parseModelClass('deltanet-pos') }));
    expect(pos.verdict).toBe('unsat');
  });
});

describe('unbounded cycle lemma', () => {
  it('lrnn-pos has no 2-cycle and lrnn-neg no 3-cycle at fixed<2,2>, lrnn-neg has a 2-cycle; the enumerator agrees', async () => {
    const format = fixedFormat(2, 2);
    const cases: [string, number, boolean][] = [
      ['lrnn-pos', 2, false],
      ['lrnn-neg', 2, true],
      ['lrnn-neg', 3, false],
    ];
    for (const [name, length, exists] of cases) {
      const cls = parseModelClass(name);
      expect(enumerateCycle(cls, format, length)).toBe(exists);
      const r = await cycleQuery({ modelClass: cls, dim: 1, format: format.name, length, timeoutMs: GENEROUS_MS });
      expect(r.verdict).toBe(exists ? 'sat' : 'unsat');
      if (r.orbit) expect(r.orbit).toHaveLength(length);
    }
    expect(() => enumerateCycle(parseModelClass('lrnn-complex'), format, 2)).toThrow(InputError);
  });
});

/**
 * The spec folder copied with every class claim's timeoutS made generous (its checkpoint paths made
 * absolute): a spec's own limit is a wall-clock one, and under load it would decide the verdict asserted.
 */
function specsWithGenerousLimits(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-specs-'));
  for (const name of readdirSync(SPECS).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(readFileSync(join(SPECS, name), 'utf8')) as Record<string, unknown>;
    if (typeof spec.timeoutS === 'number') spec.timeoutS = GENEROUS_MS / 1000;
    if (typeof spec.checkpoint === 'string') spec.checkpoint = resolve(SPECS, spec.checkpoint);
    writeFileSync(join(dir, name), JSON.stringify(spec));
  }
  return dir;
}

describe('proof-regression specs', () => {
  let rows: ProveRow[] = [];
  it('every fast spec gets its expected verdict', async () => {
    rows = await proveSpecs(specsWithGenerousLimits(), 'fast', { smt2: true });
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => !r.ok).map((r) => `${r.claim}: got ${r.got}`)).toEqual([]);
  }, 900000); // the fast tier (about 40 specs) took 314 s at load 15 on 2 cores; room for load 40

  // .ci/run installs Debian's z3 and cvc5; without them these tests are reported as skipped, not passed.
  (onPath('z3') ? it : it.skip)('native z3 agrees on every SMT-LIB dump of the fast tier, run as written', () => {
    expect(rows.length).toBeGreaterThan(0);
    const dumped = rows.filter((r) => r.smt2 !== undefined);
    expect(dumped.every((r) => r.smt2!.startsWith('(set-logic QF_BV)\n'))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-native-'));
    const native = dumped.map((r, i) => {
      const file = join(dir, `q${i}.smt2`);
      writeFileSync(file, r.smt2!);
      return `${r.claim}: ${nativeZ3(file)}`;
    });
    expect(native).toEqual(dumped.map((r) => `${r.claim}: ${r.got}`));
  }, 300000);

  // cvc5 re-proves the unsat dumps (the proofs; a sat is already a witness replayed in the executor). Its
  // bit-blasting takes minutes on some sat dumps (the rotation block), so those are left to z3.
  (onPath('cvc5') ? it : it.skip)('native cvc5 agrees on every unsat SMT-LIB dump of the fast tier', () => {
    const proofs = rows.filter((r) => r.smt2 !== undefined && r.got === 'unsat');
    expect(proofs.length).toBeGreaterThanOrEqual(4);
    const dir = mkdtempSync(join(tmpdir(), 'eigenstate-cvc5-'));
    const native = proofs.map((r, i) => {
      const file = join(dir, `q${i}.smt2`);
      writeFileSync(file, r.smt2!);
      return `${r.claim}: ${nativeCvc5(file)}`;
    });
    expect(native).toEqual(proofs.map((r) => `${r.claim}: unsat`));
  }, 300000);

  it('names the file and field of an invalid spec', () => {
    expect(() => loadSpec(`${SPECS}/../package.json`)).toThrow(/package\.json: /);
  });
});

describe('lazy word sets and symmetry breaking', () => {
  const classify = (w: DiagonalLrnnParams | DenseWitness, word: readonly number[]): number =>
    classifyWord(isDenseWitness(w) ? new DenseLrnnMachine(w) : new DiagonalLrnnMachine(w), word);

  it('lazy unsat on 1^0..1^32 solves only a short prefix, its core names short words; full agrees', async () => {
    const lazy = await verifyBounded(query({ maxLen: 32, solver: { choice: 'wasm' } }));
    expect(lazy.verdict).toBe('unsat');
    expect(lazy.bounds).toMatchObject({ strategy: 'lazy', subsetWords: 5, wordCount: 33 });
    expect(lazy.core!.every((name) => Number(name.slice(3)) <= 4)).toBe(true);
    const full = await verifyBounded(query({ maxLen: 32, strategy: 'full' }));
    expect(full.verdict).toBe('unsat');
    expect(full.bounds).toMatchObject({ strategy: 'full', rounds: 1, subsetWords: 33 });
  });

  it('lazy sat on all binary words up to length 7 starts from short words, and the witness replays on all 255', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('lrnn-neg'), words: 'all', maxLen: 7 }));
    expect(r.verdict).toBe('sat');
    expect(r.bounds.wordCount).toBe(255);
    expect(r.bounds.subsetWords).toBeLessThan(255);
    const w = diagonal(r.witness);
    const words = [[]] as number[][];
    for (let i = 0; words[i].length < 7; i++) words.push([...words[i], 0], [...words[i], 1]);
    expect(words.filter((word) => classify(w, word) !== parity.label(word))).toEqual([]);
  });

  it('mod 3 on all words: lrnn-neg (d = 1) is unsat from a small subset, as the full query says', async () => {
    const lazy = await verifyBounded(query({ task: mod3, modelClass: parseModelClass('lrnn-neg'), words: 'all', maxLen: 4 }));
    const full = await verifyBounded(query({ task: mod3, modelClass: parseModelClass('lrnn-neg'), words: 'all', maxLen: 4, strategy: 'full', symmetry: false }));
    expect([lazy.verdict, full.verdict]).toEqual(['unsat', 'unsat']);
    expect(lazy.bounds.subsetWords).toBeLessThan(full.bounds.subsetWords);
  });

  it('symmetry breaking keeps the verdict (fact 2, lrnn-pos d = 2 on 1^0..1^3) and the witness is sorted by (a_1, b_1)', async () => {
    for (const symmetry of [true, false]) {
      const r = await verifyBounded(query({ dim: 2, maxLen: 3, symmetry, strategy: 'full' }));
      expect(r.verdict).toBe('sat');
      const w = diagonal(r.witness);
      if (symmetry) expect(w.a[1][0] < w.a[1][1] || (w.a[1][0] === w.a[1][1] && w.b[1][0] <= w.b[1][1])).toBe(true);
      for (let k = 0; k <= 3; k++) expect(classify(w, new Array<number>(k).fill(1))).toBe(k % 2);
    }
  }, 180000);

  it('at d = 2 a sub-case (closure or the embedded d = 1 query) finds deltanet-neg parity on 1^0..1^32', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('deltanet-neg'), dim: 2, maxLen: 32 }));
    expect(r.verdict).toBe('sat');
    const w = dense(r.witness);
    for (let k = 0; k <= 32; k++) expect(classify(w, new Array<number>(k).fill(1))).toBe(k % 2);
    expect(r.bounds.subsetWords).toBeLessThan(33);
  }, 180000);

  it('property: lazy with symmetry breaking and one full query without it reach the same verdict on small instances', async () => {
    const tasks = [parity, mod3, parseTask('tomita2'), parseTask('tomita4')];
    const classes = ['lrnn-pos', 'lrnn-neg', 'deltanet-pos', 'deltanet-neg', 'lrnn-complex'];
    const verdicts = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          task: fc.constantFrom(...tasks),
          cls: fc.constantFrom(...classes),
          dim: fc.constantFrom(1, 2),
          words: fc.constantFrom('unary' as const, 'all' as const),
          readout: fc.constantFrom('linear' as const, 'any' as const),
          maxLen: fc.integer({ min: 1, max: 4 }),
        }),
        async ({ task, cls, dim, words, readout, maxLen }) => {
          const d = cls === 'lrnn-complex' ? 2 : dim;
          // Dense classes at d = 2 on all words are slow for the one-shot query: keep them short.
          const len = d === 2 && words === 'all' ? Math.min(maxLen, 2) : maxLen;
          const q = query({ task, modelClass: parseModelClass(cls), dim: d, words, readout, maxLen: len, format: 'fixed<2,2>' });
          const lazy = await verifyBounded(q);
          const full = await verifyBounded({ ...q, strategy: 'full', symmetry: false });
          verdicts.add(lazy.verdict);
          expect(lazy.verdict).toBe(full.verdict);
        },
      ),
      { numRuns: 14, seed: 7 },
    );
    expect([...verdicts].sort()).toEqual(['sat', 'unsat']); // the runs cover both answers
  }, 600000); // 120 s was exceeded at load 14 on 2 cores, 223 s taken at load 15 (a jest limit: it fails the test, never decides a verdict)
});

describe('closure sub-case (the task automaton mapped into the state space)', () => {
  const allWords = (n: number): number[][] => {
    const words = [[]] as number[][];
    for (let i = 0; words[i].length < n; i++) words.push([...words[i], 0], [...words[i], 1]);
    return words;
  };

  it('lrnn-complex, d = 2: parity on all 2047 words up to length 10 in one round, without a word in the query', async () => {
    const r = await verifyBounded(query({ modelClass: parseModelClass('lrnn-complex'), dim: 2, words: 'all', maxLen: 10, format: 'fixed<2,6>' }));
    expect(r.verdict).toBe('sat');
    expect(r.bounds).toMatchObject({ rounds: 1, subsetWords: 0, wordCount: 2047 });
    const machine = new DenseLrnnMachine(dense(r.witness));
    expect(allWords(10).filter((word) => classifyWord(machine, word) !== parity.label(word))).toEqual([]);
    // The model's states are the automaton's, so every length is right: two long words of each parity.
    const long = (ones: number): number[] => Array.from({ length: 2 * ones + 1 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    expect([300, 301].map((k) => classifyWord(machine, long(k)))).toEqual([0, 1]);
  }, 180000);
});
