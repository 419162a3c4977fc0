import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { buildNetwork } from '../../src/models/network.js';
import { MODEL_FAMILIES } from '../../src/models/family.js';
import { toDyadic } from '../../src/precision/dyadic.js';
import { Arith } from '../../src/precision/exec/arith.js';
import { runMachine } from '../../src/machine.js';
import { checkpointMachine } from '../../src/precision/machine.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { randomCheckpoint, smallConfig } from '../fixtures/handbuilt.js';

/** round(Σ a_i·b_i + c) computed the slow, obviously exact way. */
function reference(format: ReturnType<typeof parseFormat>, a: number[], b: number[], c: number): number {
  let m = 0n;
  const e = -400;
  const add = (x: number, y: number) => {
    const dx = toDyadic(x);
    const dy = toDyadic(y);
    m += (dx.m * dy.m) << BigInt(dx.e + dy.e - e);
  };
  a.forEach((x, i) => add(x, b[i]));
  add(c, 1);
  return format.decode(format.roundDyadic(m, e)) + 0;
}

describe('Arith', () => {
  it.each(['fp32', 'bf16', 'fp16', 'fp8-e4m3', 'fixed<2,6>', 'fixed<4,12,floor>', 'fixed<8,24>'])(
    'dot products at %s are exact sums rounded once',
    (name) => {
      const format = parseFormat(name);
      const arith = new Arith(format);
      const rng = new Rng(9);
      for (let trial = 0; trial < 300; trial++) {
        const n = rng.int(1, 9);
        // Wide magnitude spread makes float64 sums inexact, forcing the bigint route.
        const value = () => format.round((rng.float() - 0.5) * 2 ** rng.int(-12, 3));
        const a = Array.from({ length: n }, value);
        const b = Array.from({ length: n }, value);
        const c = value();
        expect(arith.dot(Float64Array.from(a), 0, 1, Float64Array.from(b), n, c)).toBe(reference(format, a, b, c));
      }
    },
  );

  it.each(['fp32', 'fp16', 'fixed<8,24>'])('sums of three-factor products at %s are exact, rounded once', (name) => {
    const format = parseFormat(name);
    const arith = new Arith(format);
    const rng = new Rng(12);
    const value = () => format.round((rng.float() - 0.5) * 2 ** rng.int(-10, 2));
    for (let trial = 0; trial < 200; trial++) {
      const [a, b, c, x, y, z] = Array.from({ length: 6 }, value);
      // a·b·c + x·y·z through the reference's two-factor products: (a·b)·c exactly needs a·b exact first.
      const exact = (() => {
        let m = 0n;
        const e = -600;
        for (const [p, q, r] of [[a, b, c], [x, y, z]]) {
          const [dp, dq, dr] = [p, q, r].map(toDyadic);
          m += (dp.m * dq.m * dr.m) << BigInt(dp.e + dq.e + dr.e - e);
        }
        return format.decode(format.roundDyadic(m, e)) + 0;
      })();
      expect(arith.begin().add3(a, b, c).add3(x, y, z).end()).toBe(exact);
    }
  });

  it('a tie between two fp16 values that float64 cannot see is still rounded exactly', () => {
    const format = parseFormat('fp16');
    const arith = new Arith(format);
    // 1 + 2^-11 is the midpoint between 1 and 1 + 2^-10; + 2^-60 (not representable next to 1 in float64)
    // decides it upward.
    const got = arith.begin().add1(1).add1(2 ** -11).add2(2 ** -30, 2 ** -30).end();
    expect(got).toBe(1 + 2 ** -10);
    expect(arith.begin().add1(1).add1(2 ** -11).end()).toBe(1);
  });
});

/** The executor's logits are within 1e-3 of the float network's on 4 random binary words of each length. */
function expectExactNearFloat(machine: ReturnType<typeof checkpointMachine>, net: ReturnType<typeof buildNetwork>, lengths: number[], rng: Rng): void {
  for (const length of lengths) {
    const words = Array.from({ length: 4 }, () => Array.from({ length }, () => rng.int(0, 1)));
    const float = tf.tidy(() => net.logits(tf.tensor2d(words, [words.length, length], 'int32')).arraySync() as number[][]);
    words.forEach((word, i) => {
      const exact = Array.from(machine.logits(runMachine(machine, word)));
      exact.forEach((v, k) => expect(Math.abs(v - float[i][k])).toBeLessThan(1e-3));
    });
  }
}

describe('the exact executor at fp32 follows the tfjs float network', () => {
  it.each(MODEL_FAMILIES)('%s: logits within 1e-3 on random words', (family) => {
    const config = smallConfig(family, { layers: 2, mlp: 3, norm: 'rms', ...(family === 'transformer' ? { positions: 'learned', maxLen: 12 } : {}) });
    const ckpt = randomCheckpoint(config, 21, 0.6);
    const machine = checkpointMachine(ckpt, parseFormat('fp32'));
    const net = buildNetwork(config, ckpt.weights);
    const rng = new Rng(4);
    try {
      expectExactNearFloat(machine, net, [1, 5, 12], rng);
    } finally {
      net.dispose();
    }
  });

  const convolved: ['deltanet-pos' | 'deltanet-neg', number, number][] = [
    ['deltanet-neg', 4, 2],
    ['deltanet-pos', 3, 1],
    ['deltanet-neg', 1, 2],
  ];
  it.each(convolved)('%s with a short convolution of kernel %i (%i heads): logits within 1e-3 on random words', (family, conv, heads) => {
    const config = smallConfig(family, { layers: 2, mlp: 3, norm: 'rms', heads, state: 4, conv });
    const ckpt = randomCheckpoint(config, 23, 0.6);
    const rng = new Rng(5);
    const net = buildNetwork(config, ckpt.weights);
    try {
      // (the route without the first layer bound per symbol is bit-identical: exec/input-cache.test.ts)
      const machine = checkpointMachine(ckpt, parseFormat('fp32'));
      expectExactNearFloat(machine, net, [1, 3, 9], rng);
    } finally {
      net.dispose();
    }
  });
});
