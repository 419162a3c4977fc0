// Faster replacements of five tfjs-backend-wasm 4.22 kernels that dominate a training step, registered by
// backend.ts when it loads wasm. Measured on a [16384, 128] float32 matrix (2 cores, bench/train-one sizes):
// the wasm Transpose takes about 60 ms, as long as a matrix product of the same data with a 128×128 one,
// and Sum over axis 0 about 45 ms (it transposes first); written out in JavaScript over the wasm heap they
// take a few. Slice copied its whole input out of the heap before cutting (a [64, 64, 64] tensor for its last
// position: 0.25 ms where the cut is 4,096 numbers). Each replacement handles the common shapes and hands every other case to the original kernel.
import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend a kernel needs (its class is not exported with types we can name). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
  incRef(dataId: object): void;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** What a replacement returns: its output, or null to hand the call to the original kernel. */
type Replacement = (x: tf.TensorInfo, attrs: Record<string, unknown>, wasm: WasmBackendLike) => tf.TensorInfo | null;

/**
 * Registers `replacement` for the wasm kernel `name`, keeping the original's setup (it binds the wasm functions the
 * original calls) and falling back to the original wherever the replacement returns null. No-op without the kernel.
 */
function replaceKernel(name: string, replacement: Replacement): void {
  const original = tf.getKernel(name, 'wasm');
  if (original === undefined) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      return replacement(x, args.attrs as unknown as Record<string, unknown>, args.backend as unknown as WasmBackendLike) ?? original.kernelFunc(args);
    },
  });
}

/**
 * tfjs saves every input an operation's gradient needs as a clone (Engine.clone, kernel Identity), and the
 * wasm backend's Identity copies the data: in a training step that is a copy of nearly every activation.
 * Tensors are immutable (a variable's assign swaps its data id), so this Identity shares the data and counts
 * a reference instead, as the cpu backend's does.
 */
function shareIdentity(): void {
  if (tf.getKernel('Identity', 'wasm') !== undefined) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      (backend as unknown as WasmBackendLike).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/**
 * tfjs's gradients cast their operands to float32 (Multiply's: mul(dy, cast(b, 'float32'))), and the wasm
 * Cast copies even when the type does not change: about ten copies of an activation per training step. A cast
 * to the same type shares the data instead, as Identity does here; other casts go to the original kernel.
 */
function shareSameTypeCast(): void {
  replaceKernel('Cast', (x, attrs, wasm) => {
    if ((attrs.dtype as tf.DataType) !== x.dtype) return null;
    wasm.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}

/**
 * A permutation that swaps two adjacent groups of axes, as [O, A, B, I] -> [O, B, A, I] (O, I: the untouched
 * leading and trailing axes, A and B the swapped groups, each a product of sizes), or null for any other.
 * Every transpose of this code base is one: [1, 0], [1, 0, 2], [0, 2, 1, 3], [1, 0, 2, 3], [0, 1, 3, 2].
 */
export function groupSwap(shape: readonly number[], perm: readonly number[]): [number, number, number, number] | null {
  const d = perm.length;
  let p = 0;
  while (p < d && perm[p] === p) p++;
  let s = d;
  while (s > p && perm[s - 1] === s - 1) s--;
  if (p === s) return null; // the identity permutation
  const k = perm[p];
  // the middle must read k, k+1, ..., s−1, p, p+1, ..., k−1
  for (let i = p; i < s; i++) {
    const want = i - p < s - k ? k + (i - p) : p + (i - p - (s - k));
    if (perm[i] !== want) return null;
  }
  return [product(shape.slice(0, p)), product(shape.slice(p, k)), product(shape.slice(k, s)), product(shape.slice(s))];
}

/**
 * out [O, B, A, I] from x [O, A, B, I], both row-major, moved as 32-bit words (float32 or int32 alike: Int32Array
 * views, so every call runs one monomorphic loop and float bits are copied, never converted). When I = 1, in 32×32
 * tiles whose inner loop writes consecutive addresses: writing with a large power-of-two stride (A = 4096 rows)
 * puts every write of a tile into the same cache set and runs about 4× slower.
 */
function swapGroups(x: Float32Array | Int32Array, out: Float32Array | Int32Array, [O, A, B, I]: readonly [number, number, number, number]): void {
  const src = new Int32Array(x.buffer, x.byteOffset, x.length);
  const dst = new Int32Array(out.buffer, out.byteOffset, out.length);
  const TILE = 32;
  for (let o = 0; o < O; o++) {
    const base = o * A * B * I;
    if (I === 1) {
      for (let b0 = 0; b0 < B; b0 += TILE)
        for (let a0 = 0; a0 < A; a0 += TILE) {
          const a1 = Math.min(A, a0 + TILE);
          const b1 = Math.min(B, b0 + TILE);
          for (let b = b0; b < b1; b++) {
            const to = base + b * A;
            for (let a = a0; a < a1; a++) dst[to + a] = src[base + a * B + b];
          }
        }
    } else {
      for (let a = 0; a < A; a++)
        for (let b = 0; b < B; b++) {
          const from = base + (a * B + b) * I;
          const to = base + (b * A + a) * I;
          for (let i = 0; i < I; i++) dst[to + i] = src[from + i];
        }
    }
  }
}

/** Transpose: group swaps in JavaScript, anything else by the original kernel. */
function fastTranspose(): void {
  replaceKernel('Transpose', (x, attrs, wasm) => {
    const perm = attrs.perm as number[];
    const swap = x.dtype === 'float32' || x.dtype === 'int32' ? groupSwap(x.shape, perm) : null;
    if (swap === null) return null;
    const out = wasm.makeOutput(perm.map((a) => x.shape[a]), x.dtype);
    // views taken after makeOutput: growing the heap would detach earlier ones
    swapGroups(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(out), swap);
    return out;
  });
}

/**
 * The sums of the columns of x, read as rows × inner row-major, in float64. Four rows per pass over the
 * accumulator: one load and store of it per four values, where one per value made the loop memory-bound.
 */
function leadingSum(x: Float32Array, rows: number, inner: number): Float64Array {
  const acc = new Float64Array(inner);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a0 = r * inner;
    const a1 = a0 + inner;
    const a2 = a1 + inner;
    const a3 = a2 + inner;
    for (let j = 0; j < inner; j++) acc[j] += x[a0 + j] + x[a1 + j] + x[a2 + j] + x[a3 + j];
  }
  for (; r < rows; r++) {
    const at = r * inner;
    for (let j = 0; j < inner; j++) acc[j] += x[at + j];
  }
  return acc;
}

/** Sum over leading axes (a bias's gradient: every row of [B, T, n] into [n]) in JavaScript, others by the original. */
function fastLeadingSum(): void {
  replaceKernel('Sum', (x, attrs, wasm) => {
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return null;
    const rows = product(x.shape.slice(0, axes.length));
    const inner = product(x.shape.slice(axes.length));
    const shape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = wasm.makeOutput(shape, 'float32');
    wasm.typedArrayFromHeap(out).set(leadingSum(wasm.typedArrayFromHeap(x) as Float32Array, rows, inner));
    return out;
  });
}

/**
 * out = the block of x [..shape] starting at `begin`, of `size` (both row-major, 32-bit words), copied a run of the
 * last axis at a time.
 */
function sliceBlock(x: Float32Array | Int32Array, shape: readonly number[], begin: readonly number[], size: readonly number[], out: Float32Array | Int32Array): void {
  const src = new Int32Array(x.buffer, x.byteOffset, x.length);
  const dst = new Int32Array(out.buffer, out.byteOffset, out.length);
  const rank = shape.length;
  const inner = size[rank - 1];
  const strides = shape.map((_, a) => product(shape.slice(a + 1)));
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  const rows = product(size.slice(0, rank - 1));
  for (let r = 0; r < rows; r++) {
    let from = begin[rank - 1];
    for (let a = 0; a < rank - 1; a++) from += (begin[a] + index[a]) * strides[a];
    const to = r * inner;
    for (let j = 0; j < inner; j++) dst[to + j] = src[from + j];
    for (let a = rank - 2; a >= 0; a--) {
      if (++index[a] < size[a]) break;
      index[a] = 0;
    }
  }
}

/** Slice: read straight from the heap. The original copies the whole input out of the heap first (readSync), so cutting
 *  the last position of [B, T, d] cost a copy of all T. */
function fastSlice(): void {
  replaceKernel('Slice', (x, attrs, wasm) => {
    const { begin, size } = attrs as { begin: number | number[]; size: number | number[] };
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length === 0) return null;
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
    const out = wasm.makeOutput(size_, x.dtype);
    if (product(size_) > 0) sliceBlock(wasm.typedArrayFromHeap(x), x.shape, begin_, size_, wasm.typedArrayFromHeap(out));
    return out;
  });
}

/** Registers the faster Identity, Cast, Transpose, Sum and Slice for the wasm backend: after its module is loaded, before
 *  it is initialised (the originals' setup runs at initialisation). */
export function registerFastWasmKernels(): void {
  shareIdentity();
  shareSameTypeCast();
  fastTranspose();
  fastLeadingSum();
  fastSlice();
}
