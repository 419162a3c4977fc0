// The length curriculum: its syntax and checks, its stages, and the trainer following it (tiny models, a
// few steps: promotion, the ranges trained on, the record in the checkpoint, determinism).
import { beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/models/backend.js';
import { type Checkpoint, checkpointFromJson, checkpointToJsonText } from '../../../src/models/checkpoint.js';
import { checkCurriculum, type Curriculum, formatCurriculum, parseCurriculum, stageCount, stageRange } from '../../../src/models/train/curriculum.js';
import { configForTask } from '../../../src/models/train/model-config.js';
import { type StepProgress, train, type TrainOptions } from '../../../src/models/train/trainer.js';
import { parseTask } from '../../../src/tasks/catalogue.js';
import { inputErrorMessage } from '../../input-error.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('curriculum syntax and stages', () => {
  test('parses START:GROW@THRESHOLD and prints it back', () => {
    expect(parseCurriculum('7:4@0.9')).toEqual({ start: 7, grow: 4, threshold: 0.9 });
    expect(parseCurriculum(' 3 : 1 @ 1 ')).toEqual({ start: 3, grow: 1, threshold: 1 });
    expect(formatCurriculum({ start: 7, grow: 4, threshold: 0.9 })).toBe('7:4@0.9');
  });

  test('refuses bad values in one line naming the flag and the value', () => {
    expect(inputErrorMessage(() => parseCurriculum('7:4'))).toBe("--curriculum '7:4': expected START:GROW@THRESHOLD, e.g. 7:4@0.9");
    expect(inputErrorMessage(() => parseCurriculum('7:0@0.9'))).toBe("--curriculum '7:0@0.9': START and GROW must be whole numbers, GROW >= 1 (START:GROW@THRESHOLD, e.g. 7:4@0.9)");
    expect(inputErrorMessage(() => parseCurriculum('7:4@1.5'))).toBe("--curriculum '7:4@1.5': THRESHOLD must be an accuracy in (0, 1]");
    expect(inputErrorMessage(() => parseCurriculum('7:4@0'))).toMatch(/^--curriculum '7:4@0': THRESHOLD/);
    expect(inputErrorMessage(() => checkCurriculum({ start: 40, grow: 4, threshold: 0.9 }, { min: 3, max: 40 }))).toBe(
      '--curriculum 40:4@0.9: START must lie in [3, 39], the training lengths 3:40 less the longest',
    );
    expect(inputErrorMessage(() => checkCurriculum({ start: 2, grow: 4, threshold: 0.9 }, { min: 3, max: 40 }))).toMatch(/START must lie in \[3, 39\]/);
  });

  test('stages keep the shortest length, grow the longest by GROW, and end on the whole range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 9 }), (min, span, offset, grow) => {
        const range = { min, max: min + span };
        const c: Curriculum = { start: min + (offset % span), grow, threshold: 0.9 };
        checkCurriculum(c, range);
        const n = stageCount(c, range);
        const ranges = Array.from({ length: n }, (_, k) => stageRange(c, range, k));
        expect(ranges[0]).toEqual({ min, max: c.start });
        expect(ranges[n - 1]).toEqual(range);
        for (let k = 1; k < n; k++) {
          expect(ranges[k].min).toBe(min);
          expect(ranges[k].max).toBe(Math.min(range.max, ranges[k - 1].max + grow));
          expect(ranges[k - 1].max).toBeLessThan(range.max); // no stage repeats the whole range
        }
      }),
      { numRuns: 200 },
    );
    expect(stageCount(undefined, { min: 3, max: 40 })).toBe(1);
    expect(stageRange(undefined, { min: 3, max: 40 }, 0)).toEqual({ min: 3, max: 40 });
    expect(stageCount({ start: 7, grow: 4, threshold: 0.9 }, { min: 3, max: 40 })).toBe(10); // 7, 11, ..., 39, 40
  });
});

const parity = parseTask('parity');

function tiny(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    task: parity,
    config: configForTask(parity, 'lrnn-neg', { width: 4, state: 4, layers: 1, mlp: 0, norm: 'rms', heads: 1, output: 'last' }),
    seed: 5,
    steps: 6,
    batch: 4,
    trainLengths: { min: 2, max: 6 },
    lr: 0.01,
    weightDecay: 0.01,
    warmup: 1,
    clip: 1,
    targetAccuracy: 2,
    evalEvery: 1,
    backend: tf.getBackend(),
    validationSize: 8,
    ...overrides,
  };
}

/** Runs a tiny training and keeps the lengths of every step and every checkpoint handed out. */
function run(overrides: Partial<TrainOptions>): { lengths: string[]; saved: Checkpoint[]; result: ReturnType<typeof train> } {
  const lengths: string[] = [];
  const saved: Checkpoint[] = [];
  const result = train(tiny({ ...overrides, onStep: (p: StepProgress) => lengths.push(`${p.lengths.min}-${p.lengths.max}`), onCheckpoint: (c) => saved.push(c) }));
  return { lengths, saved, result };
}

describe('training with a curriculum', () => {
  test('a threshold any accuracy passes grows the range at every validation, one GROW at a time, then stays on the whole range', () => {
    // threshold: the smallest accuracy above 0 that 8 lengths x 8 words can show, so the validation only has
    // to get one word right; the seed below does at every step (the run is deterministic)
    const { lengths, saved, result } = run({ curriculum: { start: 3, grow: 2, threshold: 1 / 64 } });
    expect(lengths).toEqual(['2-3', '2-5', '2-6', '2-6', '2-6', '2-6']);
    const record = result.checkpoint.training!;
    expect(record.curriculum).toEqual({ start: 3, grow: 2, threshold: 1 / 64, promotions: [1, 2] });
    expect(result.validationLengths).toEqual({ min: 2, max: 6 });
    expect(saved.map((c) => c.training!.curriculum!.promotions.length)).toEqual([1, 2, 2, 2, 2, 2]);
    // the record survives the checkpoint file
    const back = checkpointFromJson(JSON.parse(checkpointToJsonText(result.checkpoint)), 'ckpt');
    expect(back.training?.curriculum).toEqual(record.curriculum);
  });

  test('a threshold not reached keeps the first stage, and the target accuracy does not stop training before the whole range', () => {
    const { lengths, result } = run({ curriculum: { start: 3, grow: 2, threshold: 1 }, targetAccuracy: 0 });
    const record = result.checkpoint.training!;
    expect(record.curriculum?.promotions).toEqual([]);
    expect(lengths).toEqual(Array(6).fill('2-3'));
    expect(record.stopped).toBe('steps');
    expect(record.steps).toBe(6);
    expect(result.validationLengths).toEqual({ min: 2, max: 3 });
  });

  test('without a curriculum nothing changes: the whole range from the first step, no curriculum in the record', () => {
    const { lengths, result } = run({});
    expect(lengths).toEqual(Array(6).fill('2-6'));
    expect(result.checkpoint.training).not.toHaveProperty('curriculum');
    expect(result.validationLengths).toEqual({ min: 2, max: 6 });
  });

  test('same seed, same weights and promotions', () => {
    const a = run({ curriculum: { start: 3, grow: 1, threshold: 0.5 }, seed: 9 }).result.checkpoint;
    const b = run({ curriculum: { start: 3, grow: 1, threshold: 0.5 }, seed: 9 }).result.checkpoint;
    expect(checkpointToJsonText({ ...a, training: { ...a.training!, seconds: 0 } })).toBe(checkpointToJsonText({ ...b, training: { ...b.training!, seconds: 0 } }));
  });

  test('refuses a curriculum that does not fit the training lengths', () => {
    expect(inputErrorMessage(() => train(tiny({ curriculum: { start: 6, grow: 1, threshold: 0.9 } })))).toBe(
      '--curriculum 6:1@0.9: START must lie in [2, 5], the training lengths 2:6 less the longest',
    );
  });
});
