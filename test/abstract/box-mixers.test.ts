import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { possibleArgmax } from '../../src/abstract/box-mixers.js';
import { firstArgmax } from '../../src/precision/exec/lrnn-pd.js';

describe('possibleArgmax (the lrnn-pd selection over boxes)', () => {
  it('holds the first argmax of every point of the box', () => {
    const interval = fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 0, max: 3 })).map(([lo, w]) => ({ lo, hi: lo + w }));
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (box, picks) => {
        const point = box.map((x, c) => x.lo + (picks[c] % (x.hi - x.lo + 1)));
        expect(possibleArgmax(box)).toContain(firstArgmax(point));
      }),
    );
  });

  it('is the one argmax on points, ties going to the lowest index', () => {
    const pts = (xs: number[]) => xs.map((x) => ({ lo: x, hi: x }));
    expect(possibleArgmax(pts([1, 3, 3, 2]))).toEqual([1]);
    expect(possibleArgmax([{ lo: 0, hi: 2 }, { lo: 1, hi: 1 }, { lo: 2, hi: 5 }])).toEqual([0, 2]);
  });
});
