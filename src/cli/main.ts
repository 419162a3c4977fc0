// The eigenstate command line: builds the commander program from one file per command, runs it, and
// turns every failure into one line on stderr and an exit code (0 ok, 1 a checked claim failed, 2 bad
// usage or input, 3 unknown verdict, 4 training diverged, 70 internal error). --debug adds the stack trace.
import { Command, CommanderError } from 'commander';
import { EigenstateError } from '../errors.js';
import { registerCc } from './cc.js';
import { registerDfa } from './dfa.js';
import { registerExport } from './export.js';
import { registerExtract } from './extract.js';
import { registerImport } from './import.js';
import { registerEval } from './eval.js';
import { registerProve } from './prove.js';
import { registerReduce } from './reduce.js';
import { registerQuantize } from './quantize.js';
import { registerRegex } from './regex.js';
import { registerReport } from './report.js';
import { registerSweep } from './sweep.js';
import { registerTask } from './task.js';
import { registerTasks } from './tasks.js';
import { registerTrain } from './train.js';
import { registerVerify } from './verify.js';
import { EXIT, type Wrap } from './exit.js';
import { oneLine } from './message.js';
import { registerRun } from './run.js';
import { registerCheckCertificate } from './check-certificate.js';
import { registerWorker } from './worker.js';

/** Commander's text: its first line as one clipped line, any further lines (the help hint) kept. */
function clipCommanderText(text: string): string {
  const [first, ...rest] = text.split('\n');
  return [oneLine(first), ...rest].join('\n');
}

/** The program with every command registered; `report` receives each action's exit code. */
export function buildProgram(report: (code: number) => void): Command {
  const program = new Command('eigenstate')
    .description('Expressivity of recurrent networks: tasks, automata, finite precision, Z3 proofs.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`eigenstate: ${clipCommanderText(text.replace(/^error: /, ''))}`) });
  const wrap: Wrap =
    (fn) =>
    async (...args) =>
      report(await fn(...args));
  registerTasks(program, wrap);
  registerTask(program, wrap);
  registerRegex(program, wrap);
  registerDfa(program, wrap);
  registerExtract(program, wrap);
  registerVerify(program, wrap);
  registerCheckCertificate(program, wrap);
  registerRun(program, wrap);
  registerProve(program, wrap);
  registerQuantize(program, wrap);
  registerCc(program, wrap);
  registerReduce(program, wrap);
  registerImport(program, wrap);
  registerExport(program, wrap);
  registerTrain(program, wrap);
  registerEval(program, wrap);
  registerSweep(program, wrap);
  registerWorker(program, wrap);
  registerReport(program, wrap);
  return program;
}

/** Runs the CLI on process-style argv and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  const debug = argv.includes('--debug');
  try {
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
