import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { initWeights } from '../../../src/models/init.js';
import { RecurrentNetworkExec } from '../../../src/precision/exec/network.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { CHECKED_FAMILIES, Evaluator, type V } from '../../../src/verify/certificate/check.js';
import type { ModelFamily } from '../../../src/models/family.js';
import { familyConfig } from '../../fixtures/handbuilt.js';
import { reachableStates, spannedBox } from '../../abstract/reachable.js';

const inside = (v: V, x: ArrayLike<number>) => Array.from(x).every((value, i) => value >= v[i][0] && value <= v[i][1]);

describe.each(CHECKED_FAMILIES as ModelFamily[])("the checker's own evaluator of %s", (family) => {
  it.each(['fp32', 'bf16', 'fixed<2,6>', 'fixed<3,4,floor>'])('at %s contains the executor step and logits (points and boxes of points)', (name) => {
    const format = parseFormat(name);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.boolean(), (seed, deep) => {
        const config = familyConfig(family, { layers: deep ? 2 : 1, mlp: deep ? 3 : 0, norm: deep ? 'rms' : 'none' });
        const weights = initWeights(config, new Rng(seed));
        const exec = new RecurrentNetworkExec(config, weights, format);
        const ckpt = { config, task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] }, training: null, origin: 'test', weights };
        const ev = new Evaluator(ckpt, format);
        const rng = new Rng(seed + 7);
        const points = reachableStates(exec, rng, 3, 5);
        const span = spannedBox(points);
        const box: V = Array.from(span.lo, (lo, i) => [lo, span.hi[i]]);
        for (let a = 0; a < 2; a++) {
          const image = ev.step(a, box);
          const logits = ev.logits(a, box);
          for (const p of points) {
            const next = new Float64Array(exec.stateSize);
            exec.step(a, p, next);
            expect(inside(image, next)).toBe(true);
            expect(inside(ev.step(a, Array.from(p, (v) => [v, v])), next)).toBe(true);
            expect(inside(logits, exec.logits(a, p, new Float64Array(2)))).toBe(true);
          }
        }
      }),
      { numRuns: 10, seed: 11 },
    );
  });
});
