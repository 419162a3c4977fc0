import { describe, expect, it } from '@jest/globals';
import { equivalent, separatingWord } from '../../src/automata/equivalence.js';
import { minimise } from '../../src/automata/minimise.js';
import { randomDfa } from '../../src/automata/random.js';
import { ExactOracle } from '../../src/extract/exact-oracle.js';
import { LEARNERS, makeLearner, runLearning } from '../../src/extract/pipeline.js';
import { machineOracle } from '../../src/extract/system.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';
import type { Dfa } from '../../src/automata/dfa.js';

function learnExactly(target: Dfa, learner: (typeof LEARNERS)[number]) {
  return runLearning({ system: machineOracle(target), learner, equivalence: () => new ExactOracle(target) });
}

describe('learners on the benchmark languages', () => {
  const sizes: [string, number][] = [
    ['tomita1', 2], ['tomita2', 3], ['tomita3', 5], ['tomita4', 4], ['tomita5', 4], ['tomita6', 3], ['tomita7', 5],
    ['parity', 2], ['mod:m=3', 3], ['dyck:k=2,d=2', 8], ['s3', 6],
  ];
  for (const learner of LEARNERS)
    it(`${learner} learns the minimal automaton of each, empty word included, with a proof`, () => {
      for (const [name, states] of sizes) {
        const reference = parseTask(name).reference as Dfa;
        const { dfa, stats } = learnExactly(reference, learner);
        expect([name, dfa.nStates]).toEqual([name, states]);
        expect(equivalent(dfa, reference)).toBe(true);
        expect(dfa.evaluate([])).toBe(reference.evaluate([]));
        expect(dfa.classes).toEqual(reference.classes);
        expect(stats.guarantee).toBe('proof');
        expect(stats.membershipQueries).toBeGreaterThan(0);
        expect(stats.askedQueries).toBeGreaterThanOrEqual(stats.membershipQueries);
      }
    });

  it('KV asks fewer membership queries than L* (RS), which asks fewer than Maler–Pnueli on Dyck-(2,2)', () => {
    const dyck = parseTask('dyck:k=2,d=2').reference as Dfa;
    const [rs, mp, kv] = (['lstar', 'lstar-mp', 'kv'] as const).map((l) => learnExactly(dyck, l).stats.membershipQueries);
    expect(kv).toBeLessThan(rs);
    expect(rs).toBeLessThan(mp);
  });
});

describe('learners on seeded random DFAs', () => {
  // Bigger runs (L* on 1,000 states, 1.5 M queries; 1,000 states over 10 symbols) are timed in bench/extract.
  const cases: [number, number, readonly ('lstar' | 'kv')[]][] = [
    [10, 2, ['lstar', 'kv']],
    [50, 3, ['lstar', 'kv']],
    [200, 5, ['lstar', 'kv']],
    [1000, 2, ['kv']],
    [150, 10, ['kv']],
  ];
  for (const [n, k, learners] of cases)
    it(`learn a ${n}-state DFA over ${k} symbols exactly (${learners.join(', ')})`, () => {
      const target = randomDfa(new Rng(n * 31 + k), n, k);
      const minimal = minimise(target).nStates;
      const queries: Record<string, number> = {};
      for (const learner of learners) {
        const { dfa, stats } = learnExactly(target, learner);
        expect(dfa.nStates).toBe(minimal);
        expect(equivalent(dfa, target)).toBe(true);
        queries[learner] = stats.membershipQueries;
      }
      if (learners.length === 2 && n >= 50) expect(queries.kv).toBeLessThan(queries.lstar);
    });

  it('multi-class random DFAs (Moore machines) learn as well', () => {
    const target = randomDfa(new Rng(7), 60, 3, { classes: ['a', 'b', 'c', 'd'] });
    for (const learner of LEARNERS) {
      const { dfa } = learnExactly(target, learner);
      expect(dfa.classes).toEqual(['a', 'b', 'c', 'd']);
      expect(equivalent(dfa, target)).toBe(true);
    }
  });
});

describe('hypotheses', () => {
  it('never have more states than the target and grow with every counterexample', () => {
    const targets = [parseTask('dyck:k=2,d=2').reference as Dfa, randomDfa(new Rng(5), 60, 3)];
    for (const target of targets)
      for (const name of LEARNERS) {
        const learner = makeLearner(name, machineOracle(target));
        const minimal = minimise(target).nStates;
        let previous = 0;
        while (true) {
          const hyp = learner.hypothesis();
          expect(hyp.nStates).toBeLessThanOrEqual(minimal);
          expect(hyp.nStates).toBeGreaterThan(previous);
          previous = hyp.nStates;
          const word = separatingWord(hyp, target);
          if (word === null) break;
          learner.refine(word);
        }
        expect(previous).toBe(minimal);
      }
  });
});
