// Builds a block certificate the simple way (for the checker's tests): boxes = the hull of the Evaluator's
// states after the words of length j..2j−1 per (task state, last j symbols), then the B2 images (the
// checker's own zonotope hulls) joined into the boxes until nothing changes.
import type { Checkpoint } from '../../../src/models/checkpoint.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { RnnZonotope } from '../../../src/verify/certificate/check-blocks.js';
import { Evaluator, type V } from '../../../src/verify/certificate/check.js';
import { type BlockCertificate, CERTIFICATE_FORMAT, CERTIFICATE_VERSION } from '../../../src/verify/certificate/format.js';

/** The built certificate and how many join rounds it took (converged: the last round changed nothing). */
export interface Built {
  cert: BlockCertificate;
  rounds: number;
  converged: boolean;
}

/** A block certificate for a one-layer rnn-tanh checkpoint of `task` at `arithmetic`, block j. */
export function buildBlockCertificate(ckpt: Checkpoint, sha: string, task: string, arithmetic: string, j: number, maxRounds = 50, readoutSplits = 8): Built {
  const dfa = parseTask(task).reference;
  if (dfa === undefined) throw new Error(`${task}: no reference automaton`);
  const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
  const ev = new Evaluator(ckpt, fmt);
  const k = dfa.nSymbols;
  const boxes = new Map<string, { ref: number; suffix: number[]; lo: number[]; hi: number[] }>();
  const join = (ref: number, suffix: number[], v: V): boolean => {
    const key = `${ref}:${suffix.join(',')}`;
    const box = boxes.get(key);
    if (box === undefined) {
      boxes.set(key, { ref, suffix, lo: v.map((x) => x[0]), hi: v.map((x) => x[1]) });
      return true;
    }
    let changed = false;
    v.forEach(([a, b], i) => {
      if (a < box.lo[i]) [box.lo[i], changed] = [a, true];
      if (b > box.hi[i]) [box.hi[i], changed] = [b, true];
    });
    return changed;
  };
  const path: number[] = [];
  const visit = (q: number, state: V) => {
    for (let a = 0; a < k; a++) {
      path.push(a);
      const next = ev.step(a, state);
      const r = dfa.table[q * k + a];
      if (path.length >= j) join(r, path.slice(-j), next);
      if (path.length < 2 * j - 1) visit(r, next);
      path.pop();
    }
  };
  visit(dfa.start, Array.from({ length: ev.layerSize }, () => [0, 0] as [number, number]));
  let blocks: number[][] = [[]];
  for (let i = 0; i < j; i++) blocks = blocks.flatMap((w) => Array.from({ length: k }, (_, a) => [...w, a]));
  const zono = new RnnZonotope(ckpt, fmt);
  let rounds = 0;
  let converged = false;
  while (rounds < maxRounds && !converged) {
    rounds++;
    converged = true;
    for (const s of [...boxes.values()]) {
      for (const w of blocks) {
        const q = w.reduce((t, a) => dfa.table[t * k + a], s.ref);
        if (join(q, w, zono.image(s.lo, s.hi, w))) converged = false;
      }
    }
  }
  const cert: BlockCertificate = {
    format: CERTIFICATE_FORMAT,
    version: CERTIFICATE_VERSION,
    kind: 'blocks',
    checkpoint: { sha256: sha, family: ckpt.config.family },
    task,
    arithmetic,
    readoutSplits,
    dfa: { alphabet: [...dfa.alphabet], classes: [...dfa.classes], start: dfa.start, table: Array.from(dfa.table), labels: Array.from(dfa.labels) },
    block: j,
    states: [...boxes.values()].map((b) => ({ ref: b.ref, suffix: b.suffix, lo: [...b.lo], hi: [...b.hi] })),
  };
  return { cert, rounds, converged };
}
