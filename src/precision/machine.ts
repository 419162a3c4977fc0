// A checkpoint at a number format as a deterministic `Machine` over exactly keyed states: the definition
// of "the model at precision F" that exact extraction, quantize and the Z3 layer all share.
//
// Semantics (the Z3 encodings must match these rules):
// 1. Weights are stored values: each float32 weight is rounded to the format once (format.round).
// 2. Every stored value is computed exactly from stored values and rounded once (half-even for floats,
//    the format's mode for fixed point; overflow saturates or gives ±Infinity as the format says). Stored
//    values: the embedding row, every gate and activation (a and b of the LRNNs, the rotation entries
//    p = r·cos θ and q = r·sin θ of lrnn-complex, the four LSTM gates, the cell and tanh(cell), β, k, q,
//    v and the delta residual v − Sk of DeltaNet), every state component, every norm output, each mixer
//    output y = h·wo, each residual sum x + y, the MLP hidden units and output, and the logits.
// 3. Affine stored values (b = u·wb + cb, v, h·wo, the MLP, the logits, the state updates such as
//    a·h + b) are exact sums of exact products, rounded once: no intermediate rounding at all.
// 4. Nonlinear stored values (exp, softplus, sigmoid, tanh, sqrt, cos, sin, softmax) are evaluated in
//    float64 on the exact pre-activation (an exact sum of products converted to float64) and then rounded
//    once to the format. Deterministic on every machine with IEEE doubles, but not correctly rounded in
//    rare near-tie cases, and the pre-activation itself is never rounded to the format (a gate's z may lie
//    far outside the format's range). exp(w) of the LRNN decays is part of the gate formula.
// 5. −0 is stored as +0 (equal values behave alike in every later exact step), so state keys are
//    canonical integer codes (format.canonical).
// 6. The network only ever sees T >= 1. The state after a non-empty word is (last symbol, every layer's
//    mixer state): the stream at the last position, hence the logits, is a function of exactly these.
//    The initial state (empty word, symbol −1) classifies as argmax(round(out.b)), the readout of a zero
//    stream; exact extraction compares non-empty words only. Ties between logits go to the lower class.
// 7. A transformer's state is its whole prefix (with cached per-position stored values): not finite-state,
//    so exact extraction hits its cap; quantize still runs it.
import { InputError } from '../errors.js';
import { BINARY_CLASSES, isBinaryClasses, type Machine } from '../machine.js';
import type { Checkpoint } from '../models/checkpoint.js';
import type { NumberFormat } from './format.js';
import { TransformerExec, type TransformerNode } from './exec/attention.js';
import { argmax, RecurrentNetworkExec } from './exec/network.js';
import { packedDiagonal, type PackedDynamics } from './exec/packed.js';

/** A state of the exact executor: the last symbol (−1 before any) and the stored state values. */
export interface ExactState {
  readonly symbol: number;
  /** Every layer's mixer state, layer after layer (empty for a transformer). */
  readonly values: Float64Array;
  /** Transformer only: the prefix read so far, with its cached stored values. */
  readonly node: TransformerNode | null;
}

/** A checkpoint machine; `packed` is the fast integer-coded stepper when the model has one (1-layer LRNN). */
export interface CheckpointMachine extends Machine<ExactState> {
  readonly format: NumberFormat;
  readonly packed: PackedDynamics | null;
  /** The stored logits of a state. */
  logits(state: ExactState): Float64Array;
}

/** The machine of a checkpoint at a format: every stored value exact and rounded once (header rules). */
export function checkpointMachine(ckpt: Checkpoint, format: NumberFormat): CheckpointMachine {
  const classes = isBinaryClasses(ckpt.task.classes) ? BINARY_CLASSES : Object.freeze([...ckpt.task.classes]);
  const alphabet = Object.freeze([...ckpt.task.alphabet]);
  if (ckpt.config.family === 'transformer') return transformerMachine(ckpt, format, alphabet, classes);
  const net = new RecurrentNetworkExec(ckpt.config, ckpt.weights, format);
  const arith = net.arith;
  const empty = new Float64Array(net.stateSize);
  const logitsOut = new Float64Array(ckpt.config.classes);
  const initial: ExactState = { symbol: -1, values: empty, node: null };
  const machine: CheckpointMachine = {
    alphabet,
    classes,
    format,
    packed: packedDiagonal(net),
    initial: () => initial,
    step(state, symbol) {
      const values = new Float64Array(net.stateSize);
      net.step(symbol, state.values, values);
      return { symbol, values, node: null };
    },
    logits: (state) => net.logits(state.symbol, state.values, new Float64Array(ckpt.config.classes)),
    classify: (state) => argmax(net.logits(state.symbol, state.values, logitsOut)),
    accepts: (state) => argmax(net.logits(state.symbol, state.values, logitsOut)) === 1,
    key(state) {
      let key = `${state.symbol}`;
      for (let i = 0; i < state.values.length; i++) key += `,${arith.code(state.values[i])}`;
      return key;
    },
  };
  return machine;
}

function transformerMachine(
  ckpt: Checkpoint,
  format: NumberFormat,
  alphabet: readonly string[],
  classes: readonly string[],
): CheckpointMachine {
  const net = new TransformerExec(ckpt.config, ckpt.weights, format);
  const none = new Float64Array(0);
  const initial: ExactState = { symbol: -1, values: none, node: null };
  const logitsOf = (state: ExactState) => net.logits(state.node, new Float64Array(ckpt.config.classes));
  return {
    alphabet,
    classes,
    format,
    packed: null,
    initial: () => initial,
    step: (state, symbol) => ({ symbol, values: none, node: net.append(state.node, symbol) }),
    logits: logitsOf,
    classify: (state) => argmax(logitsOf(state)),
    accepts: (state) => argmax(logitsOf(state)) === 1,
    key: (state) => (state.node === null ? '' : state.node.key),
  };
}

/** Throws InputError when a word holds a symbol outside the machine's alphabet. */
export function checkWord(machine: Machine<unknown>, word: readonly number[], where: string): void {
  const bad = word.findIndex((x) => !Number.isInteger(x) || x < 0 || x >= machine.alphabet.length);
  if (bad >= 0) throw new InputError(`${where}: symbol ${word[bad]} at position ${bad} is outside the alphabet`);
}
