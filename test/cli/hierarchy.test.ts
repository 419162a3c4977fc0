import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './run-cli.js';

const SPECS = fileURLToPath(new URL('../../specs', import.meta.url));

describe('eigenstate hierarchy', () => {
  it('prints every family with its class and the repository specs as evidence, and writes the page', async () => {
    const page = join(mkdtempSync(join(tmpdir(), 'eigenstate-hier-')), 'h.html');
    const r = await runCli('hierarchy', '--specs', SPECS, '--json', '--html', page);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { family: string; evidence: { kind: string; command: string }[] }[];
    const pd = rows.find((x) => x.family === 'lrnn-pd');
    expect(pd?.evidence.some((e) => e.command.endsWith('p0-construction-lrnn-pd-s3-fp32.json'))).toBe(true);
    // the Householder construction of S3 is filed under deltanet-neg as a construction
    const delta = rows.find((x) => x.family === 'deltanet-neg');
    expect(delta?.evidence.find((e) => e.command.endsWith('p3-construction-deltanet-neg-s3-bf16.json'))?.kind).toBe('construction');
    expect(readFileSync(page, 'utf8')).toContain('<h1>The hierarchy of recurrent families</h1>');
    expect((await runCli('hierarchy', '--specs', SPECS, '--html', page)).code).toBe(2);
  });
});
