import { describe, expect, it } from '@jest/globals';
import { Rng } from '../../../src/random.js';
import {
  allInstances,
  evalLayers,
  reachable,
  runConnectivityRnn,
  sampleInstance,
  stepCircuit,
} from '../../../src/reductions/constructions/connectivity.js';

describe('ReLU RNN for sorted deterministic graph connectivity (P0)', () => {
  it.each([1, 2, 3, 4, 5, 6])('agrees with the reference on every instance with %i vertices', (n) => {
    const instances = allInstances(n);
    // (n − u + 1) choices for each u < n: n! instances.
    expect(instances).toHaveLength([1, 1, 2, 6, 24, 120, 720][n]);
    let positives = 0;
    for (const g of instances) {
      const r = runConnectivityRnn(g);
      expect(r.accept).toBe(reachable(g));
      // Values stay within O(n): the log-precision claim.
      expect(r.maxAbs).toBeLessThanOrEqual(3 * n + 1);
      if (r.accept) positives++;
    }
    if (n >= 3) expect(positives).toBeGreaterThan(0);
    if (n >= 2) expect(positives).toBeLessThan(instances.length);
  });

  it('the zero test inside the step is exact: an edge moves the walk only from its source', () => {
    const step = stepCircuit(5);
    const track = { maxAbs: 0 };
    expect(evalLayers(step, [2, 2, 4], track)).toEqual([4]);
    expect(evalLayers(step, [2, 3, 5], track)).toEqual([2]);
    expect(evalLayers(step, [1, 4, 5], track)).toEqual([1]);
  });

  it('the sampler balances labels and gives t an in-edge and s an out-edge in every instance', () => {
    const rng = new Rng(7);
    for (const label of [true, false])
      for (let i = 0; i < 50; i++) {
        const g = sampleInstance(rng, 7, label);
        expect(reachable(g)).toBe(label);
        expect(runConnectivityRnn(g).accept).toBe(label);
        expect(g.edges.some(([u]) => u === 1)).toBe(true);
        expect(g.edges.some(([, v]) => v === 7)).toBe(true);
      }
  });
});
