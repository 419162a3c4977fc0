import { describe, expect, it } from '@jest/globals';
import { Dfa } from '../../src/automata/dfa.js';
import { equivalent } from '../../src/automata/equivalence.js';
import { ExactOracle } from '../../src/extract/exact-oracle.js';
import { KearnsVazirani } from '../../src/extract/kv.js';
import { learn } from '../../src/extract/learn.js';
import { PacOracle, pacSampleSize } from '../../src/extract/pac-oracle.js';
import { runLearning } from '../../src/extract/pipeline.js';
import { machineOracle, taskOracle } from '../../src/extract/system.js';
import { accessWords, characterisingSet, WMethodOracle } from '../../src/extract/wmethod.js';
import { agreement } from '../../src/extract/agreement.js';
import { TooManyStatesError, InputError } from '../../src/errors.js';
import { BINARY_CLASSES, type Machine } from '../../src/machine.js';
import { Rng } from '../../src/random.js';
import { randomDfa } from '../../src/automata/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';

const ref = (name: string): Dfa => parseTask(name).reference as Dfa;

/** Counts 1s with a saturating counter: a machine that is no Dfa, keyed by strings. */
class SaturatingCounter implements Machine<number> {
  readonly alphabet = ['0', '1'];
  readonly classes = BINARY_CLASSES;
  constructor(private readonly cap: number) {}
  initial(): number {
    return 0;
  }
  step(state: number, symbol: number): number {
    return Math.min(this.cap, state + symbol);
  }
  classify(state: number): number {
    return state >= this.cap ? 1 : 0;
  }
  accepts(state: number): boolean {
    return this.classify(state) === 1;
  }
  key(state: number): string {
    return `c${state}`;
  }
}

describe('ExactOracle', () => {
  it('returns a shortest counterexample against a Dfa system, and a proof on equality', () => {
    const oracle = new ExactOracle(ref('tomita4'));
    const v = oracle.check(ref('tomita1'));
    expect(v.equivalent).toBe(false);
    if (!v.equivalent) expect(v.counterexample).toEqual([0]);
    const same = oracle.check(ref('tomita4'));
    expect(same).toMatchObject({ equivalent: true, guarantee: 'proof' });
  });

  it('searches the product with a general machine: counterexample, proof, and the cap', () => {
    const machine = new SaturatingCounter(5);
    const oracle = new ExactOracle(machine, { maxPairs: 1000 });
    const v = oracle.check(ref('parity'));
    expect(v).toEqual({ equivalent: false, counterexample: [1] });
    const { dfa, stats } = runLearning({ system: machineOracle(machine), learner: 'kv', equivalence: () => new ExactOracle(machine) });
    expect(dfa.nStates).toBe(6);
    expect(stats.guarantee).toBe('proof');
    expect(stats.detail).toMatch(/reachable \(hypothesis, system\) state pairs/);
    const rejectAll = Dfa.binary(['0', '1'], [0, 0], []);
    expect(() => new ExactOracle(new SaturatingCounter(50), { maxPairs: 10 }).check(rejectAll)).toThrow(TooManyStatesError);
  });

  it('keeps the system side of the product between rounds: each system state is stepped once, verdicts as with a Dfa', () => {
    const target = randomDfa(new Rng(4), 80, 3);
    let steps = 0;
    // The Dfa seen as a plain machine, so the oracle takes the on-the-fly product route.
    const machine: Machine<number> = {
      alphabet: target.alphabet,
      classes: target.classes,
      initial: () => target.start,
      step: (s, a) => {
        steps++;
        return target.step(s as never, a);
      },
      classify: (s) => target.classify(s as never),
      accepts: (s) => target.classify(s as never) === 1,
      key: (s) => s,
    };
    const onTheFly = new ExactOracle(machine, { maxPairs: 100_000 });
    const direct = new ExactOracle(target);
    const learner = new KearnsVazirani(machineOracle(target));
    let rounds = 0;
    for (;;) {
      const hyp = learner.hypothesis();
      const a = onTheFly.check(hyp, ++rounds);
      const b = direct.check(hyp, rounds);
      expect(a.equivalent).toBe(b.equivalent);
      if (a.equivalent || b.equivalent) break;
      // Both shortest: the same length, and the on-the-fly one is a real counterexample.
      expect(a.counterexample.length).toBe(b.counterexample.length);
      expect(hyp.evaluate(a.counterexample)).not.toBe(target.evaluate(a.counterexample));
      learner.refine(b.counterexample);
    }
    expect(rounds).toBeGreaterThan(3);
    expect(onTheFly.systemStates).toBe(80);
    expect(steps).toBeLessThanOrEqual(80 * 3);
  });
});

describe('PacOracle', () => {
  it("uses Angluin's sample size, growing with the round", () => {
    expect(pacSampleSize(0.01, 0.01, 1)).toBe(Math.ceil((Math.log(100) + Math.LN2) / 0.01));
    expect(pacSampleSize(0.01, 0.01, 2)).toBeGreaterThan(pacSampleSize(0.01, 0.01, 1));
  });

  it('finds a short counterexample to a wrong hypothesis and states its guarantee for a right one', () => {
    const system = machineOracle(ref('tomita3'));
    const oracle = new PacOracle(system, new Rng(5), { epsilon: 0.05, delta: 0.05, minLength: 0, maxLength: 20 });
    const wrong = oracle.check(ref('tomita1'), 1);
    expect(wrong.equivalent).toBe(false);
    if (!wrong.equivalent) expect(ref('tomita1').evaluate(wrong.counterexample)).not.toBe(ref('tomita3').evaluate(wrong.counterexample));
    const right = oracle.check(ref('tomita3'), 3);
    expect(right).toMatchObject({ equivalent: true, guarantee: 'pac' });
    if (right.equivalent) expect(right.detail).toContain('with probability ≥ 0.95 the hypothesis errs on at most 0.05');
  });

  it('refuses ε outside (0, 1)', () => {
    expect(() => new PacOracle(machineOracle(ref('parity')), new Rng(1), { epsilon: 0, delta: 0.1, minLength: 0, maxLength: 5 })).toThrow(InputError);
  });

  it('drives L* on the Tomita languages to the exact automata', () => {
    for (const name of ['tomita1', 'tomita3', 'tomita5', 'tomita7']) {
      const { dfa, stats } = runLearning({
        system: machineOracle(ref(name)),
        learner: 'lstar',
        equivalence: (sys) => new PacOracle(sys, new Rng(11), { epsilon: 0.01, delta: 0.01, minLength: 0, maxLength: 30 }),
      });
      expect(equivalent(dfa, ref(name))).toBe(true);
      expect(stats.guarantee).toBe('pac');
      expect(stats.testQueries).toBeGreaterThan(0);
    }
  });

  it('learns a finite-state approximation of a non-regular bounded task (a^n b^n) and measures its agreement', () => {
    const system = taskOracle(parseTask('anbn'));
    const { dfa } = runLearning({
      system,
      learner: 'kv',
      equivalence: (sys) => new PacOracle(sys, new Rng(2), { epsilon: 0.05, delta: 0.05, minLength: 0, maxLength: 12 }),
    });
    expect(dfa.nStates).toBeGreaterThan(2);
    const rows = agreement(dfa, system, new Rng(9), 200, [10, 50]);
    expect(rows.map((r) => r.length)).toEqual([10, 50]);
    for (const r of rows) expect(r.agreement).toBeGreaterThan(0.9);
  });
});

describe('W-method', () => {
  it('builds access words and a characterising set that separates every pair of states', () => {
    const dfa = ref('tomita3');
    expect(accessWords(dfa)).toHaveLength(5);
    const w = characterisingSet(dfa);
    const signature = (q: number) => w.map((word) => dfa.labels[dfa.run(word, q as never)]).join();
    expect(new Set([0, 1, 2, 3, 4].map(signature)).size).toBe(5);
  });

  it('finds the counterexample when the system has at most hypothesis + m states, and states the bound otherwise', () => {
    const system = machineOracle(ref('mod:m=4'));
    const found = new WMethodOracle(system, { extraStates: 2, maxTests: 10_000 }).check(ref('parity'));
    expect(found.equivalent).toBe(false);
    const passed = new WMethodOracle(machineOracle(ref('parity')), { extraStates: 1, maxTests: 10_000 }).check(ref('parity'));
    expect(passed).toMatchObject({ equivalent: true, guarantee: 'bounded' });
    if (passed.equivalent) expect(passed.detail).toContain('at most 3 states');
    expect(() => new WMethodOracle(system, { extraStates: 8, maxTests: 100 }).check(ref('parity'))).toThrow(InputError);
  });

  it('drives KV to Dyck-(2,2)', () => {
    const system = machineOracle(ref('dyck:k=2,d=2'));
    const learner = new KearnsVazirani(system);
    const run = learn(learner, new WMethodOracle(system, { extraStates: 1, maxTests: 100_000 }), system);
    expect(equivalent(run.dfa, ref('dyck:k=2,d=2'))).toBe(true);
    expect(run.guarantee).toBe('bounded');
  });
});
