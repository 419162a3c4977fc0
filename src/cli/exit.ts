// The CLI's exit codes and the action wrapper type, in their own file so that every command can import
// them without importing main.ts (which imports every command: an import circle otherwise).

/**
 * Exit codes of the CLI: 0 ok, 1 a checked claim failed, 2 bad usage or input, 3 unknown verdict, 4 training
 * diverged, 70 internal error, 74 its own output could not be written (sysexits' EX_IOERR: a full disk, ...).
 */
export const EXIT = { ok: 0, claimFailed: 1, badInput: 2, unknown: 3, diverged: 4, internal: 70, ioError: 74 } as const;

/** What a command's action returns: its exit code. */
export type ActionResult = Promise<number> | number;

/** Wraps an action so its exit code reaches `main`. */
export type Wrap = <A extends unknown[]>(fn: (...args: A) => ActionResult) => (...args: A) => Promise<void>;
