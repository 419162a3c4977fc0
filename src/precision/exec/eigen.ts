// The quantities that explain an exact verdict: the first layer's transition eigenvalues per input symbol
// as stored at the format (the LRNNs' gates a, DeltaNet's 1 − β·|k|², lrnn-complex's moduli), and where a
// repeated symbol's state trajectory settles (its transient and cycle length).
import { match } from 'ts-pattern';
import type { Checkpoint } from '../../models/checkpoint.js';
import { shortConvSize } from '../../models/config.js';
import type { NumberFormat } from '../format.js';
import { checkpointMachine } from '../machine.js';
import { Arith } from './arith.js';
import { LrnnExec } from './lrnn.js';
import { RecurrentNetworkExec } from './network.js';
import { sigmoid, softplus, storedWeight } from './mixer.js';

/** The first layer's eigenvalues for one input symbol. */
export interface SymbolEigenvalues {
  symbol: string;
  eigenvalues: number[];
}

/**
 * Per symbol, the eigenvalues of the first layer's transition at the format (stored gates), or null for
 * families without an input-only transition (rnn-tanh, lstm, transformer, deltanet with a short convolution)
 * or real eigenvalues (lrnn-pd).
 */
export function firstLayerEigenvalues(ckpt: Checkpoint, format: NumberFormat): SymbolEigenvalues[] | null {
  const { config, weights } = ckpt;
  return match(config.family)
    .with('lrnn-pos', 'lrnn-neg', () => {
      const net = new RecurrentNetworkExec(config, weights, format);
      const mixer = net.layers[0].mixer as LrnnExec;
      const n = config.state;
      return ckpt.task.alphabet.map((symbol, s) => {
        const g = mixer.gates(net.firstInput(s), { a: new Float64Array(n), b: new Float64Array(n) });
        return { symbol, eigenvalues: Array.from(g.a) };
      });
    })
    .with('lrnn-complex', () => {
      const net = new RecurrentNetworkExec(config, weights, format);
      const arith = net.arith;
      const blocks = config.state / 2;
      const wa = storedWeight(weights, 'l0.mix.wa', arith);
      const ca = storedWeight(weights, 'l0.mix.ca', arith);
      const w = storedWeight(weights, 'l0.mix.w', arith);
      return ckpt.task.alphabet.map((symbol, s) => {
        const u = net.firstInput(s);
        const moduli = Array.from({ length: blocks }, (_, j) =>
          arith.round(Math.exp(-softplus(arith.dotDouble(wa, j, blocks, u, config.width, ca[j])) * Math.exp(w[j]))),
        );
        return { symbol, eigenvalues: moduli };
      });
    })
    .with('deltanet-pos', 'deltanet-neg', () => {
      // with a short convolution the key reads the last K inputs, not the symbol alone: no per-symbol transition
      if (shortConvSize(config) > 0) return null;
      const net = new RecurrentNetworkExec(config, weights, format);
      const arith: Arith = net.arith;
      const { width: d, state: n, heads } = config;
      const e = n / heads;
      const wk = storedWeight(weights, 'l0.mix.wk', arith);
      const wbeta = storedWeight(weights, 'l0.mix.wbeta', arith);
      const cbeta = storedWeight(weights, 'l0.mix.cbeta', arith);
      const negative = config.family === 'deltanet-neg';
      return ckpt.task.alphabet.map((symbol, s) => {
        const u = net.firstInput(s);
        const eig = Array.from({ length: heads }, (_, h) => {
          const raw = Array.from({ length: e }, (_, i) => arith.dotDouble(wk, h * e + i, n, u, d, 0));
          const inv = 1 / Math.sqrt(raw.reduce((a, b) => a + b * b, 0) + 1e-6);
          const k = raw.map((x) => arith.round(x * inv));
          const b = sigmoid(arith.dotDouble(wbeta, h, heads, u, d, cbeta[h]));
          const beta = arith.round(negative ? 2 * b : b);
          // I − βkkᵀ has eigenvalue 1 − β|k|² along k (and 1 elsewhere).
          return 1 - beta * k.reduce((a, x) => a + x * x, 0);
        });
        return { symbol, eigenvalues: eig };
      });
    })
    // lrnn-pd: diag(a)·P has the L-th roots of a cycle's gate product as eigenvalues, complex for L > 2.
    .with('rnn-tanh', 'lstm', 'lrnn-pd', 'transformer', () => null)
    .exhaustive();
}

/** Where the state on symbol^k settles: from k = `transient` on it repeats with period `cycle`. */
export interface Settling {
  transient: number;
  cycle: number;
}

/** The transient and cycle of the exact states on symbol^k, k = 1, 2, …; null if none within maxLength. */
export function settling(ckpt: Checkpoint, format: NumberFormat, symbol: number, maxLength = 100_000): Settling | null {
  // A transformer's state is its prefix: it never repeats.
  if (ckpt.config.family === 'transformer') return null;
  const machine = checkpointMachine(ckpt, format);
  const seen = new Map<string | bigint | number, number>();
  let state = machine.initial();
  for (let k = 1; k <= maxLength; k++) {
    state = machine.step(state, symbol);
    const key = machine.key(state);
    const first = seen.get(key);
    if (first !== undefined) return { transient: first, cycle: k - first };
    seen.set(key, k);
  }
  return null;
}
