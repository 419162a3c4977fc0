// What every fused kernel shares: one tfjs operation whose forward and backward are plain loops over typed
// arrays, wrapped in tf.customGrad. The kernel reads its inputs once (dataSync: synchronous backends only),
// runs its forward pass and keeps, in the closure of its backward pass, whatever that pass needs (typed
// arrays, not tensors: nothing to free, nothing copied back into the backend twice).
import * as tf from '@tensorflow/tfjs';

/** A forward pass over plain arrays: its output's data, and the backward pass that goes with it. */
export interface ForwardPass {
  output: Float32Array;
  /** ∂L/∂input for every input, in order and of the input's size, from ∂L/∂output: as data, or as a tensor of
   *  the input's shape where a backend operation computes it faster (a matrix product). */
  backward(dy: Float32Array): (Float32Array | tf.Tensor)[];
}

/** The float32 data of a tensor (a fresh or backend-owned array; kernels only read it). */
export const valuesOf = (x: tf.Tensor): Float32Array => x.dataSync() as Float32Array;

/**
 * One tfjs operation of the inputs whose value (of shape outShape) and gradient come from `forward`, run on
 * the inputs' data; its backward gives a gradient for every input, as tf.customGrad requires.
 */
export function fusedOp(inputs: readonly tf.Tensor[], outShape: readonly number[], forward: (xs: Float32Array[]) => ForwardPass): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    const pass = forward(xs.map(valuesOf));
    return {
      value: tf.tensor(pass.output, [...outShape], 'float32'),
      gradFunc: (dy: tf.Tensor) => pass.backward(valuesOf(dy)).map((g, i) => (g instanceof tf.Tensor ? g : tf.tensor(g, xs[i].shape, 'float32'))),
    };
  });
  return op(...inputs);
}
