// Accuracy of a float (tfjs) model on a task, per bucket of word lengths: the length-generalisation table
// of the papers (train on 3–40, test on 40–256). Words come class-balanced from the task's sampler; words of
// equal length share one forward pass, because a batch is a dense [B, T] tensor.
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';
import type { LengthRange, Task } from '../tasks/task.js';
import type { Network } from './network.js';
import { type Batch, prefixLabels } from './train/batches.js';

/** Correct predictions in a batch: rows ('last') or rows × positions ('every'), how many were scored, and the
 *  rows right at every scored position (P3's whole-sequence accuracy; for 'last' the same as `correct`). */
export function countCorrect(network: Network, batch: Batch): { correct: number; total: number; rowsCorrect: number } {
  // A one-row batch is fed twice: tfjs-backend-wasm 4.22 computes some batched products of one row wrongly
  // (seen in deltanet: logits off by ~10 against cpu), while two identical rows come out right.
  const single = batch.size === 1;
  const rows = single ? 2 : batch.size;
  const tokenData = single ? Int32Array.from([...batch.tokens, ...batch.tokens]) : batch.tokens;
  const counts = tf.tidy(() => {
    const tokens = tf.tensor2d(tokenData, [rows, batch.length], 'int32');
    const all = network.logits(tokens);
    const logits = single ? tf.slice(all, 0, 1) : all;
    const predicted = tf.argMax(logits, -1).reshape([-1]);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const right = tf.cast(tf.equal(predicted, labels), 'int32');
    const rowRight = tf.min(tf.reshape(right, [batch.size, -1]), 1);
    return tf.stack([tf.sum(right), tf.sum(rowRight)]);
  });
  const [n, rowsCorrect] = counts.dataSync();
  counts.dispose();
  return { correct: n, total: batch.labels.length, rowsCorrect };
}

/** Accuracy over several batches (correct / scored). */
export function accuracyOn(network: Network, batches: readonly Batch[]): number {
  let correct = 0;
  let total = 0;
  for (const b of batches) {
    const r = countCorrect(network, b);
    correct += r.correct;
    total += r.total;
  }
  return total === 0 ? NaN : correct / total;
}

/** One row of the length-generalisation table. */
export interface BucketResult {
  /** Lengths of the bucket, both included. */
  min: number;
  max: number;
  /** Words scored; for output 'every' accuracy is over all positions, `samples` still counts words. */
  samples: number;
  accuracy: number;
  /** Output 'every' only: the share of words right at every position (P3 Figure 4's sequence accuracy). */
  sequenceAccuracy?: number;
}

/** The table and its overall accuracy (over every scored prediction). */
export interface EvaluationResult {
  buckets: BucketResult[];
  accuracy: number;
  /** Output 'every' only: the share of all words right at every position. */
  sequenceAccuracy?: number;
}

/** Options of evaluateBuckets. */
export interface EvaluateOptions {
  lengths: LengthRange;
  /** Number of buckets the range is cut into (fewer if the range is shorter). */
  buckets: number;
  samplesPerBucket: number;
  rng: Rng;
  /** Most rows per forward pass. */
  maxBatch?: number;
}

/** Cuts [min, max] into at most n contiguous buckets of near-equal size. */
export function lengthBuckets(range: LengthRange, n: number): LengthRange[] {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--buckets: expected a positive integer (got ${n})`);
  const count = range.max - range.min + 1;
  const k = Math.min(n, count);
  const out: LengthRange[] = [];
  for (let i = 0; i < k; i++) {
    const lo = range.min + Math.floor((i * count) / k);
    const hi = range.min + Math.floor(((i + 1) * count) / k) - 1;
    out.push({ min: lo, max: hi });
  }
  return out;
}

/** Accuracy of a network per length bucket on class-balanced samples of the task. */
export function evaluateBuckets(network: Network, task: Task, options: EvaluateOptions): EvaluationResult {
  const { lengths, samplesPerBucket, rng } = options;
  if (lengths.min < 1) throw new InputError(`--lengths: the network reads words of length >= 1 (got ${lengths.min})`);
  if (!Number.isInteger(samplesPerBucket) || samplesPerBucket < 1) {
    throw new InputError(`--samples-per-bucket: expected a positive integer (got ${samplesPerBucket})`);
  }
  const maxBatch = options.maxBatch ?? 256;
  const output = network.config.output;
  const rows: BucketResult[] = [];
  let correctAll = 0;
  let totalAll = 0;
  let wordsRightAll = 0;
  let wordsAll = 0;
  for (const bucket of lengthBuckets(lengths, options.buckets)) {
    const byLength = new Map<number, { words: number[][]; labels: number[] }>();
    for (let i = 0; i < samplesPerBucket; i++) {
      const { word, label } = task.sample(rng, bucket);
      let group = byLength.get(word.length);
      if (group === undefined) byLength.set(word.length, (group = { words: [], labels: [] }));
      group.words.push([...word]);
      group.labels.push(label);
    }
    let correct = 0;
    let total = 0;
    let wordsRight = 0;
    let wordsScored = 0;
    for (const [length, group] of [...byLength.entries()].sort((a, b) => a[0] - b[0])) {
      for (let start = 0; start < group.words.length; start += maxBatch) {
        const words = group.words.slice(start, start + maxBatch);
        const tokens = new Int32Array(words.length * length);
        words.forEach((w, i) => tokens.set(w, i * length));
        const labels =
          output === 'last'
            ? Int32Array.from(group.labels.slice(start, start + maxBatch))
            : Int32Array.from(words.flatMap((w) => prefixLabels(task, w)));
        const r = countCorrect(network, { size: words.length, length, tokens, labels });
        correct += r.correct;
        total += r.total;
        wordsRight += r.rowsCorrect;
        wordsScored += words.length;
      }
    }
    const sequence = output === 'every' ? { sequenceAccuracy: wordsScored === 0 ? NaN : wordsRight / wordsScored } : {};
    rows.push({ min: bucket.min, max: bucket.max, samples: samplesPerBucket, accuracy: total === 0 ? NaN : correct / total, ...sequence });
    correctAll += correct;
    totalAll += total;
    wordsRightAll += wordsRight;
    wordsAll += wordsScored;
  }
  const sequence = output === 'every' ? { sequenceAccuracy: wordsAll === 0 ? NaN : wordsRightAll / wordsAll } : {};
  return { buckets: rows, accuracy: totalAll === 0 ? NaN : correctAll / totalAll, ...sequence };
}
