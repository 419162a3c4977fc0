// One optimisation step, optionally by gradient accumulation: the batch is cut into equal micro-batches,
// each one's forward + backward runs and is freed before the next, and the mean of their gradients feeds a
// single AdamW update. Every row of a batch has the same length, so the full-batch mean loss is the mean of
// the micro-batch mean losses, and (no batch statistics in any family) the step is the full-batch step up
// to float rounding, while the peak memory is one micro-batch's activations.
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../errors.js';
import type { Network } from '../network.js';
import type { AdamW } from './adamw.js';
import type { Batch } from './batches.js';

/** What one step measured: mean loss and accuracy over the whole batch, and the gradient norm before clipping. */
export interface StepOutcome {
  loss: number;
  accuracy: number;
  /** NaN when the loss was non-finite (no update was made). */
  gradNorm: number;
}

/** Throws InputError unless microBatch is a positive integer dividing batch. */
export function checkMicroBatch(batch: number, microBatch: number): void {
  if (!Number.isInteger(microBatch) || microBatch < 1 || batch % microBatch !== 0) {
    throw new InputError(`--micro-batch: expected a positive integer dividing --batch ${batch} (got ${microBatch})`);
  }
}

/** Mean cross-entropy of logits [B, C] or [B, T, C] against int labels (flattened the same way). */
function crossEntropy(logits: tf.Tensor, labels: tf.Tensor1D, classes: number): tf.Scalar {
  const flat = tf.reshape(logits, [-1, classes]);
  const logp = tf.logSoftmax(flat);
  const picked = tf.sum(tf.mul(logp, tf.cast(tf.oneHot(labels, classes), 'float32')), 1);
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

/** Rows [start, start + size) of a batch, sharing its buffers. */
export function rows(batch: Batch, start: number, size: number): Batch {
  const labelsPerRow = batch.labels.length / batch.size;
  return {
    size,
    length: batch.length,
    tokens: batch.tokens.subarray(start * batch.length, (start + size) * batch.length),
    labels: batch.labels.subarray(start * labelsPerRow, (start + size) * labelsPerRow),
  };
}

/** Gradients of the mean loss on one (micro-)batch by weight name, plus [loss, accuracy]; caller disposes the gradients. */
function gradients(net: Network, batch: Batch, names: ReadonlyMap<string, string>): { grads: Record<string, tf.Tensor>; loss: number; accuracy: number } {
  const classes = net.config.classes;
  let stats: tf.Tensor | null = null;
  const grads = tf.tidy(() => {
    const tokens = tf.tensor2d(batch.tokens, [batch.size, batch.length], 'int32');
    const labels = tf.tensor1d(batch.labels, 'int32');
    const { value, grads } = tf.variableGrads(() => {
      const logits = net.logits(tokens);
      const loss = crossEntropy(logits, labels, classes);
      const predicted = tf.reshape(tf.argMax(logits, -1), [-1]);
      const accuracy = tf.mean(tf.cast(tf.equal(predicted, labels), 'float32'));
      stats = tf.keep(tf.stack([loss, accuracy]));
      return loss;
    }, Object.values(net.variables).filter((v) => v.trainable)); // lrnn-pd's permutation tables are frozen
    value.dispose();
    const named: Record<string, tf.Tensor> = {};
    for (const [varName, g] of Object.entries(grads)) named[names.get(varName) ?? varName] = g;
    return named;
  });
  const held = stats as tf.Tensor | null;
  const [loss, accuracy] = held?.dataSync() ?? [NaN, NaN];
  held?.dispose();
  return { grads, loss, accuracy };
}

/** The mean-loss gradients of a batch by weight name, with its mean loss and accuracy; caller disposes the gradients. */
export interface BatchGradients {
  grads: Record<string, tf.Tensor>;
  loss: number;
  accuracy: number;
}

/**
 * Gradients of the mean loss over a whole batch, accumulated over micro-batches of `microBatch` rows (must
 * divide batch.size): the batch mean, to float rounding, in the memory of one micro-batch. On a non-finite
 * micro-batch loss the rest are still summed (the caller checks the loss).
 */
export function batchGradients(net: Network, batch: Batch, microBatch: number = batch.size): BatchGradients {
  checkMicroBatch(batch.size, microBatch);
  // tfjs makes variable names unique, so gradients come back under those; map them to weight names.
  const names = new Map(Object.entries(net.variables).map(([weight, v]) => [v.name, weight]));
  const parts = batch.size / microBatch;
  let sum: Record<string, tf.Tensor> = {};
  let loss = 0;
  let accuracy = 0;
  try {
    for (let k = 0; k < parts; k++) {
      const part = gradients(net, rows(batch, k * microBatch, microBatch), names);
      loss += part.loss;
      accuracy += part.accuracy;
      if (k === 0) {
        sum = part.grads;
        continue;
      }
      const previous = sum;
      sum = tf.tidy(() => Object.fromEntries(Object.entries(previous).map(([n, g]) => [n, tf.add(g, part.grads[n])])));
      tf.dispose(Object.values(previous));
      tf.dispose(Object.values(part.grads));
    }
    if (parts > 1) {
      const total = sum;
      sum = tf.tidy(() => Object.fromEntries(Object.entries(total).map(([n, g]) => [n, tf.div(g, parts)])));
      tf.dispose(Object.values(total));
    }
  } catch (error) {
    tf.dispose(Object.values(sum));
    throw error;
  }
  return { grads: sum, loss: loss / parts, accuracy: accuracy / parts };
}

/** Where a step's gradients come from when not from this thread alone (data-parallel threads, threads.ts). */
export interface GradientSource {
  gradients(net: Network, batch: Batch, microBatch: number): BatchGradients;
}

/**
 * One AdamW step at learning rate lr on the whole batch, computed over micro-batches of `microBatch` rows
 * (default: the whole batch, no accumulation; must divide batch.size), by this thread or by `source`.
 * No update when the loss is non-finite. Leaves no tensors behind.
 */
export function trainStep(net: Network, opt: AdamW, batch: Batch, lr: number, microBatch: number = batch.size, source?: GradientSource): StepOutcome {
  checkMicroBatch(batch.size, microBatch);
  const { grads, loss, accuracy } = source === undefined ? batchGradients(net, batch, microBatch) : source.gradients(net, batch, microBatch);
  try {
    const gradNorm = Number.isFinite(loss) ? opt.step(grads, lr).gradNorm : NaN;
    return { loss, accuracy, gradNorm };
  } finally {
    tf.dispose(Object.values(grads));
  }
}
