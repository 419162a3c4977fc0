// `eigenstate verify TASK --model CLASS`: class-level bounded verification with Z3 or, for diagonal classes
// on unary words, by exact enumeration (src/verify).
import { type Command, Option } from 'commander';
import { match } from 'ts-pattern';
import { readCheckpoint } from '../models/checkpoint.js';
import { checkTaskVocabulary } from '../models/task-vocabulary.js';
import { parseFormat } from '../precision/parse.js';
import { taskFromArgument } from '../tasks/file.js';
import { describeCheckpointResult, verifyCheckpoint } from '../verify/checkpoint/bounded.js';
import { verifyBounded } from '../verify/bounded.js';
import type { BoundedResult, EnumerationStats } from '../verify/types.js';
import { parseModelClass, SUPPORTED_CLASSES } from '../verify/classes.js';
import { cycleProof, cycleQuery, type CycleResult } from '../verify/lemmas/cycle.js';
import { wordTree } from '../verify/z3/instance.js';
import { requireCheckpointFamily, witnessCheckpoint } from '../verify/checkpoint/from-witness.js';
import { writeCheckpoint } from '../models/checkpoint.js';
import { checkOutputFile } from '../files.js';
import { InputError } from '../errors.js';
import { describeRace, describeRaces } from '../verify/solvers/describe.js';
import { parseSolverChoice, solversFor } from '../verify/solvers/race.js';
import type { SolverChoice } from '../verify/solvers/types.js';
import type { Task } from '../tasks/task.js';
import { verifyAllLengths } from '../verify/checkpoint/all-lengths.js';
import type { AllLengthsQuery } from '../verify/checkpoint/types.js';
import { allLengthsJson, describeAllLengths } from './all-lengths-report.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson, writeOutput } from './output.js';
import { oneOf, parseCount, parsePositive } from './parse.js';
import { workClock } from '../clock.js';

interface VerifyOptions {
  model?: string;
  checkpoint?: string;
  maxStates: number;
  dim: number;
  format?: string;
  maxLen: number;
  words: 'unary' | 'all';
  readout: 'linear' | 'any';
  strategy: 'lazy' | 'full';
  engine: 'auto' | 'z3' | 'enumerate';
  timeout: number;
  smt2?: string;
  witness?: string;
  checkpointOut?: string;
  unbounded?: boolean;
  cycle: number[];
  json?: boolean;
  force?: boolean;
  solver: SolverChoice;
  crossCheck?: boolean;
  allLengths?: boolean;
  real?: boolean;
  budget: number;
  work?: number;
  certificate?: string;
  minLen?: number;
}

function report(r: BoundedResult): string {
  const b = r.bounds;
  const lines = [
    `${r.verdict}: ${b.modelClass} (dim ${b.dim}, ${b.format}, ${b.readout} readout) on ${b.task}, ${b.words} words up to length ${b.maxLen} (${b.wordCount} words)`,
    match(r.verdict)
      .with('sat', () => 'some parameters of the class label every word correctly; the witness below replayed in the exact executor')
      .with('unsat', () => 'no parameters of the class label every word correctly')
      .with('unknown', () => `${b.engine === 'z3' ? 'Z3' : 'the enumeration'} gave no answer (${r.reason ?? 'unknown reason'}); this is not a proof either way`)
      .exhaustive(),
    `time: ${(r.timeMs / 1000).toFixed(2)} s    z3: ${r.z3Version}`,
    r.enumeration !== undefined
      ? describeEnumeration(r.enumeration, r.verdict, b.dim)
      : b.closureStates !== undefined
        ? `closure: the ${b.closureStates} states of the task's automaton mapped into the state space (no word in the query; the witness is right on every length)`
        : b.strategy === 'lazy'
        ? `lazy word sets: ${b.rounds} solver call${b.rounds === 1 ? '' : 's'}, the last on ${b.subsetWords} of ${b.wordCount} words${r.verdict === 'unsat' ? ' (its unsat is the proof: more words only add constraints)' : ''}`
        : `one query on all ${b.wordCount} words`,
  ];
  if (b.unarySubInstance === true) {
    lines.push(
      r.verdict === 'unsat'
        ? `decided on the unary sub-instance 1^0..1^${b.maxLen}: its words are words of this instance, so its unsat is this instance's`
        : `decided on the unary sub-instance 1^0..1^${b.maxLen}, its witness given the identity on the symbols the task ignores and replayed on all ${b.wordCount} words`,
    );
  }
  if (b.paddedFrom !== undefined) lines.push(`found at dim ${b.paddedFrom} and padded to dim ${b.dim} with coordinates that stay 0 and are not read (replayed at dim ${b.dim})`);
  if (r.solvers !== undefined) lines.push(`solvers: ${describeRaces(r.solvers)}`);
  if (r.core) lines.push(`unsat core (${r.core.length}): ${r.core.join(' ')}`);
  if (r.witness) lines.push(`witness: ${JSON.stringify(r.witness)}`);
  return lines.join('\n');
}

function describeEnumeration(e: EnumerationStats, verdict: BoundedResult['verdict'], dim: number): string {
  const hh = e.householder;
  if (hh !== undefined) {
    const head =
      `enumeration: ${hh.generatorPairs} ${hh.generator} codes store ${hh.distinctMatrices} distinct matrices A` +
      `${dim === 2 ? ` (${hh.matricesKept} up to the coordinate swap)` : ''}; with every offset b, ${e.trajectories} runs (A, b) to cover`;
    const mean = `mean ${hh.meanSteps.toFixed(2)} steps per run`;
    if (verdict !== 'unsat') return `${head}, ${e.candidates} made (${mean})`;
    return (
      `${head}; all refuted (the exhaustion is the proof, ${mean}): ${e.prunedByRepeat} by a repeated state, ` +
      `${e.prunedByCone} by label-change cones, ${e.prunedByHull} by hulls, ${e.searched} by searching ${e.readoutCodes} readout codes`
    );
  }
  const tuples = dim === 1 ? 'runs' : 'pairs of runs';
  const head = `enumeration: ${e.parameterCodes} (a, b) codes per coordinate, ${e.trajectories} distinct runs`;
  if (verdict !== 'unsat') return `${head}, ${e.candidates} ${tuples} examined`;
  return (
    `${head}; all ${e.candidates} ${tuples} refuted (the exhaustion is the proof): ${e.prunedByRepeat} by a repeated state, ` +
    `${e.prunedByCone} by label-change cones, ${e.prunedByHull} by hulls, ${e.searched} by searching ${e.readoutCodes} readout codes`
  );
}

async function runAllLengths(task: Task, file: string, opts: VerifyOptions): Promise<number> {
  if (opts.real && opts.format !== undefined) throw new InputError('verify --all-lengths: give --format F or --real, not both');
  const checkpoint = readCheckpoint(file);
  checkTaskVocabulary(file, checkpoint.task, task);
  const format = opts.real ? null : parseFormat(opts.format ?? 'fp32');
  // A certificate is written only when asked for: an unasked default file beside the checkpoint made the
  // same command refuse its own rerun (issue 25). The proof is re-checked by the independent checker either way.
  const certPath = opts.certificate ?? null;
  if (certPath !== null) checkOutputFile(certPath, { force: opts.force });
  const loud = !opts.json && process.stderr.isTTY;
  const query: AllLengthsQuery = {
    checkpoint,
    checkpointFile: file,
    task,
    format,
    // --work: the budget counted in work units (a model step or a readout each, src/clock.ts), so no load can change the verdict.
    budget: opts.work === undefined ? opts.budget : opts.work / 1000,
    clock: opts.work === undefined ? undefined : workClock(),
    minLength: opts.minLen,
    onProgress: loud ? (line) => process.stderr.write(`  ${line}\n`) : undefined,
  };
  const r = verifyAllLengths(query);
  let written: string | null = null;
  if (r.certificate !== null && certPath !== null) {
    writeOutput(certPath, `${JSON.stringify(r.certificate)}\n`, opts.force);
    written = certPath;
  }
  if (opts.json) printJson(allLengthsJson(query, r, written));
  else print(describeAllLengths(query, r, written));
  return match(r.verdict)
    .with('proved', () => EXIT.ok)
    .with('refuted', () => EXIT.claimFailed)
    .with('unknown', () => EXIT.unknown)
    .exhaustive();
}

/** Registers `verify`. */
export function registerVerify(program: Command, wrap: Wrap): void {
  program
    .command('verify')
    .argument('<task>', "a binary task, e.g. 'parity' or 'mod:m=3', or an automaton file (.json; with --checkpoint)")
    .description('ask Z3 (or an exact enumeration) whether some model of a class labels every word of a bounded instance correctly')
    .option(
      '-m, --model <class>',
      `model class: ${SUPPORTED_CLASSES.join(', ')} (perm-diag: a permutation times a diagonal in [-1,1]; deltaproduct-neg-K: K = 1..8 reflections I - b k k^T, b in [0,2], per symbol, rounded after each; rnn-relu: relu(W h + b), W free)`,
    )
    .option('-c, --checkpoint <file>', 'check one trained model instead of a class: exact search over its states at --format')
    .option('--max-states <n>', 'state cap of the checkpoint search', parseCount, 1_000_000)
    .option('-d, --dim <d>', 'state dimension', parseCount, 1)
    .option('-f, --format <format>', "number format: 'fixed<I,F>' or 'fixed<I,F,MODE>' (MODE: half-even, floor, half-up) for a class (default fixed<2,4>), any format for a checkpoint (default fp32)")
    .option('-n, --max-len <n>', 'longest word of the instance', parseCount, 8)
    .option('--words <set>', 'unary (1^k) or all words up to --max-len', oneOf(['unary', 'all'] as const), 'unary')
    .option('--readout <kind>', 'linear (threshold on w·h + c) or any (every function of the final state)', oneOf(['linear', 'any'] as const), 'linear')
    .option(
      '--strategy <s>',
      'Z3 engine: lazy: solve on short words, replay each witness on every word and add the words it gets wrong; full: one query on every word (its --smt2 dump is the whole instance)',
      oneOf(['lazy', 'full'] as const),
      'lazy',
    )
    .option(
      '--engine <e>',
      'auto: enumeration where it applies, else Z3; enumerate: exact enumeration of every run on unary words, dim <= 2, of a diagonal class (lrnn-pos, lrnn-neg, lrnn-real), a Householder class (deltanet-pos, deltanet-neg) or lrnn-complex (its --smt2 dump is the whole instance); z3: the bit-vector queries',
      oneOf(['auto', 'z3', 'enumerate'] as const),
      'auto',
    )
    .option('-t, --timeout <seconds>', 'time limit; past it the verdict is unknown', parsePositive, 60)
    .option('--unbounded', 'prove the cycle lemma instead: no cycle of length --cycle on a repeated symbol (TASK only names the alphabet)')
    .addOption(
      new Option('--cycle <L>', 'cycle length for --unbounded (repeatable)')
        .argParser((v: string, acc: number[]) => [...acc, parseCount(v)])
        .default([] as number[], '2'),
    )
    .option('--smt2 <file>', 'write the last query solved as SMT-LIB 2 (for a native z3 or cvc5; with --strategy lazy, the word subset whose unsat proves the instance; with the enumeration engine, the whole instance)')
    .option('--witness <file>', 'write a sat witness (parameters, as codes) as JSON')
    .option('--all-lengths', 'with --checkpoint: is the model right on every length? proved (with a certificate), refuted (a word u(v)^k) or unknown (docs/all-lengths.md)')
    .option('--real', 'with --all-lengths: exact real arithmetic instead of a number format')
    .option('--budget <seconds>', 'with --all-lengths: time budget', parsePositive, 60)
    .addOption(
      new Option('--work <units>', 'with --all-lengths: a deterministic budget instead of --budget, in work units: one step of the model on one symbol (exact, interval or zonotope) or one readout on a box; the same verdict on any machine at any load (--json and the deciders line report the units a run used)')
        .argParser(parsePositive)
        .conflicts('budget'),
    )
    .option('--min-len <n>', 'with --all-lengths: the verdict covers every word of at least this length (default 1); the certificate records it', parsePositive)
    .option('--certificate <file>', 'with --all-lengths: write the certificate of a proof to this file (none is written without it; check it with check-certificate)')
    .option('--checkpoint-out <file>', 'write a sat witness as a checkpoint (lrnn-pos, lrnn-neg, lrnn-complex; linear readout) that eval, extract and verify --checkpoint read at --format; replayed on every word first')
    .option('--solver <s>', 'auto: the WASM Z3 raced with every native z3/cvc5 on PATH, the first answer wins; wasm, z3 or cvc5: that one alone', parseSolverChoice, 'auto' as SolverChoice)
    .option('--cross-check', 'ask a second solver to confirm every unsat')
    .option('--json', 'print the result as JSON')
    .option('--force', 'overwrite existing output files')
    .action(
      wrap(async (spec: string, opts: VerifyOptions) => {
        const task = taskFromArgument(spec);
        if ((opts.model === undefined) === (opts.checkpoint === undefined)) {
          throw new InputError('verify: give exactly one of --model CLASS and --checkpoint FILE');
        }
        if (opts.minLen !== undefined && !opts.allLengths) throw new InputError('--min-len: only with --all-lengths');
        if (opts.allLengths || opts.real) {
          if (opts.checkpoint === undefined) throw new InputError('verify --all-lengths: needs --checkpoint FILE (class-level questions use --model)');
          return runAllLengths(task, opts.checkpoint, opts);
        }
        if (opts.checkpoint !== undefined) {
          const checkpoint = readCheckpoint(opts.checkpoint);
          checkTaskVocabulary(opts.checkpoint, checkpoint.task, task);
          const query = {
            checkpoint,
            task,
            format: parseFormat(opts.format ?? 'fp32'),
            maxLen: opts.maxLen,
            maxStates: opts.maxStates,
            seconds: opts.timeout,
          };
          const r = verifyCheckpoint(query);
          if (opts.json) printJson({ ...r, checkedLength: Number.isFinite(r.checkedLength) ? r.checkedLength : null });
          else print(describeCheckpointResult(query, r));
          return match(r.verdict)
            .with('holds', () => EXIT.ok)
            .with('fails', () => EXIT.claimFailed)
            .with('unknown', () => EXIT.unknown)
            .exhaustive();
        }
        const modelClass = parseModelClass(opts.model ?? '');
        solversFor(opts.solver);
        const solver = { choice: opts.solver, crossCheck: opts.crossCheck === true };
        const format = opts.format ?? 'fixed<2,4>';
        if (opts.checkpointOut !== undefined) {
          if (opts.unbounded) throw new InputError('--checkpoint-out: --unbounded has no witness model to write');
          requireCheckpointFamily(modelClass, opts.readout, format);
        }
        // an output file already there is refused now, not after the solver's minutes
        for (const out of [opts.smt2, opts.witness, opts.checkpointOut]) if (out !== undefined) checkOutputFile(out, { force: opts.force });
        if (opts.unbounded) {
          const results: CycleResult[] = [];
          for (const length of opts.cycle.length > 0 ? opts.cycle : [2]) {
            results.push(await cycleQuery({ modelClass, dim: opts.dim, format, length, timeoutMs: opts.timeout * 1000, solver }));
          }
          if (opts.smt2) writeOutput(opts.smt2, results.map((r) => r.smt2).join('\n'), opts.force);
          if (opts.json) printJson(results.map(({ smt2: _smt2, ...rest }) => rest));
          else
            print(
              [
                cycleProof(results),
                ...results.map((r) => `solvers, ${r.query}: ${describeRace(r.solvers)}`),
                ...results.filter((r) => r.orbit).map((r) => `orbit of ${r.query}: ${JSON.stringify(r.orbit)}`),
              ].join('\n'),
            );
          // the claim is "no cycle of these lengths": a sat (a cycle, its orbit printed) refutes it
          if (results.some((r) => r.verdict === 'sat')) return EXIT.claimFailed;
          return results.some((r) => r.verdict === 'unknown') ? EXIT.unknown : EXIT.ok;
        }
        const r = await verifyBounded({
          task,
          modelClass,
          dim: opts.dim,
          format,
          maxLen: opts.maxLen,
          words: opts.words,
          readout: opts.readout,
          strategy: opts.strategy,
          engine: opts.engine,
          timeoutMs: opts.timeout * 1000,
          solver,
        });
        if (opts.smt2) writeOutput(opts.smt2, r.smt2, opts.force);
        if (opts.witness && r.witness) writeOutput(opts.witness, `${JSON.stringify(r.witness, null, 2)}\n`, opts.force);
        let written: string | undefined;
        if (opts.checkpointOut !== undefined && r.witness) {
          const words = wordTree(task, opts.words, opts.maxLen).map((node) => node.word);
          const ckpt = witnessCheckpoint(r.witness, modelClass, task, words);
          // right at its format only, and on the instance's words only: say both in the file itself
          const scope = opts.words === 'unary' ? `; checked on 1^k, k = 0..${opts.maxLen} only (unary words)` : `; checked on every word up to length ${opts.maxLen}`;
          writeCheckpoint(opts.checkpointOut, { ...ckpt, exactAt: parseFormat(format).name, origin: `${ckpt.origin}${scope}; exact at ${parseFormat(format).name} only` }, { force: opts.force });
          written = opts.checkpointOut;
        }
        if (opts.json) {
          const { smt2: _smt2, ...rest } = r;
          printJson(written === undefined ? rest : { ...rest, checkpoint: written });
        } else if (written !== undefined) print(`${report(r)}\ncheckpoint: ${written} (replayed at ${format} on all ${r.bounds.wordCount} words)`);
        else print(opts.checkpointOut === undefined ? report(r) : `${report(r)}\ncheckpoint: not written (${r.verdict}: no witness)`);
        return r.verdict === 'unknown' ? EXIT.unknown : EXIT.ok;
      }),
    );
}
