import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../../src/automata/dfa.js';
import { InputError } from '../../../src/errors.js';
import { checkAgainstReference } from '../../../src/extract/exact.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { automatonTask, constructCheckpoint } from '../../../src/reductions/constructions/construct.js';
import { automatonAction } from '../../../src/reductions/constructions/perm-diagonal.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import type { Task } from '../../../src/tasks/task.js';

/** Every reachable (model state, task state) pair compared exactly: equal means right on every word. */
function exactlyRight(task: Task, format: string): boolean {
  const ckpt = constructCheckpoint(task, 'lrnn-pd');
  const check = checkAgainstReference(checkpointMachine(ckpt, parseFormat(format)), task.reference!, { maxStates: 100_000, seconds: 600 });
  return check.verdict?.equal === true;
}

describe('the permutation-diagonal construction (P0)', () => {
  it.each(['s3', 's3-identity'])('%s: exactly right on every word at fp32, bf16 and fixed<6,2>', (name) => {
    for (const format of ['fp32', 'bf16', 'fixed<6,2>']) expect({ format, right: exactlyRight(parseTask(name), format) }).toEqual({ format, right: true });
  });

  it('tracks every point of a group (state k²) and one state of an automaton, embedding compactly where the symbols move the start apart', () => {
    const s3 = constructCheckpoint(parseTask('s3'), 'lrnn-pd');
    expect(s3.config).toMatchObject({ family: 'lrnn-pd', state: 9, width: 18, vocab: 6, classes: 6, output: 'every' });
    expect(s3.origin).toContain('3 tracks over 3 points, state 9, compact embedding');
    const mod = constructCheckpoint(parseTask('mod:m=3'), 'lrnn-pd');
    expect(mod.config).toMatchObject({ state: 3, width: 6, output: 'last' });
    // a swaps states 1 and 2, b does nothing: both leave the start 0 where it is, so the embedding is one-hot.
    const swap = new Dfa({ alphabet: ['a', 'b', 'c'], table: Int32Array.from([0, 0, 1, 2, 1, 0, 1, 2, 2]), labels: [1, 0, 0], initial: 0 });
    const task = automatonTask('swap.json', swap);
    expect(constructCheckpoint(task, 'lrnn-pd').origin).toContain('one-hot embedding');
    expect(exactlyRight(task, 'bf16')).toBe(true);
  });

  it('builds any permutation automaton given as a file, and refuses a letter that is not a bijection', () => {
    // Z2 × Z2 acting on itself: a flips bit 0, b flips bit 1; accept iff both bits are 1.
    const klein = new Dfa({ alphabet: ['a', 'b'], table: Int32Array.from([1, 2, 0, 3, 3, 0, 2, 1]), labels: [0, 0, 0, 1], initial: 0 });
    expect(exactlyRight(automatonTask('klein.json', klein), 'fp32')).toBe(true);
    const tomita1 = parseTask('tomita1').reference!;
    expect(() => automatonAction(tomita1)).toThrow(InputError);
    expect(() => automatonAction(tomita1)).toThrow(/not a permutation automaton/);
    expect(() => constructCheckpoint(parseTask('tomita1'), 'lrnn-pd')).toThrow(/maps states \d+ and \d+ both to \d+/);
  });

  it('hands rnn-tanh to the DFA-in-an-RNN construction and refuses a family it has none for', () => {
    expect(constructCheckpoint(parseTask('tomita1'), 'rnn-tanh').config.family).toBe('rnn-tanh');
    expect(() => constructCheckpoint(parseTask('s3'), 'lstm')).toThrow(/--model lstm: no construction/);
  });
});
