// Direct calls into tfjs-backend-wasm's compiled kernels (its C entry points, which its own kernels reach through
// emscripten's cwrap) on heap buffers that live as long as the caller's object. A recurrence makes a product (and
// the rnn-tanh forward a σ) per step: through the tfjs kernel function each call allocates its output (malloc and a
// data id), two shape arrays copied onto the stack by ccall and a view or two, about 2.6 µs a call; here the output
// buffers and the shapes are allocated once and a call is the kernel's work alone (step-product.ts, tanh-steps.ts).
//
// The entry points used (tfjs-backend-wasm 4.22): BatchMatMul(a_id, a_shape*, a_rank, b_id, b_shape*, b_rank,
// transpose_a, transpose_b, out_id) over rank-3 shapes [1, rows, cols], and Sigmoid(x_id, out_id). open() returns
// null where the backend is not wasm or an entry point is missing, and the callers then go through the engine.
import * as tf from '@tensorflow/tfjs';

/** The compiled module's exports called here. */
interface WasmModuleLike {
  _BatchMatMul?: (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: number, transposeB: number, outId: number) => void;
  _Sigmoid?: (xId: number, outId: number) => void;
  _malloc?: (bytes: number) => number;
  _free?: (pointer: number) => void;
  HEAP32?: Int32Array;
}

/** The parts of the wasm backend used here (its class is not exported with types we can name). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap?: { get(dataId: object): { id: number } | undefined };
  wasm?: WasmModuleLike;
}

/** Float32 buffers on the wasm heap and the products and σ of them; dispose() frees what it allocated. */
export class WasmHeap {
  private readonly made: tf.TensorInfo[] = [];
  private readonly shapes: number[] = [];

  private constructor(
    private readonly backend: WasmBackendLike,
    private readonly module: Required<WasmModuleLike>,
  ) {}

  /** A heap for the current backend, or null where it is not wasm or lacks an entry point used here. */
  static open(): WasmHeap | null {
    if (tf.getBackend() !== 'wasm') return null;
    const backend = tf.backend() as unknown as WasmBackendLike;
    const m = backend.wasm;
    if (backend.dataIdMap === undefined || m === undefined) return null;
    if (m._BatchMatMul === undefined || m._Sigmoid === undefined || m._malloc === undefined || m._free === undefined || m.HEAP32 === undefined) return null;
    return new WasmHeap(backend, m as Required<WasmModuleLike>);
  }

  /** A new float32 buffer of the shape on the heap (contents undefined), freed by dispose(). */
  buffer(shape: number[]): tf.TensorInfo {
    const info = this.backend.makeOutput(shape, 'float32');
    this.made.push(info);
    return info;
  }

  /** The buffer's values where they lie: a view valid until the heap grows (any later kernel call may grow it). */
  view(info: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info);
  }

  /** Shapes [1, p, q] and [1, q, s] of a product on the heap, for matMul; freed by dispose(). */
  productShapes(p: number, q: number, s: number): number {
    const pointer = this.module._malloc(24);
    this.shapes.push(pointer);
    this.module.HEAP32.set([1, p, q, 1, q, s], pointer >> 2);
    return pointer;
  }

  /** out = a·b for a [p, q] (a heap buffer) and b [q, s] (a tensor never written to: the kernel caches its packing by
   *  data id), with `shapes` from productShapes(p, q, s) and out a heap buffer of p·s values. */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo, shapes: number): void {
    this.module._BatchMatMul(this.id(a), shapes, 3, this.id(b), shapes + 12, 3, 0, 0, this.id(out));
  }

  /** out = σ(x) elementwise, both heap buffers of one size. */
  sigmoid(x: tf.TensorInfo, out: tf.TensorInfo): void {
    this.module._Sigmoid(this.id(x), this.id(out));
  }

  /** Frees every buffer and shape this heap allocated. */
  dispose(): void {
    for (const info of this.made.splice(0)) this.backend.disposeData(info.dataId, true);
    for (const pointer of this.shapes.splice(0)) this.module._free(pointer);
  }

  private id(info: tf.TensorInfo): number {
    const entry = this.backend.dataIdMap?.get(info.dataId);
    if (entry === undefined) throw new Error('WasmHeap: a tensor that is not on the wasm backend (or already freed)');
    return entry.id;
  }
}
