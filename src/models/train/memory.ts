// A size check before anything is built: a rough lower estimate of the memory a training run needs
// (weights with their gradients and two AdamW moments; the activations one forward + backward pass keeps;
// the words of one batch), against what the backend can hold. It only refuses runs that cannot fit, so
// its factors are deliberately low: a run it lets through may still be large, but `--layers 100000` or
// `--batch 100000000` is refused in one line instead of filling memory for minutes.
import { totalmem } from 'node:os';
import { InputError } from '../../errors.js';
import type { ModelConfig } from '../config.js';
import { paramShapes, sizeOf } from '../params.js';

/** The WebAssembly backend's heap: 4 GiB (a 32-bit address space). */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/** The longest typed array tfjs can allocate for one tensor (V8's limit for a Float32Array). */
export const MAX_TENSOR_ELEMENTS = 2 ** 32 - 1;

/** What a run needs, in bytes, by part. */
export interface TrainingMemory {
  parameters: number;
  activations: number;
  data: number;
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

/** A lower estimate of a run's memory (float32 everywhere); pure arithmetic, nothing is allocated. */
export function estimateTrainingMemory(c: ModelConfig, size: TrainingSize): TrainingMemory {
  const params = parameterTotal(c);
  // weights, gradients and the two AdamW moments
  const parameters = 4 * 4 * params;
  const headState = c.family === 'deltanet-pos' || c.family === 'deltanet-neg' ? (c.state / c.heads) * c.state : c.state;
  const perPosition = c.family === 'transformer' ? c.width + c.heads * size.maxLen : c.width + headState + c.mlp;
  // at least one stored value per unit, position and layer is kept for the backward pass
  const activations = 4 * size.microBatch * size.maxLen * c.layers * perPosition;
  const data = 8 * size.batch * size.maxLen;
  return { parameters, activations, data, total: parameters + activations + data };
}

/** The memory a backend can give a run: the wasm heap, or the machine's memory for native tfjs and plain JS. */
export function memoryLimit(backend: string): number {
  return backend === 'wasm' ? WASM_HEAP_BYTES : totalmem();
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toPrecision(3)} GiB`;

/**
 * Throws InputError naming the options at fault when the run cannot fit: one weight larger than a tensor
 * can be, or the estimate above the backend's limit.
 */
export function checkTrainingMemory(c: ModelConfig, size: TrainingSize, backend: string): void {
  // every layer has the same weights, so one layer shows the largest (listing 10^5 layers takes seconds)
  const largest = paramShapes({ ...c, layers: 1 }).reduce<[string, number[]]>((a, b) => (sizeOf(b[1]) > sizeOf(a[1]) ? b : a), ['', []]);
  if (sizeOf(largest[1]) > MAX_TENSOR_ELEMENTS) {
    throw new InputError(
      `model size: weight ${largest[0]} would have shape [${largest[1].join(', ')}] (${sizeOf(largest[1]).toExponential(2)} values, at most ${MAX_TENSOR_ELEMENTS} per tensor); lower --width, --state, --mlp or --max-len`,
    );
  }
  const m = estimateTrainingMemory(c, size);
  const limit = memoryLimit(backend);
  if (m.total <= limit) return;
  const parts: [number, string][] = [
    [m.parameters, `parameters and optimizer state ${gib(m.parameters)} (--width ${c.width}, --state ${c.state}, --layers ${c.layers}, --mlp ${c.mlp}${c.positions === 'learned' ? `, --max-len ${c.maxLen}` : ''})`],
    [m.activations, `activations ${gib(m.activations)} (--micro-batch/--batch ${size.microBatch} x length ${size.maxLen} x --layers ${c.layers})`],
    [m.data, `training words ${gib(m.data)} (--batch ${size.batch} x length ${size.maxLen})`],
  ];
  const worst = parts.reduce((a, b) => (b[0] > a[0] ? b : a));
  throw new InputError(
    `model size: this run needs at least ${gib(m.total)}, more than the ${gib(limit)} the ${backend} backend can hold; the largest part: ${worst[1]}`,
  );
}
