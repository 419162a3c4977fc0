// P0's permutation-diagonal LRNN simulating a group automaton, as an ordinary `lrnn-pd` checkpoint. Each
// input symbol s acts on m points by a permutation π_s; the model tracks r start points j at once (state
// n = r·m, block j one-hot over the points). With v the one-hot of the start points and P_s the permutation
// of the state coordinates that moves block j's coordinate i to π_s(i) (perm row s: (j,i) ↦ (j, π_s⁻¹(i))),
//   h_t = P_{s_t} h_{t−1} + (v − P_{s_t} v),   so   h_t − v = P_{s_t}(h_{t−1} − v)   and   h_t = v − M_t,
// where M_t is the one-hot of the tracked points' current positions (h_0 = 0 = v − v plays the start). The
// gate is exactly 1 (ca = −40: softplus(−40)·1 ≈ 4e−18 vanishes in float64), every value is in {−1, 0, 1},
// and the readout logit_c = Σ W_c[(j,i)]·M_t[(j,i)] + β_c is integer arithmetic: exact in every format that
// holds the small integers involved (fp32, bf16, fp16, fixed<I,F> with I large enough for the logits).
// The input selects its own row: c* = s. Where the symbols' actions on the tracked points differ, the
// embedding is b_s = v − P_s v itself and z_c = <P_c v, P_s v> counts the tracks on which c and s agree
// (r exactly when c = s); otherwise the embedding is one-hot and wp the identity.
// Two instances: a group word problem (s3, s5, a5 and -identity: the group acting on its k points, all k
// tracked, so n = k² and the state is the permutation matrix of the product), and any permutation
// automaton (one track over its states). Whether the checkpoint is right is not assumed: verify proves it.
import type { Dfa } from '../../automata/dfa.js';
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { ModelConfig } from '../../models/config.js';
import { isEven } from '../../tasks/groups.js';
import type { Task } from '../../tasks/task.js';
import { buildCheckpoint } from './build.js';

/** Gate pre-activation: 2·exp(−softplus(−40)) − 1 is 1.0 in float64 and in every format. */
const GATE_BIAS = -40;

/** A group action read as a model: m points, r tracked starts, per symbol its images, and a linear readout. */
export interface PermAction {
  /** m: points acted on. */
  readonly points: number;
  /** The tracked start point of each track (r = starts.length). */
  readonly starts: readonly number[];
  /** images[s][i] = π_s(i) for each input symbol s. */
  readonly images: readonly (readonly number[])[];
  /** W_c[(j, i)]: the weight of "track j is at point i" in class c's logit. */
  readonly score: (c: number, track: number, point: number) => number;
  /** β_c. */
  readonly bias: readonly number[];
}

/** The task families whose alphabet and classes are permutations named in one-line notation. */
const GROUP_FAMILIES = ['s3', 's5', 'a5', 's5-swaps', 's5-swaps3', 's3-identity', 's5-identity', 'a5-identity', 's3-gen-identity'];

/** A one-line permutation name ('21345') as its 0-based images. */
function parsePerm(name: string): number[] {
  return Array.from(name, (ch) => Number(ch) - 1);
}

/** True for the group word problems, whose symbols and classes are permutations. */
export function isGroupTask(task: Task): boolean {
  return GROUP_FAMILIES.includes(task.family);
}

/** The group word problem's action: the elements on their k points, every point tracked. */
export function groupAction(task: Task): PermAction {
  if (!isGroupTask(task)) throw new InputError(`task '${task.name}': not a group word problem (${GROUP_FAMILIES.join(', ')})`);
  const images = task.alphabet.map(parsePerm);
  const k = images[0].length;
  const starts = Array.from({ length: k }, (_, j) => j);
  if (task.family.endsWith('-identity')) {
    // accept (class 1) iff every point is fixed: logit_1 = #fixed points, logit_0 = k − 1 (a non-identity
    // permutation fixes at most k − 2 points, so both margins are at least 1).
    return { points: k, starts, images, score: (c, j, i) => (c === 1 && i === j ? 1 : 0), bias: [k - 1, 0] };
  }
  // class g: logit_g = #{j : g_t(j) = g(j)}, k for g = g_t and at most k − 2 otherwise.
  const classes = task.classes.map(parsePerm);
  if (task.family === 'a5' && !classes.every(isEven)) throw new InputError(`task '${task.name}': an odd class`);
  return { points: k, starts, images, score: (c, j, i) => (classes[c][j] === i ? 1 : 0), bias: task.classes.map(() => 0) };
}

/** A permutation automaton's action on its states (one track from the start state); InputError if a letter is not a bijection. */
export function automatonAction(dfa: Dfa): PermAction {
  const m = dfa.nStates;
  const k = dfa.nSymbols;
  const images = dfa.alphabet.map((letter, s) => {
    const row = Array.from({ length: m }, (_, q) => dfa.table[q * k + s]);
    const hit = new Int32Array(m).fill(-1);
    row.forEach((t, q) => {
      if (hit[t] >= 0) {
        throw new InputError(`letter '${letter}' maps states ${hit[t]} and ${q} both to ${t}: not a permutation automaton (lrnn-pd simulates exactly the group automata; rnn-tanh simulates any DFA)`);
      }
      hit[t] = q;
    });
    return row;
  });
  const start = dfa.start as number;
  return { points: m, starts: [start], images, score: (c, _j, q) => (dfa.labels[q] === c ? 1 : 0), bias: dfa.classes.map(() => 0) };
}

/** The lrnn-pd checkpoint of an action for a task whose alphabet and classes it reads in order. */
export function permDiagonalCheckpoint(task: Task, action: PermAction, output: ModelConfig['output']): Checkpoint {
  const { points: m, starts, images } = action;
  const r = starts.length;
  const n = r * m;
  const vocab = task.alphabet.length;
  const classes = task.classes.length;
  if (images.length !== vocab) throw new InputError(`task '${task.name}': ${vocab} symbols but ${images.length} permutations`);
  if (action.bias.length !== classes) throw new InputError(`task '${task.name}': ${classes} classes but ${action.bias.length} readout biases`);
  const at = (j: number, i: number) => j * m + i;
  // P_s v: the one-hot of where each track's start goes.
  const moved = images.map((pi) => starts.map((q) => pi[q]));
  const compact = new Set(moved.map((row) => row.join(','))).size === vocab;
  const e = compact ? n : vocab; // embedding dims, then the state's n dims
  const d = e + n;
  const embed = new Float32Array(vocab * d);
  const perm = new Float32Array(vocab * n);
  const wp = new Float32Array(d * vocab);
  const cp = new Float32Array(vocab);
  const wb = new Float32Array(d * n);
  images.forEach((pi, s) => {
    const inverse = new Array<number>(m);
    pi.forEach((t, i) => (inverse[t] = i));
    for (let j = 0; j < r; j++) for (let i = 0; i < m; i++) perm[s * n + at(j, i)] = at(j, inverse[i]);
  });
  // b_s = v − P_s v, over the embedding (compact: it is the embedding; one-hot: row s of wb).
  const offset = (s: number): Float32Array => {
    const b = new Float32Array(n);
    starts.forEach((q, j) => {
      b[at(j, q)] += 1;
      b[at(j, moved[s][j])] -= 1;
    });
    return b;
  };
  for (let s = 0; s < vocab; s++) {
    if (compact) {
      embed.set(offset(s), s * d);
      // z_c = −<P_c v, b_s> + <P_c v, v> = <P_c v, P_s v>.
      starts.forEach((q, j) => {
        wp[at(j, moved[s][j]) * vocab + s] = -1;
        if (moved[s][j] === q) cp[s] += 1;
      });
    } else {
      embed[s * d + s] = 1;
      wp[s * vocab + s] = 1;
      wb.set(offset(s), s * n);
    }
  }
  if (compact) for (let i = 0; i < n; i++) wb[i * n + i] = 1;
  const wo = new Float32Array(n * d);
  for (let i = 0; i < n; i++) wo[i * d + e + i] = 1;
  // logit_c = Σ W_c·M + β_c with M = v − h: out.w = −W_c on the state dims, out.b = β_c + Σ_j W_c[(j, start_j)].
  const outW = new Float32Array(d * classes);
  const outB = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    outB[c] = action.bias[c];
    for (let j = 0; j < r; j++) {
      outB[c] += action.score(c, j, starts[j]);
      for (let i = 0; i < m; i++) outW[(e + at(j, i)) * classes + c] = -action.score(c, j, i);
    }
  }
  const config: ModelConfig = {
    family: 'lrnn-pd', vocab, classes, width: d, state: n, layers: 1, mlp: 0, norm: 'none', output, heads: 1, positions: 'none', maxLen: 0,
  };
  const fills: Record<string, ArrayLike<number>> = {
    embed,
    'l0.mix.perm': perm,
    'l0.mix.wp': wp,
    'l0.mix.cp': cp,
    'l0.mix.ca': new Float32Array(n).fill(GATE_BIAS),
    'l0.mix.wb': wb,
    'l0.mix.wo': wo,
    'out.w': outW,
    'out.b': outB,
  };
  const origin = `construction: ${task.name} as a permutation-diagonal LRNN (P0; ${r} track${r === 1 ? '' : 's'} over ${m} points, state ${n}, ${compact ? 'compact' : 'one-hot'} embedding)`;
  return buildCheckpoint(config, task, origin, (name) => fills[name]);
}
