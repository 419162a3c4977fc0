// Every option default shown by --help reads as a person would type it: no JSON of internal objects; and
// `eigenstate --help`, built without loading any command file, lists them as the loaded commands do.
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { buildProgram, COMMAND_NAMES, selectedCommand } from '../../src/cli/main.js';

/** Each option's default as --help shows it, with the command path. */
function shownDefaults(command: Command, path: string): [string, string][] {
  const own = command.options
    .filter((o) => o.defaultValue !== undefined)
    .map((o): [string, string] => [`${path} ${o.flags}`, o.defaultValueDescription ?? JSON.stringify(o.defaultValue)]);
  return [...own, ...command.commands.flatMap((c) => shownDefaults(c, `${path} ${c.name()}`))];
}

describe('--help defaults', () => {
  it('are short and typed as on the command line, never objects or arrays', async () => {
    const unreadable = shownDefaults(await buildProgram(() => undefined), 'eigenstate').filter(
      ([, shown]) => /^[[{]/.test(shown) || shown.length > 60,
    );
    expect(unreadable).toEqual([]);
  });
});

describe('the command listing', () => {
  it('reads the same with no command file loaded as with all of them (term and description)', async () => {
    const light = await buildProgram(() => undefined, []);
    const full = await buildProgram(() => undefined, 'all');
    // a mismatch means a command's name, arguments, options or description changed: update COMMANDS in main.ts
    expect(light.helpInformation()).toBe(full.helpInformation());
    expect(full.commands.map((c) => c.name())).toEqual(COMMAND_NAMES);
  });

  it('loads each command file in full when it is the one that runs, with all its options', async () => {
    for (const name of COMMAND_NAMES) {
      const one = await buildProgram(() => undefined, [name]);
      const full = await buildProgram(() => undefined, 'all');
      const help = (p: Command) => p.commands.find((c) => c.name() === name)?.helpInformation();
      expect(help(one)).toBe(help(full));
    }
  });

  it('selects the command argv runs: the first operand, or the one after help', () => {
    const argv = (...args: string[]) => ['node', 'eigenstate', ...args];
    expect(selectedCommand(argv('--version'))).toBeUndefined();
    expect(selectedCommand(argv('--help'))).toBeUndefined();
    expect(selectedCommand(argv())).toBeUndefined();
    expect(selectedCommand(argv('help'))).toBeUndefined();
    expect(selectedCommand(argv('help', 'verify'))).toBe('verify');
    expect(selectedCommand(argv('--debug', 'dfa', 'run', 'tomita3', '0101'))).toBe('dfa');
    expect(selectedCommand(argv('verify', '--help'))).toBe('verify');
  });
});
