import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { sameExactState } from '../../../src/verify/checkpoint/exact-readout.js';
import { runLassoByCycle } from '../../../src/verify/checkpoint/lasso-run.js';
import { parseLasso } from '../../../src/verify/checkpoint/lasso-word.js';
import { realRun } from '../../../src/verify/checkpoint/real-run.js';
import { runCli } from '../../cli/run-cli.js';

const CKPT = 'specs/checkpoints';
const file = (name: string) => `${CKPT}/${name}.json`;

describe('lasso words at a format by cycle detection', () => {
  it.each([
    ['parity-lrnn-neg-trained', 'fp32'],
    ['parity-rnn-tanh-trained', 'bf16'],
    ['parity-lstm-trained', 'fixed<2,6>'],
  ])('%s at %s: the state after u(v)^k is the one stepping gives, for every power', (name, format) => {
    const machine = checkpointMachine(readCheckpoint(file(name)), parseFormat(format));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 400 }), (prefix, loop, power) => {
        let s = machine.initial();
        for (const x of prefix) s = machine.step(s, x);
        for (let i = 0; i < power; i++) for (const x of loop) s = machine.step(s, x);
        const r = runLassoByCycle(machine, { prefix, loop, power }, 10_000, sameExactState);
        expect(sameExactState(r.state, s)).toBe(true);
        expect(r.loopSteps).toBeLessThanOrEqual(power);
      }),
      { numRuns: 40, seed: 23 },
    );
  });

  it('answers (1)^66585246 at fp32 from the cycle (period 2 from power 1), and refuses a cycle not closed within its cap', () => {
    const machine = checkpointMachine(readCheckpoint(file('parity-lrnn-neg-handbuilt')), parseFormat('fp32'));
    const r = runLassoByCycle(machine, parseLasso(['0', '1'], '(1)^66585246'), 1_000, sameExactState);
    expect(r.cycle?.period).toBe(2);
    expect(r.loopSteps).toBeLessThan(10);
    // The same state as the power inside the cycle it was reduced to, stepped plainly.
    let s = machine.initial();
    for (let i = 0; i < r.stepped; i++) s = machine.step(s, 1);
    expect(sameExactState(s, r.state)).toBe(true);
    expect(machine.classify(r.state)).toBe(0);
    // The trained width-32 lrnn-neg's states along 1^k settle into their cycle only after about 2^21 powers.
    const trained = checkpointMachine(readCheckpoint(file('parity-lrnn-neg-trained')), parseFormat('fp32'));
    expect(() => runLassoByCycle(trained, parseLasso(['0', '1'], '(1)^66585246'), 1_000, sameExactState)).toThrow(/no cycle of the state within 1000 powers/);
  });
});

describe('run --real', () => {
  const neg = readCheckpoint(file('parity-lrnn-neg-handbuilt'));
  it('certifies the hand-built lrnn-neg wrong on 1(0)^108562939 and right on 1(0)^100000000 by the closed form', () => {
    const wrong = realRun(neg, parseLasso(['0', '1'], '1(0)^108562939'));
    expect(wrong).toMatchObject({ cls: 0, method: 'closed-form' });
    expect(wrong.margin[0]).toBeGreaterThan(0);
    const right = realRun(neg, parseLasso(['0', '1'], '1(0)^100000000'));
    expect(right.cls).toBe(1);
  });

  it('certifies the width-32 rnn-tanh wrong on 1(0)^44 with zonotopes, and says undecided with the margin where intervals blow up', () => {
    expect(realRun(readCheckpoint(file('parity-rnn-tanh-w32-trained')), parseLasso(['0', '1'], '1(0)^44'))).toMatchObject({ cls: 0, method: 'zonotope' });
    const loose = realRun(readCheckpoint(file('parity-deltanet-neg-trained')), parseLasso(['0', '1'], '(10)^200'));
    expect(loose.cls).toBeNull();
    expect(loose.margin[0]).toBeLessThan(0);
    expect(loose.margin[1]).toBeGreaterThan(0);
  });

  it('the CLI prints the certified class, undecided with its margin, the cycle at a format, and refuses --real with --format', async () => {
    const real = await runCli('run', file('parity-lstm-trained'), '1(0)^321', '--real', '--json');
    expect(real.code).toBe(1); // wrong on the word: a checked claim that is false
    expect(JSON.parse(real.stdout)).toMatchObject({ model: 'reject', expected: 'accept', agrees: false, method: 'zonotope' });
    const undecided = await runCli('run', file('parity-deltanet-neg-trained'), '(10)^200', '--real');
    expect(undecided.code).toBe(3);
    expect(undecided.stdout).toMatch(/: undecided\nundecided: the margin of \w+ .* lies in \[-/);
    const cycle = await runCli('run', file('parity-lrnn-neg-handbuilt'), '(1)^66585246', '--format', 'fp32', '--json');
    expect(cycle.code).toBe(0);
    expect(JSON.parse(cycle.stdout)).toMatchObject({ length: 66585246, model: 'reject', agrees: true, cycle: { period: 2 } });
    expect((await runCli('run', file('parity-lstm-trained'), '10', '--real', '--format', 'fp32')).code).toBe(2);
  });
});
