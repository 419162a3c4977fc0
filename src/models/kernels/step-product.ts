// The products of a sequential recurrence: many left factors [p, q], one per step, times one fixed right factor
// [q, s] (h_{t−1}·W forward, ∂z_t·Wᵀ backward). Each is one backend matrix product (XNNPACK on wasm, an order
// of magnitude faster than a JavaScript loop at these sizes); what costs is the call around it. Through the
// engine (tensor, matMul, dataSync, dispose) a 64×64 product costs about 3× its arithmetic, so on wasm the
// backend's compiled kernel is called directly on heap buffers this object owns (wasm-heap.ts), outside the engine:
// no tensor objects, no allocation per step, no copies but the left factor in and (run) the product out. Other
// backends go through the engine.
//
// The wasm kernel caches the packed right factor by its data id (batch_mat_mul_impl.cc), so the right factor is
// a tensor this object creates and never writes to; the left factor is rewritten in place every step, which
// the kernel allows (it packs only the right one).
import * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/** The wasm side of a StepProduct: its heap and the buffers on it. */
export interface OnHeap {
  heap: WasmHeap;
  left: tf.TensorInfo;
  out: tf.TensorInfo;
  shapes: number;
}

/** left·W for many left factors of one shape and one right factor W; dispose() when done. */
export class StepProduct {
  private readonly right: tf.Tensor2D;
  private onHeap: OnHeap | null;
  private readonly jsLeft: Float32Array;
  private disposed = false;

  /** W = w as a [q, s] matrix (row-major); products of [p, q] left factors. */
  constructor(
    w: Float32Array,
    protected readonly p: number,
    protected readonly q: number,
    protected readonly s: number,
  ) {
    this.right = tf.tensor2d(w, [q, s]);
    const heap = WasmHeap.open();
    this.onHeap = heap === null ? null : { heap, left: heap.buffer([p, q]), out: heap.buffer([p, s]), shapes: heap.productShapes(p, q, s) };
    this.jsLeft = new Float32Array(heap === null ? p * q : 0);
  }

  /** The buffer to write the next left factor into (p·q values, row-major); valid until run() or multiply(). */
  left(): Float32Array {
    const h = this.live();
    return h === null ? this.jsLeft : h.heap.view(h.left);
  }

  /** left·W, for the left factor just written, into out (p·s values). */
  run(out: Float32Array): void {
    out.set(this.multiply());
  }

  /** left·W for the left factor just written (p·s values): on wasm a view of the product where it lies on the heap (no
   *  copy), valid until the next call here. */
  multiply(): Float32Array {
    const h = this.live();
    const { p, q, s } = this;
    if (h === null) return tf.tidy(() => tf.matMul(tf.tensor2d(this.jsLeft, [p, q]), this.right).dataSync() as Float32Array);
    h.heap.matMul(h.left, this.right, h.out, h.shapes);
    return h.heap.view(h.out).subarray(0, p * s);
  }

  /** Frees the right factor and the heap buffers. */
  dispose(): void {
    this.onHeap?.heap.dispose();
    this.onHeap = null;
    if (!this.disposed) this.right.dispose();
    this.disposed = true;
  }

  /** The wasm side, or null on another backend; throws after dispose(). */
  protected live(): OnHeap | null {
    if (this.disposed) throw new Error(`StepProduct [${this.p}, ${this.q}]·[${this.q}, ${this.s}]: used after dispose`);
    return this.onHeap;
  }
}
