// The all-lengths certificate file (docs/all-lengths.md, "Certificate format"): an inductive invariant of
// boxes over the network state, one per abstract state (task-DFA state, last symbols), for one checkpoint
// (by SHA-256 of its file) at one number format or over the reals. Validated with zod on read; every
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
  /** Longest history j of the abstract states. */
  history: z.number().int().min(1).max(64),
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
  states: z
    .array(
      z.object({
        ref: z.number().int().min(0),
        history: z.array(z.number().int().min(0)).min(1),
        lo: z.array(finite),
        hi: z.array(finite),
      }),
    )
    .min(1),
});

/** A certificate as read from (or written to) a file. */
export type Certificate = z.infer<typeof certificateSchema>;
