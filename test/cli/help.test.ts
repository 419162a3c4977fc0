// Every option default shown by --help reads as a person would type it: no JSON of internal objects.
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

/** Each option's default as --help shows it, with the command path. */
function shownDefaults(command: Command, path: string): [string, string][] {
  const own = command.options
    .filter((o) => o.defaultValue !== undefined)
    .map((o): [string, string] => [`${path} ${o.flags}`, o.defaultValueDescription ?? JSON.stringify(o.defaultValue)]);
  return [...own, ...command.commands.flatMap((c) => shownDefaults(c, `${path} ${c.name()}`))];
}

describe('--help defaults', () => {
  it('are short and typed as on the command line, never objects or arrays', () => {
    const unreadable = shownDefaults(buildProgram(() => undefined), 'eigenstate').filter(
      ([, shown]) => /^[[{]/.test(shown) || shown.length > 60,
    );
    expect(unreadable).toEqual([]);
  });
});
