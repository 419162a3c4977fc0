// Block certificates for the checker's tests, from the search itself (verify/checkpoint/block-invariant.ts)
// on a one-layer rnn-tanh or linear RNN checkpoint, and the hulls of the short words' states that the search starts from.
import { BoxNetwork } from '../../../src/abstract/box-network.js';
import { ZonoRnnTanh } from '../../../src/abstract/zono-rnn-tanh.js';
import { linearZonotopeSupported, ZonoLinear } from '../../../src/abstract/zono-lrnn.js';
import { deltanetZonotopeSupported, ZonoDeltaNet } from '../../../src/abstract/zono-deltanet.js';
import type { Checkpoint } from '../../../src/models/checkpoint.js';
import { checkpointMachine } from '../../../src/precision/machine.js';
import { parseFormat } from '../../../src/precision/parse.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { type BlockCertificate, CERTIFICATE_FORMAT, CERTIFICATE_VERSION } from '../../../src/verify/certificate/format.js';
import { searchBlockInvariant, zonotopeImages } from '../../../src/verify/checkpoint/block-invariant.js';

/** The block certificate the search finds for `task` at `arithmetic` with block length j (throws if none). */
export function searchedBlockCertificate(ckpt: Checkpoint, sha: string, task: string, arithmetic: string, j: number): BlockCertificate {
  const dfa = parseTask(task).reference;
  if (dfa === undefined) throw new Error(`${task}: no reference automaton`);
  const fmt = arithmetic === 'real' ? null : parseFormat(arithmetic);
  const net = new BoxNetwork(ckpt.config, ckpt.weights, fmt);
  const machine = fmt === null ? null : checkpointMachine(ckpt, fmt);
  const c = ckpt.config;
  const zono = linearZonotopeSupported(c)
    ? new ZonoLinear(c, ckpt.weights, fmt, net)
    : deltanetZonotopeSupported(c)
      ? new ZonoDeltaNet(c, ckpt.weights, fmt, net)
      : new ZonoRnnTanh(c, ckpt.weights, fmt, net);
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
