// One error root. Every message names the file, field, state, symbol or value at fault, so the CLI can
// print it as one line; `exitCode` is what the CLI exits with (2: bad usage or input).

/** Root of every error eigenstate raises on purpose; anything else reaching the CLI is a bug. */
export class EigenstateError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad user input: a file, a field of it, an option or an argument holds a value we cannot accept. */
export class InputError extends EigenstateError {}

/** An automaton handed to a constructor is malformed; the message names the state and symbol. */
export class AutomatonError extends EigenstateError {}

/** Two automata (or an automaton and a word) do not share an alphabet. */
export class AlphabetMismatchError extends EigenstateError {}

/**
 * A construction that can blow up (subset construction, products, search) passed its state cap: an honest
 * "don't know" (exit 3), or exit 1 when what was found on the way already refutes the claim (a wrong word).
 */
export class TooManyStatesError extends EigenstateError {
  override readonly exitCode: number;
  constructor(
    readonly construction: string,
    readonly cap: number,
    /** What is still known without the whole construction (e.g. a counterexample found on the way). */
    readonly partial?: string,
    /** True when `partial` is a counterexample: the checked claim is false whatever lies past the cap. */
    readonly refuted: boolean = false,
  ) {
    const known = partial === undefined ? '' : `; ${partial}`;
    super(`${construction}: more than ${cap} states (raise the cap, e.g. --max-states, to go on)${known}`);
    this.exitCode = refuted ? 1 : 3;
  }
}

/** A loop passed its cap (rounds, words, time) before it had an answer: an honest "don't know" (exit 3). */
export class CapReachedError extends EigenstateError {
  override readonly exitCode = 3;
}

/** An output file exists and the caller did not ask to overwrite it. */
export class FileExistsError extends EigenstateError {
  constructor(readonly file: string) {
    super(`${file}: file exists (pass --force to overwrite)`);
  }
}

/** An internal invariant broke: a bug in eigenstate, not in the input. */
export class InternalError extends EigenstateError {
  override readonly exitCode = 70;
}

/** The input is valid, but the analysis asked for does not cover it: an honest "don't know" (exit 3). */
export class UnsupportedError extends EigenstateError {
  override readonly exitCode = 3;
}
