// `eigenstate run CKPT WORD [--format F | --real]`: the class a checkpoint gives one word, in float
// (TensorFlow.js) by default, in the exact executor at a format, or certified over the exact reals,
// reading the lasso notation u(v)^k so that anyone can replay an all-lengths counterexample by hand. Long
// lassos are stepped, never materialised; at a format the loop's states are followed with cycle detection
// (lasso-run.ts), so any power takes as long as the cycle, not the power.
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { readCheckpoint } from '../models/checkpoint.js';
import { argmax } from '../precision/exec/network.js';
import { checkpointMachine } from '../precision/machine.js';
import { parseFormat } from '../precision/parse.js';
import { sameExactState } from '../verify/checkpoint/exact-readout.js';
import { runLassoByCycle } from '../verify/checkpoint/lasso-run.js';
import { lassoLength, lassoSymbols, parseLasso, printLasso } from '../verify/checkpoint/lasso-word.js';
import { realRun } from '../verify/checkpoint/real-run.js';
import { taskClass } from '../verify/checkpoint/replay.js';
import { checkpointTask } from './checkpoint-task.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';

/** Longest word run in float (one tfjs pass over the whole word). */
const MAX_FLOAT_LENGTH = 20_000;
/** Most symbols of a prefix the exact executor steps through, and most loop powers before the cycle must have closed. */
const MAX_EXACT_PREFIX = 10_000_000;
const MAX_LOOP_STEPS = 50_000_000;

interface RunOptions {
  format?: string;
  real?: boolean;
  json?: boolean;
}

/** Registers `run`. */
export function registerRun(program: Command, wrap: Wrap): void {
  program
    .command('run')
    .argument('<checkpoint>', 'a checkpoint file')
    .argument('<word>', "a word, or a lasso u(v)^k such as '1(0)^1000' or '(1001)^64' (symbols joined, or comma-separated when longer than one character)")
    .description("the class a checkpoint gives one word: float (TensorFlow.js) by default, the exact executor with --format; exit 1 when the task says otherwise, 3 when --real leaves it undecided")
    .option('-f, --format <format>', "run exactly at this number format (fp32, bf16, 'fixed<2,6>', ...) instead of float")
    .option('--real', 'the class over the exact reals, certified in interval arithmetic (or undecided, with the margin interval)')
    .option('--json', 'print the result as JSON')
    .action(
      wrap(async (file: string, text: string, opts: RunOptions) => {
        const ckpt = readCheckpoint(file);
        const task = checkpointTask(file, ckpt);
        const lasso = parseLasso(ckpt.task.alphabet, text);
        const length = lassoLength(lasso);
        if (length === 0) throw new InputError(`word '${text}': the empty word has no class (networks read T >= 1)`);
        const reference = task.reference;
        if (opts.real && opts.format !== undefined) throw new InputError('run: give --format F or --real, not both');
        let got: number | null;
        let arithmetic: string;
        let how: Record<string, unknown> = {};
        if (opts.real) {
          const r = realRun(ckpt, lasso);
          arithmetic = 'exact reals (certified)';
          got = r.cls;
          how = { method: r.method, margin: r.margin, leader: ckpt.task.classes[r.leader], logits: r.logits };
        } else if (opts.format !== undefined) {
          if (lasso.prefix.length > MAX_EXACT_PREFIX) throw new InputError(`word '${text}': a prefix of ${lasso.prefix.length} symbols is more than the ${MAX_EXACT_PREFIX} the exact executor steps through`);
          const machine = checkpointMachine(ckpt, parseFormat(opts.format));
          arithmetic = machine.format.name;
          const r = runLassoByCycle(machine, lasso, MAX_LOOP_STEPS, sameExactState);
          got = machine.classify(r.state);
          if (r.cycle !== null) how = { cycle: { period: r.cycle.period, enteredBy: r.cycle.from, steppedTo: r.stepped } };
        } else {
          if (length > MAX_FLOAT_LENGTH) throw new InputError(`word '${text}': ${length} symbols is too long for a float run (at most ${MAX_FLOAT_LENGTH}); use --format fp32 to step the exact executor`);
          arithmetic = 'float (TensorFlow.js)';
          const word = lassoSymbols(lasso);
          // TensorFlow.js loads only here (1 s of CPU at start-up otherwise), on the cpu backend as always;
          // selecting it through selectBackend keeps tfjs's console banner off stderr
          const { selectBackend } = await import('../models/backend.js');
          await selectBackend('cpu');
          const tf = await import('@tensorflow/tfjs');
          const { buildNetwork } = await import('../models/network.js');
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
          model: got === null ? 'undecided' : classes[got],
          expected: expected === null ? null : classes[expected],
          agrees: expected === null || got === null ? null : expected === got,
          ...how,
        };
        if (opts.json) printJson(result);
        else {
          const verdict = result.expected === null || got === null ? '' : result.agrees ? ` (the task agrees)` : ` (the task says ${result.expected}: the model is wrong here)`;
          const lines = [`${result.word} (length ${length}) at ${arithmetic}: ${result.model}${verdict}`];
          if ('margin' in how) {
            const [lo, hi] = how.margin as [number, number];
            const leader = how.leader as string;
            lines.push(`${got === null ? `undecided: the margin of ${leader}` : `margin of ${leader}`} (its logit minus the largest other) lies in [${lo.toPrecision(6)}, ${hi.toPrecision(6)}]; state enclosed by ${String(how.method)}${got === null && result.expected !== null ? `; the task says ${result.expected}` : ''}`);
          }
          if ('cycle' in how) {
            const cy = how.cycle as { period: number; enteredBy: number; steppedTo: number };
            lines.push(`the loop's states repeat with period ${cy.period} from power ${cy.enteredBy - cy.period} at the latest: power ${lasso.power} gives the state of power ${cy.steppedTo}`);
          }
          print(lines.join('\n'));
        }
        // "the model is right on this word" is the claim run checks: wrong is exit 1, an undecided class exit 3
        if (result.agrees === false) return EXIT.claimFailed;
        return got === null ? EXIT.unknown : EXIT.ok;
      }),
    );
}
