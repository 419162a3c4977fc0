// S3's word problems as a product of Householder reflections (P3 Thm 3), as an ordinary two-layer
// `deltanet-neg` checkpoint. S3 acts on R³ by permutation matrices ρ(g) (row i has its 1 at column g(i),
// so ρ(p)ρ(q) = ρ(p·q) in the task's left-to-right product); a transposition (p q) is the one reflection
// I − 2kkᵀ with k = (e_p − e_q)/√2, but a 3-cycle has eigenvalues e^{±2πi/3} and is no single generalised
// Householder matrix (whose spectrum is {1, 1, 1 − β}, real). P3 Thm 3 needs two factors per step for
// S3 (a permutation of m points is a product of m − 1 reflections); deltanet-neg has one per step and
// head, so the second factor comes from a first layer, as P3's multi-layer statement allows:
//   layer 1  c_t = the parity of the number of even letters so far: one head whose row 0 reflects its
//            coordinate 0 about ½ (k = e_0, v = ½, β = 2: x ↦ 1 − x) on an even letter and its unused
//            coordinate 1 (k = e_1, v = 0) on an odd one. Every value is 0 or 1: exact in every format.
//            Its MLP writes the one-hot of (letter, c_t): relu(e_g − c) and relu(e_g + c − 1).
//   layer 2  M_t = G_t·s^{c_t} with s = (1 2) and G_t the prefix product, so M_t = M_{t−1}·X_t with
//            X_t = s^{c_{t−1}}·g_t·s^{c_t}, c_t = c_{t−1} + 1 + parity(g_t): X_t is odd, i.e. a
//            transposition of S3 (p q), one reflection: k = l2norm(R·(e_p − e_q)), β = 2. Row 0 of the
//            state tracks x_t = z − z·ρ(M_t) (z = (0, 1, 2); from x_0 = 0, or at an offset: below) with v = z·k:
//            then x_t − z = (x_{t−1} − z)(I − 2kkᵀ). The readout y = x_t·q_c, q_c = (−3, −1, 4)·ρ(s^c)
//            (normalised) is <z, q_c> − <z·ρ(G_t), q̂>: six distinct values for the six elements of G_t,
//            shifted by an amount that depends on c_t alone, so the classifier reads (y, c_t) linearly
//            (nearest centre; for '-identity' tasks the half-space of the identity's centre, which is a
//            vertex: the centres lie on a sphere since ρ is orthogonal).
// Precision. 1/√2 is no value of a binary format: k rounds to (a, −a) with 2a² = 1 − η, and since the
// key is l2-normalised (‖k‖ < 1) and β ≤ 2, no binary format holds an exact reflection with two nonzero
// key entries. The stored step is a near-swap that leaves η·D behind, and rounding must absorb it. At bf16
// (a = 181/256, η ≈ 2.1e−4 against ulps of 2^−8) and fixed<I,8> it does for the plain tracker started at
// x_0 = 0. At fp32 (a = fl(1/√2), η ≈ 3.42e−8 > 2^−25, half an ulp relative to a power of two) it does not:
// a coordinate that should return to 0 keeps η·D (floats keep tiny values), and the reachable states never
// close. So at fp32 the tracker lives at an offset: x_t = B·1 + z − z·ρ(M_t) with B = 2^18, where every
// coordinate has ulp 2^−5 ≫ η·D and the swap's r = a·(x_p − x_q) cancels B exactly. Swaps preserve the sum
// of the coordinates, so the offset is written by the first step alone: layer 1's second head flags it
// (x ↦ x + β(1 − x) with β = round(2σ(−2^−23)) = 1 − 2^−24 is 1 − 2^−24 after one step and 1 after two),
// its MLP turns the flag into a one-hot of the first letter, and layer 2 then writes B·1 + z − z·ρ(M_1) as
// one rank-one step (a key along that vector and a value, found by a bounded search so that round(2·v·k)
// is that vector exactly). At bf16 and fixed point β rounds to 1, the flag never fires and the tracker
// starts at 0; the query sums to 0, so both read the same. Nothing is assumed right: verify proves it.
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { ModelConfig } from '../../models/config.js';
import { compose, identityPerm, isEven, type Perm } from '../../tasks/groups.js';
import type { Task } from '../../tasks/task.js';
import { buildCheckpoint } from './build.js';

/** The S3 task families this construction covers: letters and (for s3) classes are elements of S3. */
const S3_FAMILIES = ['s3', 's3-identity', 's3-gen-identity'];

/** β's pre-activation: 2σ(40) is 2 in float64, so β = 2 in every format. */
const BETA_BIAS = 40;
/** The raw key's and query's scale: l2norm(R·e) rounds to e exactly at every format (R² ≫ 1e−6). */
const R = 64;
/** The tracked row's z (differences are powers of 2, so v = a·(z_p − z_q) is a value) and the readout's query (sum 0: the offset B cancels). */
const Z: readonly number[] = [0, 1, 2];
const Q = [-3, -1, 4];
/** The fixed transposition s = (1 2) that makes every step odd. */
const S: Perm = [1, 0, 2];

/** True for the tasks `deltanet-neg` has a construction for (S3's word and identity problems). */
export function isS3Task(task: Task): boolean {
  return S3_FAMILIES.includes(task.family);
}

/** The two points a transposition of 3 points swaps, smaller first; RangeError for any other element. */
function swapped(p: Perm): [number, number] {
  const moved = p.flatMap((image, i) => (image === i ? [] : [i]));
  if (moved.length !== 2) throw new RangeError(`${p.join('')} is not a transposition`);
  return [moved[0], moved[1]];
}

/** z·ρ(g): the row vector z moved by g (coordinate g(i) receives z_i). */
function act(z: readonly number[], g: Perm): number[] {
  const out = new Array<number>(z.length).fill(0);
  g.forEach((image, i) => (out[image] += z[i]));
  return out;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, ai, i) => s + ai * b[i], 0);

/** The offset the fp32 start puts every tracked coordinate at (its ulp, 2^−5, absorbs η·D). */
const OFFSET = 2 ** 18;
/** The first-step flag's gate: 2σ(−2^−23) rounds to 1 − 2^−24 in fp32 and to 1 in bf16 and fixed point. */
const FLAG_BETA_BIAS = -(2 ** -23);
/** 1 / (1 − the flag's first value) at fp32. */
const FLAG_SCALE = 2 ** 24;

/** What the exact executor stores for l2norm(raw) at fp32 (the norm in float64, as DeltaNetExec does). */
function storedUnit(raw: readonly number[]): number[] {
  const inv = 1 / Math.sqrt(raw.reduce((s, r) => s + r * r, 0) + 1e-6);
  return raw.map((r) => Math.fround(r * inv));
}

/**
 * A raw key and value that write exactly `target` at fp32 in one step from S = 0 (x = round(2·v·k)), found
 * by a bounded search over small rescalings of the key and ulp steps of v; RangeError if none is found.
 */
function exactStart(target: readonly number[]): { raw: number[]; v: number } {
  for (let j = 0; j < 4096; j++) {
    const raw = target.map((t) => Math.fround(t * 2 ** -12 * (1 + j * 2 ** -22)));
    const k = storedUnit(raw);
    const i = k.findIndex((x) => x !== 0);
    const v0 = Math.fround(target[i] / (2 * k[i]));
    for (let step = -8; step <= 8; step++) {
      const v = Math.fround(v0 * (1 + step * 2 ** -23));
      if (target.every((t, m) => Math.fround(2 * v * k[m]) === t)) return { raw, v };
    }
  }
  throw new RangeError(`no exact fp32 start for ${target.join(', ')}`);
}

/** The two-layer deltanet-neg checkpoint of an S3 task (see the header for the mathematics). */
export function householderS3Checkpoint(task: Task): Checkpoint {
  if (!isS3Task(task)) throw new InputError(`task '${task.name}': deltanet-neg is constructed for S3's word problems only (${S3_FAMILIES.join(', ')})`);
  const letters = task.alphabet.map((name) => Array.from(name, (ch) => Number(ch) - 1));
  const V = letters.length;
  const classes = task.classes.length;
  const identity = task.family.endsWith('-identity');
  const e = 3; // per head; head 0 tracks, head 1 (layer 1 only) is the first-step flag
  const heads = 2;
  const n = heads * e;
  // Residual slots: the letter's one-hot, c_t, the flag head's value, the one-hot of (letter, c_t) after
  // the first step, the one-hot of the first letter, the readout y.
  const slotC = V;
  const slotF = V + 1;
  const combo = (g: number, c: number) => V + 2 + 2 * g + c;
  const first = (g: number) => 3 * V + 2 + g;
  const slotY = 4 * V + 2;
  const d = slotY + 1;
  const hidden = 3 * V;
  const W = (rows: number, cols: number) => ({ cols, data: new Float64Array(rows * cols) });
  const set = (m: { cols: number; data: Float64Array }, i: number, j: number, v: number) => (m.data[i * m.cols + j] = v);

  const embed = W(V, d);
  for (let g = 0; g < V; g++) set(embed, g, g, 1);

  // Layer 1, head 0: the parity of even letters in row 0, read through column 0 into slot c. Head 1: row 0
  // steps x ↦ x + β(1 − x) with β = 1 − 2^−24, so x_1 = 1 − 2^−24 and x_t = round(1 − 2^−48) = 1 after,
  // at fp32 (at bf16 and fixed point β = 1 and x_t = 1 throughout): f = 2^24·(1 − x) flags the first step.
  const k1 = W(d, n);
  const v1 = W(d, n);
  const q1 = W(d, n);
  letters.forEach((g, s) => {
    set(k1, s, isEven(g) ? 0 : 1, R);
    if (isEven(g)) set(v1, s, 0, 0.5);
    set(q1, s, 0, R);
    set(k1, s, e, R);
    set(v1, s, e, 1);
    set(q1, s, e, R);
  });
  const o1 = W(n, d);
  set(o1, 0, slotC, 1);
  set(o1, e, slotF, 1);
  const w1 = W(d, hidden);
  const b1 = new Float64Array(hidden);
  const w2 = W(hidden, d);
  for (let g = 0; g < V; g++) {
    // relu(e_g − c − f), relu(e_g + c − 1 − f), relu(e_g + f − 1), with f = 2^24 − 2^24·x_flag and
    // e_g − 1 = −Σ_{g' ≠ g} e_g' (one letter is on), so every weight is ±1 or ±2^24: a value of each format.
    const minusOne = (u: number) => letters.forEach((_, h) => set(w1, h, u, h === g ? 0 : -1));
    for (const c of [0, 1]) {
      const u = 2 * g + c;
      if (c === 0) set(w1, g, u, 1);
      else minusOne(u);
      set(w1, slotC, u, c === 0 ? -1 : 1);
      set(w1, slotF, u, FLAG_SCALE);
      b1[u] = -FLAG_SCALE;
      set(w2, u, combo(g, c), 1);
    }
    const u = 2 * V + g;
    minusOne(u);
    set(w1, slotF, u, -FLAG_SCALE);
    b1[u] = FLAG_SCALE;
    set(w2, u, first(g), 1);
  }

  // Layer 2: one reflection X per (letter, c_t), row 0 tracking B·1 + z − z·ρ(M_t), read with q_c. The first
  // step writes that vector for M_1 outright (fp32; a rank-one write along it); without the flag it starts
  // from 0 and tracks z − z·ρ(M_t), which reads the same since the query sums to 0.
  const a = Math.fround(R / Math.sqrt(2 * R * R + 1e-6)); // the stored |k_p| = |k_q|
  const k2 = W(d, n);
  const v2 = W(d, n);
  const q2 = W(d, n);
  const qc = [Q, act(Q, S)]; // <x·ρ(s^c), Q> = <x, Q·ρ(s^c)ᵀ>, and Q·ρ(s)ᵀ = act(Q, s) as s = s⁻¹
  const z = Z;
  letters.forEach((g, s) => {
    for (const c of [0, 1]) {
      const before = isEven(g) ? 1 - c : c;
      const x = compose(compose(before === 1 ? S : identityPerm(3), g), c === 1 ? S : identityPerm(3));
      const [p, q] = swapped(x);
      const slot = combo(s, c);
      set(k2, slot, p, R);
      set(k2, slot, q, -R);
      set(v2, slot, 0, a * (z[p] - z[q]));
      qc[c].forEach((qi, i) => set(q2, slot, i, qi));
    }
    const c1 = isEven(g) ? 1 : 0;
    const m1 = compose(g, c1 === 1 ? S : identityPerm(3));
    const moved = act(z, m1);
    const start = exactStart(z.map((zi, i) => OFFSET + zi - moved[i]));
    start.raw.forEach((r, i) => set(k2, first(s), i, r));
    set(v2, first(s), 0, start.v);
    qc[c1].forEach((qi, i) => set(q2, first(s), i, qi));
  });
  const o2 = W(n, d);
  set(o2, 0, slotY, 1);

  // The readout: y = x·q̂_c = <z, q̂_c> − <z·ρ(G), q̂> (q̂ = Q/‖Q‖; the offset meets a query summing to 0),
  // i.e. α_G + c·Δ with Δ the same for every G; nearest centre is then linear in (y, c).
  const norm = Math.sqrt(dot(Q, Q));
  const centre = (G: Perm, c: number) => [(dot(z, qc[c]) - dot(act(z, G), Q)) / norm];
  const delta = centre(identityPerm(3), 1).map((v, i) => v - centre(identityPerm(3), 0)[i]);
  const outW = W(d, classes);
  const outB = new Float64Array(classes);
  const elements: Perm[] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  // logit(α) = 2<α, y> − 2c<α, Δ> − ‖α‖² (the terms common to every centre dropped).
  const logit = (cls: number, al: number[], scale: number) => {
    al.forEach((ai, i) => set(outW, slotY + i, cls, scale * 2 * ai));
    set(outW, slotC, cls, -scale * 2 * dot(al, delta));
    outB[cls] += -scale * dot(al, al);
  };
  if (identity) {
    // accept iff G = identity. The six centres lie on a sphere (ρ is orthogonal) around their mean m, so
    // w = id − m supports the identity's centre alone: accept iff <y − m, w> is past the midpoint between
    // the identity's value and the largest other one. logit_1 = <w, y> − c<w, Δ> − threshold, logit_0 = 0.
    const all = elements.map((G) => centre(G, 0));
    const m = all[0].map((_, i) => all.reduce((sum, v) => sum + v[i], 0) / all.length);
    const w = all[0].map((v, i) => v - m[i]);
    const values = all.map((v) => dot(v, w));
    const threshold = (values[0] + Math.max(...values.slice(1))) / 2;
    w.forEach((wi, i) => set(outW, slotY + i, 1, wi));
    set(outW, slotC, 1, -dot(w, delta));
    outB[1] = -threshold;
  } else {
    task.classes.forEach((name, G) => logit(G, centre(Array.from(name, (ch) => Number(ch) - 1), 0), 1));
  }

  const config: ModelConfig = {
    family: 'deltanet-neg', vocab: V, classes, width: d, state: n, layers: 2, mlp: hidden, norm: 'none',
    output: classes > 2 ? 'every' : 'last', heads, positions: 'none', maxLen: 0,
  };
  const fills: Record<string, ArrayLike<number>> = {
    embed: embed.data,
    'l0.mix.wk': k1.data,
    'l0.mix.wv': v1.data,
    'l0.mix.wq': q1.data,
    'l0.mix.cbeta': [BETA_BIAS, FLAG_BETA_BIAS],
    'l0.mix.wo': o1.data,
    'l0.mlp.w1': w1.data,
    'l0.mlp.b1': b1,
    'l0.mlp.w2': w2.data,
    'l1.mix.wk': k2.data,
    'l1.mix.wv': v2.data,
    'l1.mix.wq': q2.data,
    'l1.mix.cbeta': [BETA_BIAS, 0],
    'l1.mix.wo': o2.data,
    'out.w': outW.data,
    'out.b': outB,
  };
  const origin = `construction: ${task.name} as products of Householder reflections (P3 Thm 3; deltanet-neg, 2 layers: the parity of even letters and a first-step flag, then one reflection per letter on R³)`;
  return buildCheckpoint(config, task, origin, (name) => fills[name]);
}
