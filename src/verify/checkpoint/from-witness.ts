// A sat witness of lrnn-pos, lrnn-neg or lrnn-complex as a checkpoint that every other command reads:
// weights that, run by precision/machine.ts at the witness's fixed format, give the witness's state codes
// on every word and the witness's threshold labels. The checkpoint is replayed on every word of the
// instance before anyone sees it; a disagreement is an InternalError, never a written file.
//
// Layout of the residual stream (width d, one layer, no norm, no MLP, output 'last'):
//   per symbol x, a block of m "coarse" dims (embedding 1.0) and one "fine" dim (embedding 2^−F), zero in
//   every other symbol's embedding: the gate pre-activation z_j(x) = Σ_k u_k·wa[k][j] (ca = 0) reads only
//   x's block, so each (x, j) gets its own z, on the grid 2^−2F (coarse: codes·2^−F, fine: codes·2^−2F);
//   lrnn-complex's angle θ_j(x) = Σ_k u_k·wt[k][j] (ct = 0) likewise;
//   b_j(x) = round(1.0·wb[k0(x)][j]) = b code exactly (k0(x) = x's first coarse dim, cb = 0);
//   per state unit i, K_i "copy" dims (embedding 0, wo[i][copy] = 1) and a few "constant" dims
//   (embedding 1.0 in every symbol) for the readout.
//
// Gates. With w = 0 (exp(w) = 1) the stored gate is round(e(z)) (lrnn-pos) or round(2·e(z) − 1) (lrnn-neg),
// e(z) = exp(−softplus(z)), evaluated in float64 exactly as exec/lrnn.ts does. For a target code a we aim
// e(z) at the middle of the values that round to a (clipped to what e can reach: (0, 1]), invert, and
// snap z to the 2^−2F grid; the snapped value is then required to round to a even when moved by ulp/8 either
// way (so no tie and no libm-last-bit sensitivity), except at e = 1 exactly (floor mode's a = 1 needs a
// saturating z = −40, where softplus is 4e−18 and exp gives 1.0 exactly). lrnn-complex: the same for the
// pair p = round(r·cos θ), q = round(r·sin θ): a point of both rounding cells with r <= 1 (rotationInput).
//
// Readout, and why argmax equals the class threshold exactly. Let W_i, H_i, C be the codes of w_i, h_i, c,
// N = Σ W_i·H_i + C·2^F (so w·h + c = N·2^−2F), g = gcd(W_1..W_D, C·2^F), α_i = W_i/g (integers) and
// κ = C·2^F/g (an integer, used as the code of a value). At a state h (non-empty word, last symbol s):
//   1. y_copy = round(1·h_i) = h_i, since h_i is a code; x_copy = round(embed 0 + h_i) = h_i.
//   2. logit_0 = round(0) = 0: out.w[·][0] = 0 and out.b[0] = 0.
//   3. logit_1 = round(Σ_copies v·h_i + Σ_const u·1.0 + out.b[1]), where the copies of unit i carry integer
//      weights v summing to α_i and the constants' code weights plus out.b[1] sum to κ·2^−F. The exact sum
//      is Σ α_i·h_i + κ·2^−F = (N/g)·2^−F: a multiple of 2^−F, so rounding it is exact, or it saturates to
//      codeMax > 0 or codeMin < 0, keeping its sign. Every other stream dim meets a zero weight.
//   4. argmax breaks ties to class 0, so the checkpoint says 1 iff logit_1 > 0 iff N > 0 iff w·h + c > 0.
//   5. The empty word: the executor classifies by argmax(round(out.b)); out.b[1] = sign(κ)·min(|κ|, codeMax)
//      (as a code) has the sign of κ, hence of C, so it says 1 iff c > 0 = the threshold at h = 0.
import { InputError, InternalError } from '../../errors.js';
import type { Word } from '../../machine.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { ModelConfig } from '../../models/config.js';
import type { Weights } from '../../models/params.js';
import { paramShapes, sizeOf } from '../../models/params.js';
import type { DiagonalLrnnParams } from '../../precision/diagonal.js';
import { fixedFormatOf } from '../../precision/diagonal.js';
import { softplus } from '../../precision/exec/mixer.js';
import type { FixedFormat } from '../../precision/format.js';
import { checkpointMachine } from '../../precision/machine.js';
import type { Task } from '../../tasks/task.js';
import type { ModelClass } from '../classes.js';
import type { ClassWitness, DenseWitness } from '../z3/encode.js';
import { isDenseWitness, isProductWitness, witnessExecutor } from '../z3/encode.js';

/** The model family a class's witness is written as, or null with the reason it has none. */
export function checkpointFamilyOf(cls: ModelClass): { family: 'lrnn-pos' | 'lrnn-neg' | 'lrnn-complex' } | { family: null; why: string } {
  if (cls.name === 'lrnn-pos' || cls.name === 'lrnn-neg' || cls.name === 'lrnn-complex') return { family: cls.name };
  if (cls.name === 'lrnn-real' || cls.name === 'perm-diag' || cls.name === 'rnn-relu' || 'factors' in cls) {
    return { family: null, why: `${cls.name} has no trainable model family` };
  }
  return { family: null, why: `witness checkpoints are written for lrnn-pos, lrnn-neg and lrnn-complex only (not yet for ${cls.name})` };
}

/** InputError unless a sat witness of this class can be written as a checkpoint (call before solving). */
export function requireCheckpointFamily(cls: ModelClass, readout: 'linear' | 'any', format: string): void {
  const f = checkpointFamilyOf(cls);
  if (f.family === null) throw new InputError(`--checkpoint-out: ${f.why}`);
  if (readout !== 'linear') throw new InputError(`--checkpoint-out: readout '${readout}' has no formula to write as logits (use --readout linear)`);
  checkFormat(fixedFormatOf(format));
}

function checkFormat(format: FixedFormat): void {
  // 1.0 must be a code (one-hot embeddings, b = 1·wb) and every code a float32 (weights are float32).
  if (format.intBits < 2) throw new InputError(`--checkpoint-out: format ${format.name}: needs I >= 2 so that 1.0 is a value`);
  if (format.bits > 24) throw new InputError(`--checkpoint-out: format ${format.name}: codes wider than 24 bits are not float32 values`);
}

/** e(z) = exp(−softplus(z)·exp(w)) at w = 0, and the stored gate value before rounding: exec/lrnn.ts. */
function gateValue(z: number, negative: boolean): number {
  const decay = Math.exp(-softplus(z) * Math.exp(0));
  return negative ? 2 * decay - 1 : decay;
}

/** The pre-activation z, on the 2^−2F grid (as the integer z·2^2F), whose stored gate is exactly code a. */
export function gateInput(format: FixedFormat, negative: boolean, a: number): number {
  const ulp = format.ulp;
  const v = a * ulp;
  const [ilo, ihi] = format.rounding === 'floor' ? [v, v + ulp] : [v - ulp / 2, v + ulp / 2];
  const lo = Math.max(ilo, negative ? -1 : 0);
  const hi = Math.min(ihi, 1);
  if (!(lo <= hi)) throw new InternalError(`gate code ${a} of ${format.name} is outside what the gate reaches`);
  const target = lo === hi ? 1 : (lo + hi) / 2;
  const decay = negative ? (target + 1) / 2 : target;
  const z = decay >= 1 ? -40 : Math.log(Math.expm1(-Math.log(decay)));
  const zInt = Math.round(z * 2 ** (2 * format.fracBits));
  const value = gateValue(zInt * 2 ** (-2 * format.fracBits), negative);
  const ok = format.encode(value) === a && (value === 1 || (format.encode(value - ulp / 8) === a && format.encode(value + ulp / 8) === a));
  if (!ok) throw new InternalError(`no safe gate input for code ${a} of ${format.name} (got value ${value})`);
  return zInt;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Splits an integer n into parts of magnitude <= step with the sign of n (none for n = 0). */
function split(n: number, step: number): number[] {
  const parts: number[] = [];
  let rest = n;
  while (rest !== 0) {
    const p = Math.sign(rest) * Math.min(Math.abs(rest), step);
    parts.push(p);
    rest -= p;
  }
  return parts;
}

function zeroWeights(config: ModelConfig): Weights {
  const out: Weights = {};
  for (const [name, shape] of paramShapes(config)) out[name] = { shape: [...shape], data: new Float32Array(sizeOf(shape)) };
  return out;
}

/** A gate pre-activation weight: name, columns, and per symbol the target z·2^2F of each column. */
interface PreActivation {
  name: string;
  cols: number;
  targets: number[][];
}

/**
 * The checkpoint of a one-layer recurrent family whose gates read pre-activations (layout and readout proof
 * in the header): `pre` gives every gate weight's targets on the 2^−2F grid, b the offsets (codes, wb).
 */
function layoutCheckpoint(
  format: FixedFormat,
  family: 'lrnn-pos' | 'lrnn-neg' | 'lrnn-complex',
  w: { dim: number; alphabet: string[]; b: number[][]; readout?: { w: number[]; c: number } },
  pre: readonly PreActivation[],
  task: Task,
): Checkpoint {
  if (w.readout === undefined) throw new InputError('witness checkpoint: the witness has no linear readout (readout any)');
  const F = format.fracBits;
  const ulp = format.ulp;
  const D = w.dim;
  const V = w.alphabet.length;
  // Each target as coarse codes (weights of 1.0 dims) plus one fine code (weight of the 2^−F dim).
  const parts = pre.map((p) =>
    p.targets.map((row) =>
      row.map((zInt) => {
        const q = Math.floor(zInt / 2 ** F);
        return { coarse: split(q, format.codeMax), fine: zInt - q * 2 ** F };
      }),
    ),
  );
  const m = Math.max(1, ...parts.flat(2).map((g) => g.coarse.length));
  const { w: W, c: C } = w.readout;
  const g = [...W, C * 2 ** F].reduce(gcd, 0) || 1;
  const intStep = 2 ** (format.intBits - 1) - 1; // the largest integer value that is a code
  const copies = W.map((Wi) => split(Wi / g, intStep));
  const kappa = (C * 2 ** F) / g;
  const bias = Math.sign(kappa) * Math.min(Math.abs(kappa), format.codeMax);
  const constants = split(kappa - bias, format.codeMax);
  // Dims: symbol blocks, then copies unit by unit, then constants.
  const blockStart = (x: number): number => x * (m + 1);
  const copyStart: number[] = [];
  let next = V * (m + 1);
  for (const c of copies) {
    copyStart.push(next);
    next += c.length;
  }
  const constStart = next;
  const width = Math.max(1, constStart + constants.length);
  const config: ModelConfig = {
    family, vocab: V, classes: 2, width, state: D, layers: 1, mlp: 0, norm: 'none',
    output: 'last', heads: 1, positions: 'none', maxLen: 0,
  };
  const weights = zeroWeights(config);
  const set = (name: string, index: number, value: number): void => {
    const t = weights[name];
    t.data[index] = value;
    if (t.data[index] !== value) throw new InternalError(`witness checkpoint: ${name}[${index}] = ${value} is not a float32`);
  };
  for (let x = 0; x < V; x++) {
    const base = blockStart(x);
    for (let k = 0; k < m; k++) set('embed', x * width + base + k, 1);
    set('embed', x * width + base + m, ulp);
    constants.forEach((_, k) => set('embed', x * width + constStart + k, 1));
    pre.forEach((p, n) => {
      for (let j = 0; j < p.cols; j++) {
        const gate = parts[n][x][j];
        gate.coarse.forEach((code, k) => set(p.name, (base + k) * p.cols + j, code * ulp));
        set(p.name, (base + m) * p.cols + j, gate.fine * ulp);
      }
    });
    for (let j = 0; j < D; j++) set('l0.mix.wb', base * D + j, w.b[x][j] * ulp);
  }
  copies.forEach((vs, i) =>
    vs.forEach((v, k) => {
      set('l0.mix.wo', i * width + copyStart[i] + k, 1);
      set('out.w', (copyStart[i] + k) * 2 + 1, v);
    }),
  );
  constants.forEach((code, k) => set('out.w', (constStart + k) * 2 + 1, code * ulp));
  set('out.b', 1, bias * ulp);
  return {
    config,
    task: { name: task.name, alphabet: [...task.alphabet], classes: [...task.classes] },
    training: null,
    origin: `verify witness: ${family}, dim ${D}, ${format.name}, on ${task.name}`,
    weights,
  };
}

/** The checkpoint of a diagonal witness: wa carries each gate's z. */
export function diagonalWitnessCheckpoint(w: DiagonalLrnnParams, family: 'lrnn-pos' | 'lrnn-neg', task: Task): Checkpoint {
  const format = fixedFormatOf(w.format);
  checkFormat(format);
  const targets = w.a.map((row) => row.map((a) => gateInput(format, family === 'lrnn-neg', a)));
  return layoutCheckpoint(format, family, w, [{ name: 'l0.mix.wa', cols: w.dim, targets }], task);
}

/** The cell of values that round to code c, as [lo, hi] (floor: [c, c + 1)·ulp, else [c ∓ 1/2]·ulp). */
function cell(format: FixedFormat, c: number): [number, number] {
  const v = c * format.ulp;
  return format.rounding === 'floor' ? [v, v + format.ulp] : [v - format.ulp / 2, v + format.ulp / 2];
}

/** True when v rounds to c and keeps doing so ulp/8 either way, or is exactly the value of c. */
function safely(format: FixedFormat, v: number, c: number): boolean {
  if (format.encode(v) !== c) return false;
  return v === c * format.ulp || (format.encode(v - format.ulp / 8) === c && format.encode(v + format.ulp / 8) === c);
}

/**
 * The pre-activations (z, θ)·2^2F of one rotation block whose stored p = round(r·cos θ), q = round(r·sin θ)
 * are exactly the codes p, q (exec/complex.ts, w = 0): a point of the two rounding cells with r <= 1,
 * tried from the middle outwards, snapped to the grid and checked as `gateInput` does.
 */
export function rotationInput(format: FixedFormat, p: number, q: number): { z: number; theta: number } {
  const scale = 2 ** (2 * format.fracBits);
  const [plo, phi] = cell(format, p);
  const [qlo, qhi] = cell(format, q);
  const fractions = [0.5, 0.25, 0.75, 0.125, 0.875, 0];
  for (const fp of fractions) {
    for (const fq of fractions) {
      const tp = plo + fp * (phi - plo);
      const tq = qlo + fq * (qhi - qlo);
      const r = Math.hypot(tp, tq);
      if (r > 1) continue;
      const z = r >= 1 ? -40 : r === 0 ? 40 : Math.log(Math.expm1(-Math.log(r)));
      const zInt = Math.round(z * scale);
      const thetaInt = Math.round(Math.atan2(tq, tp) * scale);
      const rr = Math.exp(-softplus(zInt / scale) * Math.exp(0));
      const theta = thetaInt / scale;
      if (safely(format, rr * Math.cos(theta), p) && safely(format, rr * Math.sin(theta), q)) return { z: zInt, theta: thetaInt };
    }
  }
  throw new InternalError(`no safe rotation gate input for (p, q) = (${p}, ${q}) of ${format.name}`);
}

/** The checkpoint of an lrnn-complex witness: wa carries each block's modulus, wt its angle. */
export function rotationWitnessCheckpoint(w: DenseWitness, task: Task): Checkpoint {
  const format = fixedFormatOf(w.format);
  checkFormat(format);
  const gens = w.generators;
  if (gens.kind !== 'rotation') throw new InternalError(`witness checkpoint: lrnn-complex gave ${gens.kind} generators`);
  const inputs = gens.p.map((row, x) => row.map((p, j) => rotationInput(format, p, gens.q[x][j])));
  const blocks = w.dim / 2;
  return layoutCheckpoint(
    format,
    'lrnn-complex',
    w,
    [
      { name: 'l0.mix.wa', cols: blocks, targets: inputs.map((row) => row.map((t) => t.z)) },
      { name: 'l0.mix.wt', cols: blocks, targets: inputs.map((row) => row.map((t) => t.theta)) },
    ],
    task,
  );
}

/**
 * Runs a checkpoint at the witness's format on every word and holds it to the witness executor: the same
 * state codes and the same label on each; InternalError naming the first word that differs.
 */
export function replayCheckpoint(ckpt: Checkpoint, witness: ClassWitness, words: readonly Word[]): void {
  const format = fixedFormatOf(witness.format);
  const machine = checkpointMachine(ckpt, format);
  const net = witnessExecutor(witness);
  const exact = net.machine;
  if (exact === undefined) throw new InternalError('witness checkpoint: the witness has no readout to replay');
  const show = (word: Word): string => `'${word.map((x) => witness.alphabet[x]).join('')}'`;
  for (const word of words) {
    let state = machine.initial();
    for (const x of word) state = machine.step(state, x);
    const codes = Array.from(state.values, (v) => format.encode(v)).join(',');
    const expected = net.key(net.run(word));
    if (codes !== expected) {
      throw new InternalError(`witness checkpoint does not replay: word ${show(word)}: checkpoint state [${codes}], witness state [${expected}]`);
    }
    const got = machine.classify(state);
    const want = exact.classify(net.run(word));
    if (got !== want) throw new InternalError(`witness checkpoint does not replay: word ${show(word)}: checkpoint says ${got}, witness says ${want}`);
  }
}

/** The witness as a checkpoint, replayed on every word before it is returned (InputError: no family). */
export function witnessCheckpoint(witness: ClassWitness, cls: ModelClass, task: Task, words: readonly Word[]): Checkpoint {
  const f = checkpointFamilyOf(cls);
  if (f.family === null) throw new InputError(`witness checkpoint: ${f.why}`);
  let ckpt: Checkpoint;
  if (f.family === 'lrnn-complex') {
    if (!isDenseWitness(witness)) throw new InternalError(`witness checkpoint: class ${cls.name} gave a non-rotation witness`);
    ckpt = rotationWitnessCheckpoint(witness, task);
  } else {
    if (isDenseWitness(witness) || isProductWitness(witness)) throw new InternalError(`witness checkpoint: class ${cls.name} gave a non-diagonal witness`);
    ckpt = diagonalWitnessCheckpoint(witness, f.family, task);
  }
  replayCheckpoint(ckpt, witness, words);
  return ckpt;
}
