import { describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

describe('eigenstate cc', () => {
  it('equality --n 8: D→ = 8 from the matrix, the fooling set and the Z3 lemma, with how each was obtained', async () => {
    const r = await runCli('cc', 'equality', '--n', '8');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('one-way D→ = 8 bits: ⌈log₂ 256⌉: distinct rows of the 256×256 matrix');
    expect(r.stdout).toContain('fooling set of size 256: D ≥ 9');
    expect(r.stdout).toMatch(/Z3 injectivity lemma .*unsat/);
    expect(r.stdout).toContain('D→(EQ_8) = 8: every check that ran agrees');
  }, 60_000);

  it('index --n 4 --alphabet 3 --json: D→ = ⌈4 log₂ 3⌉ = 7', async () => {
    const r = await runCli('cc', 'index', '--n', '4', '--alphabet', '3', '--json', '--no-z3');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ function: 'INDEX_4,3', bits: 7, oneWay: { distinctRows: 81 }, consistent: true, z3Version: null });
  });

  it('disjointness --n 3: the Z3 protocol search runs at 3 and 2 bits and agrees', async () => {
    const r = await runCli('cc', 'disjointness', '--n', '3', '--json');
    const out = JSON.parse(r.stdout);
    expect(out.protocolSearch.map((s: { bits: number; verdict: string }) => [s.bits, s.verdict])).toEqual([
      [3, 'sat'],
      [2, 'unsat'],
    ]);
    expect(out.bits).toBe(3);
  }, 60_000);

  it('refuses parameters given twice, and a task with no split, in one line', async () => {
    const twice = await runCli('cc', 'equality:n=4', '--n', '4');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('already has parameters');
    const nosplit = await runCli('cc', 'parity');
    expect(nosplit.code).toBe(2);
    expect(nosplit.stderr.trim().split('\n')).toHaveLength(1);
    expect(nosplit.stderr).toContain('--length, --split');
  });
});
