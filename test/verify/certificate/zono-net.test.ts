import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Checkpoint } from '../../../src/models/checkpoint.js';
import { initWeights } from '../../../src/models/init.js';
import { RecurrentNetworkExec } from '../../../src/precision/exec/network.js';
import type { NumberFormat } from '../../../src/precision/format.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { NetZonotope } from '../../../src/verify/certificate/zono-net.js';
import { familyConfig } from '../../fixtures/handbuilt.js';

/** A seeded rnn-tanh of the given depth, norm and MLP width. */
function model(layers: number, norm: 'rms' | 'none', mlp: number, seed: number): Checkpoint {
  const config = familyConfig('rnn-tanh', { layers, norm, mlp, width: 6, state: 5 });
  return { config, task: { name: 'parity', alphabet: ['0', '1'], classes: ['reject', 'accept'] }, training: null, origin: 'test', weights: initWeights(config, new Rng(seed)) };
}

/** The network's state step over the reals, in float64 (within ~1e-14 of the real one): the 'real' reference. */
function realStepper(c: Checkpoint): (a: number, h: Float64Array) => Float64Array {
  const w = (name: string) => Float64Array.from(c.weights[name].data);
  const { width: d, state: n, layers: L, mlp: m, norm } = c.config;
  const lin = (W: Float64Array, x: Float64Array, out: number, b?: Float64Array) =>
    Float64Array.from({ length: out }, (_, j) => x.reduce((s, v, i) => s + W[j + i * out] * v, b === undefined ? 0 : b[j]));
  const rms = (x: Float64Array, g: string) => {
    if (norm !== 'rms') return x;
    const gain = w(g);
    const inv = 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + 1e-6);
    return x.map((v, i) => v * gain[i] * inv);
  };
  return (a, h) => {
    let x = w('embed').slice(a * d, (a + 1) * d);
    const next = new Float64Array(L * n);
    for (let l = 0; l < L; l++) {
      const p = `l${l}.`;
      const u = rms(x, `${p}norm1`);
      const z1 = lin(w(`${p}mix.wx`), u, n, w(`${p}mix.b`));
      const z2 = lin(w(`${p}mix.wh`), h.slice(l * n, (l + 1) * n), n);
      const hl = z1.map((v, j) => Math.tanh(v + z2[j]));
      next.set(hl, l * n);
      if (l === L - 1) break;
      const y = lin(w(`${p}mix.wo`), hl, d);
      x = x.map((v, i) => v + y[i]);
      if (m > 0) {
        const t = lin(w(`${p}mlp.w1`), rms(x, `${p}norm2`), m, w(`${p}mlp.b1`)).map((v) => Math.max(0, v));
        const y2 = lin(w(`${p}mlp.w2`), t, d, w(`${p}mlp.b2`));
        x = x.map((v, i) => v + y2[i]);
      }
    }
    return next;
  };
}

function stepper(c: Checkpoint, fmt: NumberFormat | null): (a: number, h: Float64Array) => Float64Array {
  if (fmt === null) return realStepper(c);
  const exec = new RecurrentNetworkExec(c.config, c.weights, fmt);
  return (a, h) => {
    const next = new Float64Array(exec.stateSize);
    exec.step(a, h, next);
    return next;
  };
}

describe('the zonotope step of rnn-tanh networks of any depth (norms, MLPs, residuals)', () => {
  const shapes: [string, Checkpoint][] = [
    ['2 layers, rms, MLP', model(2, 'rms', 4, 11)],
    ['3 layers, no norm, MLP', model(3, 'none', 3, 12)],
    ['2 layers, rms, no MLP', model(2, 'rms', 0, 13)],
  ];
  const formats = ['fp32', 'bf16', 'fixed<2,6>', 'real'];
  it.each(shapes.flatMap(([name, c]) => formats.map((f) => [name, f, c] as const)))('%s at %s: the image of a box holds the executor state after a block from every sampled point', (_name, format, c) => {
    const fmt = format === 'real' ? null : parseFormat(format);
    const round = (x: number) => (fmt === null ? x : fmt.round(x) + 0);
    const step = stepper(c, fmt);
    const zono = new NetZonotope(c, fmt);
    const size = c.config.layers * c.config.state;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 1e-6, 1e-3, 0.05, 0.3),
        fc.integer({ min: 0, max: 1 << 30 }),
        (prefix, block, radius, seed) => {
          let s: Float64Array = new Float64Array(size);
          for (const a of prefix) s = step(a, s);
          const rng = new Rng(seed);
          const lo = Array.from(s, (v) => Math.min(v, round(v - radius * rng.float())));
          const hi = Array.from(s, (v) => Math.max(v, round(v + radius * rng.float())));
          const hull = zono.image(lo, hi, block);
          const samples: Float64Array[] = [s, Float64Array.from(lo), Float64Array.from(hi)];
          for (let t = 0; t < 10; t++) samples.push(Float64Array.from(lo, (l, i) => Math.min(hi[i], Math.max(l, round(l + (hi[i] - l) * rng.float())))));
          for (const p of samples) {
            let h = p;
            for (const a of block) h = step(a, h);
            h.forEach((v, i) => {
              if (!(v >= hull[i][0] && v <= hull[i][1])) throw new Error(`state ${i}: ${v} outside [${hull[i][0]}, ${hull[i][1]}] (block ${block.join('')}, radius ${radius})`);
            });
          }
        },
      ),
      { numRuns: 15, seed: 23 },
    );
  });

  it('is relational: over a block the hull of a small box is far tighter than the box stepped in intervals would suggest, and a point stays nearly a point', () => {
    const c = model(2, 'rms', 4, 11);
    const zono = new NetZonotope(c, parseFormat('fp32'));
    const step = stepper(c, parseFormat('fp32'));
    let s: Float64Array = new Float64Array(10);
    for (const a of [1, 0, 1]) s = step(a, s);
    const point = zono.image([...s], [...s], [0, 1, 1, 0]);
    for (const [l, u] of point) expect(u - l).toBeLessThan(1e-5);
  });
});
