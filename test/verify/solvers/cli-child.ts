// The CLI as a child process, for the test that kills a race from outside (race.test.ts).
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv);
