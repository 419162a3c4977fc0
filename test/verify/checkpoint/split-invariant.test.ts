import { describe, expect, it } from '@jest/globals';
import { BoxNetwork } from '../../../src/abstract/box-network.js';
import type { Box } from '../../../src/abstract/box.js';
import { ZonoRnnTanh } from '../../../src/abstract/zono-rnn-tanh.js';
import { workClock } from '../../../src/clock.js';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { searchBlockInvariant, zonotopeImages } from '../../../src/verify/checkpoint/block-invariant.js';
import { cutGroup, readoutOnPart, splitGroup, splitSearch } from '../../../src/verify/checkpoint/split-invariant.js';
import { readoutHolds } from '../../../src/verify/checkpoint/invariant.js';

// A width-8 rnn-tanh trained on parity (seed 2, lengths 3–20; docs/all-lengths.md) keeps a period of 2
// along runs of zeros: after 1·0^t its state alternates between two points far apart, so the one box of
// (task state, last j symbols) holds both and its readout cannot be shown for any j. Two parts can.
const FILE = 'specs/checkpoints/parity-rnn-tanh-w8-trained.json';
const ckpt = readCheckpoint(FILE);
const dfa = parseTask('parity').reference;
if (dfa === undefined) throw new Error('parity has a reference automaton');
const fmt = parseFormat('fp32');
const net = new BoxNetwork(ckpt.config, ckpt.weights, fmt);
const machine = checkpointMachine(ckpt, fmt);
const images = zonotopeImages(new ZonoRnnTanh(ckpt.config, ckpt.weights, fmt, net));
/** A deterministic budget in work units, far more than either search uses here. */
const WORK = 200_000;
const splitOf = (clock: ReturnType<typeof workClock>) =>
  splitSearch({ net, images, dfa, machine, minLength: 1, readoutSplits: 8, clock, maxParts: 8, maxBlock: 4, refinements: 8, words: 200, seed: 1 });

describe('split block invariants', () => {
  it('the plain block invariant fails on the readout for block lengths 2 to 4', () => {
    const clock = workClock();
    const r = searchBlockInvariant(net, images, dfa, { blocks: [2, 3, 4], readoutSplits: 8, deadline: WORK, clock, machine });
    expect(r.invariant).toBeNull();
    expect(r.failure?.reason).toBe('readout');
    expect(clock.now()).toBeLessThan(WORK);
  });

  it('splitting proves it at block 3: some (task state, suffix) holds two parts, and every part reads out right', () => {
    const clock = workClock();
    const r = searchBlockInvariant(net, images, dfa, { blocks: [2, 3, 4], readoutSplits: 8, deadline: WORK, clock, machine, split: splitOf(clock) });
    expect(r.invariant?.block).toBe(3);
    const states = r.invariant?.states ?? [];
    const keys = new Set(states.map((s) => `${s.ref}|${s.suffix.join('')}`));
    expect(keys.size).toBe(16);
    expect(states.length).toBeGreaterThan(keys.size);
    expect(clock.now()).toBeLessThan(WORK);
  });

  it('every state of a sampled run of length >= 3 lies in some part of its (task state, suffix)', () => {
    const clock = workClock();
    const r = searchBlockInvariant(net, images, dfa, { blocks: [3], readoutSplits: 8, deadline: WORK, clock, machine, split: splitOf(clock) });
    const parts = r.invariant?.states ?? [];
    const inside = (b: Box, v: Float64Array) => v.every((x, i) => b.lo[i] <= x && x <= b.hi[i]);
    for (const word of ['1' + '0'.repeat(41), '0110' + '0'.repeat(30) + '1', '1101001'.repeat(9)]) {
      let s = machine.initial();
      let q = dfa.start as number;
      const w = [...word].map(Number);
      w.forEach((a, i) => {
        s = machine.step(s, a);
        q = dfa.table[q * 2 + a];
        if (i < 2) return;
        const suffix = w.slice(i - 2, i + 1).join('');
        const cut = (p: (typeof parts)[number]) => (p.cuts ?? []).every((h) => h.w.reduce((t, x, u) => t + x * s.values[u], 0) <= h.c);
        expect(parts.some((p) => p.ref === q && p.suffix.join('') === suffix && inside(p.box, s.values) && cut(p))).toBe(true);
      });
    }
  });

  it('covers the block lengths up to its cap, and gives up within a tiny budget', () => {
    expect(splitOf(workClock()).maxBlock).toBe(4);
    const r = splitOf(workClock()).search(3, 50);
    expect(r.invariant).toBeNull();
    expect(r.failure?.reason).toBe('budget');
  });

  it('splits a block length above maxBlock, up to longest, right after its one-box attempt fails on a readout', () => {
    const tried: string[] = [];
    const r = searchBlockInvariant(net, images, dfa, {
      blocks: [2, 3, 4],
      readoutSplits: 8,
      deadline: WORK,
      clock: workClock(),
      machine,
      onRound: (j, n) => tried.push(`${j}:${n}`),
      split: { maxBlock: 2, longest: 3, search: (j) => (tried.push(`split ${j}`), { invariant: null, failure: null, states: 0 }) },
    });
    expect(r.invariant).toBeNull();
    expect(tried.filter((t) => t.startsWith('split'))).toEqual(['split 2', 'split 3']);
    expect(tried.indexOf('split 3')).toBeGreaterThan(tried.findIndex((t) => t.startsWith('3:')));
    expect(tried.indexOf('split 3')).toBeLessThan(tried.findIndex((t) => t.startsWith('4:')));
  });

  it('leaves a model proved with one box per state as it was: the same boxes, no split tried', () => {
    const w16 = readCheckpoint('specs/checkpoints/parity-rnn-tanh-trained.json');
    const net16 = new BoxNetwork(w16.config, w16.weights, fmt);
    const images16 = zonotopeImages(new ZonoRnnTanh(w16.config, w16.weights, fmt, net16));
    const machine16 = checkpointMachine(w16, fmt);
    let splits = 0;
    const search = (split: boolean) =>
      searchBlockInvariant(net16, images16, dfa, {
        blocks: [2, 3, 4, 5],
        readoutSplits: 8,
        deadline: WORK,
        clock: workClock(),
        machine: machine16,
        ...(split ? { split: { maxBlock: 4, search: () => (splits++, { invariant: null, failure: null, states: 0 }) } } : {}),
      });
    const [plain, withSplit] = [search(false), search(true)];
    expect(withSplit.invariant?.block).toBe(4);
    expect(withSplit.invariant).toEqual(plain.invariant);
    expect(splits).toBe(0);
  });
});

describe('splitGroup', () => {
  const p = (...v: number[]): Box => ({ lo: Float64Array.from(v), hi: Float64Array.from(v) });
  it('cuts at the widest empty gap of one unit', () => {
    const halves = splitGroup([p(0, 0.1), p(0.05, 0.9), p(0.02, 0.2), p(0.04, 0.95)]);
    expect(halves?.map((h) => h.length)).toEqual([2, 2]);
    expect(halves?.[0].every((b) => b.lo[1] < 0.5)).toBe(true);
  });
  it('gives null for one state or for identical states', () => {
    expect(splitGroup([p(1, 2)])).toBeNull();
    expect(splitGroup([p(1, 2), p(1, 2)])).toBeNull();
  });
});

describe('cutGroup (hyperplane cuts)', () => {
  const p = (...v: number[]): Box => ({ lo: Float64Array.from(v), hi: Float64Array.from(v) });
  // Two clusters along the diagonal: on either unit their coordinates interleave (widest gap 0.5, a wrong
  // split), along (1, 1)/√2 they lie 0.85 apart.
  const a = [p(0, 0.5), p(0.5, 0)];
  const b = [p(0.6, 1.1), p(1.1, 0.6)];
  it('cuts diagonal clusters by the 2-means hyperplane, each half recording its half-space', () => {
    const halves = cutGroup({ states: [a[0], b[0], a[1], b[1]], cuts: [] });
    const [l, r] = halves ?? [];
    expect(new Set([l?.states, r?.states].map((g) => g?.map((x) => x.lo.join(',')).sort().join(' ')))).toEqual(new Set(['0,0.5 0.5,0', '0.6,1.1 1.1,0.6']));
    for (const half of [l, r]) {
      expect(half?.cuts).toHaveLength(1);
      const h = half?.cuts[0];
      expect(Math.abs(Math.abs(h?.w[0] ?? 0) - Math.SQRT1_2)).toBeLessThan(1e-9);
      for (const x of half?.states ?? []) expect((h?.w[0] ?? 0) * x.lo[0] + (h?.w[1] ?? 0) * x.lo[1]).toBeLessThanOrEqual(h?.c ?? -Infinity);
    }
  });
  it('cuts along one unit, with no half-space, without hyperplanes or where no hyperplane separates better than a unit', () => {
    const axis = cutGroup({ states: [a[0], b[0], a[1], b[1]], cuts: [] }, false);
    expect(axis?.every((h) => h.cuts.length === 0)).toBe(true);
    const apart = cutGroup({ states: [p(0, 0), p(0.1, 0), p(5, 0)], cuts: [] });
    expect(apart?.map((h) => [h.states.length, h.cuts.length])).toEqual([[2, 0], [1, 0]]);
  });
  it('the readout of a part skips what lies outside its cuts', () => {
    const cube: Box = { lo: new Float64Array(8).fill(-1), hi: new Float64Array(8).fill(1) };
    expect(readoutHolds(net, 0, cube, 0, 0)).toBe(false);
    expect(readoutOnPart(net, 0, cube, [], 0, 0, workClock())).toBe(false);
    expect(readoutOnPart(net, 0, cube, [{ w: Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0]), c: -2 }], 0, 0, workClock())).toBe(true);
  });
});
