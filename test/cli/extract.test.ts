import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TooManyStatesError } from '../../src/errors.js';
import { extractAutomaton, type ExtractOptions, type ExtractProgress } from '../../src/extract/extraction.js';
import { resolveSystem } from '../../src/extract/resolve.js';
import { writeCheckpoint } from '../../src/models/checkpoint.js';
import { parseFormat } from '../../src/precision/parse.js';
import { dfaRnnCheckpoint } from '../../src/reductions/constructions/dfa-rnn.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { runCli } from './run-cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'eigenstate-extract-'));

describe('eigenstate extract', () => {
  it('learns a task with L* and the exact oracle, writes the five files and a proof', async () => {
    const dir = join(fresh(), 'out');
    const r = await runCli('extract', 'tomita3', '--method', 'lstar', '--out', dir, '--samples', '50');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('result: 5 states; proof:');
    expect(r.stdout).toContain('equals the reference automaton of tomita3 on every word, the empty word included');
    expect(r.stdout).toMatch(/ 1000\s+50\s+1\.0000/);
    for (const f of ['automaton.json', 'automaton.dot', 'automaton.svg', 'report.json', 'report.txt']) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, 'automaton.svg'), 'utf8')).toContain('<svg');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.learning).toMatchObject({ states: 5, guarantee: 'proof' });
    expect(report.learning.membershipQueries).toBeGreaterThan(0);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const dir = fresh();
    expect((await runCli('extract', 'parity', '--out', dir, '--samples', '5')).code).toBe(0);
    const again = await runCli('extract', 'parity', '--out', dir, '--samples', '5');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('file exists (pass --force to overwrite)');
    expect((await runCli('extract', 'parity', '--out', dir, '--samples', '5', '--force')).code).toBe(0);
  });

  it('learns an automaton file with the PAC oracle (stating ε and δ) and a task with the W-method', async () => {
    const base = fresh();
    const file = join(base, 'mod3.json');
    expect((await runCli('task', 'show', 'mod:m=3', '--json', '--out', file)).code).toBe(0);
    const r = await runCli('extract', file, '--oracle', 'pac', '--epsilon', '0.05', '--delta', '0.1', '--out', join(base, 'a'), '--samples', '20', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.states).toBe(3);
    expect(report.learning.guarantee).toBe('pac');
    expect(report.learning.detail).toContain('with probability ≥ 0.9 the hypothesis errs on at most 0.05');
    const b = await runCli('extract', 'tomita5', '--oracle', 'wmethod', '--extra-states', '1', '--out', join(base, 'b'), '--samples', '20');
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('result: 4 states; bounded: all');
    expect(b.stdout).toContain('provided the system has at most 5 states');
  });

  it('proves a checkpoint equal to parity at fp16 by learning, and shows where it departs at fixed<4,8>', async () => {
    const base = fresh();
    const ckpt = join(base, 'parity-rnn.json');
    writeCheckpoint(ckpt, dfaRnnCheckpoint(parseTask('parity')));
    const good = await runCli('extract', ckpt, '--method', 'kv', '--format', 'fp16', '--out', join(base, 'fp16'), '--samples', '20', '--json');
    expect(good.code).toBe(0);
    const report = JSON.parse(good.stdout);
    expect(report.learning.guarantee).toBe('proof');
    expect(report.nonEmptyStates).toBe(2);
    expect(report.reference.verdict).toEqual({ equal: true });
    expect(report.reference.text).toBe('recognises parity on every non-empty input at fp16');
    const bad = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fixed<4,8>', '--out', join(base, 'fx'), '--samples', '20');
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain("does not recognise parity at fixed<4,8>: shortest counterexample '1'");
    expect(bad.stdout).toContain('non-empty words');
  });

  it('--method exact past the cap still refutes a model with its shortest wrong word', async () => {
    const ckpt = fileURLToPath(new URL('../../specs/checkpoints/parity-lrnn-pos-trained.json', import.meta.url));
    const r = await runCli('extract', ckpt, '--method', 'exact', '--format', 'fp8-e4m3', '--max-states', '500', '--out', fresh());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exact extraction: more than 500 states');
    expect(r.stderr).toMatch(/does not recognise parity at fp8-e4m3: shortest counterexample '[01]+'/);
  });

  it('--oracle refine learns a checkpoint by abstraction refinement and says it is no proof', async () => {
    const base = fresh();
    const ckpt = join(base, 'tomita3-rnn.json');
    writeCheckpoint(ckpt, dfaRnnCheckpoint(parseTask('tomita3')));
    const r = await runCli('extract', ckpt, '--method', 'kv', '--oracle', 'refine', '--format', 'fp16', '--out', join(base, 'out'), '--samples', '20', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.learning.oracle).toContain('abstraction refinement');
    expect(report.learning.guarantee).toBe('none');
    expect(report.learning.detail).toContain('NOT a proof');
    // The first hypothesis of KV is too small for tomita3: the walk must find counterexamples.
    expect(report.learning.equivalenceQueries).toBeGreaterThan(1);
    expect(report.learning.testQueries).toBeGreaterThan(0);
    expect(report.nonEmptyStates).toBe(5);
    expect(report.reference.verdict).toEqual({ equal: true });
    const text = await runCli('extract', ckpt, '--method', 'lstar', '--oracle', 'refine', '--max-words', '3', '--format', 'fp16', '--out', join(base, 'capped'), '--samples', '5');
    // A cap is an honest unknown (exit 3) that still says what the walk found, not bad input (exit 2).
    expect(text.code).toBe(3);
    expect(text.stderr.trim().split('\n')).toHaveLength(1);
    expect(text.stderr).toContain('refine oracle: more than 3 explored words in one check (raise --max-words); no verdict: the round-2 hypothesis (4 states) and the network agree on all 23 words checked (1 split, 2 blocks)');
    // So is the round cap of the learning loop.
    const rounds = await runCli('extract', ckpt, '--method', 'kv', '--oracle', 'refine', '--max-rounds', '1', '--format', 'fp16', '--out', join(base, 'rounds'), '--samples', '5');
    expect(rounds.code).toBe(3);
    expect(rounds.stderr).toMatch(/learning: no equivalent hypothesis after 1 equivalence queries; the last has \d+ states \(raise --max-rounds\)/);
    const task = await runCli('extract', 'tomita3', '--oracle', 'refine', '--out', join(base, 'task'));
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('tomita3: --oracle refine needs a checkpoint');
  });

  it('proves the small trained lrnn-neg equal to parity at fixed<3,2> and shows where the learned drift breaks it at fixed<4,3>', async () => {
    const ckpt = fileURLToPath(new URL('../../specs/checkpoints/parity-lrnn-neg-small-trained.json', import.meta.url));
    const good = await runCli('extract', ckpt, '--method', 'kv', '--oracle', 'exact', '--format', 'fixed<3,2>', '--out', fresh(), '--samples', '20', '--json');
    expect(good.code).toBe(0);
    const report = JSON.parse(good.stdout);
    expect(report.learning.guarantee).toBe('proof');
    expect(report.nonEmptyStates).toBe(2);
    expect(report.reference.text).toBe('recognises parity on every non-empty input at fixed<3,2>');
    const bad = await runCli('extract', ckpt, '--method', 'kv', '--oracle', 'exact', '--format', 'fixed<4,3>', '--out', fresh(), '--samples', '20');
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/result: \d+ states; proof:/);
    expect(bad.stdout).toContain("does not recognise parity at fixed<4,3>: shortest counterexample '10000000001' (length 11)");
  });

  it('a learner whose exact oracle passes the cap still names the model\'s shortest wrong word', async () => {
    const ckpt = fileURLToPath(new URL('../../specs/checkpoints/parity-lrnn-pos-trained.json', import.meta.url));
    const r = await runCli('extract', ckpt, '--method', 'kv', '--oracle', 'exact', '--format', 'bf16', '--max-states', '300', '--out', fresh());
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('exact oracle product search: more than 300 states');
    expect(r.stderr).toContain("does not recognise parity at bf16: shortest counterexample '10' (length 2)");
  });

  it('names the bad option value or the missing finite-state system in one line', async () => {
    const dir = fresh();
    const m = await runCli('extract', 'parity', '--method', 'ttt', '--out', dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('expected one of lstar, lstar-mp, kv, lsharp, exact');
    const e = await runCli('extract', 'anbn', '--oracle', 'exact', '--out', dir);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toContain('anbn: --oracle exact needs a finite-state system');
  });
});

describe('extract output that scales', () => {
  it('extracts a 200-state automaton over 10 symbols in seconds: JSON and DOT written, SVG skipped with one line', async () => {
    const { randomDfa } = await import('../../src/automata/random.js');
    const { dfaToJsonText } = await import('../../src/automata/json.js');
    const { Rng } = await import('../../src/random.js');
    const { writeFileSync } = await import('node:fs');
    const base = fresh();
    const file = join(base, 'r200.json');
    writeFileSync(file, dfaToJsonText(randomDfa(new Rng(200), 200, 10)));
    const start = performance.now();
    const r = await runCli('extract', file, '--out', join(base, 'out'), '--samples', '20');
    expect((performance.now() - start) / 1000).toBeLessThan(30);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('result: 200 states; proof:');
    expect(r.stdout).toContain('method: L#');
    expect(r.stdout).toMatch(/automaton\.svg not drawn: 200 states and \d+ edges exceed the drawing limit of 60 states and 600 edges; --svg draws it anyway/);
    for (const f of ['automaton.json', 'automaton.dot', 'report.json', 'report.txt']) expect(existsSync(join(base, 'out', f))).toBe(true);
    expect(existsSync(join(base, 'out', 'automaton.svg'))).toBe(false);
    const none = await runCli('extract', 'tomita3', '--no-svg', '--out', join(base, 'none'), '--samples', '5');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('automaton.svg not drawn (--no-svg)');
    expect(existsSync(join(base, 'none', 'automaton.svg'))).toBe(false);
  });

  it('task show and regex skip an SVG above the limit with one line and exit 3, and draw it with --no-svg-limit', async () => {
    const base = fresh();
    const s5 = await runCli('task', 'show', 's5', '--svg', join(base, 's5.svg'));
    expect(s5.code).toBe(3);
    expect(s5.stderr).toContain('not drawn: 120 states');
    expect(s5.stderr).toContain('--no-svg-limit draws it anyway');
    expect(existsSync(join(base, 's5.svg'))).toBe(false);
    const re = await runCli('regex', '(0|1)*1(0|1)(0|1)(0|1)(0|1)(0|1)(0|1)', '--svg', join(base, 're.svg'));
    expect(re.code).toBe(3);
    expect(re.stderr).toContain('not drawn: 128 states');
    const small = await runCli('task', 'show', 'tomita3', '--svg', join(base, 't3.svg'));
    expect(small.code).toBe(0);
    const forced = await runCli('task', 'show', 'mod:m=64', '--svg', join(base, 'm64.svg'), '--no-svg-limit');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(base, 'm64.svg'), 'utf8')).toContain('<svg');
  });

  it('refuses a learner on an automaton with 10^5 symbols at once, naming the table cap; --method exact extracts it', async () => {
    // Issue 25 case 3: this ran 6.5 min into "Invalid typed array length" (exit 70), printing nothing.
    const base = fresh();
    const file = join(base, 'wide.json');
    const k = 100_000;
    const alphabet = Array.from({ length: k }, (_, i) => `s${i}`);
    // Two states: odd symbols swap them, even ones stay (parity of the odd symbols read).
    const states = [
      { class: 'reject', next: alphabet.map((_, i) => i % 2) },
      { class: 'accept', next: alphabet.map((_, i) => 1 - (i % 2)) },
    ];
    writeFileSync(file, JSON.stringify({ format: 'eigenstate/automaton', version: 1, alphabet, classes: ['reject', 'accept'], initial: 0, states }));
    const learned = await runCli('extract', file, '--out', join(base, 'l'));
    expect(learned.code).toBe(3);
    expect(learned.stderr).toContain(`lsharp over ${k} symbols needs a prefix tree of at least ${(2 * k + 1) * k} table entries`);
    expect(learned.stderr).toContain('over the cap of 16777216; --method exact explores the system directly');
    expect(existsSync(join(base, 'l'))).toBe(false);
    const exact = await runCli('extract', file, '--method', 'exact', '--no-svg', '--samples', '20', '--out', join(base, 'e'));
    expect(exact.code).toBe(0);
    expect(exact.stdout).toContain('result: 2 states (minimal) from 2 explored states');
    const written = JSON.parse(readFileSync(join(base, 'e', 'automaton.json'), 'utf8'));
    expect(written.alphabet).toHaveLength(k);
    expect(written.states[0].next.slice(0, 4)).toEqual([0, 1, 0, 1]);
  }, 60_000);

  // Issue 25 case 9: the README's trained width-32 model printed nothing for 400 s. The driver now reports
  // every stage (states found, queue, cap) and the CLI shows it on stderr; at the cap it still says what
  // the on-the-fly check against the task found, exit 3.
  const trained = fileURLToPath(new URL('../../specs/checkpoints/parity-lrnn-neg-trained.json', import.meta.url));
  const driverOptions = (overrides: Partial<ExtractOptions>): ExtractOptions => ({
    method: 'exact',
    oracle: 'exact',
    seed: 0,
    maxStates: 10_000,
    pac: { epsilon: 0.01, delta: 0.01, minLength: 0, maxLength: 30 },
    wmethod: { extraStates: 1, maxTests: 1000 },
    samples: 5,
    agreementLengths: [10],
    determinismRate: 0,
    partition: { partitioning: { kind: 'kmeans', clusters: 4 }, sampleWords: 10, sampleMaxLength: 5 },
    ...overrides,
  });

  it('reports the exact search and the reference check as they run, then stops at the cap with what the check found', () => {
    const seen: ExtractProgress[] = [];
    const system = resolveSystem(trained, parseFormat('fp32'));
    let error: unknown;
    try {
      extractAutomaton(system, driverOptions({ progress: (p) => seen.push(p) }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooManyStatesError);
    expect((error as TooManyStatesError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^exact extraction: more than 10000 states .*; right on every non-empty word up to length \d+ against parity \(no verdict beyond\)$/);
    const search = seen.filter((p) => p.stage === 'exact search');
    const check = seen.filter((p) => p.stage === 'check against parity');
    expect(search.length).toBe(2);
    expect(check.length).toBe(2);
    // One report per 4,096 states found: 2 under a cap of 10,000 for the search, 2 for the check. The search
    // comes first, then the check; counts grow, and the queue is what is found but not expanded.
    expect(seen.indexOf(check[0])).toBeGreaterThan(seen.indexOf(search[search.length - 1]));
    for (const p of search) {
      expect(p).toMatchObject({ unit: 'states', cap: 10_000 });
      expect(p.found).toBeLessThanOrEqual(10_000);
      expect(p.queued).toBeGreaterThan(0);
      expect(p.queued).toBeLessThan(p.found);
    }
    expect(search.map((p) => p.found)).toEqual([...search.map((p) => p.found)].sort((a, b) => a - b));
  });

  it('reports the system runs of learning (PAC oracle) as they happen', () => {
    const seen: ExtractProgress[] = [];
    const system = resolveSystem(trained, parseFormat('fp32'));
    const { report } = extractAutomaton(system, driverOptions({ method: 'lsharp', oracle: 'pac', progress: (p) => seen.push(p) }));
    const runs = seen.filter((p) => p.stage === 'learning');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.map((p) => p.found)).toEqual(runs.map((_, i) => 256 * (i + 1)));
    // Every run the learner and the oracle made is counted, so the last report is at most the total.
    const total = (report.learning?.membershipQueries ?? 0) + (report.learning?.testQueries ?? 0);
    expect(runs[runs.length - 1].found).toBeLessThanOrEqual(total);
  });

  it('extract at the cap: one line with the partial verdict, exit 3, no output files', async () => {
    const base = fresh();
    const r = await runCli('extract', trained, '--method', 'exact', '--max-states', '5000', '--out', join(base, 'out'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('eigenstate:'));
    expect(errors).toEqual([expect.stringMatching(/^eigenstate: exact extraction: more than 5000 states .*right on every non-empty word up to length \d+ against parity/)]);
    expect(existsSync(join(base, 'out'))).toBe(false);
  });

  it('--max-seconds caps the whole extraction: exit 3 naming the stage and what it had found', async () => {
    const base = fresh();
    // The exact oracle needs some 10^6 pairs (tens of seconds) to reach its state cap: the time cap comes first.
    const r = await runCli('extract', trained, '--max-seconds', '1', '--out', join(base, 'out'));
    expect(r.code).toBe(3);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('eigenstate:'));
    expect(errors).toEqual([
      expect.stringMatching(/^eigenstate: .*parity-lrnn-neg-trained\.json: time cap of 1 s reached during (learning|exact oracle, round \d+), \d+ (system runs|pairs) found.* \(raise --max-seconds\)$/),
    ]);
    expect(existsSync(join(base, 'out'))).toBe(false);
    expect((await runCli('extract', 'parity', '--max-seconds', '0', '--out', join(base, 'zero'))).code).toBe(2);
  });
});
