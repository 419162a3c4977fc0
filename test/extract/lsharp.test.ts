import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Dfa } from '../../src/automata/dfa.js';
import { equivalent } from '../../src/automata/equivalence.js';
import { isMinimal, minimise } from '../../src/automata/minimise.js';
import { randomDfa } from '../../src/automata/random.js';
import { QueryCache } from '../../src/extract/cache.js';
import { ExactOracle } from '../../src/extract/exact-oracle.js';
import { learn } from '../../src/extract/learn.js';
import { LSharp } from '../../src/extract/lsharp.js';
import { ObservationTree } from '../../src/extract/observation-tree.js';
import type { MembershipOracle } from '../../src/extract/oracle.js';
import { runLearning } from '../../src/extract/pipeline.js';
import { CountingOracle } from '../../src/extract/stats.js';
import { machineOracle } from '../../src/extract/system.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';

/** The membership oracle of a DFA with its traced runs hidden: every prefix costs a query of its own. */
function untraced(dfa: Dfa): MembershipOracle {
  const inner = machineOracle(dfa);
  return { alphabet: inner.alphabet, classes: inner.classes, query: (word) => inner.query(word) };
}

describe('L#', () => {
  it('learns the reference automaton of every regular task family exactly', () => {
    const tasks = ['tomita1', 'tomita2', 'tomita3', 'tomita4', 'tomita5', 'tomita6', 'tomita7', 'parity', 'mod:m=3', 'mod:m=7', 'dyck:k=2,d=3', 's3', 'modarith'];
    for (const name of tasks) {
      const reference = parseTask(name).reference as Dfa;
      const { dfa, stats } = runLearning({ system: machineOracle(reference), learner: 'lsharp', equivalence: () => new ExactOracle(reference) });
      expect([name, equivalent(dfa, reference)]).toEqual([name, true]);
      expect([name, dfa.nStates]).toEqual([name, minimise(reference).nStates]);
      expect(stats.guarantee).toBe('proof');
    }
  });

  it('learns seeded random DFAs and Moore machines: equivalent to the target and minimal (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 30 }),
        (seed, n, k, nClasses, tail) => {
          const classes = nClasses === 2 ? undefined : Array.from({ length: nClasses }, (_, i) => `c${i}`);
          const target = randomDfa(new Rng(seed), n, k, { classes });
          const learner = new LSharp(machineOracle(target), { tail, seed });
          const run = learn(learner, new ExactOracle(target), machineOracle(target));
          expect(equivalent(run.dfa, target)).toBe(true);
          expect(isMinimal(run.dfa)).toBe(true);
          expect(run.dfa.nStates).toBe(minimise(target).nStates);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('asks at most 0.75 times the queries of Kearns–Vazirani on a 150-state DFA over 10 symbols', () => {
    const target = randomDfa(new Rng(150), 150, 10);
    const run = (learner: 'kv' | 'lsharp') => runLearning({ system: machineOracle(target), learner, equivalence: () => new ExactOracle(target) }).stats;
    const [kv, lsharp] = [run('kv'), run('lsharp')];
    expect(lsharp.states).toBe(minimise(target).nStates);
    expect(lsharp.membershipQueries).toBeLessThanOrEqual(0.75 * kv.membershipQueries);
  });
});

describe('the prefix-tree cache', () => {
  it('never changes what a learner learns or asks, only what reaches the system', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 3 }), (seed, n, k) => {
        const target = randomDfa(new Rng(seed), n, k);
        const plain = new CountingOracle(machineOracle(target));
        const below = new CountingOracle(machineOracle(target));
        const cached = new CountingOracle(new QueryCache(below));
        const a = learn(new LSharp(plain), new ExactOracle(target), plain);
        const b = learn(new LSharp(cached), new ExactOracle(target), cached);
        expect(Array.from(b.dfa.table)).toEqual(Array.from(a.dfa.table));
        expect(Array.from(b.dfa.labels)).toEqual(Array.from(a.dfa.labels));
        expect(cached.queries).toBe(plain.queries);
        expect(below.queries).toBeLessThanOrEqual(plain.queries);
      }),
      { numRuns: 40 },
    );
  });

  it('answers every prefix of a traced word from one run, and falls back to one query per prefix without traces', () => {
    const tomita3 = parseTask('tomita3').reference as Dfa;
    const below = new CountingOracle(machineOracle(tomita3));
    const cache = new QueryCache(below);
    expect(cache.query([1, 0, 0, 1])).toBe(tomita3.evaluate([1, 0, 0, 1]));
    for (const w of [[], [1], [1, 0], [1, 0, 0]]) expect(cache.query(w)).toBe(tomita3.evaluate(w));
    expect([below.queries, below.symbols, cache.hits, cache.misses]).toEqual([1, 4, 4, 1]);
    expect(Array.from(cache.trace([1, 0, 0]))).toEqual([[], [1], [1, 0], [1, 0, 0]].map((w) => tomita3.evaluate(w)));
    expect(below.queries).toBe(1);

    const slow = new CountingOracle(untraced(tomita3));
    const plainCache = new QueryCache(slow);
    expect(Array.from(plainCache.trace([1, 1]))).toEqual([[], [1], [1, 1]].map((w) => tomita3.evaluate(w)));
    expect(slow.queries).toBe(3);
  });

  it('L# learns the same automaton from a system without traced runs', () => {
    const target = randomDfa(new Rng(11), 40, 3);
    const traced = learn(new LSharp(machineOracle(target)), new ExactOracle(target), machineOracle(target));
    const plain = learn(new LSharp(untraced(target)), new ExactOracle(target), untraced(target));
    expect(Array.from(plain.dfa.table)).toEqual(Array.from(traced.dfa.table));
  });
});

describe('ObservationTree', () => {
  it('finds a witness of apartness exactly when two nodes reach different known classes', () => {
    const tomita3 = parseTask('tomita3').reference as Dfa;
    const tree = new ObservationTree(machineOracle(tomita3));
    const a = tree.query([1, 1, 0]);
    const b = tree.query([1, 0, 0]);
    expect(tree.apart(a, b)).toBe(tomita3.evaluate([1, 1, 0]) !== tomita3.evaluate([1, 0, 0]));
    const p = tree.walk(0, [1]);
    const q = tree.walk(0, [1, 1]);
    tree.query([1, 0]);
    tree.query([1, 1, 0]);
    const w = tree.witness(p, q);
    expect(w).not.toBeNull();
    expect(tomita3.evaluate([1, ...(w as number[])])).not.toBe(tomita3.evaluate([1, 1, ...(w as number[])]));
  });
});
