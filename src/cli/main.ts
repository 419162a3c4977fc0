// The eigenstate command line: builds the commander program from one file per command, runs it, and
// turns every failure into one line on stderr and an exit code (0 ok, 1 a checked claim failed, 2 bad
// usage or input, 3 unknown verdict, 4 training diverged, 70 internal error). --debug adds the stack trace.
import { Command, CommanderError, Help } from 'commander';
import { EigenstateError } from '../errors.js';
import { EXIT, type Wrap } from './exit.js';
import { oneLine } from './message.js';

/** A command file's registration function. */
type Register = (program: Command, wrap: Wrap) => void;

/** One top-level command as `eigenstate --help` lists it, and how to load its file. */
interface CommandEntry {
  readonly name: string;
  /** Its term in the listing (name, `[options]`, arguments), as commander derives it from the full command. */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<Register>;
}

// Each command file (and what it imports: TensorFlow.js, Z3, BullMQ, vega, ...) is loaded only when that
// command runs: loading all of them cost 1.6-2.5 s of CPU on every call, --version included. The terms
// and descriptions are repeated here so that `eigenstate --help` needs none of them; test/cli/help.test.ts
// checks that they read exactly as the loaded commands say.
const COMMANDS: readonly CommandEntry[] = [
  { name: 'tasks', term: 'tasks [options]', description: 'list the task catalogue (families, parameters, reference automaton sizes)', load: async () => (await import('./tasks.js')).registerTasks },
  { name: 'task', term: 'task', description: 'show, sample or label one task (see `eigenstate tasks`)', load: async () => (await import('./task.js')).registerTask },
  { name: 'regex', term: 'regex [options] <regex>', description: 'compile a regular expression into its minimal complete DFA', load: async () => (await import('./regex.js')).registerRegex },
  { name: 'dfa', term: 'dfa', description: 'inspect, minimise and compare automata (files or tasks)', load: async () => (await import('./dfa.js')).registerDfa },
  { name: 'extract', term: 'extract [options] <system>', description: 'extract an automaton by learning (L#, L*, Kearns–Vazirani) or exact search; writes the DFA and a stats table', load: async () => (await import('./extract.js')).registerExtract },
  { name: 'verify', term: 'verify [options] <task>', description: 'ask Z3 (or an exact enumeration) whether some model of a class labels every word of a bounded instance correctly', load: async () => (await import('./verify.js')).registerVerify },
  { name: 'check-certificate', term: 'check-certificate [options] <certificate> <checkpoint>', description: 're-verify an all-lengths certificate with the independent checker (docs/all-lengths.md)', load: async () => (await import('./check-certificate.js')).registerCheckCertificate },
  { name: 'run', term: 'run [options] <checkpoint> <word>', description: 'the class a checkpoint gives one word: float (TensorFlow.js) by default, the exact executor with --format; exit 1 when the task says otherwise, 3 when --real leaves it undecided', load: async () => (await import('./run.js')).registerRun },
  { name: 'prove', term: 'prove [options] [path]', description: 're-check proof-regression specs; exit 1 if a verdict differs from the expected one, 3 if a spec ran over its budget (unknown)', load: async () => (await import('./prove.js')).registerProve },
  { name: 'quantize', term: 'quantize [options] <checkpoint>', description: 'run a checkpoint exactly at each number format: accuracy by length, agreement with the float model, first error', load: async () => (await import('./quantize.js')).registerQuantize },
  { name: 'cc', term: 'cc [options] <task>', description: 'communication complexity of a two-party task: exact one-way D→, two-way lower bounds, Z3 cross-checks', load: async () => (await import('./cc.js')).registerCc },
  { name: 'reduce', term: 'reduce [options] [checkpoint]', description: 'one-way communication bound against a model class (--model) or a checkpoint (collision certificate); exit 1 when refuted', load: async () => (await import('./reduce.js')).registerReduce },
  { name: 'construct', term: 'construct [options] <task>', description: "write a hand-built checkpoint that simulates the task's automaton (prove it with verify --all-lengths)", load: async () => (await import('./construct.js')).registerConstruct },
  { name: 'import', term: 'import [options] <source>', description: 'read a model trained elsewhere (safetensors + config.json, docs/interop.md) into a checkpoint', load: async () => (await import('./import.js')).registerImport },
  { name: 'export', term: 'export [options] <checkpoint>', description: 'write a checkpoint as model.safetensors + config.json (docs/interop.md); float32 round-trips bit for bit', load: async () => (await import('./export.js')).registerExport },
  { name: 'train', term: 'train [options]', description: 'train a model on a task (AdamW, warm-up + cosine, clipping) and write its checkpoint', load: async () => (await import('./train.js')).registerTrain },
  { name: 'eval', term: 'eval [options] <checkpoint>', description: 'accuracy of a checkpoint per length bucket on its task (class-balanced samples)', load: async () => (await import('./eval.js')).registerEval },
  { name: 'sweep', term: 'sweep [options] <grid>', description: 'run every cell of a grid (train, eval, quantize, extract, the all-lengths verdict) in parallel or on a queue; resumable', load: async () => (await import('./sweep.js')).registerSweep },
  { name: 'worker', term: 'worker [options]', description: "run sweep cells from a BullMQ queue (see `sweep --queue`); a killed worker's cell goes back to the queue", load: async () => (await import('./worker.js')).registerWorker },
  { name: 'report', term: 'report [options] <dir>', description: 'one self-contained HTML page of a sweep: the table over seeds, accuracy plots, verdicts, automata', load: async () => (await import('./report.js')).registerReport },
  { name: 'hierarchy', term: 'hierarchy [options]', description: "per model family: the class P0 places it in, the automata it simulates, and the toolkit's evidence with the command that reproduces it", load: async () => (await import('./hierarchy.js')).registerHierarchy },
];

/** The names of every top-level command, in the order `eigenstate --help` lists them. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

/**
 * The command argv runs: its first operand, or the one after `help`; undefined for bare `--help`,
 * `--version` or no command. The only global options (--debug, -V, -h) take no value, so every
 * argument before the command starts with '-'.
 */
export function selectedCommand(argv: readonly string[]): string | undefined {
  const operands = argv.slice(2).filter((a) => !a.startsWith('-'));
  return operands[0] === 'help' ? operands[1] : operands[0];
}

/** Commander's text: its first line as one clipped line, any further lines (the help hint) kept. */
function clipCommanderText(text: string): string {
  const [first, ...rest] = text.split('\n');
  return [oneLine(first), ...rest].join('\n');
}

/**
 * The program with the `load`ed commands registered in full ('all': every one) and every other one as
 * a stand-in with its name and description (enough for `eigenstate --help` and "did you mean");
 * `report` receives each action's exit code.
 */
export async function buildProgram(report: (code: number) => void, load: 'all' | readonly string[] = 'all'): Promise<Command> {
  const standIns = new Map<Command, string>();
  const program = new Command('eigenstate')
    .description('Expressivity of recurrent networks: tasks, automata, finite precision, Z3 proofs.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`eigenstate: ${clipCommanderText(text.replace(/^error: /, ''))}`) })
    .configureHelp({
      subcommandTerm(this: Help, cmd: Command): string {
        return standIns.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
      },
    });
  const wrap: Wrap =
    (fn) =>
    async (...args) =>
      report(await fn(...args));
  for (const entry of COMMANDS) {
    // one at a time: jest's ES-module loader fails on concurrent imports of a shared module
    if (load === 'all' || load.includes(entry.name)) {
      (await entry.load())(program, wrap);
      continue;
    }
    const standIn = program
      .command(entry.name)
      .description(entry.description)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        // main loads the command argv names, so reaching a stand-in means selectedCommand misread argv
        throw new Error(`command '${entry.name}' was not loaded`);
      });
    standIns.set(standIn, entry.term);
  }
  return program;
}

/** Runs the CLI on process-style argv and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const debug = argv.includes('--debug');
  try {
    const command = selectedCommand(argv);
    const program = await buildProgram((c) => (code = c), command === undefined ? [] : [command]);
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message; help and version are successes
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)
        ? EXIT.ok
        : EXIT.badInput;
    }
    if (error instanceof EigenstateError) {
      process.stderr.write(`eigenstate: ${oneLine(error.message)}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`eigenstate: internal error: ${oneLine(message)} (a bug; --debug shows the stack trace)\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}
