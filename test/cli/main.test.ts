import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-cli-'));

describe('eigenstate CLI', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: eigenstate');
    for (const cmd of ['tasks', 'task', 'regex', 'dfa']) expect(r.stdout).toContain(cmd);
  });

  it('exits 2 with one line on an unknown command or option', async () => {
    const r = await runCli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^eigenstate: unknown command 'frobnicate'/);
    const o = await runCli('tasks', '--bogus');
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("unknown option '--bogus'");
  });

  it('lists the catalogue', async () => {
    const r = await runCli('tasks');
    expect(r.code).toBe(0);
    for (const t of ['parity', 'mod', 'tomita1', 'tomita7', 'dyck', 'flipflop', 's5', 'a5', 'modarith', 'index', 'equality', 'disjointness', 'anbn', 'majority'])
      expect(r.stdout).toMatch(new RegExp(`^${t}\\b`, 'm'));
    const j = await runCli('tasks', '--json');
    const rows = JSON.parse(j.stdout) as { family: string; states: number | null }[];
    expect(rows.find((x) => x.family === 'tomita3')?.states).toBe(5);
  });

  it('shows tomita3 as a table, DOT, JSON and SVG', async () => {
    const table = await runCli('task', 'show', 'tomita3');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('states: 5');
    const dot = await runCli('task', 'show', 'tomita3', '--dot');
    expect(dot.stdout).toBe(readFileSync(new URL('../golden/tomita3.dot', import.meta.url), 'utf8'));
    const json = await runCli('task', 'show', 'tomita3', '--json');
    expect(JSON.parse(json.stdout).states).toHaveLength(5);
    const svg = join(dir, 't3.svg');
    const s = await runCli('task', 'show', 'tomita3', '--svg', svg);
    expect(s.code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
    const again = await runCli('task', 'show', 'tomita3', '--svg', svg);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`eigenstate: ${svg}: file exists (pass --force to overwrite)\n`);
    expect((await runCli('task', 'show', 'tomita3', '--svg', svg, '--force')).code).toBe(0);
  });

  it('names the bad task parameter', async () => {
    const r = await runCli('task', 'show', 'mod:m=1');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/mod.*m.*1/);
  });

  it('samples deterministically for a seed', async () => {
    const a = await runCli('task', 'sample', 'tomita1', '--lengths', '2:8', '--count', '20', '--seed', '7', '--json');
    const b = await runCli('task', 'sample', 'tomita1', '--lengths', '2:8', '--count', '20', '--seed', '7', '--json');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const samples = JSON.parse(a.stdout).samples as { word: string; label: string }[];
    expect(samples.some((s) => s.label === 'accept')).toBe(true);
    for (const s of samples) expect(s.label === 'accept').toBe(/^1*$/.test(s.word));
    const bad = await runCli('task', 'sample', 'parity', '--lengths', '9:3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('MIN 9 is above MAX 3');
  });

  it('labels words', async () => {
    expect((await runCli('task', 'label', 'parity', '0111')).stdout).toBe('accept\n');
    expect((await runCli('task', 'label', 'flipflop', 'w1', 'i0', 'r1')).stdout).toBe('accept\n');
    const bad = await runCli('task', 'label', 'parity', '012');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("symbol '2' is not in the alphabet");
  });

  it('compiles regexes and decides equivalence with a shortest separating word', async () => {
    const file = join(dir, 'ones.json');
    const r = await runCli('regex', '1*', '--json', '--out', file);
    expect(r.code).toBe(0);
    const same = await runCli('dfa', 'equiv', file, 'tomita1');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('equivalent');
    const diff = await runCli('dfa', 'equiv', 'tomita5', 'parity', '--json');
    expect(diff.code).toBe(1);
    expect(JSON.parse(diff.stdout)).toEqual({
      a: 'tomita5', b: 'parity', equivalent: false, word: '', symbols: [], display: 'ε', length: 0, labels: { a: 'accept', b: 'reject' },
    });
    // keys do not depend on the arguments' names: a file named like a key cannot clash
    const named = await runCli('dfa', 'equiv', file, 'parity', '--json');
    expect(Object.keys(JSON.parse(named.stdout)).sort()).toEqual(['a', 'b', 'display', 'equivalent', 'labels', 'length', 'symbols', 'word']);
    expect(JSON.parse(named.stdout)).toMatchObject({ word: '', labels: { a: 'accept', b: 'reject' } });
  });

  it('reports a malformed automaton file in one line naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'eigenstate/automaton', version: 1, alphabet: ['0'], classes: ['reject', 'accept'], initial: 0, states: [{ class: 'accept', next: [3] }] }));
    const r = await runCli('dfa', 'show', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`eigenstate: ${file}: states[0].next[0]: target is not a state (there are 1) (got 3)\n`);
  });

  it('runs as the installed binary (bin/eigenstate.js on the build)', () => {
    expect(existsSync(new URL('../../dist/cli/main.js', import.meta.url))).toBe(true);
    const out = execFileSync(process.execPath, [new URL('../../bin/eigenstate.js', import.meta.url).pathname, 'task', 'label', 'tomita3', '10'], { encoding: 'utf8' });
    expect(out).toBe('reject\n');
  });
});
