import { describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

describe('eigenstate verify --engine', () => {
  it('enumerate decides lrnn-pos parity at dim 2 and reports what it exhausted', async () => {
    const sat = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--dim', '2', '--max-len', '8', '--engine', 'enumerate', '--json');
    expect(sat.code).toBe(0);
    const out = JSON.parse(sat.stdout);
    expect(out.verdict).toBe('sat');
    expect(out.bounds).toMatchObject({ engine: 'enumerate', dim: 2, maxLen: 8 });
    expect(out.witness.readout.w).toHaveLength(2);
    const unsat = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--dim', '2', '--max-len', '16');
    expect(unsat.code).toBe(0);
    expect(unsat.stdout).toMatch(/^unsat: lrnn-pos \(dim 2, fixed<2,4>, linear readout\)/);
    expect(unsat.stdout).toMatch(/^enumeration: 1088 \(a, b\) codes per coordinate, \d+ distinct runs; all \d+ pairs of runs refuted \(the exhaustion is the proof\)/m);
  });

  it('z3 keeps the solver; enumerate on an unsupported query and an unknown engine are one-line usage errors', async () => {
    const z3 = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--max-len', '3', '--engine', 'z3', '--json');
    expect(z3.code).toBe(0);
    expect(JSON.parse(z3.stdout).bounds).toMatchObject({ engine: 'z3', strategy: 'lazy' });
    // Parity on all words is decided on its unary sub-instance (src/verify/reduce/neutral.ts); tomita3 has no neutral symbol.
    const viaUnary = await runCli('verify', 'parity', '--model', 'lrnn-neg', '--words', 'all', '--max-len', '6', '--engine', 'enumerate', '--json');
    expect(JSON.parse(viaUnary.stdout).bounds).toMatchObject({ engine: 'enumerate', words: 'all', wordCount: 127, unarySubInstance: true });
    const bad = await runCli('verify', 'tomita3', '--model', 'lrnn-neg', '--words', 'all', '--engine', 'enumerate');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain("engine enumerate: words 'all': enumeration covers unary words only");
    expect((await runCli('verify', 'parity', '--model', 'lrnn-pos', '--engine', 'cvc5')).code).toBe(2);
    const help = await runCli('verify', '--help');
    expect(help.stdout).toContain('--engine <e>');
  });
});
