// `extract` as a library call: learn (L*, KV), extract exactly, or extract by partitioning hidden states,
// then measure agreement with the system on random words and compare with the task's reference. The
// command file only parses arguments; everything it prints or writes is built here.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { match } from 'ts-pattern';
import { formatWord } from '../automata/alphabet.js';
import { Dfa } from '../automata/dfa.js';
import { separatingWord } from '../automata/equivalence.js';
import { dfaToDot } from '../automata/dot.js';
import { dfaToJsonText } from '../automata/json.js';
import { minimise } from '../automata/minimise.js';
import { drawSvg } from '../automata/svg.js';
import { CapReachedError, InputError, TooManyStatesError } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '../files.js';
import type { Machine, Word } from '../machine.js';
import { Rng } from '../random.js';
import { type AgreementRow, agreement } from './agreement.js';
import { ExactOracle, type ExactOracleProgress } from './exact-oracle.js';
import { checkAgainstReference, compareWithReference, describeVerdict, exactAutomaton, type ReferenceVerdict } from './exact.js';
import type { EquivalenceOracle, MembershipOracle } from './oracle.js';
import { buildNetwork } from '../models/network.js';
import { minimalOnNonEmptyWords } from './nonempty.js';
import { type Partitioning, partitionExtraction } from './partition.js';
import { type PacOptions, PacOracle } from './pac-oracle.js';
import { checkpointHiddenStates, DEFAULT_REFINE_OPTIONS, RefineOracle, type RefineOptions } from './refine-oracle.js';
import type { CheckpointMachine } from '../precision/machine.js';
import { type LearnerName, type LearningStats, runLearning } from './pipeline.js';
import type { SystemUnderLearning } from './resolve.js';
import { type WMethodOptions, WMethodOracle } from './wmethod.js';

/** Extraction methods by command-line name. */
export const EXTRACT_METHODS = Object.freeze(['lstar', 'lstar-mp', 'kv', 'lsharp', 'exact', 'partition'] as const);
/** An extraction method's command-line name. */
export type ExtractMethod = (typeof EXTRACT_METHODS)[number];
/** Equivalence oracles by command-line name. */
export const ORACLES = Object.freeze(['exact', 'pac', 'wmethod', 'refine'] as const);
/** An equivalence oracle's command-line name. */
export type OracleName = (typeof ORACLES)[number];

/** Everything an extraction run needs besides the system. */
export interface ExtractOptions {
  method: ExtractMethod;
  oracle: OracleName;
  seed: number;
  /** Cap on explored states (exact extraction) or state pairs (exact oracle). */
  maxStates: number;
  pac: PacOptions;
  wmethod: WMethodOptions;
  /** Caps of the abstraction-refinement oracle (default DEFAULT_REFINE_OPTIONS). */
  refine?: RefineOptions;
  /** Random words per length for the agreement table. */
  samples: number;
  agreementLengths: readonly number[];
  /** Fraction of membership queries re-asked to check determinism. */
  determinismRate: number;
  maxRounds?: number;
  /** Partition extraction: how cells are made, and the sample that fits them. */
  partition: { partitioning: Partitioning; sampleWords: number; sampleMaxLength: number };
  /** Called now and then while a stage of the extraction runs (exact search, learning, oracle rounds, reference check). */
  progress?: (progress: ExtractProgress) => void;
  /** Time cap in seconds: past it a CapReachedError (exit 3) naming the stage and what it had found; checked wherever progress is reported. */
  maxSeconds?: number;
}

/** Where a long extraction stands, for progress displays (stderr; the report is unaffected). */
export interface ExtractProgress {
  /** What runs now: 'exact search', 'learning', 'exact oracle, round 2', 'check against parity'. */
  readonly stage: string;
  /** What `found` counts. */
  readonly unit: 'states' | 'pairs' | 'system runs';
  readonly found: number;
  /** Found but not yet expanded (the search's queue), where the stage knows it. */
  readonly queued?: number;
  /** The cap `found` runs into, if any. */
  readonly cap?: number;
}

/** Membership queries reported to `progress` as they reach the system (every 256th; learning has no other count). */
function reportingOracle(inner: MembershipOracle, progress: (p: ExtractProgress) => void): MembershipOracle {
  let runs = 0;
  const tick = (): void => {
    if (++runs % 256 === 0) progress({ stage: 'learning', unit: 'system runs', found: runs });
  };
  const trace = inner.trace?.bind(inner);
  return {
    alphabet: inner.alphabet,
    classes: inner.classes,
    query: (word) => {
      tick();
      return inner.query(word);
    },
    ...(trace === undefined
      ? {}
      : {
          trace: (word: Word) => {
            tick();
            return trace(word);
          },
        }),
  };
}

/** What an extraction produced, as printed and as written to report.json. */
export interface ExtractReport {
  system: { name: string; kind: SystemUnderLearning['kind']; format?: string; alphabet: string[]; classes: string[] };
  method: ExtractMethod;
  states: number;
  /** Checkpoints: states of the smallest automaton that agrees on every non-empty word. */
  nonEmptyStates?: number;
  learning?: LearningStats;
  exact?: { explored: number; seconds: number };
  partition?: { partitioning: Partitioning; cells: number; seconds: number };
  agreement: AgreementRow[];
  reference?: { task: string; verdict: ReferenceVerdict; text: string };
  notes: string[];
}

function needMachine(system: SystemUnderLearning, what: string): Machine<unknown> {
  if (!system.machine)
    throw new InputError(`${system.name}: ${what} needs a finite-state system (an automaton, a regular task or a checkpoint); use --oracle pac or wmethod`);
  return system.machine;
}

function equivalenceOracle(system: SystemUnderLearning, options: ExtractOptions, rng: Rng): (sys: MembershipOracle) => EquivalenceOracle {
  return match(options.oracle)
    .with('exact', () => {
      const machine = needMachine(system, '--oracle exact');
      const progress = options.progress;
      const onProgress =
        progress === undefined
          ? undefined
          : (p: ExactOracleProgress) =>
              progress({ stage: `exact oracle, round ${p.round}`, unit: 'pairs', found: p.pairs, queued: p.pairs - p.expanded, cap: options.maxStates });
      return () => new ExactOracle(machine, { maxPairs: options.maxStates, onProgress });
    })
    .with('pac', () => (sys: MembershipOracle) => new PacOracle(sys, rng.fork(), options.pac))
    .with('wmethod', () => (sys: MembershipOracle) => new WMethodOracle(sys, options.wmethod))
    .with('refine', () => {
      if (system.kind !== 'checkpoint' || !system.checkpoint || !system.machine)
        throw new InputError(`${system.name}: --oracle refine needs a checkpoint (it partitions the network's hidden states); use --oracle exact, pac or wmethod`);
      const states = checkpointHiddenStates(system.machine as CheckpointMachine, system.checkpoint.config.family);
      return (sys: MembershipOracle) => new RefineOracle(states, sys, options.refine ?? DEFAULT_REFINE_OPTIONS);
    })
    .exhaustive();
}

/**
 * A checkpoint is compared with its task's reference on non-empty words (the network never sees the
 * empty word); a task or automaton learned from its own reference is compared on every word.
 */
function compareReference(dfa: Dfa, system: SystemUnderLearning): ExtractReport['reference'] {
  if (!system.reference) return undefined;
  const { task, dfa: ref } = system.reference;
  if (system.kind === 'checkpoint') {
    const verdict = compareWithReference(dfa, ref);
    const text = describeVerdict(verdict, { task, format: system.format?.name ?? '?', alphabet: dfa.alphabet, classes: dfa.classes });
    return { task, verdict, text };
  }
  const word = separatingWord(dfa, ref);
  if (word === null) return { task, verdict: { equal: true }, text: `equals the reference automaton of ${task} on every word, the empty word included` };
  const verdict = { equal: false as const, word, expected: ref.evaluate(word), got: dfa.evaluate(word) };
  return {
    task,
    verdict,
    text: `differs from the reference automaton of ${task}: shortest word '${formatWord(dfa.alphabet, word)}': expected ${dfa.classes[verdict.expected]}, got ${dfa.classes[verdict.got]}`,
  };
}

/** What an on-the-fly check against the reference still says when the whole automaton is past the cap. */
function capVerdict(machine: Machine<unknown>, system: SystemUnderLearning, maxStates: number, progress?: (p: ExtractProgress) => void): { partial: string; refuted: boolean } {
  const { task, dfa: reference } = system.reference!;
  const onProgress = progress && ((found: number) => progress({ stage: `check against ${task}`, unit: 'states', found, cap: maxStates }));
  const check = checkAgainstReference(machine, reference, { maxStates, onProgress });
  if (check.verdict === null) return { partial: `right on every non-empty word up to length ${check.checkedLength} against ${task} (no verdict beyond)`, refuted: false };
  const partial = describeVerdict(check.verdict, { task, format: system.format?.name ?? '?', alphabet: reference.alphabet, classes: reference.classes });
  return { partial, refuted: !check.verdict.equal };
}

/** The cap error again, with what the on-the-fly check against the reference found. */
function withCapVerdict(error: TooManyStatesError, machine: Machine<unknown>, system: SystemUnderLearning, options: ExtractOptions): TooManyStatesError {
  const { partial, refuted } = capVerdict(machine, system, options.maxStates, options.progress);
  return new TooManyStatesError(error.construction, error.cap, partial, refuted);
}

/**
 * Cap on the entries of a learner's dense prefix-tree table (the query cache's and L#'s observation tree's
 * rows are node * nSymbols + symbol): 2^24 Int32 entries, 64 MiB.
 */
export const LEARNER_TABLE_CAP = 2 ** 24;

/**
 * Refuses at once (CapReachedError, exit 3) a learning run whose prefix trees cannot fit LEARNER_TABLE_CAP:
 * every learner asks access(q)·a for each of the system's n states q and symbols a, n·k + 1 distinct words,
 * and each of their nodes holds a k-wide row, so (n·k + 1)·k entries is a lower bound (n = 1 when the
 * system's size is unknown). Without this an automaton over 10^5 symbols ran for minutes into "Invalid
 * typed array length"; `--method exact` reads such an automaton's own table instead.
 */
export function checkLearnerTables(system: SystemUnderLearning, method: ExtractMethod): void {
  const k = system.membership.alphabet.length;
  const n = system.machine instanceof Dfa ? minimise(system.machine).nStates : 1;
  const entries = (n * k + 1) * k;
  if (entries <= LEARNER_TABLE_CAP) return;
  const states = n === 1 ? '' : `${n} states × `;
  const exact = system.machine === undefined ? '' : '; --method exact explores the system directly';
  throw new CapReachedError(
    `${system.name}: ${method} over ${k} symbols needs a prefix tree of at least ${entries} table entries ((${states}${k} symbols + 1) nodes × ${k} symbols), over the cap of ${LEARNER_TABLE_CAP}${exact}`,
  );
}

/**
 * The options with the time cap folded into the progress callback: every stage reports progress every few
 * thousand states (or 256 system runs), and the report past the deadline throws instead.
 */
function withTimeCap(system: SystemUnderLearning, options: ExtractOptions): ExtractOptions {
  const { maxSeconds, progress } = options;
  if (maxSeconds === undefined) return options;
  const deadline = performance.now() + 1000 * maxSeconds;
  return {
    ...options,
    progress: (p) => {
      progress?.(p);
      if (performance.now() <= deadline) return;
      const of = p.cap === undefined ? '' : ` of a cap of ${p.cap}`;
      throw new CapReachedError(`${system.name}: time cap of ${maxSeconds} s reached during ${p.stage}, ${p.found} ${p.unit} found${of} (raise --max-seconds)`);
    },
  };
}

/** Runs the chosen method on the system and builds the report. */
export function extractAutomaton(system: SystemUnderLearning, given: ExtractOptions): { dfa: Dfa; report: ExtractReport } {
  const options = withTimeCap(system, given);
  const rng = new Rng(options.seed);
  const notes: string[] = [];
  let learning: LearningStats | undefined;
  let exact: ExtractReport['exact'];
  let partition: ExtractReport['partition'];
  const dfa = match(options.method)
    .with('exact', () => {
      const machine = needMachine(system, '--method exact');
      try {
        const progress = options.progress;
        const onProgress =
          progress === undefined
            ? undefined
            : (found: number, expanded?: number) =>
                progress({ stage: 'exact search', unit: 'states', found, queued: expanded === undefined ? undefined : found - expanded, cap: options.maxStates });
        const r = exactAutomaton(machine, { maxStates: options.maxStates, onProgress });
        exact = { explored: r.explored, seconds: r.seconds };
        return r.dfa;
      } catch (error) {
        if (!(error instanceof TooManyStatesError) || !system.reference) throw error;
        throw withCapVerdict(error, machine, system, options);
      }
    })
    .with('partition', () => {
      if (!system.checkpoint || !system.machine) throw new InputError(`${system.name}: --method partition needs a checkpoint (it clusters the network's hidden states)`);
      const network = buildNetwork(system.checkpoint.config, system.checkpoint.weights);
      try {
        const r = partitionExtraction(network, system.membership.alphabet, system.membership.classes, rng.fork(), {
          ...options.partition,
          maxStates: options.maxStates,
          emptyWordClass: system.machine.classify(system.machine.initial()),
        });
        partition = { partitioning: options.partition.partitioning, cells: r.cells, seconds: r.seconds };
        return r.dfa;
      } finally {
        network.dispose();
      }
    })
    .with('lstar', 'lstar-mp', 'kv', 'lsharp', (learner: LearnerName) => {
      checkLearnerTables(system, learner);
      try {
        const run = runLearning({
          system: options.progress === undefined ? system.membership : reportingOracle(system.membership, options.progress),
          learner,
          equivalence: equivalenceOracle(system, options, rng),
          determinism: options.determinismRate > 0 ? { rng: rng.fork(), rate: options.determinismRate } : undefined,
          maxRounds: options.maxRounds,
        });
        learning = run.stats;
        return run.dfa;
      } catch (error) {
        // The exact oracle's product search passed the cap: the model's own automaton is out of reach, but
        // where it departs from the task's reference (its shortest wrong word) usually is not.
        if (!(error instanceof TooManyStatesError) || options.oracle !== 'exact' || !system.reference || !system.machine || error.partial !== undefined)
          throw error;
        throw withCapVerdict(error, system.machine, system, options);
      }
    })
    .exhaustive();
  const rows = agreement(dfa, system.membership, rng.fork(), options.samples, options.agreementLengths);
  let reference: ExtractReport['reference'];
  if (system.reference) reference = compareReference(dfa, system);
  if (system.kind === 'checkpoint')
    notes.push(
      'the network is defined on non-empty words: the empty word gets the classifier of a zero stream by convention, and comparisons with the task reference are over non-empty words',
    );
  return {
    dfa,
    report: {
      system: {
        name: system.name,
        kind: system.kind,
        ...(system.format ? { format: system.format.name } : {}),
        alphabet: [...dfa.alphabet],
        classes: [...dfa.classes],
      },
      method: options.method,
      states: dfa.nStates,
      ...(system.kind === 'checkpoint' ? { nonEmptyStates: minimalOnNonEmptyWords(dfa).nStates } : {}),
      learning,
      exact,
      partition,
      agreement: rows,
      reference,
      notes,
    },
  };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n');
}

/** The report as the text the command prints. */
export function formatReport(report: ExtractReport): string {
  const s = report.system;
  const lines = [`system: ${s.name} (${s.kind}${s.format ? ` at ${s.format}` : ''})`];
  if (report.learning) {
    const l = report.learning;
    lines.push(`method: ${l.learner}    equivalence: ${l.oracle}`);
    lines.push(`result: ${report.states} states; ${l.guarantee}: ${l.detail}`);
    lines.push(
      '',
      table([
        ['states', 'system runs', 'symbols', 'asked', 'cache hits', 'equivalence queries', 'test queries', 'seconds'],
        [
          String(l.states),
          String(l.membershipQueries),
          String(l.membershipSymbols),
          String(l.askedQueries),
          String(l.cacheHits),
          String(l.equivalenceQueries),
          String(l.testQueries),
          l.seconds.toFixed(3),
        ],
      ]),
    );
    if (l.determinismChecks > 0) lines.push(`determinism: ${l.determinismChecks} queries asked twice, all answered alike`);
  }
  if (report.exact) {
    lines.push(`method: exact (breadth-first search over reachable states, then minimisation)`);
    lines.push(`result: ${report.states} states (minimal) from ${report.exact.explored} explored states in ${report.exact.seconds.toFixed(3)} s`);
  }
  if (report.nonEmptyStates !== undefined && report.nonEmptyStates !== report.states)
    lines.push(`on non-empty words alone (the empty word's class set free): ${report.nonEmptyStates} states`);
  if (report.partition) {
    const p = report.partition.partitioning;
    const how = p.kind === 'kmeans' ? `k-means, ${p.clusters} clusters` : `quantisation, ${p.intervals} intervals per dimension`;
    lines.push(`method: partition extraction of the float network (${how}), breadth-first exploration, minimisation`);
    lines.push(`result: ${report.states} states (minimal) from ${report.partition.cells} cells in ${report.partition.seconds.toFixed(3)} s; no equivalence guarantee`);
  }
  lines.push('', 'agreement with the system on uniform random words:');
  lines.push(table([['length', 'samples', 'agreement'], ...report.agreement.map((r) => [String(r.length), String(r.samples), r.agreement.toFixed(4)])]));
  if (report.reference) lines.push('', `reference: the extracted automaton ${report.reference.text}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** Whether `writeExtraction` draws automaton.svg: by the size limit (`auto`), always, or never. */
export type SvgChoice = 'auto' | 'always' | 'never';

/** What `writeExtraction` wrote, and the one line saying why there is no SVG when there is none. */
export interface WrittenExtraction {
  readonly files: string[];
  readonly svgSkipped?: string;
}

/** The files `writeExtraction` writes into `dir`, the drawing last (left out when `svg` is 'never'). */
export function extractionFiles(dir: string, svg: SvgChoice): string[] {
  return ['automaton.json', 'automaton.dot', 'report.json', 'report.txt', ...(svg === 'never' ? [] : ['automaton.svg'])].map((name) => join(dir, name));
}

/**
 * Checks, before any work, that `writeExtraction` may write into `dir`: FileExistsError for the first of its
 * files already there unless `force`, InputError for one that is not a regular file. A folder that does not
 * exist yet passes (checkOutputDirectory checks that it can be made).
 */
export function checkExtractionOutput(dir: string, force: boolean, svg: SvgChoice): void {
  if (!existsSync(dir)) return;
  for (const file of extractionFiles(dir, svg)) checkOutputFile(file, { force });
}

/**
 * Writes automaton.json, automaton.dot, report.json and report.txt into dir, then automaton.svg: the data
 * first, so a drawing that is skipped (past the size limit) or fails never costs the other files.
 * The drawing shows rejecting sinks, as `task show --svg` does.
 */
export async function writeExtraction(dir: string, dfa: Dfa, report: ExtractReport, force: boolean, svg: SvgChoice = 'auto'): Promise<WrittenExtraction> {
  mkdirSync(dir, { recursive: true });
  const dot = dfaToDot(dfa, { name: report.system.name });
  const files: [string, string][] = [
    ['automaton.json', dfaToJsonText(dfa)],
    ['automaton.dot', dot],
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['report.txt', `${formatReport(report)}\n`],
  ];
  const svgFile = join(dir, 'automaton.svg');
  // All or nothing: refuse before writing anything when one of the files is already there.
  checkExtractionOutput(dir, force, svg);
  const written: string[] = [];
  for (const [name, content] of files) {
    const file = join(dir, name);
    writeFileAtomic(file, content, { force });
    written.push(file);
  }
  if (svg === 'never') return { files: written, svgSkipped: 'automaton.svg not drawn (--no-svg)' };
  const drawing = await drawSvg(dot, { force: svg === 'always' });
  if ('skipped' in drawing) {
    // A stale drawing of an earlier run would contradict the new DOT; --force let us replace it.
    if (force && existsSync(svgFile)) rmSync(svgFile);
    const hint = drawing.why === 'limit' ? '; --svg draws it anyway' : '';
    return { files: written, svgSkipped: `automaton.svg ${drawing.skipped}${hint}` };
  }
  writeFileAtomic(svgFile, drawing.svg, { force });
  written.push(svgFile);
  return { files: written };
}
