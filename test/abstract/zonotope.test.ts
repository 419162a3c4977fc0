import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contains, pointBox } from '../../src/abstract/box.js';
import { BoxNetwork } from '../../src/abstract/box-network.js';
import { ZonoRnnTanh, zonotopeStepSupported } from '../../src/abstract/zono-rnn-tanh.js';
import { roundingErrorBound, Zonotope } from '../../src/abstract/zonotope.js';
import { readCheckpoint } from '../../src/models/checkpoint.js';
import { initWeights } from '../../src/models/init.js';
import { RecurrentNetworkExec } from '../../src/precision/exec/network.js';
import { parseFormat } from '../../src/precision/parse.js';
import { Rng } from '../../src/random.js';
import { familyConfig } from '../fixtures/handbuilt.js';
import { reachableStates, spannedBox } from './reachable.js';

const FORMATS = ['fp32', 'bf16', 'fixed<2,6>', 'fixed<3,4,floor>'];
const trained = readCheckpoint('specs/checkpoints/parity-rnn-tanh-trained.json');

describe('zonotope step of the one-layer rnn-tanh', () => {
  it.each(FORMATS)('at %s encloses the executor along every block from points of the box (soundness)', (name) => {
    const format = parseFormat(name);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 5 }), (seed, useTrained, block) => {
        const config = useTrained ? trained.config : familyConfig('rnn-tanh', { norm: seed % 2 === 0 ? 'rms' : 'none' });
        const weights = useTrained ? trained.weights : initWeights(config, new Rng(seed));
        const exec = new RecurrentNetworkExec(config, weights, format);
        const zono = new ZonoRnnTanh(config, weights, format, new BoxNetwork(config, weights, format));
        const points = reachableStates(exec, new Rng(seed + 1), 5, 8);
        let z = Zonotope.fromBox(spannedBox(points));
        let states = points;
        for (const a of block) {
          z = zono.step(z, a);
          states = states.map((p) => {
            const next = new Float64Array(exec.stateSize);
            exec.step(a, p, next);
            return next;
          });
          const hull = z.hull();
          for (const s of states) expect(contains(hull, s)).toBe(true);
        }
      }),
      { numRuns: 15, seed: 11 },
    );
  });

  it('is relational: over a block of 4 symbols its hull is far narrower than the box executor’s', () => {
    const format = parseFormat('fp32');
    const exec = new RecurrentNetworkExec(trained.config, trained.weights, format);
    const net = new BoxNetwork(trained.config, trained.weights, format);
    const zono = new ZonoRnnTanh(trained.config, trained.weights, format, net);
    let s = new Float64Array(exec.stateSize);
    for (const a of [1, 0, 1, 1, 0, 1]) {
      const next = new Float64Array(exec.stateSize);
      exec.step(a, s, next);
      s = next;
    }
    const start = { lo: s.map((v) => v - 0.01), hi: s.map((v) => v + 0.01) };
    let z = Zonotope.fromBox(start);
    let box = start as ReturnType<Zonotope['hull']>;
    for (const a of [0, 1, 1, 0]) {
      z = zono.step(z, a);
      box = net.step(a, box);
    }
    const width = (b: { lo: Float64Array; hi: Float64Array }) => Math.max(...b.hi.map((h, i) => h - b.lo[i]));
    expect(width(z.hull())).toBeLessThan(width(box) / 5);
  });

  it('a point box is a point up to the bounded rounding errors, and the hull of a box is the box', () => {
    const b = { lo: Float64Array.from([-1, 0.25, 3]), hi: Float64Array.from([1, 0.25, 3.5]) };
    const h = Zonotope.fromBox(b).hull();
    for (let i = 0; i < 3; i++) {
      expect(h.lo[i]).toBeLessThanOrEqual(b.lo[i]);
      expect(h.hi[i]).toBeGreaterThanOrEqual(b.hi[i]);
      expect(h.hi[i] - h.lo[i] - (b.hi[i] - b.lo[i])).toBeLessThan(1e-12);
    }
    expect(Zonotope.fromBox(pointBox(Float64Array.from([0.5, 2]))).m).toBe(0);
  });

  it('reduces to at most keep + n generators and still contains the extreme points of the original', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 1000 }), (n, m, keep, seed) => {
        const rng = new Rng(seed);
        const c = Float64Array.from({ length: n }, () => rng.float() * 2 - 1);
        const g = Float64Array.from({ length: m * n }, () => rng.float() * 2 - 1);
        const z = new Zonotope(n, c, g, m);
        const r = z.reduce(keep);
        expect(r.m).toBe(m <= keep + n ? m : keep + n);
        // Points of z at corners of its ε cube (its extreme points) lie in r's hull: the kept generators
        // carry the same ε, the box covers the rest.
        const b = r.hull();
        for (let t = 0; t < 8; t++) {
          const eps = Array.from({ length: m }, () => (rng.float() < 0.5 ? -1 : 1));
          const p = Float64Array.from(c, (ci, i) => ci + eps.reduce((s, e, k) => s + e * g[k * n + i], 0));
          expect(contains(b, p)).toBe(true);
        }
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('bounds the rounding error of every format (floats: half an ulp; fixed: half the grid, or all of it when flooring)', () => {
    expect(roundingErrorBound(null, 1)).toBe(0);
    expect(roundingErrorBound(parseFormat('fp32'), 1)).toBeGreaterThanOrEqual(2 ** -24);
    expect(roundingErrorBound(parseFormat('fixed<2,6>'), 1)).toBeGreaterThanOrEqual(2 ** -7);
    expect(roundingErrorBound(parseFormat('fixed<3,4,floor>'), 1)).toBeGreaterThanOrEqual(2 ** -4);
    // fixed<1,6> saturates at 1 − 2^−6: a value of 1 is off by that much more.
    expect(roundingErrorBound(parseFormat('fixed<1,6>'), 1)).toBeGreaterThanOrEqual(2 ** -7 + 2 ** -6);
    expect(roundingErrorBound(parseFormat('fp8-e4m3'), 1e6)).toBe(Infinity);
    for (const name of FORMATS) {
      const f = parseFormat(name);
      for (const v of [0.3, -0.77, 0.999, 1e-9, -0.5]) expect(Math.abs(f.round(v) - v)).toBeLessThanOrEqual(roundingErrorBound(f, Math.abs(v)));
    }
  });

  it('covers one rnn-tanh layer only', () => {
    expect(zonotopeStepSupported(familyConfig('rnn-tanh'))).toBe(true);
    expect(zonotopeStepSupported(familyConfig('rnn-tanh', { layers: 2 }))).toBe(false);
    expect(zonotopeStepSupported(familyConfig('lstm'))).toBe(false);
  });
});
