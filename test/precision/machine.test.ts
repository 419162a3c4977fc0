import { describe, expect, it } from '@jest/globals';
import { exactAutomaton } from '../../src/extract/exact.js';
import type { Machine } from '../../src/machine.js';
import { runMachine } from '../../src/machine.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { checkpointMachine, type ExactState } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { parityLrnn, randomCheckpoint, smallConfig } from '../fixtures/handbuilt.js';

function randomWord(rng: Rng, length: number): number[] {
  return Array.from({ length }, () => rng.int(0, 1));
}

/** The same machine with its packed fast path hidden, so extraction takes the generic route. */
function generic(machine: Machine<ExactState>): Machine<ExactState> {
  return { ...machine, packed: null } as Machine<ExactState>;
}

describe('checkpointMachine', () => {
  it.each(MODEL_FAMILIES)('%s: deterministic, keys equal iff states replay alike, classes in range', (family) => {
    const ckpt = randomCheckpoint(smallConfig(family, { layers: 2, mlp: 3, norm: 'rms' }), 7);
    const format = parseFormat('bf16');
    const a = checkpointMachine(ckpt, format);
    const b = checkpointMachine(ckpt, format);
    const rng = new Rng(1);
    for (let i = 0; i < 5; i++) {
      const word = randomWord(rng, 1 + rng.int(0, 12));
      const sa = runMachine(a, word);
      const sb = runMachine(b, word);
      expect(a.key(sa)).toBe(b.key(sb));
      expect(a.classify(sa)).toBe(b.classify(sb));
      expect(a.classify(sa)).toBeGreaterThanOrEqual(0);
      expect(a.classify(sa)).toBeLessThan(2);
      expect(Array.from(a.logits(sa))).toEqual(Array.from(b.logits(sb)));
      // Every logit is a value of the format: rounding it again changes nothing.
      for (const v of a.logits(sa)) expect(format.round(v)).toBe(v);
    }
  });

  it('the empty word classifies as argmax(out.b)', () => {
    const m = checkpointMachine(parityLrnn('lrnn-neg'), parseFormat('fixed<2,4>'));
    expect(m.classify(m.initial())).toBe(0);
    expect(Array.from(m.logits(m.initial()))).toEqual([0.5, 0]);
  });

  it('the parity construction at fixed<2,4> keeps h = parity exactly', () => {
    const m = checkpointMachine(parityLrnn('lrnn-neg'), parseFormat('fixed<2,4>'));
    const rng = new Rng(3);
    for (let i = 0; i < 50; i++) {
      const word = randomWord(rng, 1 + rng.int(0, 40));
      const s = runMachine(m, word);
      const ones = word.filter((x) => x === 1).length;
      expect(Array.from(s.values)).toEqual([ones % 2]);
      expect(m.key(s)).toBe(`${word[word.length - 1]},${(ones % 2) * 16}`);
    }
  });

  it.each(['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fixed<2,6>', 'fixed<3,5,floor>'])(
    'the packed LRNN stepper agrees with the generic executor at %s',
    (name) => {
      const format = parseFormat(name);
      for (const family of ['lrnn-pos', 'lrnn-neg'] as const) {
        const ckpt = randomCheckpoint(smallConfig(family, { width: 3, state: 2 }), 11, 1.5);
        const m = checkpointMachine(ckpt, format);
        expect(m.packed).not.toBeNull();
        const packed = m.packed!;
        const rng = new Rng(5);
        for (let i = 0; i < 20; i++) {
          const word = randomWord(rng, 1 + rng.int(0, 30));
          let row = Int32Array.from(packed.initial);
          for (const x of word) {
            const next = new Int32Array(packed.width);
            packed.step(row, 0, x, next, 0);
            row = next;
          }
          const s = runMachine(m, word);
          expect(Array.from(packed.values(row, 0))).toEqual(Array.from(s.values));
        }
        // Both extraction routes build the same minimal automaton when the state space is small.
        if (format.bits <= 8 && format.kind === 'fixed') {
          const fast = exactAutomaton(m, { maxStates: 200_000 });
          const slow = exactAutomaton(generic(m), { maxStates: 200_000 });
          expect(fast.explored).toBe(slow.explored);
          expect(Array.from(fast.dfa.table)).toEqual(Array.from(slow.dfa.table));
          expect(Array.from(fast.dfa.labels)).toEqual(Array.from(slow.dfa.labels));
        }
      }
    },
  );

  it('transformer states are whole prefixes', () => {
    const ckpt = randomCheckpoint(smallConfig('transformer'), 2);
    const m = checkpointMachine(ckpt, parseFormat('fp16'));
    expect(m.key(runMachine(m, [1, 0, 1]))).toBe('1,0,1');
    expect(() => exactAutomaton(m, { maxStates: 50 })).toThrow('more than 50 states');
  });
});
