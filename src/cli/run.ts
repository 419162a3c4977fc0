// `eigenstate run CKPT WORD [--format F]`: the class a checkpoint gives one word, in float (TensorFlow.js)
// by default or in the exact executor at a format, reading the lasso notation u(v)^k so that anyone can
// replay an all-lengths counterexample by hand. Long lassos are stepped, never materialised.
import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { buildNetwork } from '../models/network.js';
import { argmax } from '../precision/exec/network.js';
import { checkpointMachine } from '../precision/machine.js';
import { parseFormat } from '../precision/parse.js';
import { parseTask } from '../tasks/catalogue.js';
import { lassoLength, lassoSymbols, parseLasso, printLasso } from '../verify/checkpoint/lasso-word.js';
import { taskClass } from '../verify/checkpoint/replay.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

/** Longest word run in float (one tfjs pass over the whole word). */
const MAX_FLOAT_LENGTH = 20_000;
/** Most symbols the exact executor steps through for one word. */
const MAX_EXACT_LENGTH = 500_000_000;

interface RunOptions {
  format?: string;
  json?: boolean;
}

/** Registers `run`. */
export function registerRun(program: Command, wrap: Wrap): void {
  program
    .command('run')
    .argument('<checkpoint>', 'a checkpoint file')
    .argument('<word>', "a word, or a lasso u(v)^k such as '1(0)^1000' or '(1001)^64' (symbols joined, or comma-separated when longer than one character)")
    .description("the class a checkpoint gives one word: float (TensorFlow.js) by default, the exact executor with --format")
    .option('-f, --format <format>', "run exactly at this number format (fp32, bf16, 'fixed<2,6>', ...) instead of float")
    .option('--json', 'print the result as JSON')
    .action(
      wrap(async (file: string, text: string, opts: RunOptions) => {
        const ckpt = readCheckpoint(file);
        const lasso = parseLasso(ckpt.task.alphabet, text);
        const length = lassoLength(lasso);
        if (length === 0) throw new InputError(`word '${text}': the empty word has no class (networks read T >= 1)`);
        const task = parseTask(ckpt.task.name);
        const reference = task.reference;
        let got: number;
        let arithmetic: string;
        if (opts.format !== undefined) {
          if (length > MAX_EXACT_LENGTH) throw new InputError(`word '${text}': ${length} symbols is more than the ${MAX_EXACT_LENGTH} the exact executor steps through`);
          const machine = checkpointMachine(ckpt, parseFormat(opts.format));
          arithmetic = machine.format.name;
          let s = machine.initial();
          for (const x of lasso.prefix) s = machine.step(s, x);
          for (let i = 0; i < lasso.power; i++) for (const x of lasso.loop) s = machine.step(s, x);
          got = machine.classify(s);
        } else {
          if (length > MAX_FLOAT_LENGTH) throw new InputError(`word '${text}': ${length} symbols is too long for a float run (at most ${MAX_FLOAT_LENGTH}); use --format fp32 to step the exact executor`);
          arithmetic = 'float (TensorFlow.js)';
          const word = lassoSymbols(lasso);
          const net = buildNetwork(ckpt.config, ckpt.weights);
          const logits = tf.tidy(() => {
            const out = net.logits(tf.tensor2d([word], [1, word.length], 'int32'));
            return out.rank === 3 ? out.slice([0, word.length - 1, 0], [1, 1, -1]).reshape([-1]) : out.reshape([-1]);
          });
          got = argmax(await logits.data());
          logits.dispose();
          net.dispose();
        }
        const classes = ckpt.task.classes;
        const expected = reference === undefined ? null : taskClass(reference, lasso);
        const result = {
          word: printLasso(ckpt.task.alphabet, lasso),
          length,
          arithmetic,
          model: classes[got],
          expected: expected === null ? null : classes[expected],
          agrees: expected === null ? null : expected === got,
        };
        if (opts.json) printJson(result);
        else {
          const verdict = result.expected === null ? '' : result.agrees ? ` (the task agrees)` : ` (the task says ${result.expected}: the model is wrong here)`;
          print(`${result.word} (length ${length}) at ${arithmetic}: ${result.model}${verdict}`);
        }
        return EXIT.ok;
      }),
    );
}
