import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { householderMatrix } from '../../src/precision/dense.js';
import { fixedFormat } from '../../src/precision/fixed.js';
import type { FixedFormat } from '../../src/precision/format.js';
import { permDiagMatrix, ProductLrnn } from '../../src/precision/product.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { verifyBounded } from '../../src/verify/bounded.js';
import type { ModelClass } from '../../src/verify/classes.js';
import { classShape, parseModelClass, transitionRange } from '../../src/verify/classes.js';
import { cycleQuery } from '../../src/verify/lemmas/cycle.js';
import type { DenseWitness, ProductWitness } from '../../src/verify/z3/encode.js';
import { encodeClass, isDenseWitness, isProductWitness } from '../../src/verify/z3/encode.js';
import type { Bv } from '../../src/verify/z3/fixed-bv.js';
import { codeConst, codeVal } from '../../src/verify/z3/fixed-bv.js';
import { checkSolver, z3Session } from '../../src/verify/z3/session.js';
import { GENEROUS_MS } from './budget.js';

function query(task: string, model: string, dim: number, format: string, maxLen: number) {
  return verifyBounded({ task: parseTask(task), modelClass: parseModelClass(model), dim, format, maxLen, words: 'unary', readout: 'linear', timeoutMs: GENEROUS_MS });
}

/** Z3's value of the class's one-step map at given parameter codes and state: the encoding evaluated. */
async function z3Step(cls: ModelClass, format: FixedFormat, dim: number, params: Record<string, number>, h: number[]): Promise<number[]> {
  const { Z } = await z3Session();
  const enc = encodeClass(Z, cls, format, { dim, alphabet: ['1'] });
  const hs = h.map((v) => codeVal(Z, format, v));
  const next = enc.step(0, hs);
  const solver = new Z.Solver();
  try {
    // The class facts are left out on purpose: only the arithmetic is compared here.
    for (const [name, v] of Object.entries(params)) solver.add(codeConst(Z, format, name).eq(codeVal(Z, format, v)));
    expect(await checkSolver(solver)).toBe('sat');
    const model = solver.model();
    return next.map((t: Bv) => {
      const v = model.eval(t, true);
      if (!Z.isBitVecVal(v)) throw new Error('no value');
      return format.fromPattern(Number(v.value()));
    });
  } finally {
    solver.release();
  }
}

describe('verify classes perm-diag, deltaproduct-neg-K, rnn-relu', () => {
  it('parses deltaproduct-neg-K and refuses K outside 1..8', () => {
    expect(parseModelClass('deltaproduct-neg-2')).toEqual({ name: 'deltaproduct-neg-2', factors: 2 });
    expect(() => parseModelClass('deltaproduct-neg-0')).toThrow(InputError);
    expect(() => parseModelClass('deltaproduct-neg-9')).toThrow(/1\.\.8/);
    expect(() => parseModelClass('perm')).toThrow(/unknown model class 'perm'.*perm-diag/);
  });

  it('lrnn-pd is the perm-diag class under its trainable family\'s name (same shape, same range)', () => {
    const format = fixedFormat(2, 4, 'half-even');
    expect(classShape(parseModelClass('lrnn-pd'))).toBe('perm-diag');
    expect(transitionRange(parseModelClass('lrnn-pd'), format)).toEqual(transitionRange(parseModelClass('perm-diag'), format));
  });

  it('the Z3 step equals the exact executor bit for bit (random parameters and states)', async () => {
    const rng = new Rng(11);
    for (let t = 0; t < 6; t++) {
      const format = fixedFormat(2, 3, rng.pick(['half-even', 'floor', 'half-up'] as const));
      const code = (): number => rng.int(format.codeMin, format.codeMax);
      const dim = 3;
      const h = [code(), code(), code()];
      const b = [code(), code(), code()];
      const params: Record<string, number> = Object.fromEntries(b.map((v, i) => [`b_0_${i}`, v]));
      // perm-diag: a random permutation and diagonal.
      const perm = [0, 1, 2];
      for (let i = 2; i > 0; i--) {
        const j = rng.int(0, i);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const d = [code(), code(), code()];
      const pd = { ...params, ...Object.fromEntries(perm.map((p, i) => [`perm_0_${i}`, p])), ...Object.fromEntries(d.map((v, j) => [`d_0_${j}`, v])) };
      const A = permDiagMatrix(perm, d);
      const pdNet = new ProductLrnn({ format: format.name, dim, alphabet: ['1'], factors: [[A]], b: [b], relu: false });
      expect(await z3Step(parseModelClass('perm-diag'), format, dim, pd, h)).toEqual(pdNet.step(h, 0));
      // deltaproduct-neg-2: two random (unnormalised) factors.
      const beta = [code(), code()];
      const k = [[code(), code(), code()], [code(), code(), code()]];
      const dp = { ...params, ...Object.fromEntries(beta.map((v, r) => [`beta_0_${r}`, v])) };
      k.forEach((row, r) => row.forEach((v, i) => (dp[`k_0_${r}_${i}`] = v)));
      const dpNet = new ProductLrnn({ format: format.name, dim, alphabet: ['1'], factors: [k.map((row, r) => householderMatrix(format, beta[r], row))], b: [b], relu: false });
      expect(await z3Step(parseModelClass('deltaproduct-neg-2'), format, dim, dp, h)).toEqual(dpNet.step(h, 0));
      // rnn-relu: a random matrix.
      const W = [0, 1, 2].map(() => [code(), code(), code()]);
      const rl = { ...params };
      W.forEach((row, i) => row.forEach((v, j) => (rl[`W_0_${i}_${j}`] = v)));
      const rlNet = new ProductLrnn({ format: format.name, dim, alphabet: ['1'], factors: [[W]], b: [b], relu: true });
      expect(await z3Step(parseModelClass('rnn-relu'), format, dim, rl, h)).toEqual(rlNet.step(h, 0));
    }
  });

  it('perm-diag: parity at d = 2 is sat with a permutation witness, mod 3 at d = 1 is unsat', async () => {
    const sat = await query('parity', 'perm-diag', 2, 'fixed<2,4>', 5);
    expect(sat.verdict).toBe('sat');
    const w = sat.witness as DenseWitness;
    expect(isDenseWitness(w) && w.generators.kind === 'perm-diag').toBe(true);
    if (w.generators.kind === 'perm-diag') for (const p of w.generators.perm) expect([...p].sort()).toEqual([0, 1]);
    expect((await query('mod:m=3', 'perm-diag', 1, 'fixed<2,4>', 3)).verdict).toBe('unsat');
  });

  it('rnn-relu: parity at d = 1 is sat, mod 3 at d = 1 is unsat', async () => {
    const sat = await query('parity', 'rnn-relu', 1, 'fixed<2,4>', 8);
    expect(sat.verdict).toBe('sat');
    expect(isProductWitness(sat.witness as ProductWitness) && (sat.witness as ProductWitness).relu).toBe(true);
    expect((await query('mod:m=3', 'rnn-relu', 1, 'fixed<2,4>', 3)).verdict).toBe('unsat');
  });

  it('deltaproduct-neg-1 behaves like deltanet-neg at d = 1: parity sat, mod 3 unsat', async () => {
    expect((await query('parity', 'deltaproduct-neg-1', 1, 'fixed<2,4>', 4)).verdict).toBe('sat');
    expect((await query('mod:m=3', 'deltaproduct-neg-1', 1, 'fixed<2,4>', 3)).verdict).toBe('unsat');
  });

  it('the cycle query finds a 3-cycle of perm-diag at d = 3 and none of rnn-relu at d = 1', async () => {
    const pd = await cycleQuery({ modelClass: parseModelClass('perm-diag'), dim: 3, format: 'fixed<2,1>', length: 3, timeoutMs: GENEROUS_MS });
    expect(pd.verdict).toBe('sat');
    const relu = await cycleQuery({ modelClass: parseModelClass('rnn-relu'), dim: 1, format: 'fixed<2,2>', length: 3, timeoutMs: GENEROUS_MS });
    expect(relu.verdict).toBe('unsat');
  });
});
