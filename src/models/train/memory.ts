// A size check before anything is built, and the micro-batch it implies: an estimate of the memory one
// training step needs (weights with their gradients and the sum accumulated over micro-batches; the two AdamW
// moments; the activations one forward + backward pass keeps; the words of one batch), against what the
// backend can hold. The moments are plain JavaScript arrays (adamw.ts), so they count against the machine's
// memory on every backend but not against the WebAssembly heap. The activation factors
// are measured, not derived: the peak bytes tfjs reports for one step of tfjs-backend-wasm 4.22 (tf.profile),
// per position and layer, for each family at widths 64 and 128, lengths 40 to 256 and MLPs 0 to 4 x width,
// rounded up (bench notes in the comments of ACTIVATION_FLOATS). On two layers they overestimate by about a
// third, which is the side to err on: a run the estimate lets through at its micro-batch does not exhaust
// the heap. A run that does not fit even one word per pass is refused in one line, naming the sizes.
import { totalmem } from 'node:os';
import { InputError } from '../../errors.js';
import type { ModelConfig } from '../config.js';
import { shortConvSize } from '../config.js';
import { paramShapes, sizeOf } from '../params.js';

/** The WebAssembly backend's heap: 4 GiB (a 32-bit address space). */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/** The longest typed array tfjs can allocate for one tensor (V8's limit for a Float32Array). */
export const MAX_TENSOR_ELEMENTS = 2 ** 32 - 1;

/** What a run needs, in bytes, by part. */
export interface TrainingMemory {
  /** Weights, gradients and their accumulated sum: tensors of the backend. */
  parameters: number;
  /** AdamW's two moments: JavaScript arrays, outside the backend's tensors. */
  optimizer: number;
  activations: number;
  data: number;
  /** What the backend's tensors need: the base, parameters, activations and data. */
  total: number;
}

/** Scalars of a config, from its one- and two-layer shapes (all layers alike), without listing every layer. */
function parameterTotal(c: ModelConfig): number {
  const total = (layers: number): number => paramShapes({ ...c, layers }).reduce((sum, [, shape]) => sum + sizeOf(shape), 0);
  const one = total(1);
  return one + (c.layers - 1) * (total(2) - one);
}

/** What one step works on: the words per update, per forward + backward pass, and the longest word. */
export interface TrainingSize {
  batch: number;
  microBatch: number;
  maxLen: number;
}

/**
 * float32 values one forward + backward pass keeps per position and layer (measured, rounded up; width W,
 * state n, MLP m, heads H, length T). Peak bytes per position at W = 128, one layer, no MLP: rnn-tanh 32 KB,
 * lstm 71 KB, lrnn-neg 57 KB, lrnn-complex 74 KB, transformer 49 KB at T = 64 and 78 KB at T = 256,
 * deltanet-neg 218 KB (and 71 KB at W = 64); an MLP of m adds about 31·m floats. DeltaNet's short convolution
 * of kernel K adds 18·(K + 1)·n (counted, not measured: its padded input, K taps and products and the SiLU of
 * 3 projections, forward and backward).
 */
export function activationFloats(c: ModelConfig, maxLen: number): number {
  const mlp = 32 * c.mlp;
  const w = c.width;
  switch (c.family) {
    case 'rnn-tanh':
      return 64 * w + 16 * c.state + mlp;
    case 'lstm':
      return 96 * w + 48 * c.state + mlp;
    case 'lrnn-pos':
    case 'lrnn-neg':
      return 80 * w + 40 * c.state + mlp;
    case 'lrnn-complex':
      return 100 * w + 50 * c.state + mlp;
    case 'deltanet-pos':
    case 'deltanet-neg':
      return 128 * w + 10 * ((c.state * c.state) / c.heads) + mlp + (shortConvSize(c) > 0 ? 18 * (shortConvSize(c) + 1) * c.state : 0);
    case 'transformer':
      return 80 * w + 10 * c.heads * maxLen + mlp;
    default:
      // a family added later: the largest of the factors above until it is measured
      return 128 * w + 10 * ((c.state * c.state) / Math.max(1, c.heads)) + 10 * c.heads * maxLen + mlp;
  }
}

/** What the heap holds besides a run's tensors (the backend's code and tables, measured at about 20 MiB). */
const BASE_BYTES = 64 * 2 ** 20;

/** An estimate of a run's memory (float32 everywhere); pure arithmetic, nothing is allocated. */
export function estimateTrainingMemory(c: ModelConfig, size: TrainingSize): TrainingMemory {
  const params = parameterTotal(c);
  const parameters = 3 * 4 * params;
  const optimizer = 2 * 4 * params;
  // per position: each layer's activations, plus the embedding and the logits (every position for 'every')
  const perPosition = c.layers * activationFloats(c, size.maxLen) + 4 * c.width + (c.output === 'every' ? 4 * c.classes : 0);
  const activations = 4 * size.microBatch * size.maxLen * perPosition;
  const data = 8 * size.batch * size.maxLen;
  return { parameters, optimizer, activations, data, total: BASE_BYTES + parameters + activations + data };
}

/** The part of the wasm heap a run may plan for: the heap grows in steps and fragments, so not all of it. */
export const WASM_USABLE_BYTES = 3 * 2 ** 30;

/** The memory a backend can give a run: most of the wasm heap, or the machine's memory for native tfjs and plain JS. */
export function memoryLimit(backend: string): number {
  return backend === 'wasm' ? WASM_USABLE_BYTES : totalmem();
}

/** The bytes of an estimate that count against a backend's limit: the moments live outside the wasm heap, not outside the machine. */
function bytesFor(m: TrainingMemory, backend: string): number {
  return backend === 'wasm' ? m.total : m.total + m.optimizer;
}

const gib = (bytes: number): string => {
  const g = bytes / 2 ** 30;
  return `${g >= 100 ? g.toFixed(0) : g.toPrecision(3)} GiB`;
};

/**
 * Throws InputError naming the options at fault when the run cannot fit: one weight larger than a tensor
 * can be, or the estimate above the backend's limit.
 */
export function checkTrainingMemory(c: ModelConfig, size: TrainingSize, backend: string): void {
  checkLargestWeight(c);
  const m = estimateTrainingMemory(c, size);
  const limit = memoryLimit(backend);
  if (bytesFor(m, backend) > limit) throw tooLarge(c, size, m, limit, backend);
}

/** The one-line refusal: the total, the limit, the largest part with the options behind it, and every size. */
function tooLarge(c: ModelConfig, size: TrainingSize, m: TrainingMemory, limit: number, backend: string, when = ''): InputError {
  const parts: [number, string][] = [
    [m.parameters + m.optimizer, `parameters and optimizer state ${gib(m.parameters + m.optimizer)} (--width ${c.width}, --state ${c.state}, --layers ${c.layers}, --mlp ${c.mlp}${c.positions === 'learned' ? `, --max-len ${c.maxLen}` : ''})`],
    [m.activations, `activations ${gib(m.activations)} (--micro-batch/--batch ${size.microBatch} x length ${size.maxLen} x --layers ${c.layers})`],
    [m.data, `training words ${gib(m.data)} (--batch ${size.batch} x length ${size.maxLen})`],
  ];
  const worst = parts.reduce((a, b) => (b[0] > a[0] ? b : a));
  return new InputError(
    `model size: this run needs at least ${gib(bytesFor(m, backend))}, more than the ${gib(limit)} the ${backend} backend can hold; the largest part: ${worst[1]}; ` +
      `sizes: ${c.family}, --width ${c.width}, --state ${c.state}, --layers ${c.layers}, --mlp ${c.mlp}, --heads ${c.heads}, --batch ${size.batch}, micro-batch ${size.microBatch}${when}, longest word ${size.maxLen}`,
  );
}

/**
 * The micro-batch of a run that did not name one: the whole batch when it fits, else the largest divisor of
 * the batch whose pass fits (the same update, by gradient accumulation). When not even one word per pass
 * fits, throws InputError naming the sizes (exit 2), before anything is built.
 */
export function chooseMicroBatch(c: ModelConfig, batch: number, maxLen: number, backend: string): number {
  checkLargestWeight(c);
  const limit = memoryLimit(backend);
  for (const m of divisorsDescending(batch)) {
    if (bytesFor(estimateTrainingMemory(c, { batch, microBatch: m, maxLen }), backend) <= limit) return m;
  }
  const one = { batch, microBatch: 1, maxLen };
  throw tooLarge(c, one, estimateTrainingMemory(c, one), limit, backend, ' (the smallest pass)');
}

/** The divisors of n, largest first (O(√n)). */
function divisorsDescending(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    small.push(d);
    if (d * d !== n) large.push(n / d);
  }
  return [...large, ...small.reverse()];
}

/** Throws InputError when one weight would be larger than a tensor can be. */
function checkLargestWeight(c: ModelConfig): void {
  // every layer has the same weights, so one layer shows the largest (listing 10^5 layers takes seconds)
  const largest = paramShapes({ ...c, layers: 1 }).reduce<[string, number[]]>((a, b) => (sizeOf(b[1]) > sizeOf(a[1]) ? b : a), ['', []]);
  if (sizeOf(largest[1]) > MAX_TENSOR_ELEMENTS) {
    throw new InputError(
      `model size: weight ${largest[0]} would have shape [${largest[1].join(', ')}] (${sizeOf(largest[1]).toExponential(2)} values, at most ${MAX_TENSOR_ELEMENTS} per tensor); lower --width, --state, --mlp or --max-len`,
    );
  }
}
