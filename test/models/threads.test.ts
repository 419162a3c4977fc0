// Data-parallel threads: N = 1 and N = 2 give the same run to float rounding, and each N is bit-reproducible.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { selectBackend } from '../../src/models/backend.js';
import { configForTask } from '../../src/models/train/model-config.js';
import { shardMicroBatch, shardRows, ThreadGang } from '../../src/models/train/threads.js';
import { train, type TrainOptions } from '../../src/models/train/trainer.js';
import { parseTask } from '../../src/tasks/catalogue.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const task = parseTask('parity');
const config = configForTask(task, 'deltanet-neg', { width: 8, state: 8, layers: 2, mlp: 8, norm: 'rms', heads: 2, output: 'last' });

function run(gang: ThreadGang | undefined, microBatch?: number): { losses: number[]; weights: Record<string, Float32Array> } {
  const losses: number[] = [];
  const options: TrainOptions = {
    task, config, seed: 5, steps: 6, batch: 12, microBatch, gradientSource: gang, trainLengths: { min: 2, max: 9 },
    lr: 0.01, weightDecay: 0.01, warmup: 2, clip: 1, targetAccuracy: 2, evalEvery: 6, backend: 'wasm', validationSize: 4,
    onStep: (p) => losses.push(p.loss),
  };
  const { checkpoint } = train(options);
  return { losses, weights: Object.fromEntries(Object.entries(checkpoint.weights).map(([n, w]) => [n, Float32Array.from(w.data)])) };
}

describe('data-parallel threads', () => {
  const gangs: ThreadGang[] = [];
  afterAll(async () => {
    await Promise.all(gangs.map((g) => g.close()));
  });

  it('N = 2 follows the N = 1 loss curve to float rounding, and repeats itself bit for bit', async () => {
    const one = run(undefined);
    const gang = await ThreadGang.start(2, config, 'wasm', 12, 9);
    gangs.push(gang);
    const two = run(gang);
    const again = run(gang);
    expect(two.losses).toHaveLength(6);
    two.losses.forEach((l, i) => expect(Math.abs(l - one.losses[i])).toBeLessThan(1e-4));
    for (const [name, w] of Object.entries(one.weights)) {
      const diff = Math.max(...w.map((x, i) => Math.abs(x - two.weights[name][i])));
      expect([name, diff < 1e-4]).toEqual([name, true]);
    }
    expect(again.losses).toEqual(two.losses);
    expect(again.weights).toEqual(two.weights);
    // a fresh gang of the same size gives the same bits, and micro-batches inside the shards change only rounding
    const gang2 = await ThreadGang.start(2, config, 'wasm', 12, 9);
    gangs.push(gang2);
    expect(run(gang2).weights).toEqual(two.weights);
    const micro = run(gang2, 3);
    micro.losses.forEach((l, i) => expect(Math.abs(l - one.losses[i])).toBeLessThan(1e-4));
  }, 60_000);

  it('shards partition the rows in order, and each micro-batch divides its shard', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), (size, n, micro) => {
        let next = 0;
        for (let k = 0; k < n; k++) {
          const [start, end] = shardRows(size, n, k);
          expect(start).toBe(next);
          expect(end).toBeGreaterThanOrEqual(start);
          next = end;
          if (end > start) {
            const m = shardMicroBatch(end - start, micro);
            expect((end - start) % m).toBe(0);
            expect(m).toBeLessThanOrEqual(Math.max(1, micro));
          }
        }
        expect(next).toBe(size);
      }),
      { numRuns: 100 },
    );
  });
});
