import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { equivalent } from '../../src/automata/equivalence.js';
import { InputError } from '../../src/errors.js';
import { exactAutomaton } from '../../src/extract/exact.js';
import { extractAutomaton, type ExtractOptions } from '../../src/extract/extraction.js';
import { runLearning } from '../../src/extract/pipeline.js';
import { BisectorPartition, checkpointHiddenStates, DEFAULT_REFINE_OPTIONS, RefineCapError, RefineOracle, type RefineOptions } from '../../src/extract/refine-oracle.js';
import { resolveSystem } from '../../src/extract/resolve.js';
import { machineOracle } from '../../src/extract/system.js';
import type { Checkpoint } from '../../src/models/checkpoint.js';
import { checkpointMachine } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { dfaRnnCheckpoint } from '../../src/reductions/constructions/dfa-rnn.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import { parityLrnn, randomCheckpoint, smallConfig } from '../fixtures/handbuilt.js';

const fp32 = parseFormat('fp32');

/** Learns a checkpoint at fp32 with the refine oracle; returns the result and the exact automaton of the model. */
function learnWithRefine(ckpt: Checkpoint, learner: 'lstar' | 'kv', options: RefineOptions = DEFAULT_REFINE_OPTIONS) {
  const machine = checkpointMachine(ckpt, fp32);
  const states = checkpointHiddenStates(machine, ckpt.config.family);
  let oracle: RefineOracle<unknown> | undefined;
  const run = runLearning({ system: machineOracle(machine), learner, equivalence: (sys) => (oracle = new RefineOracle(states, sys, options) as RefineOracle<unknown>) });
  return { run, oracle: oracle!, truth: exactAutomaton(machine, { maxStates: 100_000 }).dfa };
}

describe('BisectorPartition', () => {
  it('splits a block between two points, each keeping to its side', () => {
    const p = new BisectorPartition();
    const x = Float64Array.of(0, 0);
    const y = Float64Array.of(2, 0);
    expect(p.blockOf(x)).toBe(0);
    p.split(0, x, y);
    expect(p.blocks).toBe(2);
    expect(p.blockOf(Float64Array.of(0.9, 5))).toBe(0);
    expect(p.blockOf(Float64Array.of(1.1, -5))).toBe(1);
    p.split(1, y, Float64Array.of(2, 2));
    expect([p.blockOf(Float64Array.of(2, 0.9)), p.blockOf(Float64Array.of(2, 1.1)), p.blockOf(x)]).toEqual([1, 2, 0]);
  });
});

describe('RefineOracle', () => {
  it('learns the hand-built parity LRNN as the 2-state parity automaton with L* and KV', () => {
    for (const learner of ['lstar', 'kv'] as const) {
      const { run, oracle, truth } = learnWithRefine(parityLrnn('lrnn-neg'), learner);
      expect(run.dfa.nStates).toBe(2);
      expect(equivalent(run.dfa, truth)).toBe(true);
      expect(run.stats.guarantee).toBe('none');
      expect(run.stats.detail).toContain('NOT a proof');
      expect(oracle.partition.blocks).toBeGreaterThan(1);
    }
  });

  it('learns DFA-in-an-RNN constructions of Tomita languages at their minimal size', () => {
    for (const name of ['tomita2', 'tomita3', 'tomita4', 'tomita5', 'tomita6']) {
      const { run, truth } = learnWithRefine(dfaRnnCheckpoint(parseTask(name)), 'kv');
      expect(run.dfa.nStates).toBe(truth.nStates);
      expect(equivalent(run.dfa, truth)).toBe(true);
    }
  });

  it("without lookahead it is Weiss's walk alone, which can pass a wrong one-state hypothesis", () => {
    // Tomita 2 ((10)*) from one block: ε and the one-symbol words are all rejected by the network.
    const { run, truth } = learnWithRefine(dfaRnnCheckpoint(parseTask('tomita2')), 'kv', { ...DEFAULT_REFINE_OPTIONS, lookahead: 0 });
    expect(run.dfa.nStates).toBe(1);
    expect(truth.nStates).toBe(4);
  });

  it('misses Tomita 7 at lookahead 2 (its first rejection needs 4 symbols) and finds it at the default 3', () => {
    const ckpt = dfaRnnCheckpoint(parseTask('tomita7'));
    const short = learnWithRefine(ckpt, 'lstar', { ...DEFAULT_REFINE_OPTIONS, lookahead: 2 });
    expect(short.run.dfa.nStates).toBe(1);
    const long = learnWithRefine(ckpt, 'lstar');
    expect(equivalent(long.run.dfa, long.truth)).toBe(true);
  });

  it('returns a genuine counterexample to a wrong hypothesis', () => {
    const ckpt = dfaRnnCheckpoint(parseTask('tomita3'));
    const machine = checkpointMachine(ckpt, fp32);
    const sys = machineOracle(machine);
    const oracle = new RefineOracle(checkpointHiddenStates(machine, ckpt.config.family), sys);
    const wrong = parseTask('tomita4').reference as Dfa;
    const verdict = oracle.check(wrong);
    expect(verdict.equivalent).toBe(false);
    if (!verdict.equivalent) expect(wrong.evaluate(verdict.counterexample)).not.toBe(sys.query(verdict.counterexample));
  });

  it('stops at its caps with a RefineCapError: an unknown (exit 3), not bad input', () => {
    const words = () => learnWithRefine(dfaRnnCheckpoint(parseTask('tomita3')), 'kv', { maxWords: 5, maxRefinements: 100, lookahead: 2 });
    expect(words).toThrow(RefineCapError);
    expect(words).toThrow(/more than 5 explored words.*; no verdict: the round-\d+ hypothesis \(\d+ states?\) and the network agree on all \d+ words checked/);
    const splits = () => learnWithRefine(parityLrnn('lrnn-neg'), 'kv', { maxWords: 1000, maxRefinements: 0, lookahead: 2 });
    expect(splits).toThrow(/more than 0 block splits/);
    expect(new RefineCapError('x').exitCode).toBe(3);
  });

  it('refuses a transformer, which has no fixed-length hidden state', () => {
    const ckpt = randomCheckpoint(smallConfig('transformer'), 1);
    expect(() => checkpointHiddenStates(checkpointMachine(ckpt, fp32), 'transformer')).toThrow(InputError);
  });
});

describe('extract --oracle refine', () => {
  const options: ExtractOptions = {
    method: 'kv', oracle: 'refine', seed: 0, maxStates: 10_000,
    pac: { epsilon: 0.1, delta: 0.1, minLength: 0, maxLength: 10 }, wmethod: { extraStates: 1, maxTests: 1000 },
    samples: 20, agreementLengths: [5], determinismRate: 0,
    partition: { partitioning: { kind: 'quantise', intervals: 2 }, sampleWords: 1, sampleMaxLength: 1 },
  };

  it('refuses a task or automaton system with an InputError', () => {
    expect(() => extractAutomaton(resolveSystem('tomita3', fp32), options)).toThrow(/--oracle refine needs a checkpoint/);
  });
});
