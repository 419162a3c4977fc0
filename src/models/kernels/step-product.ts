// The products of a sequential recurrence: many left factors [p, q], one per step, times one fixed right factor
// [q, s] (h_{t−1}·W forward, ∂z_t·Wᵀ backward). Each is one backend matrix product (XNNPACK on wasm, an order
// of magnitude faster than a JavaScript loop at these sizes); what costs is the call around it. Through the
// engine (tensor, matMul, dataSync, dispose) a 64×64 product costs about 3× its arithmetic, so on wasm the
// backend's BatchMatMul kernel is called directly on a heap buffer this object owns, outside the engine: no
// tensor objects, no copies but the left factor in and the product out. Other backends go through the engine.
//
// The wasm kernel caches the packed right factor by its data id (batch_mat_mul_impl.cc), so the right factor is
// a tensor this object creates and never writes to; the left factor is rewritten in place every step, which
// the kernel allows (it packs only the right one).
import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend used here (its class is not exported with types we can name). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** left·W for many left factors of one shape and one right factor W; dispose() when done. */
export class StepProduct {
  private readonly right: tf.Tensor2D;
  private readonly wasm: WasmBackendLike | null;
  private readonly kernel: tf.KernelFunc | null;
  private heapLeft: tf.TensorInfo | null = null;
  /** multiply()'s output, freed at the next call. */
  private last: tf.TensorInfo | null = null;
  private readonly jsLeft: Float32Array;

  /** W = w as a [q, s] matrix (row-major); products of [p, q] left factors. */
  constructor(
    w: Float32Array,
    private readonly p: number,
    private readonly q: number,
    private readonly s: number,
  ) {
    this.right = tf.tensor2d(w, [q, s]);
    const kernel = tf.getBackend() === 'wasm' ? tf.getKernel('BatchMatMul', 'wasm') : undefined;
    this.kernel = kernel?.kernelFunc ?? null;
    this.wasm = kernel === undefined ? null : (tf.backend() as unknown as WasmBackendLike);
    if (this.wasm !== null) this.heapLeft = this.wasm.makeOutput([p, q], 'float32');
    this.jsLeft = new Float32Array(this.wasm === null ? p * q : 0);
  }

  /** The buffer to write the next left factor into (p·q values, row-major); valid until run(). */
  left(): Float32Array {
    if (this.wasm === null || this.heapLeft === null) return this.jsLeft;
    return this.wasm.typedArrayFromHeap(this.heapLeft);
  }

  /** left·W, for the left factor just written, into out (p·s values). */
  run(out: Float32Array): void {
    const { wasm, kernel, heapLeft, p, q, s } = this;
    if (wasm === null || kernel === null || heapLeft === null) {
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(this.jsLeft, [p, q]), this.right).dataSync() as Float32Array);
      out.set(product);
      return;
    }
    const product = kernel({ inputs: { a: heapLeft, b: this.right }, backend: wasm as unknown as tf.KernelBackend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    // a view taken after the kernel ran: its output may have grown the heap, detaching earlier views
    out.set(wasm.typedArrayFromHeap(product).subarray(0, p * s));
    wasm.disposeData(product.dataId);
  }

  /** left·W for the left factor just written (p·s values), freeing the previous call's: on wasm a view of the backend's
   *  output where it lies (no copy), valid until the next call here. */
  multiply(): Float32Array {
    const { wasm, kernel, heapLeft, p, q, s } = this;
    if (wasm === null || kernel === null || heapLeft === null) return tf.tidy(() => tf.matMul(tf.tensor2d(this.jsLeft, [p, q]), this.right).dataSync() as Float32Array);
    this.freeLast();
    this.last = kernel({ inputs: { a: heapLeft, b: this.right }, backend: wasm as unknown as tf.KernelBackend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    return wasm.typedArrayFromHeap(this.last).subarray(0, p * s);
  }

  private freeLast(): void {
    if (this.wasm !== null && this.last !== null) this.wasm.disposeData(this.last.dataId);
    this.last = null;
  }

  /** Frees the right factor and the heap buffers. */
  dispose(): void {
    this.freeLast();
    this.right.dispose();
    if (this.wasm !== null && this.heapLeft !== null) this.wasm.disposeData(this.heapLeft.dataId, true);
    this.heapLeft = null;
  }
}
