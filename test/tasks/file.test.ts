import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dfa } from '../../src/automata/dfa.js';
import { dfaToJsonText } from '../../src/automata/json.js';
import { InputError } from '../../src/errors.js';
import { isAutomatonFile, taskFromArgument } from '../../src/tasks/file.js';

describe('taskFromArgument', () => {
  it('reads a catalogue name from the catalogue and an automaton file as its minimised automaton, named by the file', () => {
    expect(taskFromArgument('parity').name).toBe('parity');
    // parity written with a redundant third state: the file's task is the 2-state minimal automaton
    const loose = new Dfa({ alphabet: ['0', '1'], table: Int32Array.from([0, 1, 2, 0, 2, 0]), labels: [0, 1, 1], initial: 0 });
    const file = join(mkdtempSync(join(tmpdir(), 'eigenstate-file-task-')), 'loose.json');
    writeFileSync(file, dfaToJsonText(loose));
    const task = taskFromArgument(file);
    expect(task.name).toBe(file);
    expect(task.family).toBe('automaton-file');
    expect(task.reference!.nStates).toBe(2);
    expect(task.label([1, 1, 1])).toBe(1);
  });

  it('takes an existing path or a .json name as a file, and says which file is missing', () => {
    expect(isAutomatonFile('mod:m=3')).toBe(false);
    expect(isAutomatonFile('no-such.json')).toBe(true);
    expect(() => taskFromArgument(join(tmpdir(), 'no-such-automaton.json'))).toThrow(InputError);
    expect(() => taskFromArgument('no-such-task')).toThrow(InputError);
  });
});
