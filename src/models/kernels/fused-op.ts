// What every fused kernel shares: one tfjs operation whose forward and backward are plain loops over typed
// arrays, wrapped in tf.customGrad. The kernel reads its inputs once (synchronous backends only),
// runs its forward pass and keeps, in the closure of its backward pass, whatever that pass needs (typed
// arrays, not tensors: nothing to free, nothing copied back into the backend twice).
//
// The typed arrays of a pass (the copies of the inputs, the output, the gradients) come from buffers.ts and go
// back there once the backward pass has turned its gradients into tensors: by then nothing reads them. A
// kernel takes its output and gradient arrays with takeBuffer and must not return one of its inputs as a
// gradient. The inputs are read once, on wasm straight out of its heap into the buffer (no dataSync copy).
import * as tf from '@tensorflow/tfjs';
import { giveBack, takeBuffer } from './buffers.js';

/** A forward pass over plain arrays: its output's data, and the backward pass that goes with it. */
export interface ForwardPass {
  output: Float32Array;
  /** ∂L/∂input for every input, in order and of the input's size, from ∂L/∂output: as data, or as a tensor of
   *  the input's shape where a backend operation computes it faster (a matrix product). */
  backward(dy: Float32Array): (Float32Array | tf.Tensor)[];
}

/** The parts of the wasm backend read here (its class is not exported with types we can name). */
interface WasmBackendLike {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/** A copy of the float32 data of a tensor in a pooled buffer (on wasm straight from its heap, one copy). */
export function valuesOf(x: tf.Tensor): Float32Array {
  const copy = takeBuffer(x.size, false); // overwritten below
  let view: Float32Array | null = null;
  try {
    // the tensor's own data on this backend, or null (another backend, or data not moved here yet)
    view = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackendLike).typedArrayFromHeap(x) : null;
  } catch {
    view = null;
  }
  copy.set(view ?? (x.dataSync() as Float32Array));
  return copy;
}

/**
 * One tfjs operation of the inputs whose value (of shape outShape) and gradient come from `forward`, run on
 * the inputs' data; its backward gives a gradient for every input, as tf.customGrad requires.
 */
export function fusedOp(inputs: readonly tf.Tensor[], outShape: readonly number[], forward: (xs: Float32Array[]) => ForwardPass): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    const values = xs.map(valuesOf);
    const pass = forward(values);
    return {
      value: tf.tensor(pass.output, [...outShape], 'float32'),
      gradFunc: (dy: tf.Tensor) => {
        const dyValues = valuesOf(dy);
        const grads = pass.backward(dyValues);
        const tensors = grads.map((g, i) => (g instanceof tf.Tensor ? g : tf.tensor(g, xs[i].shape, 'float32')));
        // Every array of this pass is now read for the last time or copied into its tensor. Copied only on wasm,
        // which writes tensor data into its heap: the cpu backend keeps the very array a tensor is made of.
        const made = tf.getBackend() === 'wasm' ? [pass.output, ...grads.filter((g): g is Float32Array => g instanceof Float32Array)] : [];
        giveBack([...values, dyValues, ...made]);
        return tensors;
      },
    };
  });
  return op(...inputs);
}
