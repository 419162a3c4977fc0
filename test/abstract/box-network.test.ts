import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type Box, contains } from '../../src/abstract/box.js';
import { BoxNetwork } from '../../src/abstract/box-network.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { initWeights } from '../../src/models/init.js';
import { RecurrentNetworkExec } from '../../src/precision/exec/network.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';
import { reachableStates, spannedBox } from './reachable.js';

const FORMATS = ['fp32', 'bf16', 'fixed<2,6>', 'fixed<3,4,floor>'];
const recurrent = MODEL_FAMILIES.filter((f) => f !== 'transformer');

describe.each(recurrent)('box executor of %s', (family) => {
  it.each(FORMATS)('at %s encloses every executor step and readout from points of the box (soundness)', (name) => {
    const format = parseFormat(name);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.boolean(), (seed, deep) => {
        const config = familyConfig(family, { layers: deep ? 2 : 1, mlp: deep ? 3 : 0, norm: deep ? 'rms' : 'none' });
        const weights = initWeights(config, new Rng(seed));
        const exec = new RecurrentNetworkExec(config, weights, format);
        const net = new BoxNetwork(config, weights, format);
        const rng = new Rng(seed + 1);
        // A box spanned by a few reachable states; every one of them (a point of the box) must step inside.
        const points = reachableStates(exec, rng, 4, 6);
        const box: Box = spannedBox(points);
        for (let a = 0; a < config.vocab; a++) {
          const image = net.step(a, box);
          const logits = net.logits(a, box);
          for (const p of points) {
            const next = new Float64Array(exec.stateSize);
            exec.step(a, p, next);
            expect(contains(image, next)).toBe(true);
            const l = exec.logits(a, p, new Float64Array(config.classes));
            for (let k = 0; k < l.length; k++) {
              expect(l[k]).toBeGreaterThanOrEqual(logits.lo[k]);
              expect(l[k]).toBeLessThanOrEqual(logits.hi[k]);
            }
          }
        }
      }),
      { numRuns: 12, seed: 7 },
    );
  });

  it('gives a point from a point at a format (input-only gates are exact)', () => {
    const config = familyConfig(family);
    const weights = initWeights(config, new Rng(3));
    const format = parseFormat('fp32');
    const exec = new RecurrentNetworkExec(config, weights, format);
    const net = new BoxNetwork(config, weights, format);
    const zero = new Float64Array(exec.stateSize);
    const image = net.step(1, { lo: zero, hi: zero });
    const next = new Float64Array(exec.stateSize);
    exec.step(1, zero, next);
    expect([...image.lo]).toEqual([...next]);
    expect([...image.hi]).toEqual([...next]);
  });
});
