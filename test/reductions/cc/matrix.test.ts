import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/errors.js';
import { boundedTask } from '../../../src/tasks/bounded.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { bestFoolingSet, foolingBound, isFoolingSet } from '../../../src/reductions/cc/fooling.js';
import { ceilLog2, communicationMatrix, oneWayComplexity } from '../../../src/reductions/cc/matrix.js';
import { modularRank } from '../../../src/reductions/cc/rank.js';
import { enumeratedTwoParty, greaterThan, twoPartyOfTask } from '../../../src/reductions/cc/twoparty.js';

describe('two-party functions of tasks', () => {
  it.each(['equality:n=3', 'disjointness:n=3', 'index:n=3,a=3', 'index:n=2,a=4'])(
    '%s: the direct formula equals task.label on every cell',
    (spec) => {
      const task = parseTask(spec);
      const f = twoPartyOfTask(task);
      for (let i = 0; i < f.rows; i++)
        for (let j = 0; j < f.cols; j++) expect(task.label([...f.aliceWord(i), ...f.bobWord(j)])).toBe(f.value(i, j));
    },
  );

  it('the enumerated split of equality:n=3 has the same matrix as the formula (up to row order)', () => {
    const task = parseTask('equality:n=3');
    const direct = oneWayComplexity(communicationMatrix(twoPartyOfTask(task)));
    const f = enumeratedTwoParty(task, 7, 4);
    expect([f.rows, f.cols]).toEqual([8, 8]);
    expect(oneWayComplexity(communicationMatrix(f)).distinctRows).toBe(direct.distinctRows);
  });

  it('refuses a split that is not a product of input sets', () => {
    // Valid inputs are the words whose two symbols differ: (0,1) and (1,0) only, not a rectangle.
    const task = boundedTask({
      name: 'differ',
      family: 'differ',
      description: 'two different bits',
      alphabet: ['0', '1'],
      label: (w) => {
        if (w.length !== 2 || w[0] === w[1]) throw new InputError('differ: equal bits');
        return w[0];
      },
      sample: () => ({ word: [0, 1], label: 0 }),
    });
    expect(() => enumeratedTwoParty(task, 2, 1)).toThrow(/not a product of input sets/);
  });
});

describe('one-way complexity from distinct rows', () => {
  it.each([1, 2, 5, 8, 10])('D→(EQ_%i) = D→(DISJ_%i) = n', (n) => {
    expect(oneWayComplexity(communicationMatrix(twoPartyOfTask(parseTask(`equality:n=${n}`)))).bits).toBe(n);
    expect(oneWayComplexity(communicationMatrix(twoPartyOfTask(parseTask(`disjointness:n=${n}`))))).toMatchObject({ bits: n, distinctRows: 2 ** n });
  });

  it.each([
    [6, 2, 6],
    [4, 3, 7], // ⌈4·log₂3⌉ = ⌈6.34⌉
    [5, 4, 10],
  ])('D→(INDEX_%i over %i letters) = %i', (n, a, bits) => {
    expect(oneWayComplexity(communicationMatrix(twoPartyOfTask(parseTask(`index:n=${n},a=${a}`)))).bits).toBe(bits);
  });

  it('a regular task split anywhere has D→ = ⌈log₂(states the prefix can reach that differ)⌉: parity is 1 bit', () => {
    expect(oneWayComplexity(communicationMatrix(enumeratedTwoParty(parseTask('parity'), 6, 3))).bits).toBe(1);
    expect(oneWayComplexity(communicationMatrix(enumeratedTwoParty(parseTask('mod:m=5'), 8, 4))).distinctRows).toBe(5);
  });

  it('ceilLog2 is exact at powers of two', () => {
    expect([1, 2, 3, 4, 5, 1024, 1025].map(ceilLog2)).toEqual([0, 1, 2, 2, 3, 10, 11]);
    expect(ceilLog2(3n ** 32n)).toBe(51);
  });
});

describe('two-way lower bounds', () => {
  it('EQ_n: the greedy fooling set is the diagonal (2^n cells, D ≥ n + 1) and the rank is 2^n', () => {
    const m = communicationMatrix(twoPartyOfTask(parseTask('equality:n=6')));
    const s = bestFoolingSet(m, 2);
    expect(s.cells).toHaveLength(64);
    expect(isFoolingSet(m, s)).toBe(true);
    expect(foolingBound(m, s)).toBe(7);
    expect(modularRank(m)).toMatchObject({ computed: true, rank: 64 });
  });

  it('DISJ_n: a fooling set of 2^n cells (x, complement of x)', () => {
    const m = communicationMatrix(twoPartyOfTask(parseTask('disjointness:n=6')));
    expect(bestFoolingSet(m, 2).cells).toHaveLength(64);
  });

  it('GT_n has rank 2^n − 1 (the all-zero row), and a broken fooling set is caught', () => {
    const m = communicationMatrix(greaterThan(5));
    expect(modularRank(m)).toMatchObject({ computed: true, rank: 31 });
    expect(isFoolingSet(m, { value: 1, cells: [[3, 1], [3, 2]] })).toBe(false);
    expect(isFoolingSet(m, { value: 1, cells: [[3, 1], [2, 0]] })).toBe(false); // (3,0) and (2,1) are 1s too
    expect(isFoolingSet(m, { value: 1, cells: [[1, 0], [2, 1], [3, 2]] })).toBe(true);
  });

  it('INDEX: the two-way bounds stay near log₂ n while D→ is n (Bob can send the query)', () => {
    const m = communicationMatrix(twoPartyOfTask(parseTask('index:n=8,a=2')));
    expect(oneWayComplexity(m).bits).toBe(8);
    const s = bestFoolingSet(m, 2);
    expect(foolingBound(m, s)).toBeLessThanOrEqual(4);
    expect(modularRank(m)).toMatchObject({ computed: true, rank: 8 });
  });
});
