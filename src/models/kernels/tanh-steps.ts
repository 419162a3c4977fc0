// The steps of the rnn-tanh forward pass on the wasm backend: σ(L_t·R) for a left factor L_t rewritten every step and
// one right factor R, both kernels (XNNPACK's matrix product, its vectorised σ) called directly on the backend's heap,
// outside the engine, as step-product.ts calls the product alone. The product's output is σ's input and stays on the
// heap (the caller may change it in place in between: z_t = x_t + ...); σ's output is read where it lies. No copy of
// either in or out of the heap: at (64, 64, 64) those copies cost as much as σ.
//
// The caller takes tanh z = 2σ(2z) − 1: R holds 2W (and 2X below W when x_t rides in the product as a one-hot
// column block of L_t, recurrence.ts), so the product is 2z_t or 2h_{t−1}·W, to which 2x_t is added in place.
import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend used here (its class is not exported with types we can name). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** σ(left·R) step after step on the wasm backend; TanhSteps.open() is null on other backends. dispose() when done. */
export class TanhSteps {
  private readonly right: tf.Tensor2D;
  private heapLeft: tf.TensorInfo | null;
  private product: tf.TensorInfo | null = null;
  private sigmoid: tf.TensorInfo | null = null;

  private constructor(
    private readonly wasm: WasmBackendLike,
    private readonly matMul: tf.KernelFunc,
    private readonly sigmoidKernel: tf.KernelFunc,
    right: Float32Array,
    private readonly p: number,
    private readonly q: number,
    private readonly s: number,
  ) {
    this.right = tf.tensor2d(right, [q, s]);
    this.heapLeft = wasm.makeOutput([p, q], 'float32');
  }

  /** Steps of [p, q] left factors times right ([q, s], row-major) on wasm; null on any other backend. */
  static open(right: Float32Array, p: number, q: number, s: number): TanhSteps | null {
    if (tf.getBackend() !== 'wasm') return null;
    const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    const sigmoid = tf.getKernel('Sigmoid', 'wasm')?.kernelFunc;
    if (matMul === undefined || sigmoid === undefined) return null;
    return new TanhSteps(tf.backend() as unknown as WasmBackendLike, matMul, sigmoid, right, p, q, s);
  }

  /** The left factor's buffer (p·q values, row-major), kept between steps; a view valid until the next call here. */
  left(): Float32Array {
    return this.wasm.typedArrayFromHeap(this.live(this.heapLeft));
  }

  /** left·R (p·s values) for the left factor as it stands, freeing the previous step's outputs; a view that the caller
   *  may change in place before sigmoid(), valid until the next call here. */
  multiply(): Float32Array {
    this.free();
    const backend = this.wasm as unknown as tf.KernelBackend;
    this.product = this.matMul({ inputs: { a: this.live(this.heapLeft), b: this.right }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    // a view taken after the kernel ran: its output may have grown the heap, detaching earlier views
    return this.wasm.typedArrayFromHeap(this.product).subarray(0, this.p * this.s);
  }

  /** σ of the product as it stands now (p·s values); a view valid until the next call here. */
  sigmoidOfProduct(): Float32Array {
    const product = this.live(this.product);
    this.sigmoid = this.sigmoidKernel({ inputs: { x: product }, backend: this.wasm as unknown as tf.KernelBackend, attrs: {} }) as tf.TensorInfo;
    this.wasm.disposeData(product.dataId);
    this.product = null;
    return this.wasm.typedArrayFromHeap(this.sigmoid).subarray(0, this.p * this.s);
  }

  /** Frees the right factor and every heap buffer. */
  dispose(): void {
    this.free();
    this.right.dispose();
    if (this.heapLeft !== null) this.wasm.disposeData(this.heapLeft.dataId, true);
    this.heapLeft = null;
  }

  private free(): void {
    if (this.product !== null) this.wasm.disposeData(this.product.dataId);
    if (this.sigmoid !== null) this.wasm.disposeData(this.sigmoid.dataId);
    this.product = null;
    this.sigmoid = null;
  }

  private live(info: tf.TensorInfo | null): tf.TensorInfo {
    if (info === null) throw new Error(`TanhSteps [${this.p}, ${this.q}]·[${this.q}, ${this.s}]: used after dispose, or sigmoid before multiply`);
    return info;
  }
}
