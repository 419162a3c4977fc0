// The checker's replay of one word over the exact reals: the class it certifies, for a real counterexample
// found by the search (verify/checkpoint/all-lengths.ts claims one only when this replay agrees). Like the
// rest of the checker it shares nothing with the search: one-layer networks are followed with the
// checker's own zonotope steps (check-blocks.ts for rnn-tanh, zono-linear.ts, zono-deltanet.ts,
// zono-lstm.ts; zono-deep.ts for several layers of the families other than rnn-tanh), their generators bounded after every step by the checker's own order reduction
// (zono-order.ts), so a word of hundreds of symbols costs the same per step as a short one; deeper rnn-tanh,
// and a word too long for a zonotope of the network's size, is stepped in the Evaluator's intervals. The class is certified when the Evaluator's interval
// logits of the final enclosure give it on every point (`wins`).
import type { Checkpoint } from '../../models/checkpoint.js';
import { Evaluator, type V, wins } from './check.js';
import { RnnZonotope } from './check-blocks.js';
import { DEEP_FAMILIES, DeepZonotope } from './zono-deep.js';
import { deltanetZonotope } from './zono-deltanet.js';
import { LINEAR_FAMILIES, LinearZonotope } from './zono-linear.js';
import { LstmZonotope } from './zono-lstm.js';
import { boxSmallGenerators, type FlatZonotope } from './zono-order.js';

/** The checker's real replay of a word: the certified class (null: none), the interval logits, and how the state was followed. */
export interface RealWordCheck {
  cls: number | null;
  logits: V;
  method: 'zonotope' | 'intervals';
}

/** Replays the (non-empty) word over the reals with the checker's own enclosures (header). */
export function checkRealWord(ckpt: Checkpoint, word: readonly number[]): RealWordCheck {
  const c = ckpt.config;
  const ev = new Evaluator(ckpt, null);
  const n = ev.layerSize * c.layers;
  const zero = new Array<number>(n).fill(0);
  // Zonotopes where they are affordable: words × n² × max(1, n/256) up to 2·10^8 (a step maps up to 2n
  // generators of n entries; a DeltaNet unit's terms grow with n); intervals otherwise.
  const affordable = word.length * n * n * Math.max(1, n / 256) <= 2e8;
  const one = c.layers === 1;
  const zono = !affordable
    ? null
    : !one
      ? DEEP_FAMILIES.includes(c.family)
        ? new DeepZonotope(ckpt, null)
        : null
      : LINEAR_FAMILIES.includes(c.family)
        ? new LinearZonotope(ckpt, null)
        : c.family === 'deltanet-pos' || c.family === 'deltanet-neg'
          ? deltanetZonotope(ckpt, null)
          : c.family === 'lstm'
            ? new LstmZonotope(ckpt, null)
            : c.family === 'rnn-tanh'
              ? new RnnZonotope(ckpt, null)
              : null;
  let state: V;
  if (zono !== null) {
    // n generators kept, reduced above 2n: one step's fresh generators (one per unit) are boxed for free.
    const reduce = <Z extends FlatZonotope>(z: Z): Z => boxSmallGenerators(z, n, 2 * n);
    state = zono.image(zero, zero, word, reduce);
  } else {
    state = zero.map(() => [0, 0] as [number, number]);
    for (const x of word) state = ev.step(x, state);
  }
  const logits = ev.logits(word[word.length - 1], state);
  const finite = logits.every(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi));
  let cls: number | null = null;
  for (let k = 0; k < logits.length && finite && cls === null; k++) if (wins(logits, k)) cls = k;
  return { cls, logits, method: zono === null ? 'intervals' : 'zonotope' };
}
