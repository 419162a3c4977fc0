import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readCheckpoint, type Checkpoint } from '../../../src/models/checkpoint.js';
import { initWeights } from '../../../src/models/init.js';
import { RecurrentNetworkExec } from '../../../src/precision/exec/network.js';
import type { NumberFormat } from '../../../src/precision/format.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { Rng } from '../../../src/random.js';
import { checkBlockCertificate, RnnZonotope } from '../../../src/verify/certificate/check-blocks.js';
import { Evaluator, readCertificate, sha256OfFile } from '../../../src/verify/certificate/check.js';
import type { BlockCertificate } from '../../../src/verify/certificate/format.js';
import { searchedBlockCertificate, expectRejected } from './build-blocks.js';

const FILE = 'specs/checkpoints/parity-rnn-tanh-trained.json';
const ckpt = readCheckpoint(FILE);
const sha = sha256OfFile(FILE);
const n = ckpt.config.state;

/** The state step over the reals, in float64 (within ~1e-15 of the real one): the 'real' reference. */
function realStepper(c: Checkpoint): (a: number, h: Float64Array) => Float64Array {
  const w = (name: string) => Float64Array.from(c.weights[name].data);
  const [embed, gain, wx, wh, b] = [w('embed'), c.config.norm === 'rms' ? w('l0.norm1') : null, w('l0.mix.wx'), w('l0.mix.wh'), w('l0.mix.b')];
  const d = c.config.width;
  return (a, h) => {
    const x = embed.slice(a * d, (a + 1) * d);
    const inv = gain === null ? 1 : 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / d + 1e-6);
    const u = x.map((v, i) => (gain === null ? v : v * gain[i] * inv));
    return Float64Array.from({ length: n }, (_, j) => {
      let z = b[j];
      for (let i = 0; i < d; i++) z += wx[i * n + j] * u[i];
      for (let i = 0; i < n; i++) z += wh[i * n + j] * h[i];
      return Math.tanh(z);
    });
  };
}

/** The executor's (or the real reference's) state step at an arithmetic. */
function stepper(fmt: NumberFormat | null): (a: number, h: Float64Array) => Float64Array {
  if (fmt === null) return realStepper(ckpt);
  const exec = new RecurrentNetworkExec(ckpt.config, ckpt.weights, fmt);
  return (a, h) => {
    const next = new Float64Array(exec.stateSize);
    exec.step(a, h, next);
    return next;
  };
}

describe('the zonotope step of the block checker', () => {
  it.each(['fp32', 'bf16', 'real', 'fixed<1,8>', 'fixed<2,6,floor>'])('at %s holds the executor state after a block from every sampled point of a box', (name) => {
    const fmt = name === 'real' ? null : parseFormat(name);
    const round = (x: number) => (fmt === null ? x : fmt.round(x) + 0);
    const step = stepper(fmt);
    const zono = new RnnZonotope(ckpt, fmt);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(0, 1e-6, 1e-4, 1e-2, 0.1),
        fc.integer({ min: 0, max: 1 << 30 }),
        (prefix, block, radius, seed) => {
          let s: Float64Array = new Float64Array(n);
          for (const a of prefix) s = step(a, s);
          const rng = new Rng(seed);
          const lo = Array.from(s, (v) => Math.min(v, round(v - radius * rng.float())));
          const hi = Array.from(s, (v) => Math.max(v, round(v + radius * rng.float())));
          const hull = zono.image(lo, hi, block);
          const samples: Float64Array[] = [s, Float64Array.from(lo), Float64Array.from(hi)];
          for (let t = 0; t < 12; t++) samples.push(Float64Array.from(lo, (l, i) => (rng.float() < 0.5 ? l : hi[i])));
          for (let t = 0; t < 12; t++) samples.push(Float64Array.from(lo, (l, i) => Math.min(hi[i], Math.max(l, round(l + (hi[i] - l) * rng.float())))));
          for (const p of samples) {
            let h = p;
            for (const a of block) h = step(a, h);
            h.forEach((v, i) => {
              if (!(v >= hull[i][0] && v <= hull[i][1])) throw new Error(`state ${i}: ${v} outside [${hull[i][0]}, ${hull[i][1]}] (block ${block.join('')}, radius ${radius})`);
            });
          }
        },
      ),
      { numRuns: 30, seed: 2026 },
    );
  });

  it("agrees with the Evaluator's point step: exact (a point) on this checkpoint at fp32 and bf16, and the executor's state", () => {
    for (const name of ['fp32', 'bf16']) {
      const fmt = parseFormat(name);
      const ev = new Evaluator(ckpt, fmt);
      const step = stepper(fmt);
      const rng = new Rng(5);
      let points = 0;
      for (let t = 0; t < 40; t++) {
        let h: Float64Array = new Float64Array(n);
        for (let len = 0; len < 6; len++) {
          const a = rng.float() < 0.5 ? 0 : 1;
          const v = ev.step(
            a,
            Array.from(h, (x) => [x, x]),
          );
          h = step(a, h);
          v.forEach(([l, u], i) => {
            expect(l <= h[i] && h[i] <= u).toBe(true);
            if (l === u) points++;
          });
        }
      }
      expect(points).toBe(40 * 6 * n);
    }
  });
});

describe('the block certificate checker', () => {
  let cert: BlockCertificate;
  const copy = (): BlockCertificate => JSON.parse(JSON.stringify(cert)) as BlockCertificate;
  beforeAll(() => {
    // j = 2 and 3 do not converge below the whole [−1, 1] box (their readouts fail); j = 4 does.
    cert = searchedBlockCertificate(ckpt, sha, 'parity', 'fp32', 4);
  });

  it('accepts a certificate built for the trained rnn-tanh at fp32 (block 4)', () => {
    const outcome = checkBlockCertificate(cert, ckpt, sha);
    expect(outcome).toEqual({ valid: true, reason: expect.stringMatching(/all 32 boxes/) });
  });

  it('reads a block certificate file as such, and a box one as before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blocks-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(cert));
    expect(readCertificate(join(dir, 'c.json'))).toEqual(cert);
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...cert, kind: undefined, block: undefined, initial: [0, 1], states: [{ ref: 0, last: 0, next: [0, 0], lo: [0], hi: [0] }] }));
    expect('kind' in readCertificate(join(dir, 'b.json'))).toBe(false);
  });

  it.each(['bf16', 'real'])('accepts a block-4 certificate built at %s too', (arithmetic) => {
    expect(checkBlockCertificate(searchedBlockCertificate(ckpt, sha, 'parity', arithmetic, 4), ckpt, sha).valid).toBe(true);
  });

  const wide = (c: BlockCertificate) => c.states.forEach((s) => [s.lo.fill(-2), s.hi.fill(2)]);
  const corruptions: [string, (c: BlockCertificate) => void, RegExp][] = [
    ['a box shrunk to a point (a short word leaves it)', (c) => (c.states[3].hi = [...c.states[3].lo]), /^B1: the state after/],
    ['a box shrunk to its short words only (a block image leaves it)', (c) => shrinkToShortWords(c), /^B2: the image of states\[\d+\] under '\d{4}' leaves/],
    ['swapped task states', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /^B1/],
    ['a changed ref (two boxes for one key)', (c) => (c.states[0].ref = 1 - c.states[0].ref), /second box/],
    ['a dropped state', (c) => c.states.splice(5, 1), /^B1: no box/],
    ['boxes too wide for the readout', wide, /^B3: the readout of states\[0\]/],
    ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
    ['another block length', (c) => (c.block = 3), /suffix: not 3 symbols/],
    ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => 1 - l)), /^dfa/],
    ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
    ['a coarser arithmetic than the boxes were built for', (c) => (c.arithmetic = 'fixed<2,3>'), /^B[12]/],
  ];
  it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
    const c = copy();
    corrupt(c);
    expectRejected(c, ckpt, sha, reason);
  });

  it('refuses a one-layer certificate for a 2-layer rnn-tanh (its boxes have the wrong size), and another family', () => {
    const deep = { ...ckpt, config: { ...ckpt.config, layers: 2 } };
    deep.weights = initWeights(deep.config, new Rng(1));
    expect(checkBlockCertificate(cert, deep, sha)).toEqual({ valid: false, reason: expect.stringMatching(/box is not 32 ordered intervals/) });
    const attention = { ...ckpt, config: { ...ckpt.config, family: 'transformer' as const } };
    expect(checkBlockCertificate(cert, attention, sha).reason).toMatch(/covers rnn-tanh, lrnn-pos.*lstm of any depth, not 1-layer transformer/);
  });

  /** Replaces every box by the hull of its short words' states, the checker's own evaluation (B1 still holds, B2 does not). */
  function shrinkToShortWords(c: BlockCertificate): void {
    const ev = new Evaluator(ckpt, parseFormat('fp32'));
    const hulls = new Map<string, { lo: number[]; hi: number[] }>();
    const visit = (ref: number, word: number[], state: [number, number][]): void => {
      for (let a = 0; a < 2; a++) {
        const next = ev.step(a, state);
        const r = c.dfa.table[ref * 2 + a];
        const w = [...word, a];
        if (w.length >= c.block) {
          const key = `${r}:${w.slice(-c.block).join()}`;
          const h = hulls.get(key) ?? { lo: next.map((v) => v[0]), hi: next.map((v) => v[1]) };
          next.forEach(([lo, hi], i) => [(h.lo[i] = Math.min(h.lo[i], lo)), (h.hi[i] = Math.max(h.hi[i], hi))]);
          hulls.set(key, h);
        }
        if (w.length < 2 * c.block - 1) visit(r, w, next);
      }
    };
    visit(c.dfa.start, [], Array.from({ length: n }, () => [0, 0]));
    for (const s of c.states) {
      const t = hulls.get(`${s.ref}:${s.suffix.join()}`);
      if (t !== undefined) [s.lo, s.hi] = [t.lo, t.hi];
    }
  }
});
