import { describe, expect, it } from '@jest/globals';
import { compareWithReference, exactAutomaton } from '../../../src/extract/exact.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { dfaRnnCheckpoint } from '../../../src/reductions/constructions/dfa-rnn.js';

describe('constant-size rnn-tanh for bounded Dyck (P1), proved by the exact automaton', () => {
  it.each([
    ['dyck:k=2,d=2', 'fp32'],
    ['dyck:k=2,d=2', 'fixed<8,6>'],
    ['tomita3', 'fp16'],
    ['parity', 'fixed<8,4>'],
  ])('%s at %s: the exact automaton equals the reference', (spec, fmt) => {
    const task = parseTask(spec);
    const ckpt = dfaRnnCheckpoint(task);
    const machine = checkpointMachine(ckpt, parseFormat(fmt));
    const ex = exactAutomaton(machine, { maxStates: 10_000 });
    expect(compareWithReference(ex.dfa, task.reference!)).toEqual({ equal: true });
  });

  it('a saturation too small to saturate at the format gives a real counterexample', () => {
    const task = parseTask('dyck:k=2,d=2');
    const machine = checkpointMachine(dfaRnnCheckpoint(task, 1), parseFormat('fixed<4,2>'));
    const verdict = compareWithReference(exactAutomaton(machine, { maxStates: 10_000 }).dfa, task.reference!);
    expect(verdict.equal).toBe(false);
    if (verdict.equal) return;
    // The counterexample is real: the model's own run disagrees with the task's label.
    const state = verdict.word.reduce((s, x) => machine.step(s, x), machine.initial());
    expect(machine.classify(state)).not.toBe(task.label(verdict.word));
  });
});
