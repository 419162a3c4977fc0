// The steps of the rnn-tanh forward pass on the wasm backend: σ(L_t·R) for a left factor L_t rewritten every step and
// one right factor R. A StepProduct (its left factor and product on the wasm heap) with one more heap buffer for σ:
// both kernels (XNNPACK's matrix product, its vectorised σ) are called directly, outside the engine and with no
// allocation per step. The product is σ's input and stays on the heap (the caller may change it in place in between:
// z_t = x_t + ...); σ's output is read where it lies. No copy in or out of the heap: at (64, 64, 64) those copies
// cost as much as σ.
//
// The caller takes tanh z = 2σ(2z) − 1: R holds 2W (and 2X below W when x_t rides in the product as a one-hot
// column block of L_t, recurrence.ts), so the product is 2z_t or 2h_{t−1}·W, to which 2x_t is added in place.
import type * as tf from '@tensorflow/tfjs';
import { StepProduct } from './step-product.js';
import { WasmHeap } from './wasm-heap.js';

/** σ(left·R) step after step on the wasm backend; TanhSteps.open() is null on other backends. dispose() when done. */
export class TanhSteps extends StepProduct {
  private readonly sigmoid: tf.TensorInfo;

  private constructor(right: Float32Array, p: number, q: number, s: number) {
    super(right, p, q, s);
    const h = this.live();
    if (h === null) throw new Error('TanhSteps: the wasm backend went away while opening');
    this.sigmoid = h.heap.buffer([p, s]); // freed with the heap by dispose()
  }

  /** Steps of [p, q] left factors times right ([q, s], row-major) on wasm; null on any other backend. */
  static open(right: Float32Array, p: number, q: number, s: number): TanhSteps | null {
    return WasmHeap.open() === null ? null : new TanhSteps(right, p, q, s);
  }

  /** σ of the product as it stands now (p·s values, the last multiply() changed in place or not); a view valid until
   *  the next call here. */
  sigmoidOfProduct(): Float32Array {
    const h = this.live();
    if (h === null) throw new Error('TanhSteps: not on the wasm heap');
    h.heap.sigmoid(h.out, this.sigmoid);
    return h.heap.view(this.sigmoid).subarray(0, this.p * this.s);
  }
}
