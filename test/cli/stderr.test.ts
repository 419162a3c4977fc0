// Normal runs print no third-party noise on stderr: neither TensorFlow.js's banner ("Hi, looks like you
// are running TensorFlow.js in Node.js") nor the WASM Z3's loading notices ("still waiting on run
// dependencies", printed when loading takes over 10 s, as on a busy machine). The commands run as the
// installed binary in a child process, because jest's setup (test/setup/quiet-tfjs.ts) drops the banner
// in-process.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eigenstate-stderr-'));
const NOISE = /looks like you are running TensorFlow\.js|={20,}|still waiting on run dependencies|^dependency: |^\(end of list\)/m;

/** stderr of `eigenstate ...args`, which must exit 0. */
async function stderrOf(...args: string[]): Promise<string> {
  const { stderr } = await promisify(execFile)(process.execPath, [join(root, 'bin', 'eigenstate.js'), ...args], { cwd: root, encoding: 'utf8' });
  return stderr;
}

describe('stderr of normal runs', () => {
  it('has no TensorFlow.js banner when run evaluates in float', async () => {
    expect(await stderrOf('run', 'specs/checkpoints/parity-lrnn-neg-handbuilt.json', '0110')).not.toMatch(NOISE);
  });

  it('has no TensorFlow.js banner when train runs', async () => {
    const err = await stderrOf('train', '--task', 'parity', '--model', 'lrnn-neg', '--train-len', '3:6', '--steps', '2', '--seed', '1', '--quiet', '--out', join(dir, 'm.json'));
    expect(err).toContain('backend:');
    expect(err).not.toMatch(NOISE);
  });

  it('has no Z3 loading notice when verify runs on the WASM Z3', async () => {
    const err = await stderrOf('verify', 'parity', '--model', 'lrnn-pos', '--dim', '1', '--format', 'fixed<2,3>', '--max-len', '2', '--engine', 'z3', '--solver', 'wasm');
    expect(err).not.toMatch(NOISE);
  });
});
