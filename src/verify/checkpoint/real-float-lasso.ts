// Refutation over the exact reals for networks with a zonotope step (one-layer rnn-tanh), where no
// closed form of v^k exists: the lasso search runs on the model at fp32 (cycle detection on the exact
// executor), and a wrong lasso it finds is a candidate only: its word is followed from the zero state
// over the reals with zonotopes (sound, and tight while the network contracts), and it counts when the
// readout of the final hull is certainly the wrong class. Rounding can be what makes the fp32 model
// wrong; then the real readout is undecided or right, and the candidate is dropped.
import type { Dfa } from '../../automata/dfa.js';
import type { BoxNetwork } from '../../abstract/box-network.js';
import { pointBox } from '../../abstract/box.js';
import { AbstractOverflow } from '../../abstract/interval-arith.js';
import type { ZonoRnnTanh } from '../../abstract/zono-rnn-tanh.js';
import { Zonotope } from '../../abstract/zonotope.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import { checkpointMachine } from '../../precision/machine.js';
import { parseFormat } from '../../precision/parse.js';
import { readoutCertain } from './invariant.js';
import { readoutOf, sameExactState } from './exact-readout.js';
import { searchLassos } from './lasso-search.js';
import { type Lasso, lassoLength, lassoSymbols } from './lasso-word.js';

/** Longest candidate word followed over the reals (the zonotope grows by one generator per unit and step until reduced). */
export const MAX_REAL_WORD = 500;
/** Generators kept by the reduction along a word, besides one per coordinate. */
const KEEP = 64;

/** What the search found: a certified real counterexample, and the lassos tried at fp32. */
export interface RealFloatLassoResult {
  counterexample: { lasso: Lasso; got: number; expected: number } | null;
  lassos: { tried: number; closed: number; open: number };
  /** A wrong fp32 lasso whose real readout could not be certified wrong (rounding, or too long). */
  dropped: Lasso | null;
}

/** The class the zonotope of the word certainly gives, or null when the hull's readout is undecided. */
function realClassOf(net: BoxNetwork, zono: ZonoRnnTanh, word: readonly number[]): number | null {
  let z = Zonotope.fromBox(pointBox(new Float64Array(net.stateSize)));
  try {
    for (const a of word) z = zono.step(z, a).reduce(KEEP);
    const l = net.logits(word[word.length - 1], z.hull());
    for (let c = 0; c < net.classes; c++) if (readoutCertain(l.lo, l.hi, c)) return c;
  } catch (e) {
    if (e instanceof AbstractOverflow) return null;
    throw e;
  }
  return null;
}

/** Candidates from the fp32 lasso search, certified over the reals (see the header). */
export function searchRealByFloat(ckpt: Checkpoint, net: BoxNetwork, zono: ZonoRnnTanh, dfa: Dfa, deadline: number, minLength = 1): RealFloatLassoResult {
  const machine = checkpointMachine(ckpt, parseFormat('fp32'));
  const r = searchLassos(machine, dfa, {
    maxPrefix: 4,
    maxLoop: dfa.nSymbols > 2 ? 3 : 5,
    probePower: 16,
    maxPower: MAX_REAL_WORD,
    deadline,
    minLength,
    sameState: sameExactState,
    readout: readoutOf(machine),
  });
  const lassos = { tried: r.lassos, closed: r.closed, open: r.open };
  const c = r.counterexample;
  if (c === null) return { counterexample: null, lassos, dropped: null };
  if (lassoLength(c.lasso) > MAX_REAL_WORD) return { counterexample: null, lassos, dropped: c.lasso };
  const got = realClassOf(net, zono, lassoSymbols(c.lasso));
  if (got === null || got === c.expected) return { counterexample: null, lassos, dropped: c.lasso };
  return { counterexample: { lasso: c.lasso, got, expected: c.expected }, lassos, dropped: null };
}
