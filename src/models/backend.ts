// Which tfjs backend runs training and evaluation, chosen at run time. The native backends
// (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node) are not dependencies: a user who installed one gets it,
// everyone else gets WebAssembly (shipped in @tensorflow/tfjs-backend-wasm), and pure JavaScript is the
// last resort. Only the CLI and examples call this; library code never picks a backend.
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import { registerFastWasmKernels } from './kernels/wasm-kernels.js';

/** What --backend accepts: 'auto' tries the native packages, then wasm, then cpu. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

/** A --backend value. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The backend in use after selection, and where it came from. */
export interface SelectedBackend {
  /** tfjs's backend name: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** How it was loaded: the npm package, or 'built in' for cpu. */
  source: string;
  /** Backends tried before this one, each with the reason it was passed over. */
  skipped: string[];
}

/** Parses a --backend value; InputError naming the choices otherwise. */
export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new InputError(`--backend: unknown backend '${value}' (choose one of ${BACKEND_CHOICES.join(', ')})`);
}

/** The native packages in order of preference; both register the backend 'tensorflow'. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Imports a package by a name TypeScript cannot resolve statically (it need not be installed). */
async function importOptional(name: string): Promise<void> {
  await import(name);
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

async function tryNative(skipped: string[]): Promise<SelectedBackend | null> {
  for (const pkg of NATIVE_PACKAGES) {
    try {
      await importOptional(pkg);
      if (await tf.setBackend('tensorflow')) return { name: 'tensorflow', source: pkg, skipped };
      skipped.push(`${pkg}: loaded but the backend did not initialise`);
    } catch (error) {
      skipped.push(`${pkg}: ${reason(error)}`);
    }
  }
  return null;
}

/** The parts of the wasm backend a kernel needs (its class is not exported with types we can name). */
interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
}

/**
 * tfjs-backend-wasm 4.x has no UnsortedSegmentSum, the gradient of gather (every embedding lookup), so
 * training on wasm fails without it. This is that kernel in plain JavaScript over the wasm heap: out[ids[j]]
 * += x[j] for rows j of x (segment ids 1-D, as gather's gradient passes them).
 */
function registerWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const wasm = backend as unknown as WasmBackendLike;
      const values = wasm.readSync(x.dataId);
      const ids = wasm.readSync(segmentIds.dataId);
      const rows = ids.length;
      const inner = rows === 0 ? 0 : values.length / rows;
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const data = wasm.typedArrayFromHeap(out);
      data.fill(0);
      for (let j = 0; j < rows; j++) {
        const target = ids[j];
        if (target < 0 || target >= numSegments) continue;
        for (let k = 0; k < inner; k++) data[target * inner + k] += values[j * inner + k];
      }
      return out;
    },
  });
}

/**
 * tfjs-backend-wasm 4.x's OneHot writes the integer bit patterns of onValue/offValue whatever the dtype, so
 * oneHot(..., 'float32') yields 1.4e-45 for 1 (and an embedding by one-hot product silently reads zeros).
 * This replacement writes values of the requested dtype.
 */
function replaceWasmOneHot(): void {
  if (tf.getKernel('OneHot', 'wasm') !== undefined) tf.unregisterKernel('OneHot', 'wasm');
  tf.registerKernel({
    kernelName: 'OneHot',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { indices } = inputs as { indices: tf.TensorInfo };
      const { dtype, depth, onValue, offValue } = attrs as unknown as { dtype: tf.DataType; depth: number; onValue: number; offValue: number };
      const wasm = backend as unknown as WasmBackendLike;
      const ids = wasm.readSync(indices.dataId);
      const out = wasm.makeOutput([...indices.shape, depth], dtype);
      const data = wasm.typedArrayFromHeap(out);
      data.fill(offValue);
      for (let i = 0; i < ids.length; i++) {
        const k = ids[i];
        if (k >= 0 && k < depth) data[i * depth + k] = onValue;
      }
      return out;
    },
  });
}

let wasmPatched = false;

async function tryWasm(skipped: string[]): Promise<SelectedBackend | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPatched) {
      registerWasmSegmentSum();
      replaceWasmOneHot();
      registerFastWasmKernels();
      wasmPatched = true;
    }
    if (await tf.setBackend('wasm')) return { name: 'wasm', source: '@tensorflow/tfjs-backend-wasm', skipped };
    skipped.push('@tensorflow/tfjs-backend-wasm: the backend did not initialise');
  } catch (error) {
    skipped.push(`@tensorflow/tfjs-backend-wasm: ${reason(error)}`);
  }
  return null;
}

/**
 * Makes the chosen backend tfjs's current one and reports it. 'auto' falls through native, wasm, cpu;
 * an explicit choice that cannot load is an InputError naming it and why.
 */
export async function selectBackend(choice: BackendChoice): Promise<SelectedBackend> {
  // PROD silences tfjs's console advice (it would interleave with our output) and skips debug checks.
  tf.env().set('PROD', true);
  const skipped: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = await tryNative(skipped);
    if (native) return native;
    if (choice === 'tensorflow') throw new InputError(`--backend tensorflow: unavailable (${skipped.join('; ')})`);
  }
  if (choice === 'auto' || choice === 'wasm') {
    const wasm = await tryWasm(skipped);
    if (wasm) return wasm;
    if (choice === 'wasm') throw new InputError(`--backend wasm: unavailable (${skipped.join('; ')})`);
  }
  if (!(await tf.setBackend('cpu'))) throw new InputError('--backend cpu: the tfjs cpu backend did not initialise');
  return { name: 'cpu', source: 'built in', skipped };
}

/** One line for the user: the backend in use and, for auto, what was passed over. */
export function describeBackend(b: SelectedBackend): string {
  const skipped = b.skipped.length > 0 ? ` (skipped ${b.skipped.join('; ')})` : '';
  return `backend: ${b.name} from ${b.source}${skipped}`;
}
