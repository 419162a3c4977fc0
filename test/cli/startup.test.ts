// Start-up loads only what the command that runs needs (src/cli/main.ts): `--version` and `--help` load no
// command file, and no command loads TensorFlow.js, Z3, BullMQ or Vega before it uses them. Each case runs
// the installed binary in a child process with a resolve hook that records every module it loads.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eigenstate-startup-'));
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.EIGENSTATE_LOADED, resolved.url + '\\n');
  return resolved;
}
`,
);
writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);

const HEAVY = ['@tensorflow/', 'z3-solver', 'bullmq', 'ioredis', 'piscina', '/vega/', '/vega-lite/'];
let runs = 0;

/** The module URLs `eigenstate ...args` loads (it must exit 0). */
async function loadedBy(...args: string[]): Promise<string[]> {
  const log = join(dir, `loaded-${runs++}.txt`);
  writeFileSync(log, '');
  await promisify(execFile)(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(root, 'bin', 'eigenstate.js'), ...args], {
    cwd: root,
    env: { ...process.env, EIGENSTATE_LOADED: log },
  });
  return readFileSync(log, 'utf8').split('\n').filter((url) => url !== '');
}

const heavy = (urls: readonly string[]): string[] => urls.filter((url) => HEAVY.some((h) => url.includes(`/node_modules/${h.replace(/^\//, '')}`)));

describe('start-up', () => {
  it('loads no command file for --version and --help', async () => {
    for (const flag of ['--version', '--help']) {
      const cli = (await loadedBy(flag)).filter((url) => url.includes('/dist/cli/'));
      expect(cli.length).toBeGreaterThan(0); // the hook saw the CLI load
      expect(cli.filter((url) => !/\/dist\/cli\/(main|exit|message|streams)\.js$/.test(url))).toEqual([]);
    }
  });

  it('loads the command that runs and none of TensorFlow.js, Z3, BullMQ or Vega for dfa run', async () => {
    const urls = await loadedBy('dfa', 'run', 'tomita3', '0101');
    expect(urls.some((url) => url.endsWith('/dist/cli/dfa.js'))).toBe(true);
    expect(urls.some((url) => url.endsWith('/dist/cli/verify.js'))).toBe(false);
    expect(heavy(urls)).toEqual([]);
  });

  it('loads TensorFlow.js for run only when it evaluates in float', async () => {
    const exact = await loadedBy('run', 'specs/checkpoints/parity-lrnn-neg-handbuilt.json', '0110', '--format', 'fp32');
    expect(heavy(exact)).toEqual([]);
    const float = await loadedBy('run', 'specs/checkpoints/parity-lrnn-neg-handbuilt.json', '0110');
    expect(heavy(float).some((url) => url.includes('@tensorflow/tfjs'))).toBe(true);
  });
});
