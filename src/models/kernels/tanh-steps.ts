// The steps of the rnn-tanh forward pass on the wasm backend: σ(L_t·R) for a left factor L_t rewritten every step and
// one right factor R, both kernels (XNNPACK's matrix product, its vectorised σ) called directly on heap buffers this
// object owns (wasm-heap.ts), outside the engine and with no allocation per step. The product's output is σ's input
// and stays on the heap (the caller may change it in place in between: z_t = x_t + ...); σ's output is read where it
// lies. No copy of either in or out of the heap: at (64, 64, 64) those copies cost as much as σ.
//
// The caller takes tanh z = 2σ(2z) − 1: R holds 2W (and 2X below W when x_t rides in the product as a one-hot
// column block of L_t, recurrence.ts), so the product is 2z_t or 2h_{t−1}·W, to which 2x_t is added in place.
import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/** σ(left·R) step after step on the wasm backend; TanhSteps.open() is null on other backends. dispose() when done. */
export class TanhSteps {
  private readonly right: tf.Tensor2D;
  private readonly heapLeft: tf.TensorInfo;
  private readonly product: tf.TensorInfo;
  private readonly sigmoid: tf.TensorInfo;
  private readonly shapes: number;
  private disposed = false;

  private constructor(
    private readonly heap: WasmHeap,
    right: Float32Array,
    private readonly p: number,
    private readonly q: number,
    private readonly s: number,
  ) {
    this.right = tf.tensor2d(right, [q, s]);
    this.heapLeft = heap.buffer([p, q]);
    this.product = heap.buffer([p, s]);
    this.sigmoid = heap.buffer([p, s]);
    this.shapes = heap.productShapes(p, q, s);
  }

  /** Steps of [p, q] left factors times right ([q, s], row-major) on wasm; null on any other backend. */
  static open(right: Float32Array, p: number, q: number, s: number): TanhSteps | null {
    const heap = WasmHeap.open();
    return heap === null ? null : new TanhSteps(heap, right, p, q, s);
  }

  /** The left factor's buffer (p·q values, row-major), kept between steps; a view valid until the next call here. */
  left(): Float32Array {
    this.check();
    return this.heap.view(this.heapLeft);
  }

  /** left·R (p·s values) for the left factor as it stands; a view that the caller may change in place before
   *  sigmoidOfProduct(), valid until the next call here. */
  multiply(): Float32Array {
    this.check();
    this.heap.matMul(this.heapLeft, this.right, this.product, this.shapes);
    // a view taken after the kernel ran: it may have grown the heap, detaching earlier views
    return this.heap.view(this.product).subarray(0, this.p * this.s);
  }

  /** σ of the product as it stands now (p·s values); a view valid until the next call here. */
  sigmoidOfProduct(): Float32Array {
    this.check();
    this.heap.sigmoid(this.product, this.sigmoid);
    return this.heap.view(this.sigmoid).subarray(0, this.p * this.s);
  }

  /** Frees the right factor and every heap buffer. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.heap.dispose();
    this.right.dispose();
  }

  private check(): void {
    if (this.disposed) throw new Error(`TanhSteps [${this.p}, ${this.q}]·[${this.q}, ${this.s}]: used after dispose`);
  }
}
