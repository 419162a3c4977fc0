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
//            state tracks x_t = z − z·ρ(M_t) (z = (0, 1, 2), from x_0 = 0) with v = z·k: then
//            x_t − z = (x_{t−1} − z)(I − 2kkᵀ). The readout y = x_t·q_c with q_c = (1, 2, 4)·ρ(s^c)
//            (normalised) is <z, q_c> − <z·ρ(G_t), q̂>: six distinct values for the six elements of G_t,
//            shifted by an amount that depends on c_t alone, so the classifier reads (y, c_t) linearly
//            (nearest centre; for '-identity' tasks the half-space of the identity's centre, which is a
//            vertex: the centres lie on a sphere since ρ is orthogonal).
// Precision. 1/√2 is no value of a binary format: k rounds to (a, −a) with 2a² = 1 − η, and since the
// key is l2-normalised (‖k‖ < 1) and β ≤ 2, no binary format holds an exact reflection with two nonzero
// key entries. The stored step is a near-swap that leaves η·D behind, and whether rounding absorbs it
// decides the format. It is absorbed when η·D stays below half an ulp of the values it lands on: at bf16
// (a = 181/256, η ≈ 2.1e−4 against ulps of 2^−8) and at fixed<I,8> and fixed<I,16> (2^F/√2 within 0.05
// of an integer), where the state closes on a few dozen values and verify --all-lengths proves the
// checkpoint. At fp32 (a = fl(1/√2), η ≈ 3.42e−8 > 2^−25, half an ulp relative to a power of two) and
// fp16 it is not: a value that should become 0 keeps η·D (fp32 has subnormals, fixed point would round
// it away), the residues feed the next step's r, and the reachable states do not close (200000 pairs by
// length 18 at fp32), so verify answers unknown there. Nothing here is assumed right: verify proves it.
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
/** The tracked rows' z (differences are powers of 2, so v = a·(z_p − z_q) is a value) and the readout's query. */
const Z: readonly (readonly number[])[] = [[0, 1, 2]];
const Q = [1, 2, 4];
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

/** The two-layer deltanet-neg checkpoint of an S3 task (see the header for the mathematics). */
export function householderS3Checkpoint(task: Task): Checkpoint {
  if (!isS3Task(task)) throw new InputError(`task '${task.name}': deltanet-neg is constructed for S3's word problems only (${S3_FAMILIES.join(', ')})`);
  const letters = task.alphabet.map((name) => Array.from(name, (ch) => Number(ch) - 1));
  const V = letters.length;
  const classes = task.classes.length;
  const identity = task.family.endsWith('-identity');
  const n = 3;
  // Residual slots: the letter's one-hot, c_t, the one-hot of (letter, c_t), the readout y.
  const slotC = V;
  const combo = (g: number, c: number) => V + 1 + 2 * g + c;
  const slotY = 3 * V + 1;
  const d = slotY + Z.length;
  const hidden = 2 * V;
  const W = (rows: number, cols: number) => ({ cols, data: new Float64Array(rows * cols) });
  const set = (m: { cols: number; data: Float64Array }, i: number, j: number, v: number) => (m.data[i * m.cols + j] = v);

  const embed = W(V, d);
  for (let g = 0; g < V; g++) set(embed, g, g, 1);

  // Layer 1: the parity of even letters in row 0, read through column 0 into slot c.
  const k1 = W(d, n);
  const v1 = W(d, n);
  const q1 = W(d, n);
  letters.forEach((g, s) => {
    set(k1, s, isEven(g) ? 0 : 1, R);
    if (isEven(g)) set(v1, s, 0, 0.5);
    set(q1, s, 0, R);
  });
  const o1 = W(n, d);
  set(o1, 0, slotC, 1);
  const w1 = W(d, hidden);
  const b1 = new Float64Array(hidden);
  const w2 = W(hidden, d);
  for (let g = 0; g < V; g++) {
    for (const c of [0, 1]) {
      const u = 2 * g + c;
      set(w1, g, u, 1);
      set(w1, slotC, u, c === 0 ? -1 : 1);
      b1[u] = c === 0 ? 0 : -1;
      set(w2, u, combo(g, c), 1);
    }
  }

  // Layer 2: one reflection X per (letter, c_t), row 0 tracking z − z·ρ(M_t), read with q_c.
  const a = Math.fround(R / Math.sqrt(2 * R * R + 1e-6)); // the stored |k_p| = |k_q|
  const k2 = W(d, n);
  const v2 = W(d, n);
  const q2 = W(d, n);
  const qc = [Q, act(Q, S)]; // q·ρ(s)ᵀ: <x·ρ(s), q> = <x, q·ρ(s)ᵀ> = <x, act(q, s⁻¹)>, and s = s⁻¹
  letters.forEach((g, s) => {
    for (const c of [0, 1]) {
      const before = isEven(g) ? 1 - c : c;
      const x = compose(compose(before === 1 ? S : identityPerm(3), g), c === 1 ? S : identityPerm(3));
      const [p, q] = swapped(x);
      const slot = combo(s, c);
      set(k2, slot, p, R);
      set(k2, slot, q, -R);
      Z.forEach((z, row) => set(v2, slot, row, a * (z[p] - z[q])));
      qc[c].forEach((qi, i) => set(q2, slot, i, qi));
    }
  });
  const o2 = W(n, d);
  Z.forEach((_, row) => set(o2, row, slotY + row, 1));

  // The readout: row i gives y_i = x_i·q̂_c = <z_i, q̂_c> − <z_i·ρ(G), q̂> (q̂ = Q/‖Q‖), i.e. α_G + c·Δ with
  // Δ the same for every G; nearest centre is then linear in (y, c).
  const norm = Math.sqrt(dot(Q, Q));
  const centre = (G: Perm, c: number) => Z.map((z) => (dot(z, qc[c]) - dot(act(z, G), Q)) / norm);
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
    output: classes > 2 ? 'every' : 'last', heads: 1, positions: 'none', maxLen: 0,
  };
  const beta = new Float64Array([BETA_BIAS]);
  const fills: Record<string, ArrayLike<number>> = {
    embed: embed.data,
    'l0.mix.wk': k1.data,
    'l0.mix.wv': v1.data,
    'l0.mix.wq': q1.data,
    'l0.mix.cbeta': beta,
    'l0.mix.wo': o1.data,
    'l0.mlp.w1': w1.data,
    'l0.mlp.b1': b1,
    'l0.mlp.w2': w2.data,
    'l1.mix.wk': k2.data,
    'l1.mix.wv': v2.data,
    'l1.mix.wq': q2.data,
    'l1.mix.cbeta': beta,
    'l1.mix.wo': o2.data,
    'out.w': outW.data,
    'out.b': outB,
  };
  const origin = `construction: ${task.name} as products of Householder reflections (P3 Thm 3; deltanet-neg, 2 layers: the parity of even letters, then one reflection per letter on R³)`;
  return buildCheckpoint(config, task, origin, (name) => fills[name]);
}
