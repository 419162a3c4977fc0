import { describe, expect, it } from '@jest/globals';
import { VectorMemo } from '../../../src/precision/exec/vector-memo.js';

describe('VectorMemo', () => {
  it('hits only on equal contents, keeps a copy of the key, and stops storing when full', () => {
    const memo = new VectorMemo<string>(2);
    const key = Float64Array.from([1, 2, 3]);
    memo.set(key, 'a');
    key[0] = 9; // the memo holds its own copy
    expect(memo.get(Float64Array.from([1, 2, 3]))).toBe('a');
    expect(memo.get(key)).toBeUndefined();
    expect(memo.get(Float64Array.from([1, 2]))).toBeUndefined();
    memo.set(Float64Array.from([0]), 'b');
    memo.set(Float64Array.from([5]), 'c');
    expect(memo.get(Float64Array.from([0]))).toBe('b');
    expect(memo.get(Float64Array.from([-0]))).toBeUndefined(); // bit for bit: the gates of −0 and 0 may differ
    expect(memo.get(Float64Array.from([5]))).toBeUndefined();
  });
});
