// A constant-size recurrent model for a regular language (P1's bounded-Dyck side: a fixed-size RNN does
// Dyck-(k,d), while a 1-layer transformer needs width Ω(N)). The classic DFA-in-an-RNN construction as an
// ordinary `rnn-tanh` checkpoint: one hidden unit per (state q, last symbol σ) pair that the automaton can
// be in, saturating weights H so tanh lands on ±1 exactly at the format, plus a "started" unit s that is
// 0 before the first symbol (states start at zero) and 1 after, standing in for the start state:
//   z_(q',σ) = H·( [x = σ] + ½Σ_{j ∈ P} h_j + ½|P|·s + [δ(q₀,σ) = q']·(1 − s) − 3/2 ),
// where P is the set of units (q, σ') with δ(q, σ) = q'; with exactly one unit at +1 and the rest at −1,
// ½Σh_j + ½|P| counts the predecessors that are on (0 or 1), so the unit fires iff x = σ and δ(q,σ) = q'.
// The readout y = Σ_{accepting units} h_j / (2A) is (2 − A)/(2A) when the state accepts and −½ otherwise.
// Whether it works at a format is not assumed: exact extraction proves it (or gives a counterexample).
import { InputError } from '../../errors.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import type { Task } from '../../tasks/task.js';
import { buildCheckpoint } from './build.js';

/** Builds the rnn-tanh checkpoint of a binary regular task's reference automaton. */
export function dfaRnnCheckpoint(task: Task, saturation = 40): Checkpoint {
  const dfa = task.reference;
  if (dfa === undefined || !dfa.isBinary) throw new InputError(`${task.name}: the DFA-in-an-RNN construction needs a binary regular task`);
  const k = dfa.nSymbols;
  const q0 = dfa.start as number;
  // Units: every (q', σ) with q' = δ(q, σ) for a reachable q, plus the start pairs.
  const unitIndex = new Map<number, number>();
  const units: [number, number][] = [];
  for (let q = 0; q < dfa.nStates; q++)
    for (let s = 0; s < k; s++) {
      const t = dfa.table[q * k + s];
      const key = t * k + s;
      if (!unitIndex.has(key)) {
        unitIndex.set(key, units.length);
        units.push([t, s]);
      }
    }
  const n = units.length + 1; // + the started unit, last
  const started = n - 1;
  const width = k + 1; // one-hot symbol dims, then the readout dim
  const H = saturation;
  const wx = new Float64Array(width * n);
  const wh = new Float64Array(n * n);
  const b = new Float64Array(n);
  units.forEach(([target, sym], u) => {
    wx[sym * n + u] = H;
    let preds = 0;
    for (const [src, sym2] of units) {
      if (dfa.table[src * k + sym] === target) {
        wh[unitIndex.get(src * k + sym2)! * n + u] += H / 2;
        preds++;
      }
    }
    const fromStart = dfa.table[q0 * k + sym] === target ? 1 : 0;
    wh[started * n + u] = H * (preds / 2 - fromStart);
    b[u] = H * (fromStart - 1.5);
  });
  b[started] = H;
  const accepting = units.map(([q]) => dfa.labels[q] === 1);
  const A = accepting.filter(Boolean).length;
  if (A === 0) throw new InputError(`${task.name}: no accepting state is reachable by a non-empty word`);
  const wo = new Float64Array(n * width);
  accepting.forEach((acc, u) => {
    if (acc) wo[u * width + k] = 1 / (2 * A);
  });
  const embed = new Float64Array(k * width);
  for (let s = 0; s < k; s++) embed[s * width + s] = 1;
  const outW = new Float64Array(width * 2);
  outW[k * 2 + 1] = 1;
  const outB = [(1 - A) / (2 * A), 0];
  const config = {
    family: 'rnn-tanh' as const,
    vocab: k,
    classes: 2,
    width,
    state: n,
    layers: 1,
    mlp: 0,
    norm: 'none' as const,
    output: 'last' as const,
    heads: 1,
    positions: 'none' as const,
    maxLen: 0,
  };
  const fills: Record<string, ArrayLike<number>> = {
    embed,
    'l0.mix.wx': wx,
    'l0.mix.wh': wh,
    'l0.mix.b': b,
    'l0.mix.wo': wo,
    'out.w': outW,
    'out.b': outB,
  };
  return buildCheckpoint(config, task, `construction: DFA in an rnn-tanh (${units.length} + 1 units, H = ${H})`, (name) => fills[name]);
}
