// The independent checker of block certificates (format.ts, `kind: "blocks"`): one box per (task state
// q, last j symbols w); and of split block certificates (`kind: "split-blocks"`), where (q, w) holds a
// union of boxes (parts) and each containment below means "inside ONE part" (B1: the state after a short
// word; B2: the image of each part under each block); checked by
//   B1. every non-empty word shorter than 2j gets its class, and those of length j..2j−1 end in their box
//       (with a minimum length N, L0 = max(j, N): the words of length N..L0+j−1 get their class, those of
//       length L0..L0+j−1 end in their box, and the boxes hold the words of length >= L0);
//   B2. for every box and every block w of j symbols, the zonotope image of the box under w lies in
//       box(δ(q, w), w);
//   B3. the readout gives every point of box(q, w) the class of q (the last symbol is the end of w).
// Induction on the length then covers every non-empty word (format.ts). Like check.ts it shares nothing
// with the search: it uses check.ts's own Evaluator (B1, B3, the input u of a symbol and the stored
// weights) and its own zonotope step below (B2), written from the executor's semantics
// (precision/exec/rnn.ts, network.ts, machine.ts). Scope: rnn-tanh; one layer with the step below (any
// norm; the MLP acts only after the state, in the readout, which the Evaluator covers), deeper networks
// (norms, MLPs and residuals between the layers) with zono-net.ts; one layer of lrnn-pos/neg/pd/complex
// with zono-linear.ts, of deltanet-pos/neg with zono-deltanet.ts, of lstm with zono-lstm.ts; several layers of
// those (norms, MLPs, residuals between the layers) with zono-deep.ts.
//
// The executor's step on symbol a (rnn.ts): u = norm1(embed[a]) (a fixed vector per symbol), then per unit
//   z_j = Σ_i wx[i·n+j]·u_i + Σ_i wh[i·n+j]·h_i + b_j   exactly, read out by Arith.endDouble as ẑ_j,
//   v_j = Math.tanh(ẑ_j),   h'_j = round(v_j)   (over the reals: h'_j = tanh(z_j), no ẑ, no rounding).
//
// Soundness of the zonotope step. A zonotope is c + Σ_k g_k ε_k with ε_k ∈ [−1, 1]; by induction it
// holds every state the executor can be in (the start: the certified box as c ± one generator per
// coordinate, the center and radii rounded so that the box is inside). Every float64 operation below is
// a computed value whose exact counterpart differs by a bounded amount; each such difference, and each
// non-linear remainder, goes into a FRESH generator of its coordinate (one per coordinate per step, the
// sum of the bounds, rounded up), so the zonotope stays an enclosure:
//   1. Affine part. z_j = A_j + Σ_i wh_ij c_i + Σ_k (Σ_i wh_ij g_ki) ε_k, with A_j = Σ_i wx_ij u_i + b_j.
//      u may be an interval (the Evaluator's norm is a point only where it is exact), so A_j is bounded
//      by outward interval arithmetic and enters as its midpoint plus its radius. The center and each
//      generator's coordinate are computed as float64 dot products of m terms; Higham's bound
//      |fl(Σ) − Σ| ≤ γ_m Σ|terms|, γ_m ≈ m·2^−53, is taken generously as (m+4)·2^−52 times the computed
//      Σ|terms| (which may itself be low by a factor 1 + γ_m: covered by the factor 2), plus m·2^−1074
//      for underflowed products. The errors of the generators' coordinates count with |ε_k| ≤ 1.
//   2. endDouble. Arith sums an exact expansion of non-overlapping doubles in increasing order (not a
//      correctly rounded result): |ẑ − z| ≤ 8·2^−52·|z| there; we allow 64·2^−52·|z| + 2^−1074, as the
//      Evaluator's `pre` does, with |z| bounded by the zonotope's hull of coordinate j.
//   3. tanh (DeepZ). With [l, u] ∋ ẑ_j the interval hull (outward), λ = min(sech²(l), sech²(u))·(1 − 1e−9)
//      is at most tanh' anywhere on [l, u] (sech² falls with |z|; the factor covers the few-ulp error of
//      1/cosh²), so g(z) = tanh(z) − λz is nondecreasing there and g(ẑ) ∈ [g(l), g(u)], each endpoint
//      computed with Math.tanh's error (16 ulps, check.ts's SLACK) and the product's and difference's
//      roundings taken outward. So tanh(ẑ) = λẑ + μ + η with μ the midpoint and |η| ≤ β the half-width.
//      λẑ = λ·(c + Σ g ε) + λ·δ where |δ| ≤ the fresh radius of steps 1–2, so λ times that radius.
//   4. Library and format. v = Math.tanh(ẑ) is within 16 ulps of tanh(ẑ) (SLACK(1), |v| ≤ 1), and
//      round(v) within the format's rounding error for |v| ≤ M = min(1, hull bound): floats
//      (epsilon/2)·M + minSubnormal/2 (round to nearest; M ≤ 1 never overflows), fixed point ulp/2 (ulp for
//      'floor') plus the saturation M − max (or M + min) when M leaves the range; the reals: none.
//   5. The new center λ·c + μ and generators λ·g are float64 products and sums: one rounding each,
//      bounded by 2^−52 of the computed magnitude (+2^−1074) and added to the fresh generator.
// Containment in the target box is tested on the interval hull c ± Σ_k |g_k| with the radius rounded up
// and the ends rounded outward. Nothing here is a floating-point comparison that could go the wrong way:
// every bound is a computed value pushed outward by at least its rounding error. Trusted, as in check.ts:
// Math.tanh within 16 ulps, Math.cosh within a few (1e−9 relative is ample), IEEE round-to-nearest
// float64, and the Evaluator's enclosure of the normalised input u.
import type { Dfa } from '../../automata/dfa.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { NumberFormat } from '../../precision/format.js';
import { type CheckOutcome, checkHeader, Evaluator, readoutOk, type V, wins } from './check.js';
import type { AnyBlockCertificate } from './format.js';
import { NetZonotope, roundingError } from './zono-net.js';
import { LINEAR_FAMILIES, LinearZonotope } from './zono-linear.js';
import { deltanetZonotope } from './zono-deltanet.js';
import { LstmZonotope } from './zono-lstm.js';
import { DEEP_FAMILIES, DeepZonotope } from './zono-deep.js';

// Math's functions bound once: a global lookup per call is slow where the module runs in a vm context (jest).
const { abs, cosh, max, min, tanh } = Math;
const E = 2 ** -52;
const TINY = Number.MIN_VALUE;
/** A number surely at least the exact result of the float64 operation that computed x. */
const upper = (x: number) => x + (abs(x) * E + TINY);
/** A number surely at most the exact result of the float64 operation that computed x. */
const lower = (x: number) => x - (abs(x) * E + TINY);
/** tanh's error allowance: 16 ulps of max(|v|, 1) (check.ts's SLACK at |v| ≤ 1). */
const TANH_SLACK = 16 * E + TINY;

/** 1/cosh² (no cancellation; 0 once cosh overflows; 0 where the result would be subnormal and imprecise). */
function sech2(x: number): number {
  const ch = cosh(x);
  const s = 1 / (ch * ch);
  return s < 1e-300 ? 0 : s;
}

/** A zonotope c + Σ_k g[k] ε_k over the state vector. */
interface Zonotope {
  c: Float64Array;
  /** K generators of n entries each, row after row (flat: one allocation per step). */
  g: Float64Array;
  k: number;
}

/** The zonotope step of a one-layer rnn-tanh at a format (null: over the reals), for condition B2. */
export class RnnZonotope {
  private readonly n: number;
  private readonly wh: Float64Array;
  /** Per symbol: the midpoint and radius of A_j = Σ_i wx_ij u_i + b_j. */
  private readonly aMid: Float64Array[] = [];
  private readonly aRad: Float64Array[] = [];
  /** The format's rounding error bound for a stored value of size at most M (0 over the reals). */
  private readonly roundErr: ((m: number) => number) | null;

  /** The zonotope step of a one-layer rnn-tanh checkpoint (throws on another family or depth). */
  constructor(ckpt: Checkpoint, fmt: NumberFormat | null) {
    const c = ckpt.config;
    if (c.family !== 'rnn-tanh' || c.layers !== 1) throw new Error(`zonotope step: one-layer rnn-tanh only, not ${c.layers}-layer ${c.family}`);
    const ev = new Evaluator(ckpt, fmt);
    const n = c.state;
    this.n = n;
    this.wh = ev.weight('l0.mix.wh');
    const wx = ev.weight('l0.mix.wx');
    const b = ev.weight('l0.mix.b');
    for (let a = 0; a < c.vocab; a++) {
      const u = ev.input(a);
      const mid = new Float64Array(n);
      const rad = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        // Outward interval arithmetic: each product's corners, each sum pushed out by its rounding.
        let lo = b[j];
        let hi = b[j];
        for (let i = 0; i < u.length; i++) {
          const w = wx[i * n + j];
          const p = [w * u[i][0], w * u[i][1]];
          lo = lower(lo + lower(min(p[0], p[1])));
          hi = upper(hi + upper(max(p[0], p[1])));
        }
        mid[j] = lo / 2 + hi / 2;
        rad[j] = max(upper(hi - mid[j]), upper(mid[j] - lo));
      }
      this.aMid.push(mid);
      this.aRad.push(rad);
    }
    this.roundErr = roundingError(fmt);
  }

  /** The zonotope of the box [lo, hi]: the center and one generator per coordinate, holding the whole box. */
  private fromBox(lo: readonly number[], hi: readonly number[]): Zonotope {
    const n = this.n;
    const c = new Float64Array(n);
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      c[i] = lo[i] / 2 + hi[i] / 2;
      g[i * n + i] = max(upper(hi[i] - c[i]), upper(c[i] - lo[i]));
    }
    return { c, g, k: n };
  }

  /** One executor step on `symbol` (header, steps 1–5): a zonotope holding every successor state. */
  private step(zono: Zonotope, symbol: number): Zonotope {
    const { n, wh } = this;
    const exec = this.roundErr !== null;
    const K = zono.k;
    // 1. The center A_mid + Σ_i wh_ij c_i and the generators Σ_i wh_ij g_ki, computed row by row of wh
    // (i outer), with Σ|terms| per entry for Higham's bound; zero entries of g contribute nothing.
    const zc = Float64Array.from(this.aMid[symbol]);
    const cAbs = zc.map((x) => abs(x));
    const g = new Float64Array((K + n) * n);
    const gAbs = new Float64Array(K * n);
    for (let i = 0; i < n; i++) {
      const ci = zono.c[i];
      if (ci !== 0) {
        for (let j = 0; j < n; j++) {
          const p = wh[i * n + j] * ci;
          zc[j] += p;
          cAbs[j] += abs(p);
        }
      }
      for (let k = 0; k < K; k++) {
        const gki = zono.g[k * n + i];
        if (gki === 0) continue;
        for (let j = 0; j < n; j++) {
          const p = wh[i * n + j] * gki;
          g[k * n + j] += p;
          gAbs[k * n + j] += abs(p);
        }
      }
    }
    // r_j: every error of coordinate j so far (the fresh generator's radius before tanh).
    const r = new Float64Array(n);
    const gamma = (m: number) => (m + 4) * E;
    for (let j = 0; j < n; j++) {
      let err = upper(upper(gamma(n + 1) * cAbs[j]) + (n + 1) * TINY);
      err = upper(err + this.aRad[symbol][j]);
      let genErr = 0;
      for (let k = 0; k < K; k++) if (gAbs[k * n + j] > 0) genErr = upper(genErr + upper(gamma(n) * gAbs[k * n + j]) + n * TINY);
      err = upper(err + genErr);
      // 2. The executor reads z as endDouble(z): within 64 ulps of |z| (+ the smallest subnormal).
      if (exec) err = upper(err + upper(64 * E * upper(abs(zc[j]) + upper(sumAbs(g, K, n, j) + err))) + TINY);
      r[j] = err;
    }
    const c = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // 3. DeepZ on the hull [l, u] of ẑ_j.
      const rad = upper(sumAbs(g, K, n, j) + r[j]);
      const l = lower(zc[j] - rad);
      const u = upper(zc[j] + rad);
      const lambda = min(sech2(l), sech2(u)) * (1 - 1e-9);
      // g(l) >= (Math.tanh(l) − slack) − λl, each operation pushed down (g(u) likewise, up).
      const gLo = lower(lower(tanh(l) - TANH_SLACK) - upper(lambda * l));
      const gHi = upper(upper(tanh(u) + TANH_SLACK) - lower(lambda * u));
      const mu = gLo / 2 + gHi / 2;
      const beta = max(upper(gHi - mu), upper(mu - gLo));
      // 5. The new center and generators, with their roundings.
      const q = lambda * zc[j];
      const cj = q + mu;
      c[j] = cj;
      let f = upper(upper(abs(q) * E) + upper(abs(cj) * E) + 2 * TINY);
      let scaled = 0;
      for (let k = 0; k < K; k++) {
        const v = g[k * n + j];
        if (v === 0) continue;
        g[k * n + j] = lambda * v;
        scaled = upper(scaled + upper(abs(g[k * n + j]) * E + TINY));
      }
      f = upper(f + scaled);
      // 3 (cont.) λ times the errors of z and the relaxation's half-width; 4. tanh's error, rounding.
      f = upper(f + upper(lambda * r[j]));
      f = upper(f + beta);
      if (exec) f = upper(f + TANH_SLACK);
      const m = min(1, upper(abs(cj) + upper(sumAbs(g, K, n, j) + f)));
      if (this.roundErr !== null) f = upper(f + this.roundErr(m));
      // The fresh generator of coordinate j: row K + j.
      g[(K + j) * n + j] = f;
    }
    return { c, g, k: K + n };
  }

  /** The interval hull (rounded outward) of the zonotope image of the box [lo, hi] under the word; `reduce` (sound: its result holds its argument) bounds the generators after each step. */
  image(lo: readonly number[], hi: readonly number[], word: Iterable<number>, reduce: (z: Zonotope) => Zonotope = (z) => z): V {
    let z = this.fromBox(lo, hi);
    for (const a of word) z = reduce(this.step(z, a));
    return this.hull(z);
  }

  /**
   * `visit(w, hull)` for every word w of `len` symbols over `k`, in lexicographic order, with the hull of
   * the image of [lo, hi] under w: the same zonotopes as `image`, each prefix's stepped once. Stops at the
   * first visit that returns false.
   */
  images(lo: readonly number[], hi: readonly number[], len: number, k: number, visit: (w: number[], hull: V) => boolean): boolean {
    const w: number[] = [];
    const walk = (z: Zonotope): boolean => {
      for (let a = 0; a < k; a++) {
        w.push(a);
        const next = this.step(z, a);
        const ok = w.length === len ? visit([...w], this.hull(next)) : walk(next);
        w.pop();
        if (!ok) return false;
      }
      return true;
    };
    return walk(this.fromBox(lo, hi));
  }

  private hull(z: Zonotope): V {
    return Array.from(z.c, (c, j) => {
      const rad = sumAbs(z.g, z.k, this.n, j);
      return [lower(c - rad), upper(c + rad)] as [number, number];
    });
  }
}

/** Σ_k |g_kj| over K rows of n, rounded up. */
function sumAbs(g: Float64Array, K: number, n: number, j: number): number {
  let s = 0;
  for (let k = 0; k < K; k++) if (g[k * n + j] !== 0) s = upper(s + abs(g[k * n + j]));
  return s;
}


/** Most words of the longest length B1 steps through (a certificate asking for more is refused, not run). */
const MAX_BASE_WORDS = 1 << 22;

const key = (ref: number, suffix: readonly number[]) => `${ref}:${suffix.join(',')}`;

/** A half-space {x : w·x <= c} of a part. */
interface Cut {
  w: readonly number[];
  c: number;
}

/** A part of a (split) block certificate: its box, cut by its half-spaces (none but in `split-cuts`). */
interface Part {
  lo: readonly number[];
  hi: readonly number[];
  cuts: readonly Cut[];
}

/** Every state of a block, split block or split-cuts certificate with its parts (a block certificate's box is its one part). */
function partsOf(cert: AnyBlockCertificate): { ref: number; suffix: readonly number[]; parts: readonly Part[] }[] {
  if (cert.kind === 'blocks') return cert.states.map((s) => ({ ref: s.ref, suffix: s.suffix, parts: [{ lo: s.lo, hi: s.hi, cuts: [] }] }));
  if (cert.kind === 'split-blocks') return cert.states.map((s) => ({ ref: s.ref, suffix: s.suffix, parts: s.parts.map((p) => ({ ...p, cuts: [] })) }));
  return cert.states;
}

/**
 * Re-verifies a block or split block certificate against an rnn-tanh, linear RNN, DeltaNet or LSTM checkpoint
 * of any depth (and its file's SHA-256): B1–B3, or the first reason why not. A split state's set is the union of its parts; every containment
 * below is in ONE part (a box), never in a union.
 */
export function checkBlockCertificate(cert: AnyBlockCertificate, ckpt: Checkpoint, sha: string): CheckOutcome {
  const no = (reason: string): CheckOutcome => ({ valid: false, reason });
  const c = ckpt.config;
  const linear = c.layers === 1 && LINEAR_FAMILIES.includes(c.family);
  const delta = c.layers === 1 && (c.family === 'deltanet-pos' || c.family === 'deltanet-neg');
  const lstm = c.layers === 1 && c.family === 'lstm';
  const deep = c.layers > 1 && DEEP_FAMILIES.includes(c.family);
  const scope = c.family === 'rnn-tanh' || linear || delta || lstm || deep ? null : `the block checker covers rnn-tanh, ${LINEAR_FAMILIES.join(', ')}, deltanet-pos, deltanet-neg and lstm of any depth, not ${c.layers}-layer ${c.family}`;
  const header = checkHeader(cert, ckpt, sha, scope);
  if ('valid' in header) return header;
  const { dfa, fmt } = header;
  const ev = new Evaluator(ckpt, fmt);
  const k = dfa.nSymbols;
  const n = ev.layerSize * c.layers;
  const j = cert.block;
  const states = partsOf(cert);
  const split = cert.kind !== 'blocks';
  const index = new Map<string, number>();
  for (const [i, s] of states.entries()) {
    if (s.ref >= dfa.nStates) return no(`states[${i}].ref: not a task state`);
    if (s.suffix.length !== j || s.suffix.some((a) => a >= k)) return no(`states[${i}].suffix: not ${j} symbols of the alphabet (block ${j})`);
    for (const [p, b] of s.parts.entries()) {
      if (b.lo.length !== n || b.hi.length !== n || b.lo.some((v, t) => !(v <= b.hi[t]))) return no(`states[${i}]${split ? `.parts[${p}]` : ''}: box is not ${n} ordered intervals`);
      const cut = b.cuts.findIndex((h) => h.w.length !== n);
      if (cut >= 0) return no(`states[${i}].parts[${p}].cuts[${cut}].w: not ${n} coefficients`);
    }
    if (index.has(key(s.ref, s.suffix))) return no(`states[${i}]: a second ${split ? 'state' : 'box'} for task state ${s.ref} and suffix '${word(dfa, s.suffix)}'`);
    index.set(key(s.ref, s.suffix), i);
  }
  const baseFrom = Math.max(j, cert.minLength ?? 1);
  if (k ** (baseFrom + j - 1) > MAX_BASE_WORDS) return no(`B1: ${k}^${baseFrom + j - 1} words to check is more than this checker's ${MAX_BASE_WORDS} (block ${j}, minLength ${cert.minLength ?? 1})`);
  const b1 = checkShortWords(cert, states, dfa, ev, index, n);
  if (b1 !== null) return no(b1);
  // One rnn-tanh layer: the step of this file; deeper (norms, MLPs, residuals between layers): zono-net.ts;
  // one linear RNN layer: zono-linear.ts; one DeltaNet layer: zono-deltanet.ts; one LSTM layer: zono-lstm.ts.
  // Several layers of the other families: zono-deep.ts.
  const zono = linear ? new LinearZonotope(ckpt, fmt) : delta ? deltanetZonotope(ckpt, fmt) : lstm ? new LstmZonotope(ckpt, fmt) : deep ? new DeepZonotope(ckpt, fmt) : c.layers === 1 ? new RnnZonotope(ckpt, fmt) : new NetZonotope(ckpt, fmt);
  for (const [i, s] of states.entries()) {
    for (const [p, b] of s.parts.entries()) {
      const at = split ? `states[${i}].parts[${p}]` : `states[${i}]`;
      let failure: string | null = null;
      zono.images(b.lo, b.hi, j, k, (w, hull) => {
        const q = run(dfa, s.ref, w);
        const t = index.get(key(q, w));
        if (t === undefined) failure = `B2: ${at} under '${word(dfa, w)}' reaches task state ${q}, which has no box for suffix '${word(dfa, w)}'`;
        else if (!states[t].parts.some((o) => inside(hull, o))) failure = `B2: the image of ${at} under '${word(dfa, w)}' leaves ${split ? 'every part' : 'the box'} of states[${t}]`;
        return failure === null;
      });
      if (failure !== null) return no(failure);
    }
  }
  for (const [i, s] of states.entries()) {
    for (const [p, b] of s.parts.entries()) {
      const box: V = b.lo.map((v, t) => [v, b.hi[t]]);
      if (!readoutOnPart(ev, s.suffix[j - 1], box, b.cuts, dfa.labels[s.ref], cert.readoutSplits)) return no(`B3: the readout of states[${i}]${split ? `.parts[${p}]` : ''} is not always '${dfa.classes[dfa.labels[s.ref]]}'`);
    }
  }
  const covered = cert.minLength === undefined ? `words shorter than ${2 * j} right` : `words of length ${cert.minLength}..${baseFrom + j - 1} right`;
  const cuts = states.reduce((t, s) => t + s.parts.reduce((u, p) => u + p.cuts.length, 0), 0);
  const boxes = split ? `${states.reduce((t, s) => t + s.parts.length, 0)} parts${cut(cuts)} of ${states.length} states` : `${states.length} boxes`;
  return { valid: true, reason: `all ${boxes} (block ${j}): ${covered}, every block image inside, every readout right` };
}

/** B1 by depth-first search over the words shorter than 2j (shared prefixes): null, or the reason. */
function checkShortWords(cert: AnyBlockCertificate, states: readonly { parts: readonly Part[] }[], dfa: Dfa, ev: Evaluator, index: Map<string, number>, size: number): string | null {
  const j = cert.block;
  // With a minimum length N the boxes hold the words of length >= L0 = max(j, N); words shorter than
  // L0 + j are checked here, their readout from N on.
  const minLength = cert.minLength ?? 1;
  const from = Math.max(j, minLength);
  const k = dfa.nSymbols;
  const path: number[] = [];
  // The Evaluator's step on a point is the executor's own (bit for bit) where the sum is exact in
  // float64, and a sound interval around it elsewhere: either way the intervals hold the executor's state.
  const visit = (q: number, state: V): string | null => {
    for (let a = 0; a < k; a++) {
      path.push(a);
      const next = ev.step(a, state);
      const r = dfa.table[q * k + a];
      if (path.length >= minLength && !readoutOk(ev, a, next, dfa.labels[r], cert.readoutSplits)) return `B1: the word '${word(dfa, path)}' is not classified '${dfa.classes[dfa.labels[r]]}'`;
      if (path.length >= from) {
        const t = index.get(key(r, path.slice(-j)));
        if (t === undefined) return `B1: no box for the word '${word(dfa, path)}' (task state ${r}, suffix '${word(dfa, path.slice(-j))}')`;
        if (!states[t].parts.some((o) => inside(next, o))) return `B1: the state after '${word(dfa, path)}' is not in ${cert.kind === 'blocks' ? 'the box' : 'any part'} of states[${t}]`;
      }
      if (path.length < from + j - 1) {
        const deeper = visit(r, next);
        if (deeper !== null) return deeper;
      }
      path.pop();
    }
    return null;
  };
  return visit(dfa.start, Array.from({ length: size }, () => [0, 0] as [number, number]));
}


const run = (dfa: Dfa, q: number, w: readonly number[]) => w.reduce((s, a) => dfa.table[s * dfa.nSymbols + a], q);
const word = (dfa: Dfa, w: readonly number[]) => w.map((a) => dfa.alphabet[a]).join(dfa.alphabet.every((s) => s.length === 1) ? '' : ' ');
const cut = (n: number) => (n === 0 ? '' : ` (${n} cuts)`);

/** True when every point of the interval vector `a` lies in the part: inside its box and, by an upper bound of w·x, on the inner side of each cut. */
function inside(a: V, part: Part): boolean {
  const { lo, hi } = part;
  return a.every(([x, y], i) => Number.isFinite(x) && Number.isFinite(y) && x >= lo[i] && y <= hi[i]) && part.cuts.every((h) => dotUpper(h.w, a) <= h.c);
}

/**
 * A number surely at least w·x for every x in the interval vector `a`: per term the larger corner product,
 * each product and each partial sum pushed up by its rounding (`upper`), so the float64 result bounds the
 * exact maximum from above.
 */
function dotUpper(w: readonly number[], a: V): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s = upper(s + upper(max(w[i] * a[i][0], w[i] * a[i][1])));
  return s;
}

/** A number surely at most w·x for every x in `a` (dotUpper's mirror). */
function dotLower(w: readonly number[], a: V): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s = lower(s + lower(min(w[i] * a[i][0], w[i] * a[i][1])));
  return s;
}

/**
 * B3 on a part: the readout gives class c everywhere in box ∩ cuts. As check.ts's readoutOk (bisection of
 * the widest coordinate, to `depth` halvings), but a sub-box that lies wholly outside some cut (its lower
 * bound of w·x above c) holds no point of the part and needs no readout.
 */
function readoutOnPart(ev: Evaluator, symbol: number, box: V, cuts: readonly Cut[], c: number, depth: number): boolean {
  if (cuts.some((h) => dotLower(h.w, box) > h.c)) return true;
  if (wins(ev.logits(symbol, box), c)) return true;
  if (depth === 0) return false;
  let i = -1;
  let width = 0;
  box.forEach(([a, b], t) => {
    if (b - a > width) {
      width = b - a;
      i = t;
    }
  });
  if (i < 0) return false;
  const mid = box[i][0] + width / 2;
  const left = box.map((v, t) => (t === i ? ([v[0], mid] as [number, number]) : v));
  const right = box.map((v, t) => (t === i ? ([mid, v[1]] as [number, number]) : v));
  return readoutOnPart(ev, symbol, left, cuts, c, depth - 1) && readoutOnPart(ev, symbol, right, cuts, c, depth - 1);
}
