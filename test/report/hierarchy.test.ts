import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { writeCheckpoint } from '../../src/models/checkpoint.js';
import { constructCheckpoint } from '../../src/reductions/constructions/construct.js';
import { hierarchyHtml, hierarchyRows, hierarchyText } from '../../src/report/hierarchy.js';
import { parseTask } from '../../src/tasks/catalogue.js';

const SPECS = fileURLToPath(new URL('../../specs', import.meta.url));

/** A spec folder with one class-level spec and one construction spec (and its checkpoint). */
function specFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eigenstate-hierarchy-'));
  mkdirSync(join(dir, 'checkpoints'));
  for (const f of ['p0-lrnn-pd-d3-s3gen.json', 'p0-construction-lrnn-pd-s3-fp32.json', 'checkpoints/s3-lrnn-pd-construction.json']) copyFileSync(join(SPECS, f), join(dir, f));
  return dir;
}

describe('hierarchyRows', () => {
  it('gives one row per family and files each spec and named checkpoint under its family, with the command that reproduces it', () => {
    const dir = specFolder();
    const ckpt = join(dir, 'checkpoints', 'mod3.json');
    writeCheckpoint(ckpt, constructCheckpoint(parseTask('mod:m=3'), 'lrnn-pd'));
    const rows = hierarchyRows({ specs: dir, checkpoints: [ckpt], seconds: 10 });
    expect(rows.map((r) => r.family)).toEqual([...MODEL_FAMILIES]);
    const pd = rows.find((r) => r.family === 'lrnn-pd')!;
    expect(pd.placement).toContain('NC¹-complete (P0)');
    expect(pd.evidence.map((e) => [e.kind, e.verdict])).toEqual([
      ['construction', 'proved (every length at fp32)'],
      ['class', 'sat (all words to length 6, fixed<2,4>)'],
      ['construction', 'right on every word (exact search closed, fp32)'],
    ]);
    expect(pd.evidence[0].command).toBe(`eigenstate prove ${join(dir, 'p0-construction-lrnn-pd-s3-fp32.json')}`);
    expect(pd.evidence[2].command).toBe(`eigenstate verify mod:m=3 --checkpoint ${ckpt} --all-lengths --format fp32`);
    expect(rows.find((r) => r.family === 'lstm')!.evidence).toEqual([]);
    expect(hierarchyText(rows)).toContain('(no evidence in the toolkit yet)');
    const html = hierarchyHtml(rows);
    expect(html).toContain('<td><code>lrnn-pd</code></td>');
    expect(html).toContain('fixed&lt;2,4&gt;');
  });

  it('refuses a spec folder that does not exist', () => {
    expect(() => hierarchyRows({ specs: join(tmpdir(), 'no-such-specs-folder'), checkpoints: [], seconds: 1 })).toThrow(InputError);
  });
});
