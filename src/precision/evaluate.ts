// `eval --format F`: the length-bucket accuracy table of models/evaluate.ts, with the checkpoint run in the
// exact executor at F instead of tfjs float32. The words are drawn exactly as the float table draws them
// (same buckets, same sampler calls in the same order), so the two tables are comparable row by row.
import { InputError } from '../errors.js';
import type { Machine } from '../machine.js';
import { type BucketResult, type EvaluateOptions, type EvaluationResult, lengthBuckets } from '../models/evaluate.js';
import { prefixLabels } from '../models/train/batches.js';
import type { Task } from '../tasks/task.js';

/** Accuracy of a machine per length bucket; `every` scores each prefix as the float table does for output 'every'. */
export function evaluateBucketsExact<S>(machine: Machine<S>, task: Task, output: 'last' | 'every', options: EvaluateOptions): EvaluationResult {
  const { lengths, samplesPerBucket, rng } = options;
  if (lengths.min < 1) throw new InputError(`--lengths: the network reads words of length >= 1 (got ${lengths.min})`);
  const rows: BucketResult[] = [];
  let correctAll = 0;
  let totalAll = 0;
  for (const bucket of lengthBuckets(lengths, options.buckets)) {
    let correct = 0;
    let total = 0;
    for (let i = 0; i < samplesPerBucket; i++) {
      const { word, label } = task.sample(rng, bucket);
      const expected = output === 'last' ? [label] : prefixLabels(task, word);
      let state = machine.initial();
      word.forEach((x, t) => {
        state = machine.step(state, x);
        if (output === 'every' || t === word.length - 1) {
          if (machine.classify(state) === expected[output === 'every' ? t : 0]) correct++;
          total++;
        }
      });
    }
    rows.push({ min: bucket.min, max: bucket.max, samples: samplesPerBucket, accuracy: total === 0 ? NaN : correct / total });
    correctAll += correct;
    totalAll += total;
  }
  return { buckets: rows, accuracy: totalAll === 0 ? NaN : correctAll / totalAll };
}
