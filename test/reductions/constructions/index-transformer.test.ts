import { describe, expect, it } from '@jest/globals';
import { parseFormat } from '../../../src/precision/parse.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { coherence, inner, randomSigns, smallestDimension } from '../../../src/reductions/constructions/positions.js';
import {
  indexTransformerCheckpoint,
  indexTransformerSpec,
  verifyIndexTransformer,
  type IndexTransformerSpec,
} from '../../../src/reductions/constructions/index-transformer.js';
import type { Checkpoint } from '../../../src/models/checkpoint.js';

/** The executor's answers on the two worst prefixes of each query (target c, every other position 1 − c). */
function worstCaseCorrect(ckpt: Checkpoint, n: number, format: string): boolean[] {
  const m = checkpointMachine(ckpt, parseFormat(format));
  return Array.from({ length: n }, (_, p) =>
    [0, 1].every((c) => {
      const word = [...Array.from({ length: n }, (_, i) => (i === p ? c : 1 - c)), 2 + p];
      return m.classify(word.reduce((s, x) => m.step(s, x), m.initial())) === c;
    }),
  );
}

describe('nearly orthogonal position vectors', () => {
  it('inner products are exact and the coherence is their maximum', () => {
    const v = randomSigns(20, 40, 3);
    expect(inner(v, 5, 5)).toBe(40);
    let max = -Infinity;
    for (let i = 0; i < 20; i++) for (let j = i + 1; j < 20; j++) max = Math.max(max, inner(v, i, j));
    expect(coherence(v)).toBe(max / 40);
  });

  it('k grows like log N for coherence ≤ 1/2', () => {
    const k64 = smallestDimension(64, 0.5, 1);
    expect(k64.mu).toBeLessThanOrEqual(0.5);
    expect(k64.k).toBeLessThan(64);
  });
});

describe('one-layer transformer for index lookup (P1)', () => {
  const build = (n: number, sharp?: number): [Checkpoint, IndexTransformerSpec] => {
    const { k, mu } = smallestDimension(n, 0.5, 1);
    const spec = indexTransformerSpec(n, 2, k, 1, mu);
    const s = sharp === undefined ? spec : { ...spec, sharpness: sharp };
    return [indexTransformerCheckpoint(parseTask(`index:n=${n},a=2`), s), s];
  };

  it.each([4, 8, 12])('N = %i: every query passes at fp32, and the executor gets every worst-case prefix right', (n) => {
    const [ckpt, spec] = build(n);
    const r = verifyIndexTransformer(ckpt, spec, parseFormat('fp32'));
    expect(r.ok).toBe(true);
    expect(worstCaseCorrect(ckpt, n, 'fp32').every(Boolean)).toBe(true);
  });

  it('with too little sharpness the per-query verdicts fail, and agree query by query with the executor', () => {
    const n = 10;
    const [ckpt, spec] = build(n, 0.02);
    for (const fmt of ['fp32', 'fixed<4,6>']) {
      const r = verifyIndexTransformer(ckpt, spec, parseFormat(fmt));
      expect(r.ok).toBe(false);
      expect(r.margins.map((m) => m > 0)).toEqual(worstCaseCorrect(ckpt, n, fmt));
    }
  });

  it('N = 256 verifies at fp16 over all 65,536 (query, position) pairs', () => {
    const [ckpt, spec] = build(256);
    const r = verifyIndexTransformer(ckpt, spec, parseFormat('fp16'));
    expect(r).toMatchObject({ ok: true, pairs: 65536 });
  });
});
