// The CLI imports everything and is imported by nothing; within src/cli, no file imports main.ts (which
// loads every command), so the commands form no import circle through it. A regex over the imports is
// enough: every import in src/ is a relative `from '...js'` or, where loading waits until use, `import('...js')`.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of one file, static and dynamic, as absolute .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)\.js'/g)].map((m) => resolve(dirname(file), `${m[1]}.ts`));
}

/** The import circles that pass through a file under `under` (depth-first search, one per back edge). */
function circlesThrough(under: string): string[][] {
  const graph = new Map(tsFiles(src).map((f) => [f, importsOf(f)]));
  const circles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') {
        const circle = stack.slice(stack.indexOf(g));
        if (circle.some((x) => x.startsWith(under))) circles.push(circle.map((x) => relative(src, x)));
      } else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return circles;
}

describe('import structure', () => {
  it('has no import circle through src/cli', () => {
    expect(circlesThrough(join(src, 'cli'))).toEqual([]);
  });

  it('counts the command files main.ts loads on demand as its imports', () => {
    expect(importsOf(join(src, 'cli', 'main.ts'))).toEqual(expect.arrayContaining([join(src, 'cli', 'dfa.ts'), join(src, 'cli', 'verify.ts')]));
  });

  it('imports nothing from src/cli outside src/cli', () => {
    const outside = tsFiles(src).filter((f) => !f.startsWith(join(src, 'cli')) && importsOf(f).some((g) => g.startsWith(join(src, 'cli'))));
    expect(outside.map((f) => relative(src, f))).toEqual([]);
  });
});
