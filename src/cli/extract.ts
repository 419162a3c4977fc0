// `eigenstate extract SYSTEM --method M [--oracle O] --out DIR`: automata from automaton files, tasks and
// checkpoints (src/extract). Argument parsing only.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_STATES } from '../extract/exact.js';
import { AGREEMENT_LENGTHS } from '../extract/agreement.js';
import { checkExtractionOutput, EXTRACT_METHODS, type ExtractMethod, extractAutomaton, formatReport, type OracleName, ORACLES, writeExtraction } from '../extract/extraction.js';
import { DEFAULT_REFINE_OPTIONS } from '../extract/refine-oracle.js';
import { resolveSystem } from '../extract/resolve.js';
import { BACKEND_CHOICES, parseBackendChoice, selectBackend } from '../models/backend.js';
import { FORMAT_HELP, parseFormat } from '../precision/parse.js';
import { checkOutputDirectory, ensureOutputDirectory } from '../files.js';
import { EXIT, type Wrap } from './exit.js';
import { print, printJson } from './output.js';
import { stagedProgress, withProgress } from './progress.js';
import { oneOf, parseCount, parseInteger, parsePositive } from './parse.js';

interface ExtractCliOptions {
  method: ExtractMethod;
  oracle: OracleName;
  format: string;
  out: string;
  maxStates: number;
  maxSeconds?: number;
  seed: number;
  epsilon: number;
  delta: number;
  minLen: number;
  maxLen: number;
  extraStates: number;
  maxTests: number;
  samples: number;
  lengths: number[];
  checkDeterminism: number;
  maxRounds?: number;
  maxWords: number;
  maxSplits: number;
  lookahead: number;
  partition: 'kmeans' | 'quantise';
  clusters: number;
  intervals: number;
  sampleWords: number;
  sampleLen: number;
  backend: string;
  json?: boolean;
  force?: boolean;
  svg?: boolean;
}

function parseFraction(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x >= 0 && x <= 1)) throw new InvalidArgumentError('expected a number in [0, 1].');
  return x;
}

function parseLengths(value: string): number[] {
  return value.split(',').map((part) => parseCount(part));
}

/** Registers `extract`. */
export function registerExtract(program: Command, wrap: Wrap): void {
  program
    .command('extract')
    .argument('<system>', 'checkpoint file, automaton file (.json) or task name, e.g. tomita3')
    .description('extract an automaton by learning (L#, L*, Kearns–Vazirani) or exact search; writes the DFA and a stats table')
    .requiredOption('-o, --out <dir>', 'directory for automaton.{json,dot,svg} and report.{json,txt} (created if missing)')
    .option('-m, --method <method>', `${EXTRACT_METHODS.join(', ')}`, oneOf(EXTRACT_METHODS), 'lsharp')
    .option('--oracle <oracle>', `equivalence oracle for the learners: ${ORACLES.join(', ')}`, oneOf(ORACLES), 'exact')
    .option('-f, --format <format>', `number format a checkpoint runs at: ${FORMAT_HELP}`, 'fp32')
    .option('--max-states <n>', 'cap on explored states (exact method) or state pairs (exact oracle)', parseCount, DEFAULT_MAX_STATES)
    .option('--max-seconds <s>', 'time cap: past it an unknown (exit 3) naming the stage and what it found', parsePositive)
    .option('--seed <n>', 'seed of every random choice (PAC words, agreement words, determinism checks)', parseInteger, 0)
    .option('--epsilon <x>', 'PAC oracle: tolerated error probability ε', parseFraction, 0.01)
    .option('--delta <x>', 'PAC oracle: confidence parameter δ', parseFraction, 0.01)
    .option('--min-len <n>', 'PAC oracle: shortest random word', parseCount, 0)
    .option('--max-len <n>', 'PAC oracle: longest random word', parseCount, 30)
    .option('--extra-states <m>', 'W-method: states the system may have beyond the hypothesis', parseCount, 2)
    .option('--max-tests <n>', 'W-method: refuse a check needing more tests', parseCount, 1_000_000)
    .option('--samples <n>', 'random words per length in the agreement table', parseCount, 1000)
    .addOption(new Option('--lengths <list>', 'word lengths of the agreement table').argParser(parseLengths).default([...AGREEMENT_LENGTHS], AGREEMENT_LENGTHS.join(',')))
    .option('--check-determinism <rate>', 'fraction of membership queries asked twice', parseFraction, 0)
    .option('--max-rounds <n>', 'give up after this many equivalence queries (an unknown: exit 3)', parseCount)
    .option('--max-words <n>', 'refine oracle: words explored per equivalence query (past it: unknown, exit 3)', parseCount, DEFAULT_REFINE_OPTIONS.maxWords)
    .option('--max-splits <n>', 'refine oracle: partition block splits per equivalence query (past it: unknown, exit 3)', parseCount, DEFAULT_REFINE_OPTIONS.maxRefinements)
    .option('--lookahead <n>', 'refine oracle: suffix length tried when a block is met again by the same hypothesis state', parseCount, DEFAULT_REFINE_OPTIONS.lookahead)
    .option('--partition <kind>', 'partition method: kmeans or quantise (Omlin–Giles grid)', oneOf(['kmeans', 'quantise'] as const), 'kmeans')
    .option('--clusters <k>', 'partition method: k-means clusters', parsePositive, 32)
    .option('--intervals <q>', 'partition method: quantisation intervals per dimension', parsePositive, 2)
    .option('--sample-words <n>', 'partition method: random words whose hidden states fit the partition', parseCount, 200)
    .option('--sample-len <n>', 'partition method: longest sample word', parseCount, 20)
    .option('--backend <name>', `tfjs backend for the partition method: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .option('--json', 'print the report as JSON')
    .option('--force', 'overwrite existing output files')
    .option('--svg', 'draw automaton.svg whatever its size (default: only up to 60 states and 600 edges)')
    .option('--no-svg', 'do not draw automaton.svg')
    .action(
      wrap(async (arg: string, opts: ExtractCliOptions) => {
        checkOutputDirectory(opts.out);
        const svg = opts.svg === undefined ? 'auto' : opts.svg ? 'always' : 'never';
        // an output file already there is refused now, not after the extraction
        checkExtractionOutput(opts.out, opts.force ?? false, svg);
        const system = resolveSystem(arg, parseFormat(opts.format));
        if (opts.method === 'partition') await selectBackend(parseBackendChoice(opts.backend));
        // Stages (learning, oracle rounds, exact search, the reference check) on stderr: a bar on a terminal,
        // else a line every few seconds; stdout stays clean for the report.
        const progress = stagedProgress('extract');
        const { dfa, report } = withProgress(progress, () => extractAutomaton(system, {
          method: opts.method,
          oracle: opts.oracle,
          seed: opts.seed,
          maxStates: opts.maxStates,
          maxSeconds: opts.maxSeconds,
          pac: { epsilon: opts.epsilon, delta: opts.delta, minLength: opts.minLen, maxLength: opts.maxLen },
          wmethod: { extraStates: opts.extraStates, maxTests: opts.maxTests },
          refine: { maxWords: opts.maxWords, maxRefinements: opts.maxSplits, lookahead: opts.lookahead },
          samples: opts.samples,
          agreementLengths: opts.lengths,
          determinismRate: opts.checkDeterminism,
          maxRounds: opts.maxRounds,
          partition: {
            partitioning: opts.partition === 'kmeans' ? { kind: 'kmeans', clusters: opts.clusters } : { kind: 'quantise', intervals: opts.intervals },
            sampleWords: opts.sampleWords,
            sampleMaxLength: opts.sampleLen,
          },
          progress: (p) => progress.update(p.stage, p.unit, p.cap, p.found, p.queued),
        }));
        ensureOutputDirectory(opts.out);
        const { files, svgSkipped } = await writeExtraction(opts.out, dfa, report, opts.force ?? false, svg);
        if (opts.json) printJson({ ...report, files, ...(svgSkipped ? { svgSkipped } : {}) });
        else print(`${formatReport(report)}\nwrote ${files.join(', ')}${svgSkipped ? `\n${svgSkipped}` : ''}`);
        // A drawing asked for with --svg that failed is a capped result: the data files stand.
        return svgSkipped && svg === 'always' ? EXIT.unknown : EXIT.ok;
      }),
    );
}
