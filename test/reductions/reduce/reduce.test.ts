import { describe, expect, it } from '@jest/globals';
import { parseFormat } from '../../../src/precision/parse.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { Rng } from '../../../src/random.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { twoPartyOfTask } from '../../../src/reductions/cc/twoparty.js';
import { plainConfig, randomCheckpoint } from '../../../src/reductions/constructions/build.js';
import { classVerdict, stateComponents } from '../../../src/reductions/reduce/class-bound.js';
import { checkpointCollision, mixerStateKey } from '../../../src/reductions/reduce/checkpoint.js';
import { findCollision, replayCertificate } from '../../../src/reductions/reduce/collision.js';
import { oneWayBound } from '../../../src/reductions/reduce/lower-bound.js';

describe('class-level reduction', () => {
  const f22 = parseFormat('fixed<2,2>');

  it('counts the state components each family carries across the split', () => {
    expect(stateComponents({ cls: 'lrnn-neg', dim: 4, layers: 1, heads: 1 })?.count).toBe(4);
    expect(stateComponents({ cls: 'lstm', dim: 4, layers: 2, heads: 1 })?.count).toBe(16);
    expect(stateComponents({ cls: 'deltanet-neg', dim: 8, layers: 1, heads: 2 })?.count).toBe(32);
    expect(stateComponents({ cls: 'transformer', dim: 8, layers: 1, heads: 1 })).toBeNull();
  });

  it('rules out d·p < D→ and only that', () => {
    const shape = (dim: number) => ({ cls: 'lrnn-neg' as const, dim, layers: 1, heads: 1 });
    expect(classVerdict(shape(3), f22, 16, 'EQ_16').kind).toBe('ruled-out'); // 12 < 16
    expect(classVerdict(shape(4), f22, 16, 'EQ_16').kind).toBe('not-ruled-out'); // 16 ≥ 16
    expect(classVerdict({ ...shape(4), cls: 'transformer' }, f22, 16, 'EQ_16').kind).toBe('not-applicable');
  });

  it('D→(EQ_16) = 16 comes from the Z3 lemma (the matrix has 2^32 cells), D→(EQ_6) from the matrix', async () => {
    const big = await oneWayBound(twoPartyOfTask(parseTask('equality:n=16')), 60_000);
    expect(big.bits).toBe(16);
    expect(big.method).toContain('Z3 proved rows pairwise distinct');
    expect(await oneWayBound(twoPartyOfTask(parseTask('equality:n=6')), 60_000)).toMatchObject({ bits: 6 });
  }, 60_000);
});

describe('collision certificates on checkpoints', () => {
  it('an lrnn-neg with 2 state values at fixed<2,2> (8 bits) on EQ_16: a certificate that replays', () => {
    const task = parseTask('equality:n=16');
    const ckpt = randomCheckpoint(plainConfig('lrnn-neg', task, 4, 2), task, new Rng(3));
    const f = twoPartyOfTask(task);
    const format = parseFormat('fixed<2,2>');
    const r = checkpointCollision(ckpt, format, f);
    expect(r.stateBits).toBe(8);
    expect(r.distinctStates).toBeLessThanOrEqual(2 ** 8);
    const c = r.certificate;
    expect(c).not.toBeNull();
    if (c === null) return;
    expect(c.prefixes[0]).not.toEqual(c.prefixes[1]);
    expect(c.got[0]).toBe(c.got[1]);
    expect(c.expected[0]).not.toBe(c.expected[1]);
    const machine = checkpointMachine(ckpt, format);
    expect(replayCertificate(machine, f, c)).toBe(true);
    // The wrong input really is labelled differently by the task than by the model.
    const word = c.wrongInput.map((s) => task.alphabet.indexOf(s));
    const state = word.reduce((s, x) => machine.step(s, x), machine.initial());
    expect(machine.classes[machine.classify(state)]).not.toBe(machine.classes[task.label(word)]);
    // Both prefixes really reach the shared state.
    for (const p of c.prefixes) {
      const s = p.map((x) => task.alphabet.indexOf(x)).reduce((st, x) => machine.step(st, x), machine.initial());
      expect(mixerStateKey(machine, s)).toBe(c.sharedState);
    }
  });

  it('a machine with enough state (the exact EQ_3 automaton) has no collision', () => {
    const task = parseTask('equality:n=3');
    // States: the prefix read so far in base 3 after a leading 1 (injective on Alice's inputs).
    const machine = {
      alphabet: task.alphabet,
      classes: task.classes,
      initial: () => 1,
      step: (s: number, x: number) => 3 * s + x,
      classify: () => 0,
      accepts: () => false,
      key: (s: number) => s,
    };
    const r = findCollision(machine, twoPartyOfTask(task));
    expect(r).toMatchObject({ visited: 8, distinctStates: 8, certificate: null });
  });
});
