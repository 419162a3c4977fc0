// Where command output goes: stdout, or a file written atomically (never over an existing one without
// --force). Shared by every command so they all behave alike.
import { writeFileAtomic } from '../files.js';

/** Prints text to stdout, adding the final newline if missing. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Prints a value as pretty JSON to stdout. */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** Writes an output file atomically and reports it on stderr (stdout stays clean for data). */
export function writeOutput(file: string, content: string, force: boolean | undefined): void {
  writeFileAtomic(file, content, { force: force ?? false });
  process.stderr.write(`wrote ${file}\n`);
}
