import { describe, expect, it } from '@jest/globals';
import {
  alternatingGroup,
  compose,
  identityPerm,
  isEven,
  multiplicationTable,
  permName,
  symmetricGroup,
} from '../../src/tasks/groups.js';

describe('permutation groups', () => {
  it('lists S3, S5 and A5 in name order, identity first', () => {
    expect(symmetricGroup(3).map(permName)).toEqual(['123', '132', '213', '231', '312', '321']);
    expect(symmetricGroup(5)).toHaveLength(120);
    expect(alternatingGroup(5)).toHaveLength(60);
    expect(permName(symmetricGroup(5)[0])).toBe('12345');
    expect(permName(alternatingGroup(5)[0])).toBe('12345');
    const names = symmetricGroup(5).map(permName);
    expect([...names].sort()).toEqual(names);
  });

  it('composes left to right: (p·q)(i) = q(p(i))', () => {
    const [p, q] = [[1, 0, 2], [0, 2, 1]]; // '213', '132'
    expect(permName(compose(p, q))).toBe('312');
    expect(permName(compose(q, p))).toBe('231');
    expect(compose(identityPerm(3), p)).toEqual(p);
  });

  it('knows even from odd', () => {
    expect(isEven([0, 1, 2])).toBe(true);
    expect(isEven([1, 0, 2])).toBe(false);
    expect(isEven([1, 2, 0])).toBe(true);
  });

  it('builds a Latin-square multiplication table (a group table)', () => {
    const g = alternatingGroup(5);
    const t = multiplicationTable(g);
    for (let i = 0; i < g.length; i++) {
      expect(new Set(t.subarray(i * g.length, (i + 1) * g.length)).size).toBe(g.length);
      expect(t[i]).toBe(i); // identity · g_i = g_i
    }
    expect(() => multiplicationTable([[0, 1, 2], [1, 0, 2], [1, 2, 0]])).toThrow(/not in the group/);
  });
});
