#!/usr/bin/env node
// The published entry point: the compiled CLI (built by `npm run build`, which `npm ci` runs via `prepare`).
import { main } from '../dist/cli/main.js';
import { guardOutputStreams } from '../dist/cli/streams.js';

// A reader that stops early (`eigenstate task show s5 --dot | head`) ends the run quietly; any other failure to
// write stdout (a full disk: `> /dev/full`) is one line and exit 74, never an unhandled-error stack trace.
guardOutputStreams(
  process.stdout,
  process.stderr,
  (code) => process.exit(code),
  () => (typeof process.exitCode === 'number' ? process.exitCode : 0),
);

process.exitCode = await main(process.argv);
