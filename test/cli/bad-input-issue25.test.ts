// The bad-input and fault cases of issue 25 (numbered as there), one test each: the exit code and the one line
// that names the fault. Special files are made in a temp folder; /dev is only ever read.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneLine, runCli } from './run-cli.js';

const base = mkdtempSync(join(tmpdir(), 'eigenstate-bad25-'));
const unixIt = process.platform === 'win32' ? it.skip : it;
const BIN = fileURLToPath(new URL('../../bin/eigenstate.js', import.meta.url));
const GRID = 'examples/p3-table/cpu.grid.json';
const NEG = 'specs/checkpoints/parity-lrnn-neg-handbuilt.json';

describe('issue 25: bad input and faults', () => {
  unixIt('case 1: task show --svg FIFO --force refuses to replace the FIFO (exit 2)', async () => {
    const fifo = join(base, 'svg-fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli('task', 'show', 'tomita3', '--svg', fifo, '--force');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: ${fifo}: is a FIFO, not a regular file (--force replaces only regular files)`);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});

describe('issue 25: verify --all-lengths certificates', () => {
  it('case 7: without --certificate nothing is written, so the same command runs twice', async () => {
    const dir = mkdtempSync(join(base, 'rerun-'));
    const ckpt = join(dir, 'neg.json');
    copyFileSync(NEG, ckpt);
    for (let i = 0; i < 2; i++) {
      const r = await runCli('verify', 'parity', '--checkpoint', ckpt, '--all-lengths', '--format', 'bf16', '--work', '60000');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('certificate: not written (--certificate FILE keeps it)');
    }
    expect(readdirSync(dir)).toEqual(['neg.json']);
  });

  unixIt('case 1: --certificate FIFO --force is refused before the proof starts', async () => {
    const fifo = join(base, 'cert-fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--format', 'bf16', '--certificate', fifo, '--force');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: ${fifo}: is a FIFO, not a regular file (--force replaces only regular files)`);
    expect(r.stdout).toBe('');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});

describe('issue 25: output that cannot be written', () => {
  // `> /dev/full` gave ENOSPC; a file-size limit of 0 gives the same kind of failure (EFBIG) without /dev.
  // One child process (each costs seconds of start-up); the guard is the same for every command.
  unixIt('case 5: stdout that refuses writes is one line and exit 74 (task show --json)', () => {
    for (const args of [['task', 'show', 'tomita3', '--json']]) {
      const out = join(base, `${args.join('-')}.out`);
      const r = spawnSync('bash', ['-c', 'ulimit -f 0 && exec "$@" > "$OUT"', 'bash', process.execPath, BIN, ...args], {
        env: { ...process.env, OUT: out },
        encoding: 'utf8',
      });
      expect(r.status).toBe(74);
      expect(r.stderr).toBe('eigenstate: cannot write to stdout: file too large (EFBIG)\n');
    }
  });
});

describe('issue 25: sweep', () => {
  it('case 4: sweep --out FILE (or a file where DIR/cells goes) is exit 2 naming it, and the file is kept', async () => {
    const file = join(base, 'sweep-out-file');
    writeFileSync(file, 'keep me\n');
    const r = await runCli('sweep', GRID, '--out', file, '--dry-run');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: --out ${file}: exists and is not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    const dir = join(base, 'sweep-cells-file');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cells'), '');
    const cells = await runCli('sweep', GRID, '--out', dir, '--dry-run');
    expect(cells.code).toBe(2);
    expect(oneLine(cells.stderr)).toBe(`eigenstate: --out ${dir}: ${join(dir, 'cells')} exists and is not a directory`);
  });

  it('case 10: a malformed --queue URL is refused before the results folder is made', async () => {
    const out = join(base, 'queue-out');
    const r = await runCli('sweep', GRID, '--out', out, '--queue', 'http://nope');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe("eigenstate: --queue: 'http://nope': expected a redis:// URL");
    expect(existsSync(out)).toBe(false);
  });

  it('case 10: a well-formed --queue URL where no Redis answers is refused (exit 2, one line) before the results folder is made', async () => {
    // A real port with nothing listening: bound, then closed, so the connection is refused at once.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((done) => server.close(() => done()));
    const out = join(base, 'queue-unreachable-out');
    const r = await runCli('sweep', GRID, '--out', out, '--queue', `redis://127.0.0.1:${port}`, '--quiet');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^eigenstate: --queue redis://127\\.0\\.0\\.1:${port}: cannot reach Redis \\(.*ECONNREFUSED.*\\)$`));
    expect(existsSync(out)).toBe(false);
  });
});

describe('issue 25 case 10: checkpoints whose task does not fit', () => {
  /** A copy of the hand-built parity checkpoint with its task field changed. */
  function edited(name: string, task: Record<string, unknown>): string {
    const ckpt = JSON.parse(readFileSync(NEG, 'utf8')) as { task: Record<string, unknown> };
    const file = join(base, `${name}.json`);
    writeFileSync(file, JSON.stringify({ ...ckpt, task: { ...ckpt.task, ...task } }));
    return file;
  }

  it('run names the file and task.name of an unknown task', async () => {
    const file = edited('nosuch', { name: 'nosuch' });
    const r = await runCli('run', file, '0101');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^eigenstate: ${file}: task\\.name: unknown task 'nosuch'`));
  });

  it('a checkpoint whose alphabet or classes are not its task\'s is exit 2 naming file, field and value', async () => {
    const swapped = edited('swapped', { alphabet: ['1', '0'] });
    const line = `eigenstate: ${swapped}: task.alphabet: [1, 0] is not the alphabet of task 'parity', [0, 1]`;
    for (const args of [['eval', swapped], ['run', swapped, '01'], ['verify', 'parity', '--checkpoint', swapped], ['verify', 'parity', '--checkpoint', swapped, '--all-lengths'], ['extract', swapped, '--out', join(base, 'ex-swapped')], ['quantize', swapped, '--task', 'parity']]) {
      const r = await runCli(...args);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe(line);
    }
    const classes = edited('classes', { classes: ['yes', 'no'] });
    const r = await runCli('run', classes, '01');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: ${classes}: task.classes: [yes, no] are not the classes of task 'parity', [reject, accept]`);
  });
});

describe('issue 25 case 10: options whose check and message agree', () => {
  it('verify --all-lengths --budget 0 is refused, not ignored', async () => {
    const r = await runCli('verify', 'parity', '--checkpoint', NEG, '--all-lengths', '--budget', '0');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe("eigenstate: option '--budget <seconds>' argument '0' is invalid. expected a positive integer.");
    expect(r.stdout).toBe('');
  });

  it('sweep --jobs 0 and -1 get the message of the check that refuses them', async () => {
    for (const jobs of ['0', '-1']) {
      const r = await runCli('sweep', GRID, '--out', join(base, 'jobs'), '--jobs', jobs, '--dry-run');
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe(`eigenstate: option '-j, --jobs <n>' argument '${jobs}' is invalid. expected a positive integer.`);
    }
  });
});

describe('issue 25 case 10: outputs already there are refused before the work', () => {
  it('verify --witness EXISTING is refused at once (an unsat run used to finish, exit 0, and say nothing)', async () => {
    const witness = join(base, 'witness.json');
    writeFileSync(witness, 'keep me\n');
    const r = await runCli('verify', 'parity', '--model', 'lrnn-pos', '--format', 'fixed<2,2>', '--max-len', '4', '--witness', witness);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: ${witness}: file exists (pass --force to overwrite)`);
    expect(r.stdout).toBe('');
    expect(readFileSync(witness, 'utf8')).toBe('keep me\n');
  });

  it('extract --out DIR with one of its files already there is refused before the extraction (whose own verdict would be exit 1)', async () => {
    const out = join(base, 'ex-existing');
    mkdirSync(out);
    writeFileSync(join(out, 'report.json'), 'keep me\n');
    const r = await runCli('extract', 'specs/checkpoints/parity-lrnn-pos-trained.json', '--method', 'exact', '--format', 'fp8-e4m3', '--max-states', '500', '--out', out);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: ${join(out, 'report.json')}: file exists (pass --force to overwrite)`);
    expect(readdirSync(out)).toEqual(['report.json']);
  });

  it('quantize --plot EXISTING is refused before the measurements', async () => {
    const plot = join(base, 'plot.svg');
    writeFileSync(plot, 'keep me\n');
    const r = await runCli('quantize', NEG, '--plot', plot, '--no-float');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`eigenstate: ${plot}: file exists (pass --force to overwrite)`);
    expect(r.stdout).toBe('');
  });
});

describe('issue 25 case 10: quantize --formats', () => {
  it('an empty item or a format listed twice is refused with one line', async () => {
    const cases: [string, string][] = [
      ['fp32,,bf16', "item 2 is empty (expected a comma-separated list of formats, e.g. 'fp32,bf16')."],
      ['fp32,fp32', "'fp32' is listed twice."],
      ['fixed<2,6>,fixed<2,6,half-even>', "'fixed<2,6,half-even>' is listed twice (as 'fixed<2,6>' before)."],
    ];
    for (const [formats, why] of cases) {
      const r = await runCli('quantize', NEG, '--formats', formats, '--no-float');
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe(`eigenstate: option '-f, --formats <list>' argument '${formats}' is invalid. ${why}`);
    }
  });
});

describe('issue 25 case 10: run', () => {
  it('exits 1 when it prints "the model is wrong here", 0 when the task agrees', async () => {
    const pos = 'specs/checkpoints/parity-lrnn-pos-handbuilt.json';
    const wrong = await runCli('run', pos, '11', '--format', 'fp32');
    expect(wrong.stdout).toContain('the model is wrong here');
    expect(wrong.code).toBe(1);
    const right = await runCli('run', NEG, '11', '--format', 'fp32');
    expect(right.stdout).toContain('(the task agrees)');
    expect(right.code).toBe(0);
  });
});
