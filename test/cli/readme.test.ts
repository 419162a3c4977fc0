// The README's commands work when pasted into bash (a '<' or '>' outside quotes is a redirection), and the
// README, docs/ and the source comments cite the repository's own docs, never the developers' ../shared folder.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');

/** Inline code spans and fenced lines that are eigenstate commands. */
function commands(markdown: string): string[] {
  const inline = [...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  const fenced = [...markdown.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  return [...inline, ...fenced].map((c) => c.replace(/^\$ /, '').trim()).filter((c) => /^(npx )?eigenstate /.test(c));
}

describe('README', () => {
  it('quotes every < and > of its commands (fixed<2,6> is a redirection otherwise)', () => {
    const cmds = commands(readme);
    expect(cmds.length).toBeGreaterThan(10);
    const unsafe = cmds.filter((c) => /[<>]/.test(c.replace(/'[^']*'/g, '').replace(/"[^"]*"/g, '').replace(/#.*$/, '')));
    expect(unsafe).toEqual([]);
  });

  it('cites docs/ files that exist, and never ../shared', () => {
    for (const text of [readme, ...readdirSync(`${root}docs`).map((f) => readFileSync(`${root}docs/${f}`, 'utf8'))]) {
      expect(text).not.toMatch(/\.\.\/shared|shared\/(THEORY|ARCHITECTURE|Z3-NOTES)/);
      for (const m of text.matchAll(/docs\/([\w-]+\.md)/g)) expect(existsSync(`${root}docs/${m[1]}`)).toBe(true);
    }
    for (const doc of ['theory.md', 'semantics.md', 'engines.md']) expect(readme).toContain(`docs/${doc}`);
  });
});

describe('source comments', () => {
  it("cite docs/theory.md sections and facts that exist, never the developers' THEORY.md", () => {
    const theory = readFileSync(`${root}docs/theory.md`, 'utf8');
    const files = readdirSync(`${root}src`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      // Comments wrap: join each file's lines so a citation split over two lines still reads as one.
      const text = readFileSync(`${root}src/${file}`, 'utf8').replace(/\n\s*(\/\/|\*)\s*/g, ' ');
      expect({ file, cites: /THEORY\.md/.test(text) }).toEqual({ file, cites: false });
      for (const m of text.matchAll(/docs\/theory\.md, "([^"]+)"/g)) expect(theory).toContain(`## ${m[1]}`);
      for (const m of text.matchAll(/docs\/theory\.md facts? (\d+)/g)) expect(theory).toMatch(new RegExp(`^${m[1]}\\. \\*\\*`, 'm'));
    }
  });
});
