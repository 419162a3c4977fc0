// The spec runner behind `prove`: which files a path selects, per-spec budgets (over budget is unknown,
// not a mismatch), rows streamed as they finish, spec fields named on error, checkpoints named relative to
// the spec file, and claims that state their bounds as verified (the empty word k = 0 included).
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../../src/errors.js';
import { type AllLengthsSpec, loadSpec, type ProveRow, proveSpecs, runAllLengthsSpec, selectSpecs } from '../../../src/verify/specs/spec.js';

const SPECS = fileURLToPath(new URL('../../../specs', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'eigenstate-spec-'));

describe('spec selection', () => {
  it('a folder gives its specs of one tier in name order; a file gives itself whatever its tier', () => {
    const fast = selectSpecs(SPECS, 'fast');
    expect(fast.length).toBeGreaterThanOrEqual(8);
    expect(fast.every(({ spec }) => spec.tier === 'fast')).toBe(true);
    expect(fast.map((s) => s.file)).toEqual([...fast.map((s) => s.file)].sort());
    const slowFile = join(SPECS, 'fact3-deltaproduct-neg-2-d2-mod3.json');
    expect(selectSpecs(slowFile, 'fast').map((s) => s.file)).toEqual([slowFile]);
  });

  it('a missing path, an empty folder and a tier with no spec are InputErrors naming the path', () => {
    expect(() => selectSpecs(join(base, 'none'))).toThrow(`${join(base, 'none')}: no such file or directory`);
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(() => selectSpecs(empty)).toThrow(`${empty}: no spec files (*.json) found`);
    copyFileSync(join(SPECS, 'fact1-lrnn-neg-parity.json'), join(empty, 'a.json'));
    expect(() => selectSpecs(empty, 'slow')).toThrow(InputError);
  });
});

describe('spec files', () => {
  it('name the field at fault: model, format, task', () => {
    const spec = JSON.parse(readFileSync(join(SPECS, 'fact1-lrnn-neg-parity.json'), 'utf8')) as Record<string, unknown>;
    const bad = (field: string, value: string): string => {
      const file = join(base, `${field}.json`);
      writeFileSync(file, JSON.stringify({ ...spec, [field]: value }));
      return file;
    };
    expect(() => loadSpec(bad('model', 'gru'))).toThrow(new RegExp(`model\\.json: model: unknown model class 'gru'`));
    expect(() => loadSpec(bad('format', 'fixed<0,0>'))).toThrow(/format\.json: format: format 'fixed<0,0>'/);
    expect(() => loadSpec(bad('format', 'fp16'))).toThrow(/format\.json: format: .*fixed<I,F> formats only/);
    expect(() => loadSpec(bad('task', 'nosuch'))).toThrow(/task\.json: task: unknown task 'nosuch'/);
  });

  it('name their checkpoint relative to the spec file, so a copied folder still works', () => {
    const copy = join(base, 'copy');
    mkdirSync(join(copy, 'checkpoints'), { recursive: true });
    copyFileSync(join(SPECS, 'ckpt-handbuilt-lrnn-neg-parity-fixed26.json'), join(copy, 'c.json'));
    copyFileSync(join(SPECS, 'checkpoints', 'parity-lrnn-neg-handbuilt.json'), join(copy, 'checkpoints', 'parity-lrnn-neg-handbuilt.json'));
    const spec = loadSpec(join(copy, 'c.json'));
    expect(spec.kind === 'checkpoint' && spec.checkpoint).toBe(join(copy, 'checkpoints', 'parity-lrnn-neg-handbuilt.json'));
  });

  it('state the bounds they check: a class claim "on 1^k, k = 0..N" has N = maxLen (verify instances include the empty word)', () => {
    const wrong = readdirSync(SPECS)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, spec: loadSpec(join(SPECS, f)) }))
      .flatMap(({ f, spec }) => {
        const m = /k = (\d+)\.\.(\d+)/.exec(spec.claim);
        if (spec.kind === 'checkpoint' || spec.kind === 'all-lengths' || m === null) return [];
        return Number(m[1]) === 0 && Number(m[2]) === spec.maxLen ? [] : [`${f}: k = ${m[1]}..${m[2]}, maxLen ${spec.maxLen}`];
      });
    expect(wrong).toEqual([]);
  });
});

describe('all-lengths specs', () => {
  it('the work budget alone decides the verdict; only a wall budget below budgetS cuts a run, and that is over budget', () => {
    const spec = loadSpec(join(SPECS, 'allengths-trained-rnn-tanh-parity-fp32.json')) as AllLengthsSpec;
    expect(spec.expected).toBe('proved');
    // Too little work: a plain unknown, a mismatch (the spec's work is what makes it pass).
    expect(runAllLengthsSpec({ ...spec, work: 100 })).toMatchObject({ got: 'unknown', ok: false, overBudget: false });
    // A wall budget already spent: every decider stops at its first check.
    expect(runAllLengthsSpec(spec, 1e-9)).toMatchObject({ got: 'unknown', ok: false, overBudget: true });
  });
});

describe('proveSpecs', () => {
  it('streams each row as it finishes, and a spec over the budget is unknown (over budget), not a mismatch', async () => {
    const dir = join(base, 'budget');
    mkdirSync(dir);
    // An all-lengths spec, whose verdict its work budget decides (the 1 s wall budget only could cut it),
    // and a class claim that takes about 85 s (two rounded reflections per step): 1 s budget.
    const quick = JSON.parse(readFileSync(join(SPECS, 'allengths-handbuilt-lrnn-pos-parity-fp32.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...quick, checkpoint: join(SPECS, quick.checkpoint as string) }));
    const slow = JSON.parse(readFileSync(join(SPECS, 'fact3-deltaproduct-neg-2-d2-mod3.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...slow, tier: 'fast' }));
    const streamed: string[] = [];
    const rows = await proveSpecs(dir, 'fast', { budgetS: 1, onRow: (r: ProveRow) => streamed.push(`${r.got} ${r.ok} ${r.overBudget}`) });
    expect(streamed).toEqual(['refuted true false', 'unknown false true']);
    expect(rows[1].timeMs).toBeLessThan(10000);
  }, 60000);
});
