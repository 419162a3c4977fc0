// σ over one step's block of values, many times (the rnn-tanh forward: tanh z = 2σ(2z) − 1 for every row of a
// step at once). On wasm the backend's Sigmoid kernel (vectorised, about 1 ns a value) is called directly on a
// heap buffer this object owns, outside the engine, as step-product.ts calls the matrix product; elsewhere a
// JavaScript loop. V8's Math.tanh costs about 30 ns and fast-tanh.ts's rational form about 10 ns on this machine.
import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend used here (its class is not exported with types we can name). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** σ(v) = 1 / (1 + e^−v) of `size` values at a time; dispose() when done. */
export class StepSigmoid {
  private readonly wasm: WasmBackendLike | null;
  private readonly kernel: tf.KernelFunc | null;
  private heapInput: tf.TensorInfo | null = null;
  private readonly jsInput: Float32Array;

  constructor(private readonly size: number) {
    const kernel = tf.getBackend() === 'wasm' ? tf.getKernel('Sigmoid', 'wasm') : undefined;
    this.kernel = kernel?.kernelFunc ?? null;
    this.wasm = kernel === undefined ? null : (tf.backend() as unknown as WasmBackendLike);
    if (this.wasm !== null) this.heapInput = this.wasm.makeOutput([size], 'float32');
    this.jsInput = new Float32Array(this.wasm === null ? size : 0);
  }

  /** The buffer to write the next values into (`size` of them); valid until run(). */
  input(): Float32Array {
    if (this.wasm === null || this.heapInput === null) return this.jsInput;
    return this.wasm.typedArrayFromHeap(this.heapInput);
  }

  /** σ of the values just written, into out (`size` values). */
  run(out: Float32Array): void {
    const { wasm, kernel, heapInput, size } = this;
    if (wasm === null || kernel === null || heapInput === null) {
      for (let i = 0; i < size; i++) out[i] = 1 / (1 + Math.exp(-this.jsInput[i]));
      return;
    }
    const result = kernel({ inputs: { x: heapInput }, backend: wasm as unknown as tf.KernelBackend, attrs: {} }) as tf.TensorInfo;
    // a view taken after the kernel ran: its output may have grown the heap
    out.set(wasm.typedArrayFromHeap(result).subarray(0, size));
    wasm.disposeData(result.dataId);
  }

  /** Frees the heap buffer. */
  dispose(): void {
    if (this.wasm !== null && this.heapInput !== null) this.wasm.disposeData(this.heapInput.dataId, true);
    this.heapInput = null;
  }
}
