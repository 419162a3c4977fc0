import { describe, expect, it } from '@jest/globals';
import { readCheckpoint } from '../../../src/models/checkpoint.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { checkCertificate, sha256OfFile } from '../../../src/verify/certificate/check.js';
import type { Certificate } from '../../../src/verify/certificate/format.js';
import { verifyAllLengths } from '../../../src/verify/checkpoint/all-lengths.js';
import { workClock } from '../../../src/clock.js';

const FILE = 'specs/checkpoints/parity-lrnn-neg-handbuilt.json';
const ckpt = readCheckpoint(FILE);
const proof = verifyAllLengths({ checkpoint: ckpt, checkpointFile: FILE, task: parseTask('parity'), format: parseFormat('bf16'), budget: 20, clock: workClock() });
const cert = proof.certificate as Certificate;
const copy = (): Certificate => JSON.parse(JSON.stringify(cert)) as Certificate;

describe('the independent certificate checker', () => {
  it('accepts the certificate of a proof', () => {
    expect(proof.verdict).toBe('proved');
    expect(checkCertificate(cert, ckpt, sha256OfFile(FILE)).valid).toBe(true);
  });

  const corruptions: [string, (c: Certificate) => void, RegExp][] = [
    ['a box that no longer holds an initial state', (c) => (c.states[c.initial[1]].lo[0] = c.states[c.initial[1]].hi[0] = 0.5), /condition 1/],
    ['a shrunk box (the image leaves it)', (c) => (c.states[1].hi[0] = c.states[1].lo[0] = c.states[1].lo[0] + 0.25), /condition/],
    ['swapped task states (the readout is wrong)', (c) => c.states.forEach((s) => (s.ref = 1 - s.ref)), /follow|condition/],
    ['a successor that is not an abstract state', (c) => (c.states[0].next[0] = c.states.length), /next/],
    ['a successor that does not follow the task', (c) => (c.states[0].next = [...c.states[0].next].reverse()), /follow/],
    ['another checkpoint', (c) => (c.checkpoint.sha256 = '0'.repeat(64)), /another checkpoint/],
    ['another automaton', (c) => (c.dfa.labels = c.dfa.labels.map((l) => 1 - l)), /dfa/],
    ['a coarser arithmetic than the proof used', (c) => (c.arithmetic = 'fixed<2,1,floor>'), /condition/],
    ['inverted intervals', (c) => (c.states[0].lo[0] = c.states[0].hi[0] + 1), /ordered/],
  ];
  it.each(corruptions)('rejects %s', (_name, corrupt, reason) => {
    const c = copy();
    corrupt(c);
    const outcome = checkCertificate(c, ckpt, sha256OfFile(FILE));
    expect(outcome.valid).toBe(false);
    expect(outcome.reason).toMatch(reason);
  });

  it('refuses a checkpoint file other than the one certified', () => {
    const other = 'specs/checkpoints/parity-lrnn-pos-handbuilt.json';
    expect(checkCertificate(cert, readCheckpoint(other), sha256OfFile(other)).valid).toBe(false);
  });
});
