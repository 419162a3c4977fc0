import { describe, expect, it } from '@jest/globals';
import type { Dfa } from '../../src/automata/dfa.js';
import { QueryCache } from '../../src/extract/cache.js';
import { DeterminismCheck, NondeterminismError } from '../../src/extract/determinism.js';
import type { MembershipOracle } from '../../src/extract/oracle.js';
import { CountingOracle } from '../../src/extract/stats.js';
import { ILL_FORMED_CLASS, machineOracle, taskOracle } from '../../src/extract/system.js';
import type { Word } from '../../src/machine.js';
import { Rng } from '../../src/random.js';
import { parseTask } from '../../src/tasks/catalogue.js';

const tomita3 = parseTask('tomita3').reference as Dfa;

/** A system whose answer to a word depends on how often it was asked: a real source of nondeterminism. */
class Drifting implements MembershipOracle {
  readonly alphabet = ['0', '1'];
  readonly classes = ['reject', 'accept'];
  private asked = 0;
  query(_word: Word): number {
    return this.asked++ % 2;
  }
}

describe('QueryCache', () => {
  it('forwards each distinct word once and answers repeats from the trie', () => {
    const below = new CountingOracle(machineOracle(tomita3));
    const cache = new QueryCache(below);
    const words = [[], [1], [1, 0], [1], [], [1, 0, 0, 1], [1, 0]];
    const answers = words.map((w) => cache.query(w));
    expect(answers).toEqual(words.map((w) => tomita3.evaluate(w)));
    expect(below.queries).toBe(4);
    expect(below.symbols).toBe(0 + 1 + 2 + 4);
    expect([cache.hits, cache.misses]).toEqual([3, 4]);
    // One node per distinct prefix: ε, 1, 10, 100, 1001.
    expect(cache.size).toBe(5);
    // The run of 1001 answered its prefix 100 as well; 11 was never run.
    expect(cache.lookup([1, 0, 0])).toBe(tomita3.evaluate([1, 0, 0]));
    expect(cache.lookup([1, 1])).toBeUndefined();
    expect(cache.lookup([1, 0, 0, 1])).toBe(tomita3.evaluate([1, 0, 0, 1]));
  });

  it('grows past its initial capacity without losing answers', () => {
    const cache = new QueryCache(machineOracle(tomita3));
    const rng = new Rng(3);
    const words = Array.from({ length: 3000 }, () => Array.from({ length: rng.int(0, 12) }, () => rng.int(0, 1)));
    for (const w of words) cache.query(w);
    expect(cache.size).toBeGreaterThan(1024);
    for (const w of words) expect(cache.lookup(w)).toBe(tomita3.evaluate(w));
  });
});

describe('DeterminismCheck', () => {
  it('passes a deterministic system and counts its re-asks', () => {
    const check = new DeterminismCheck(machineOracle(tomita3), new Rng(1), 0.5);
    for (let i = 0; i < 200; i++) check.query([i % 2, 1, 0]);
    expect(check.checks).toBeGreaterThan(50);
    expect(check.checks).toBeLessThan(150);
  });

  it('stops on a system that answers one word two ways, naming the word and both classes', () => {
    const check = new DeterminismCheck(new Drifting(), new Rng(1), 1);
    expect(() => check.query([1, 0])).toThrow(NondeterminismError);
    expect(() => check.query([1, 0])).toThrow("word '10' got class 'reject', then 'accept'");
  });
});

describe('systems under learning', () => {
  it('a regular task answers with its reference automaton', () => {
    const o = taskOracle(parseTask('tomita3'));
    expect(o.classes).toEqual(['reject', 'accept']);
    expect(o.query([1, 0])).toBe(tomita3.evaluate([1, 0]));
  });

  it('a binary bounded task rejects words outside its input shape', () => {
    const eq = taskOracle(parseTask('equality:n=2'));
    expect(eq.alphabet).toEqual(['0', '1', '#']);
    expect(eq.query([0, 1, 2, 0, 1])).toBe(1);
    expect(eq.query([0, 1, 2, 1, 1])).toBe(0);
    expect(eq.query([0, 1])).toBe(0);
  });

  it('a multi-class bounded task gets an extra class for ill-formed words', () => {
    const task = parseTask('index:n=2,a=2');
    const o = taskOracle(task);
    expect(o.classes).toEqual([...task.classes, ILL_FORMED_CLASS]);
    expect(o.query([])).toBe(task.classes.length);
  });
});
