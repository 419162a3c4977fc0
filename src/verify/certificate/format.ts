// The all-lengths certificate file (docs/all-lengths.md, "The certificate and its checker"): an inductive
// invariant as an abstract automaton, one box of network states per abstract state with its task-DFA
// state, its last symbol and its successor on every symbol, for one checkpoint (by SHA-256 of its file) at
// one number format or over the reals. Validated with zod on read; every
// problem names the file and the field. Shared by the search (writer) and the checker (reader).
import { z } from 'zod';

/** The `format` tag of certificate files. */
export const CERTIFICATE_FORMAT = 'eigenstate/all-lengths-certificate';
/** The current certificate version; files of another version are refused. */
export const CERTIFICATE_VERSION = 1;

const finite = z.number().refine(Number.isFinite, 'not a finite number');

/** The zod schema of a certificate file. */
export const certificateSchema = z.object({
  format: z.literal(CERTIFICATE_FORMAT),
  version: z.literal(CERTIFICATE_VERSION),
  checkpoint: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), family: z.string() }),
  task: z.string().min(1),
  /** A number format name, or 'real' for exact real arithmetic. */
  arithmetic: z.string().min(1),
  /** Depth of the readout bisection the checker may use. */
  readoutSplits: z.number().int().min(0).max(24),
  /** The task automaton the invariant follows (complete, Moore). */
  dfa: z.object({
    alphabet: z.array(z.string()).min(1),
    classes: z.array(z.string()).min(1),
    start: z.number().int().min(0),
    table: z.array(z.number().int().min(0)),
    labels: z.array(z.number().int().min(0)),
  }),
  /** initial[a]: the abstract state holding the state after the one-symbol word a. */
  initial: z.array(z.number().int().min(0)).min(1),
  states: z
    .array(
      z.object({
        /** The task-DFA state every word ending here reaches. */
        ref: z.number().int().min(0),
        /** The last symbol read (the readout depends on it). */
        last: z.number().int().min(0),
        /** next[a]: the abstract state after reading a. */
        next: z.array(z.number().int().min(0)),
        lo: z.array(finite),
        hi: z.array(finite),
      }),
    )
    .min(1),
});

/** A certificate as read from (or written to) a file. */
export type Certificate = z.infer<typeof certificateSchema>;
