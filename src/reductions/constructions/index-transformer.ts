// P1's one-layer transformer for index lookup, as an explicit `transformer` checkpoint. Stream layout
// (width a + 2k): [letters (a) | key dims (k) | query dims (k)].
//   embed[letter c] = e_c;  embed[@p] = P_p in the query dims;  pos[i] = P_{i+1} in the key dims (i < N),
//   pos[N] = 0 (the query's own position has no key);  wq: query dim j → key dim j, scale σ·√d;
//   wk: key dims identity;  wv, wo: letter dims identity;  out.w: letter dims → classes.
// So at the query @p the score of letter position i is σ·⟨P_p, P_i⟩ (σ·k at i = p, at most σ·μk elsewhere,
// 0 at the query itself) and the output is Σ_i w_i·e_{x_i}. The keys do not depend on the letters, so the
// weights w depend on (p, i) only, and the model answers every one of the a^N prefixes right iff for every
// query p: round(w_p) > round(Σ_{i ≠ p} w_i) (the worst prefix gives every other position one rival
// letter; rounding is monotone). `verifyIndexTransformer` checks exactly that at a format, with weights
// computed by the executor's rules (precision/exec/attention.ts), and the tests hold it against the
// executor itself on whole words.
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import { toDyadic } from '../../precision/dyadic.js';
import type { NumberFormat } from '../../precision/format.js';
import type { Task } from '../../tasks/task.js';
import { buildCheckpoint } from './build.js';
import { randomSigns, sign, type SignVectors } from './positions.js';

/** The construction's parameters. */
export interface IndexTransformerSpec {
  readonly n: number;
  readonly a: number;
  readonly vectors: SignVectors;
  /** σ: score per unit of inner product. */
  readonly sharpness: number;
}

/** σ = 2·ln(4N)/(k(1 − μ)): the target's weight then beats the other N − 1 positions together. */
export function defaultSharpness(n: number, k: number, mu: number): number {
  if (mu >= 1) throw new InputError(`index transformer: coherence ${mu} >= 1 (two positions share a vector); raise k`);
  return (2 * Math.log(4 * n)) / (k * (1 - mu));
}

/** The transformer checkpoint for index:n,a. */
export function indexTransformerCheckpoint(task: Task, spec: IndexTransformerSpec): Checkpoint {
  const { n, a, vectors: v, sharpness } = spec;
  if (task.family !== 'index' || task.alphabet.length !== a + n)
    throw new InputError(`${task.name}: expected index:n=${n},a=${a} (alphabet of ${a + n} symbols)`);
  const k = v.k;
  const d = a + 2 * k;
  const K = a; // first key dim
  const Q = a + k; // first query dim
  const vocab = a + n;
  const embed = new Float64Array(vocab * d);
  for (let c = 0; c < a; c++) embed[c * d + c] = 1;
  for (let p = 0; p < n; p++) for (let j = 0; j < k; j++) embed[(a + p) * d + Q + j] = sign(v, p, j);
  const pos = new Float64Array((n + 1) * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) pos[i * d + K + j] = sign(v, i, j);
  const wq = new Float64Array(d * d);
  const wk = new Float64Array(d * d);
  const wv = new Float64Array(d * d);
  const wo = new Float64Array(d * d);
  const qScale = sharpness * Math.sqrt(d);
  for (let j = 0; j < k; j++) {
    wq[(Q + j) * d + K + j] = qScale;
    wk[(K + j) * d + K + j] = 1;
  }
  for (let c = 0; c < a; c++) {
    wv[c * d + c] = 1;
    wo[c * d + c] = 1;
  }
  const outW = new Float64Array(d * a);
  for (let c = 0; c < a; c++) outW[c * a + c] = 1;
  const config = {
    family: 'transformer' as const,
    vocab,
    classes: a,
    width: d,
    state: d,
    layers: 1,
    mlp: 0,
    norm: 'none' as const,
    output: 'last' as const,
    heads: 1,
    positions: 'learned' as const,
    maxLen: n + 1,
  };
  const fills: Record<string, ArrayLike<number>> = {
    embed,
    pos,
    'l0.mix.wq': wq,
    'l0.mix.wk': wk,
    'l0.mix.wv': wv,
    'l0.mix.wo': wo,
    'out.w': outW,
  };
  return buildCheckpoint(config, task, `construction: index lookup transformer (k = ${k}, σ = ${sharpness.toPrecision(4)})`, (name) => fills[name]);
}

/** The spec with seeded vectors of dimension k. */
export function indexTransformerSpec(n: number, a: number, k: number, seed: number, mu: number): IndexTransformerSpec {
  return { n, a, vectors: randomSigns(n, k, seed), sharpness: defaultSharpness(n, k, mu) };
}

/** The verdict over every (query, position) pair at a format. */
export interface IndexVerification {
  readonly format: string;
  /** Every query passes the worst-prefix condition. */
  readonly ok: boolean;
  /** Smallest round(w_p) − round(Σ_{i≠p} w_i) over queries (> 0 when ok). */
  readonly minMargin: number;
  /** A failing query (1-based), if any. */
  readonly failingQuery?: number;
  readonly pairs: number;
  /** Per query (0-based): round(w_p) − round(Σ_{i≠p} w_i). */
  readonly margins: readonly number[];
}

/**
 * The attention weights at the query @p, as the executor computes them: stored q and k, scores in float64
 * from the exact dot product times 1/√d, weights round(exp(s − max)/total) with the total summed from the
 * query's own position back to position 0; then the worst-prefix condition.
 */
export function verifyIndexTransformer(ckpt: Checkpoint, spec: IndexTransformerSpec, format: NumberFormat): IndexVerification {
  const { n, a, vectors: v } = spec;
  const k = v.k;
  const d = a + 2 * k;
  const round = (x: number) => format.round(x) + 0;
  const stored = (name: string, i: number) => round(ckpt.weights[name].data[i]);
  // Stored query scale (wq entry) and key entries (±1 · stored wk 1).
  const K = a;
  const Q = a + k;
  const qEntry = Array.from({ length: k }, (_, j) => stored('l0.mix.wq', (Q + j) * d + K + j));
  const kEntry = Array.from({ length: k }, (_, j) => stored('l0.mix.wk', (K + j) * d + K + j));
  const scale = 1 / Math.sqrt(d);
  let minMargin = Infinity;
  let failingQuery: number | undefined;
  const margins: number[] = [];
  const scores = new Float64Array(n + 1);
  const keys = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) keys[i * k + j] = round(sign(v, i, j) * kEntry[j]);
  for (let p = 0; p < n; p++) {
    // q_j = round(P_p[j]·wq); k_i[j] = round(P_i[j]·wk); all small dyadics, so the float64 dot is exact here.
    const q = qEntry.map((w, j) => round(sign(v, p, j) * w));
    // t = 0 is the query's own position (key 0), then positions N − 1 down to 0.
    scores[0] = 0;
    let max = 0;
    for (let t = 1; t <= n; t++) {
      const i = n - t;
      let s = 0;
      for (let j = 0; j < k; j++) s += q[j] * keys[i * k + j];
      scores[t] = s * scale;
      if (scores[t] > max) max = scores[t];
    }
    let total = 0;
    for (let t = 0; t <= n; t++) total += Math.exp(scores[t] - max);
    let target = 0;
    // The executor sums the rival weights exactly and rounds once: so does this (a dyadic rest·2^E).
    let rest = 0n;
    let E = 0;
    for (let t = 1; t <= n; t++) {
      const w = round(Math.exp(scores[t] - max) / total);
      if (n - t === p) target = w;
      else if (w !== 0) {
        const dy = toDyadic(w);
        if (dy.e < E) {
          rest <<= BigInt(E - dy.e);
          E = dy.e;
        }
        rest += dy.m << BigInt(dy.e - E);
      }
    }
    const rivals = format.decode(format.roundDyadic(rest, E));
    const margin = round(target) - rivals;
    margins.push(margin);
    if (margin < minMargin) minMargin = margin;
    if (margin <= 0 && failingQuery === undefined) failingQuery = p + 1;
  }
  return { format: format.name, ok: failingQuery === undefined, minMargin, pairs: n * n, margins, ...(failingQuery === undefined ? {} : { failingQuery }) };
}
