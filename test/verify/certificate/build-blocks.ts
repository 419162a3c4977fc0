// Block certificates for the checker's tests, from the search itself (verify/checkpoint/block-invariant.ts)
// on a one-layer rnn-tanh or linear RNN checkpoint, and the hulls of the short words' states that the search starts from.
import { BoxNetwork } from '../../../src/abstract/box-network.js';
import { zonoStep } from '../../../src/abstract/zono-step.js';
import { ZonoRnnTanh } from '../../../src/abstract/zono-rnn-tanh.js';
import type { Checkpoint } from '../../../src/models/checkpoint.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { workClock } from '../../../src/clock.js';
import { type AnyBlockCertificate, type BlockCertificate, CERTIFICATE_FORMAT, CERTIFICATE_VERSION, type SplitBlockCertificate, type SplitCutsCertificate } from '../../../src/verify/certificate/format.js';
import { searchBlockInvariant, zonotopeImages } from '../../../src/verify/checkpoint/block-invariant.js';
import { splitSearch } from '../../../src/verify/checkpoint/split-invariant.js';
import { checkBlockCertificate } from '../../../src/verify/certificate/check-blocks.js';
import { expect } from '@jest/globals';

/** The block certificate the search finds for `task` at `arithmetic` with block length j (throws if none). */
export function searchedBlockCertificate(ckpt: Checkpoint, sha: string, task: string, arithmetic: string, j: number): BlockCertificate {
  const dfa = parseTask(task).reference;
  if (dfa === undefined) throw new Error(`${task}: no reference automaton`);
  const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
  const net = new BoxNetwork(ckpt.config, ckpt.weights, fmt);
  const machine = fmt === null ? null : checkpointMachine(ckpt, fmt);
  const zono = zonoStep(ckpt.config, ckpt.weights, fmt, net);
  if (zono === null) throw new Error(`no zonotope step for ${ckpt.config.layers}-layer ${ckpt.config.family}`);
  const found = searchBlockInvariant(net, zonotopeImages(zono), dfa, {
    blocks: [j],
    readoutSplits: 8,
    deadline: performance.now() + 60_000,
    machine,
  });
  if (found.invariant === null) throw new Error(`no block invariant at block ${j}: ${JSON.stringify(found.failure)}`);
  return {
    format: CERTIFICATE_FORMAT,
    version: CERTIFICATE_VERSION,
    kind: 'blocks',
    checkpoint: { sha256: sha, family: ckpt.config.family },
    task,
    arithmetic,
    readoutSplits: 8,
    dfa: { alphabet: [...dfa.alphabet], classes: [...dfa.classes], start: dfa.start, table: Array.from(dfa.table), labels: Array.from(dfa.labels) },
    block: j,
    states: found.invariant.states.map((s) => ({ ref: s.ref, suffix: [...s.suffix], lo: [...s.box.lo], hi: [...s.box.hi] })),
  };
}

/**
 * The split block certificate the search finds at fp32 trying block lengths `blocks` (one box per state
 * first, then split at the same length), on a work clock of `work` units, its groups split along units
 * only; throws if none, or if the invariant found has one part per state.
 */
export function searchedSplitCertificate(ckpt: Checkpoint, sha: string, task: string, blocks: number[], work: number): SplitBlockCertificate {
  const c = searchedSplit(ckpt, sha, task, blocks, work, false);
  return { ...c, kind: 'split-blocks', states: c.states.map((s) => ({ ref: s.ref, suffix: s.suffix, parts: s.parts.map(({ lo, hi }) => ({ lo, hi })) })) };
}

/** As searchedSplitCertificate, with hyperplane cuts allowed: a `split-cuts` certificate; throws if no part has a cut. */
export function searchedSplitCutsCertificate(ckpt: Checkpoint, sha: string, task: string, blocks: number[], work: number): SplitCutsCertificate {
  const c = searchedSplit(ckpt, sha, task, blocks, work, true);
  if (c.states.every((s) => s.parts.every((p) => p.cuts.length === 0))) throw new Error('no part of the invariant found has a cut');
  return c;
}

function searchedSplit(ckpt: Checkpoint, sha: string, task: string, blocks: number[], work: number, hyperplanes: boolean): SplitCutsCertificate {
  const dfa = parseTask(task).reference;
  if (dfa === undefined) throw new Error(`${task}: no reference automaton`);
  const fmt = parseFormat('fp32');
  const net = new BoxNetwork(ckpt.config, ckpt.weights, fmt);
  const machine = checkpointMachine(ckpt, fmt);
  const images = zonotopeImages(new ZonoRnnTanh(ckpt.config, ckpt.weights, fmt, net));
  const clock = workClock();
  const split = splitSearch({ net, images, dfa, machine, minLength: 1, readoutSplits: 8, clock, maxParts: 8, maxBlock: 4, refinements: 8, words: 200, seed: 1, hyperplanes });
  const found = searchBlockInvariant(net, images, dfa, { blocks, readoutSplits: 8, deadline: work, clock, machine, split });
  if (found.invariant === null) throw new Error(`no split block invariant: ${JSON.stringify(found.failure)}`);
  const states = new Map<string, SplitCutsCertificate['states'][number]>();
  for (const s of found.invariant.states) {
    const part = { lo: [...s.box.lo], hi: [...s.box.hi], cuts: (s.cuts ?? []).map((h) => ({ w: [...h.w], c: h.c })) };
    const id = `${s.ref}|${s.suffix.join(',')}`;
    const old = states.get(id);
    if (old === undefined) states.set(id, { ref: s.ref, suffix: [...s.suffix], parts: [part] });
    else old.parts.push(part);
  }
  if ([...states.values()].every((s) => s.parts.length === 1)) throw new Error('the invariant found has one part per state');
  return {
    format: CERTIFICATE_FORMAT,
    version: CERTIFICATE_VERSION,
    kind: 'split-cuts',
    checkpoint: { sha256: sha, family: ckpt.config.family },
    task,
    arithmetic: 'fp32',
    readoutSplits: 8,
    dfa: { alphabet: [...dfa.alphabet], classes: [...dfa.classes], start: dfa.start, table: Array.from(dfa.table), labels: Array.from(dfa.labels) },
    block: found.invariant.block,
    states: [...states.values()],
  };
}

/** Expects the block checker to reject the (corrupted) certificate `c` for `ckpt`, for a reason matching `reason`. */
export function expectRejected(c: AnyBlockCertificate, ckpt: Checkpoint, sha: string, reason: RegExp): void {
  const outcome = checkBlockCertificate(c, ckpt, sha);
  expect(outcome.valid).toBe(false);
  expect(outcome.reason).toMatch(reason);
}
